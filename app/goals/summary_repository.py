"""DynamoDB access for the per-user goal summary and its processed-event markers."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import ClientError

from app.core import aws, dynamo, transactions
from app.core.schemas import isoformat, utc_now
from app.goals.aggregates import Summary, latest_run
from app.goals.domain import AGGREGATES

SUMMARY_KEY = "SUMMARY"
EVENT_PREFIX = "EVENT#"
# Longer than the queue and its DLQ keep a message, so any redelivery still finds its marker.
MARKER_TTL_SECONDS = 30 * 24 * 3600
_TTL = AGGREGATES.ttl_attribute or "expiresAt"
_CONDITION_FAILED = "ConditionalCheckFailed"

SaveOutcome = Literal["saved", "duplicate", "conflict"]


@dataclass(frozen=True)
class StoredSummary:
    """A summary with the version it was read at."""

    summary: Summary
    version: int
    updated_at: str


def _to_summary(item: dict[str, Any]) -> Summary:
    runs = tuple(
        (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for start, end in item.get("progressRuns", [])
    )
    return Summary(
        totals={k: int(v) for k, v in item.get("totals", {}).items()},
        by_category={
            name: {k: int(v) for k, v in counts.items()}
            for name, counts in item.get("byCategory", {}).items()
        },
        progress_entries=int(item.get("progressEntries", 0)),
        runs=runs,
    )


def _to_item(user_id: str, summary: Summary, version: int) -> dict[str, Any]:
    run = latest_run(summary.runs)
    item: dict[str, Any] = {
        "userId": user_id,
        "itemKey": SUMMARY_KEY,
        "totals": summary.totals,
        "byCategory": summary.by_category,
        "progressEntries": summary.progress_entries,
        "progressRuns": [[start.isoformat(), end.isoformat()] for start, end in summary.runs],
        "version": version,
        "updatedAt": isoformat(utc_now()),
    }
    if run is not None:
        item["lastProgressDay"] = run[1].isoformat()
        item["currentStreakDays"] = (run[1] - run[0]).days + 1
    return item


def get(user_id: str, *, consistent: bool = False) -> StoredSummary | None:
    """Return the user's summary, or None before their first goal event."""
    item = (
        aws.table(AGGREGATES.name)
        .get_item(Key={"userId": user_id, "itemKey": SUMMARY_KEY}, ConsistentRead=consistent)
        .get("Item")
    )
    if item is None:
        return None
    plain = dynamo.plain_item(item)
    return StoredSummary(
        summary=_to_summary(plain), version=int(plain["version"]), updated_at=plain["updatedAt"]
    )


def save(
    user_id: str, summary: Summary, *, expected_version: int | None, event_id: str
) -> SaveOutcome:
    """Store the summary and the event's marker in one transaction.

    "duplicate" when the event was applied before (nothing is written), "conflict" when the
    summary changed since it was read (retry from a fresh read).
    """
    table = transactions.table_name(AGGREGATES.name)
    put_summary: dict[str, Any] = {
        "TableName": table,
        "Item": transactions.serialize(_to_item(user_id, summary, (expected_version or 0) + 1)),
    }
    if expected_version is None:
        put_summary["ConditionExpression"] = "attribute_not_exists(itemKey)"
    else:
        put_summary["ConditionExpression"] = "version = :version"
        put_summary["ExpressionAttributeValues"] = transactions.serialize(
            {":version": expected_version}
        )
    marker = {
        "userId": user_id,
        "itemKey": f"{EVENT_PREFIX}{event_id}",
        "processedAt": isoformat(utc_now()),
        _TTL: int(time.time()) + MARKER_TTL_SECONDS,
    }
    put_marker = {
        "TableName": table,
        "Item": transactions.serialize(marker),
        "ConditionExpression": "attribute_not_exists(itemKey)",
    }
    try:
        transactions.transact([{"Put": put_summary}, {"Put": put_marker}])
    except ClientError as exc:
        codes = transactions.cancellation_codes(exc)
        if len(codes) == 2 and codes[1] == _CONDITION_FAILED:
            return "duplicate"
        if len(codes) == 2 and codes[0] in (_CONDITION_FAILED, "TransactionConflict"):
            return "conflict"
        raise
    return "saved"
