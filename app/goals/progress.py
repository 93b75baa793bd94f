"""Progress use cases: log progress (entries commute; completion at the target), history."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from app.core import outbox
from app.core.errors import WriteContention
from app.core.observability import logger
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate, retry_on_conflict
from app.goals import repository
from app.goals.aggregates import GOAL_COMPLETED, GOAL_PROGRESSED, GoalEvent
from app.goals.exceptions import GoalArchived, ProgressDateInFuture
from app.goals.repository import GoalRecord, ProgressRecord
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


def _reached(goal: GoalRecord, value: float) -> bool:
    return goal.status == "active" and goal.target_value is not None and value >= goal.target_value


def _completion(goal: GoalRecord, value: float, event: GoalEvent) -> GoalEvent:
    """Add what the summary and the milestone email need to a goal.completed event."""
    return event.model_copy(
        update={
            "state": state_of(goal),
            "title": goal.title,
            "current_value": value,
            "target_value": goal.target_value,
            "unit": goal.unit,
        }
    )


def _log_progress(
    owner_id: str, goal_id: str, body: ProgressCreate, day: dt.date
) -> tuple[ProgressRecord, bool]:
    """Store an entry; return it and whether entries logged alongside may reach the target."""
    current = owned_record(owner_id, goal_id, consistent=True)
    if current.status == "archived":
        raise GoalArchived()
    # Other entries may land between this read and the write: the goal's value is added to, and
    # the entry records the value as of this read plus its own.
    value = _add(current.current_value, body.value)
    reached = _reached(current, value)
    entry = ProgressRecord(
        entry_id=str(uuid.uuid4()),
        goal_id=goal_id,
        owner_id=owner_id,
        value=body.value,
        note=body.note,
        day=day.isoformat(),
        current_value=value,
        goal_status="completed" if reached else current.status,
        created_at=isoformat(utc_now()),
    )
    event = GoalEvent(owner_id=owner_id, goal_id=goal_id, entry_id=entry.entry_id, day=day)
    if reached:
        message = outbox.new_message(GOAL_COMPLETED, _completion(current, value, event).payload())
    else:
        message = outbox.new_message(GOAL_PROGRESSED, event.payload())
    repository.add_progress(current, entry, [message], completes=reached)
    outbox.publish([message])
    has_target = current.status == "active" and current.target_value is not None
    return entry, has_target and not reached


def _complete_if_reached(owner_id: str, goal_id: str) -> None:
    """Complete a goal that entries logged at the same time took past its target together."""
    goal = repository.get(goal_id, owner_id=owner_id, consistent=True)
    if goal is None or not _reached(goal, goal.current_value):
        return
    # No entryId: each entry was already counted by its own goal.progressed event.
    event = _completion(goal, goal.current_value, GoalEvent(owner_id=owner_id, goal_id=goal_id))
    messages = [outbox.new_message(GOAL_COMPLETED, event.payload())]
    if repository.complete(goal, messages):
        outbox.publish(messages)


def _log_and_complete(
    owner_id: str, goal_id: str, body: ProgressCreate, day: dt.date
) -> ProgressRead:
    entry, may_complete = retry_server_write(lambda: _log_progress(owner_id, goal_id, body, day))
    if may_complete:
        try:
            retry_on_conflict(
                lambda: _complete_if_reached(owner_id, goal_id), retry_on=WriteContention
            )
        except Exception:
            # The entry is committed: failing now would invite a retry that logs it twice.
            # The goal's next entry completes it instead.
            logger.exception("goal completion deferred", extra={"goal_id": goal_id})
    return to_progress_read(entry)


def add_progress(
    *, owner_id: str, goal_id: str, body: ProgressCreate, idempotency_key: str | None
) -> ProgressRead:
    """Log progress: the entry and its addition to the goal's value commit together."""
    today = utc_now().date()
    day = body.date or today
    if day > today:
        raise ProgressDateInFuture(details=[{"loc": ["body", "date"], "today": today.isoformat()}])

    return idempotent_create(
        scope=f"goal-progress:{goal_id}",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=lambda: _log_and_complete(owner_id, goal_id, body, day),
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
