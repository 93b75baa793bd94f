"""Progress use cases: log progress (entry, value and completion in one transaction), history."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import Decimal

from app.core import outbox
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate
from app.goals import repository
from app.goals.aggregates import GOAL_COMPLETED, GOAL_PROGRESSED, GoalEvent
from app.goals.exceptions import GoalArchived, ProgressDateInFuture
from app.goals.repository import ProgressRecord
from app.goals.schemas import ProgressCreate, ProgressRead
from app.goals.service import owned_record, retry_server_write, state_of


def to_progress_read(entry: ProgressRecord) -> ProgressRead:
    """Convert a stored progress entry to its API model; entries are never edited."""
    return ProgressRead(
        entry_id=entry.entry_id,
        goal_id=entry.goal_id,
        value=entry.value,
        note=entry.note,
        date=dt.date.fromisoformat(entry.day),
        current_value=entry.current_value,
        goal_status=entry.goal_status,
        version=1,
        created_at=entry.created_at,
        updated_at=entry.created_at,
    )


def _add(left: float, right: float) -> float:
    # Decimal sums keep 0.1 + 0.2 at 0.3, as DynamoDB stores it.
    total = Decimal(str(left)) + Decimal(str(right))
    return int(total) if total == total.to_integral_value() else float(total)


def _log_progress(owner_id: str, goal_id: str, body: ProgressCreate, day: dt.date) -> ProgressRead:
    current = owned_record(owner_id, goal_id, consistent=True)
    if current.status == "archived":
        raise GoalArchived()
    value = _add(current.current_value, body.value)
    target = current.target_value
    reached = current.status == "active" and target is not None and value >= target
    now = isoformat(utc_now())
    new = replace(
        current,
        current_value=value,
        status="completed" if reached else current.status,
        progress_count=current.progress_count + 1,
        version=current.version + 1,
        updated_at=now,
    )
    entry = ProgressRecord(
        entry_id=str(uuid.uuid4()),
        goal_id=goal_id,
        owner_id=owner_id,
        value=body.value,
        note=body.note,
        day=day.isoformat(),
        current_value=value,
        goal_status=new.status,
        created_at=now,
    )
    event = GoalEvent(owner_id=owner_id, goal_id=goal_id, entry_id=entry.entry_id, day=day)
    if reached:
        event = event.model_copy(
            update={
                "state": state_of(current),
                "title": current.title,
                "current_value": value,
                "target_value": target,
                "unit": current.unit,
            }
        )
    messages = [outbox.new_message(GOAL_COMPLETED if reached else GOAL_PROGRESSED, event.payload())]
    repository.add_progress(current, new, entry, messages)
    outbox.publish(messages)
    return to_progress_read(entry)


def add_progress(
    *, owner_id: str, goal_id: str, body: ProgressCreate, idempotency_key: str | None
) -> ProgressRead:
    """Log progress: the entry and the goal's new value (and completion) commit together."""
    today = utc_now().date()
    day = body.date or today
    if day > today:
        raise ProgressDateInFuture(details=[{"loc": ["body", "date"], "today": today.isoformat()}])

    return idempotent_create(
        scope=f"goal-progress:{goal_id}",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=lambda: retry_server_write(lambda: _log_progress(owner_id, goal_id, body, day)),
        answer=ProgressRead,
    )


def list_progress(
    *, owner_id: str, goal_id: str, limit: int, cursor: str | None
) -> Page[ProgressRead]:
    """Return a page of a goal's progress entries, newest first."""
    owned_record(owner_id, goal_id)
    return paginate(
        owner=owner_id,
        scope=f"goal-progress:{goal_id}",
        cursor=cursor,
        fetch=lambda start_key: repository.list_progress(
            goal_id=goal_id, owner_id=owner_id, limit=limit, start_key=start_key
        ),
        convert=to_progress_read,
    )


def purge_progress(*, goal_id: str) -> int:
    """Delete a deleted goal's progress entries; safe to repeat."""
    return repository.delete_progress(goal_id)
