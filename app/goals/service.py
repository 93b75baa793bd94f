"""Goal use cases: CRUD, and the server-side writes other domains ask for."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from app.core import outbox
from app.core.errors import VersionConflict, WriteContention
from app.core.outbox import OutboxMessage
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate, require_version, retry_on_conflict
from app.core.versioning import expected_version
from app.goals import repository
from app.goals.aggregates import (
    GOAL_CREATED,
    GOAL_DELETED,
    GOAL_UPDATED,
    GoalEvent,
    GoalState,
)
from app.goals.exceptions import GoalBusy, GoalNotFound
from app.goals.repository import GoalRecord
from app.goals.schemas import (
    GoalCategory,
    GoalCreate,
    GoalRead,
    GoalStatus,
    GoalUpdate,
)

# Server-side writes (progress, delete, plan) re-read and retry when another write got in first.
RETRIED = (VersionConflict, WriteContention)
T = TypeVar("T")


def to_read(record: GoalRecord) -> GoalRead:
    """Convert a stored goal to its API model."""
    return GoalRead(
        goal_id=record.goal_id,
        title=record.title,
        description=record.description,
        category=record.category,
        target_value=record.target_value,
        unit=record.unit,
        current_value=record.current_value,
        due_date=dt.date.fromisoformat(record.due_date) if record.due_date else None,
        status=record.status,
        plan=record.plan,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def state_of(record: GoalRecord) -> GoalState:
    """Return what the summary counts of a goal."""
    return GoalState(status=record.status, category=record.category)


def owned_record(owner_id: str, goal_id: str, *, consistent: bool = False) -> GoalRecord:
    """Return the owner's goal or raise GoalNotFound."""
    record = repository.get(goal_id, owner_id=owner_id, consistent=consistent)
    if record is None:
        raise GoalNotFound()
    return record


def retry_server_write(write: Callable[[], T]) -> T:
    """Run a server-side read-and-write again while another write got in first."""
    try:
        return retry_on_conflict(write, retry_on=RETRIED)
    except VersionConflict as exc:
        raise GoalBusy() from exc


def create_goal(*, owner_id: str, body: GoalCreate, idempotency_key: str | None) -> GoalRead:
    """Create an active goal and announce it to the summary."""

    def create() -> GoalRead:
        now = isoformat(utc_now())
        record = GoalRecord(
            goal_id=str(uuid.uuid4()),
            owner_id=owner_id,
            title=body.title,
            description=body.description,
            category=body.category,
            status="active",
            current_value=0,
            target_value=body.target_value,
            unit=body.unit,
            due_date=body.due_date.isoformat() if body.due_date else None,
            version=1,
            created_at=now,
            updated_at=now,
        )
        event = GoalEvent(owner_id=owner_id, goal_id=record.goal_id, state=state_of(record))
        messages = [outbox.new_message(GOAL_CREATED, event.payload())]
        repository.create(record, messages)
        outbox.publish(messages)
        return to_read(record)

    return idempotent_create(
        scope="goals",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=GoalRead,
    )


def get_goal(*, owner_id: str, goal_id: str) -> GoalRead:
    """Return one of the owner's goals, or raise NotFound."""
    return to_read(owned_record(owner_id, goal_id, consistent=True))


def list_goals(
    *,
    owner_id: str,
    status: GoalStatus | None,
    category: GoalCategory | None,
    limit: int,
    cursor: str | None,
) -> Page[GoalRead]:
    """Return a page of the owner's goals, newest first, filtered through an index."""
    return paginate(
        owner=owner_id,
        scope=f"goals:{status or '*'}:{category or '*'}",
        cursor=cursor,
        fetch=lambda start_key: repository.list_goals(
            owner_id=owner_id, status=status, category=category, limit=limit, start_key=start_key
        ),
        convert=to_read,
    )


def update_goal(*, owner_id: str, goal_id: str, body: GoalUpdate, if_match: str | None) -> GoalRead:
    """Apply a client's changes at the version it read; status or category changes are announced."""
    version = expected_version(body_version=body.version, if_match=if_match)
    current = owned_record(owner_id, goal_id, consistent=True)
    require_version(current.version, version)
    changes = body.changes()
    if "due_date" in changes and changes["due_date"] is not None:
        changes["due_date"] = changes["due_date"].isoformat()
    new = replace(current, **changes, version=current.version + 1, updated_at=isoformat(utc_now()))
    messages: list[OutboxMessage] = []
    if state_of(new) != state_of(current):
        event = GoalEvent(
            owner_id=owner_id, goal_id=goal_id, state=state_of(current), new_state=state_of(new)
        )
        messages.append(outbox.new_message(GOAL_UPDATED, event.payload()))
    repository.update(current, new, messages)
    outbox.publish(messages)
    return to_read(new)


def delete_goal(*, owner_id: str, goal_id: str) -> None:
    """Delete a goal; its progress entries go with it through the goal.deleted job."""

    def delete() -> None:
        current = owned_record(owner_id, goal_id, consistent=True)
        event = GoalEvent(
            owner_id=owner_id,
            goal_id=goal_id,
            state=state_of(current),
            progress_entries=current.progress_count,
        )
        messages = [outbox.new_message(GOAL_DELETED, event.payload())]
        repository.delete(current, messages)
        outbox.publish(messages)

    retry_server_write(delete)


def apply_goal_plan(*, owner_id: str, goal_id: str, plan: dict[str, Any]) -> None:
    """Store a coaching plan on the goal (a server-side write that retries on conflicts)."""

    def store() -> None:
        current = owned_record(owner_id, goal_id, consistent=True)
        new = replace(
            current, plan=plan, version=current.version + 1, updated_at=isoformat(utc_now())
        )
        repository.update(current, new, [])

    retry_server_write(store)
