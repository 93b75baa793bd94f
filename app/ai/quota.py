"""The per-user daily AI job quota: one conditional counter per user and UTC day."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.ai.exceptions import AiQuotaExceeded
from app.core.expressions import Changes
from app.core.observability import logger
from app.core.store import DynamoStore
from app.core.tables import COUNTERS

TTL = COUNTERS.ttl_attribute or "expiresAt"
DAY = 86_400


@dataclass(frozen=True)
class CounterRecord:
    """One user's AI job count for one UTC day."""

    counter_key: str
    count: int
    expires_at: int


def _to_item(record: CounterRecord) -> dict[str, Any]:
    return {"counterKey": record.counter_key, "count": record.count, TTL: record.expires_at}


def _from_item(item: dict[str, Any]) -> CounterRecord:
    return CounterRecord(
        counter_key=item["counterKey"], count=int(item["count"]), expires_at=int(item[TTL])
    )


_store = DynamoStore(COUNTERS, to_item=_to_item, from_item=_from_item)


def _window(now: float) -> tuple[str, int]:
    day_start = int(now // DAY) * DAY
    return datetime.fromtimestamp(day_start, UTC).strftime("%Y-%m-%d"), day_start + DAY


def counter_key(owner_id: str, now: float | None = None) -> str:
    """Return the counter item key of the owner's current day."""
    day, _ = _window(time.time() if now is None else now)
    return f"ai#{owner_id}#{day}"


def consume(owner_id: str, *, limit: int, now: float | None = None) -> None:
    """Take one of today's jobs, or raise AiQuotaExceeded with the seconds until midnight UTC.

    The increment is conditional on the count being below the limit, so concurrent requests
    for the last slot admit exactly one.
    """
    from boto3.dynamodb.conditions import Attr

    moment = time.time() if now is None else now
    day, day_end = _window(moment)
    if limit <= 0:
        raise AiQuotaExceeded(retry_after=max(1, int(day_end - moment)))
    # Kept a day past the window so a late read still sees the day's count.
    changes = Changes(set={TTL: day_end + DAY}, add={"count": 1}, bump_version=False)
    below_limit = Attr("count").not_exists() | Attr("count").lt(limit)
    if _store.try_upsert({"counterKey": f"ai#{owner_id}#{day}"}, changes, condition=below_limit):
        return
    raise AiQuotaExceeded(retry_after=max(1, int(day_end - moment)))


def refund(owner_id: str, *, now: float | None = None) -> None:
    """Give back one job taken today, e.g. when it could not be queued; never raises."""
    from boto3.dynamodb.conditions import Attr

    changes = Changes(add={"count": -1}, bump_version=False)
    key = {"counterKey": counter_key(owner_id, now)}
    try:
        refunded = _store.try_update(key, changes, condition=Attr("count").gt(0))
    except (ClientError, BotoCoreError):
        logger.warning("ai quota refund failed", exc_info=True)
        return
    if refunded is None:
        logger.warning("ai quota refund failed: no job taken today")
