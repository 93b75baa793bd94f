"""DynamoDB access for the per-user goal summary and its processed-event markers."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from app.core.schemas import isoformat, utc_now
from app.core.store import DynamoStore
from app.goals.aggregates import Summary, latest_run
from app.goals.domain import AGGREGATES

SUMMARY_KEY = "SUMMARY"
EVENT_PREFIX = "EVENT#"
# Longer than the queue and its DLQ keep a message, so any redelivery still finds its marker.
MARKER_TTL_SECONDS = 30 * 24 * 3600
_TTL = AGGREGATES.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class StoredSummary:
    """A summary with the version it was read at."""

    user_id: str
    summary: Summary
    version: int
    updated_at: str


@dataclass(frozen=True)
class EventMarker:
    """Proof that one event was applied to a user's summary; expires after MARKER_TTL_SECONDS."""

    user_id: str
    event_id: str
    processed_at: str
    expires_at: int


AggregateRecord = StoredSummary | EventMarker


def _summary_item(record: StoredSummary) -> dict[str, Any]:
    summary = record.summary
    run = latest_run(summary.runs)
    item: dict[str, Any] = {
        "userId": record.user_id,
        "itemKey": SUMMARY_KEY,
        "totals": summary.totals,
        "byCategory": summary.by_category,
        "progressEntries": summary.progress_entries,
        "progressRuns": [[start.isoformat(), end.isoformat()] for start, end in summary.runs],
        "version": record.version,
        "updatedAt": record.updated_at,
    }
    if run is not None:
        item["lastProgressDay"] = run[1].isoformat()
        item["currentStreakDays"] = (run[1] - run[0]).days + 1
    return item


def _to_item(record: AggregateRecord) -> dict[str, Any]:
    if isinstance(record, StoredSummary):
        return _summary_item(record)
    return {
        "userId": record.user_id,
        "itemKey": f"{EVENT_PREFIX}{record.event_id}",
        "processedAt": record.processed_at,
        _TTL: record.expires_at,
    }


def _from_item(item: dict[str, Any]) -> AggregateRecord:
    if item["itemKey"] != SUMMARY_KEY:
        return EventMarker(
            user_id=item["userId"],
            event_id=item["itemKey"].removeprefix(EVENT_PREFIX),
            processed_at=item["processedAt"],
            expires_at=int(item[_TTL]),
        )
    runs = tuple(
        (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for start, end in item.get("progressRuns", [])
    )
    summary = Summary(
        totals={k: int(v) for k, v in item.get("totals", {}).items()},
        by_category={
            name: {k: int(v) for k, v in counts.items()}
            for name, counts in item.get("byCategory", {}).items()
        },
        progress_entries=int(item.get("progressEntries", 0)),
        runs=runs,
    )
    return StoredSummary(
        user_id=item["userId"],
        summary=summary,
        version=int(item["version"]),
        updated_at=item["updatedAt"],
    )


_store: DynamoStore[AggregateRecord] = DynamoStore(
    AGGREGATES, to_item=_to_item, from_item=_from_item
)


def _summary_key(user_id: str) -> dict[str, str]:
    return {"userId": user_id, "itemKey": SUMMARY_KEY}


def get(user_id: str, *, consistent: bool = False) -> StoredSummary | None:
    """Return the user's summary, or None before their first goal event."""
    record = _store.get(_summary_key(user_id), consistent=consistent)
    return record if isinstance(record, StoredSummary) else None


def is_applied(user_id: str, event_id: str) -> bool:
    """Return whether the event's marker is stored (consistent read)."""
    key = {"userId": user_id, "itemKey": f"{EVENT_PREFIX}{event_id}"}
    return _store.get(key, consistent=True) is not None


def save(user_id: str, summary: Summary, *, expected_version: int | None, event_id: str) -> None:
    """Store the summary and the event's marker in one transaction.

    Raises VersionConflict when the summary changed since it was read at expected_version.
    """
    now = isoformat(utc_now())
    record = StoredSummary(user_id, summary, (expected_version or 0) + 1, now)
    marker = EventMarker(user_id, event_id, now, int(time.time()) + MARKER_TTL_SECONDS)
    if expected_version is None:
        summary_op = _store.put_new_op(record)
    else:
        summary_op = _store.replace_op(record, expected_version=expected_version, owner=None)
    # The summary goes first: its failed condition becomes VersionConflict (see apply_event).
    _store.transact([summary_op, _store.put_new_op(marker)], guard=(_summary_key(user_id), None))
