"""The per-user daily AI job quota: one conditional counter per user and UTC day."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from app.ai.exceptions import AiQuotaExceeded
from app.core import aws
from app.core.dynamo import is_conditional_failure
from app.core.observability import logger
from app.core.tables import COUNTERS

TTL = COUNTERS.ttl_attribute or "expiresAt"
DAY = 86_400


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
    moment = time.time() if now is None else now
    day, day_end = _window(moment)
    if limit <= 0:
        raise AiQuotaExceeded(retry_after=max(1, int(day_end - moment)))
    try:
        aws.table(COUNTERS.name).update_item(
            Key={"counterKey": f"ai#{owner_id}#{day}"},
            UpdateExpression="ADD #count :one SET #expires = :expires",
            ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
            ExpressionAttributeNames={"#count": "count", "#expires": TTL},
            # Kept a day past the window so a late read still sees the day's count.
            ExpressionAttributeValues={":one": 1, ":limit": limit, ":expires": day_end + DAY},
        )
    except ClientError as exc:
        if is_conditional_failure(exc):
            raise AiQuotaExceeded(retry_after=max(1, int(day_end - moment))) from exc
        raise


def refund(owner_id: str, *, now: float | None = None) -> None:
    """Give back one job taken today, e.g. when it could not be queued; never raises."""
    try:
        aws.table(COUNTERS.name).update_item(
            Key={"counterKey": counter_key(owner_id, now)},
            UpdateExpression="ADD #count :minus",
            ConditionExpression="#count > :zero",
            ExpressionAttributeNames={"#count": "count"},
            ExpressionAttributeValues={":minus": -1, ":zero": 0},
        )
    except (ClientError, BotoCoreError):
        logger.warning("ai quota refund failed", exc_info=True)
