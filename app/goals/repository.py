"""DynamoDB access for goals and progress entries; stored items never leave this module."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from app.core.errors import Conflict
from app.core.expressions import Changes
from app.core.outbox import OutboxMessage
from app.core.records import Page
from app.core.store import DynamoStore
from app.goals.domain import GOAL_PROGRESS, GOALS
from app.goals.exceptions import GoalNotFound
from app.goals.schemas import GoalCategory, GoalStatus

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

# Progress entries deleted per query of the goal.deleted cascade.
PURGE_BATCH = 100


@dataclass(frozen=True)
class GoalRecord:
    """A stored goal, keys and index attributes stripped."""

    goal_id: str
    owner_id: str
    title: str
    category: GoalCategory
    status: GoalStatus
    current_value: float
    version: int
    created_at: str
    updated_at: str
    description: str | None = None
    target_value: float | None = None
    unit: str | None = None
    due_date: str | None = None
    plan: dict[str, Any] | None = None
    progress_count: int = 0


@dataclass(frozen=True)
class ProgressRecord:
    """A stored progress entry."""

    entry_id: str
    goal_id: str
    owner_id: str
    value: float
    day: str
    current_value: float
    goal_status: GoalStatus
    created_at: str
    note: str | None = None


def _goal_item(record: GoalRecord) -> dict[str, Any]:
    owner, status, category = record.owner_id, record.status, record.category
    item: dict[str, Any] = {
        "goalId": record.goal_id,
        "ownerId": owner,
        "ownerStatus": f"{owner}#{status}",
        "ownerCategory": f"{owner}#{category}",
        "ownerStatusCategory": f"{owner}#{status}#{category}",
        "title": record.title,
        "category": category,
        "status": status,
        "currentValue": record.current_value,
        "progressCount": record.progress_count,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
        "description": record.description,
        "targetValue": record.target_value,
        "unit": record.unit,
        "dueDate": record.due_date,
        "plan": record.plan,
    }
    return {key: value for key, value in item.items() if value is not None}


def _to_goal(item: dict[str, Any]) -> GoalRecord:
    return GoalRecord(
        goal_id=item["goalId"],
        owner_id=item["ownerId"],
        title=item["title"],
        category=item["category"],
        status=item["status"],
        current_value=item.get("currentValue", 0),
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        description=item.get("description"),
        target_value=item.get("targetValue"),
        unit=item.get("unit"),
        due_date=item.get("dueDate"),
        plan=item.get("plan"),
        progress_count=int(item.get("progressCount", 0)),
    )


def _progress_item(entry: ProgressRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "goalId": entry.goal_id,
        "entryKey": f"{entry.created_at}#{entry.entry_id}",
        "entryId": entry.entry_id,
        "ownerId": entry.owner_id,
        "value": entry.value,
        "day": entry.day,
        "currentValue": entry.current_value,
        "goalStatus": entry.goal_status,
        "createdAt": entry.created_at,
        "note": entry.note,
    }
    return {key: value for key, value in item.items() if value is not None}


def _to_progress(item: dict[str, Any]) -> ProgressRecord:
    return ProgressRecord(
        entry_id=item["entryId"],
        goal_id=item["goalId"],
        owner_id=item["ownerId"],
        value=item["value"],
        day=item["day"],
        current_value=item["currentValue"],
        goal_status=item["goalStatus"],
        created_at=item["createdAt"],
        note=item.get("note"),
    )


_goals = DynamoStore(GOALS, to_item=_goal_item, from_item=_to_goal, not_found=GoalNotFound)
_progress = DynamoStore(
    GOAL_PROGRESS, to_item=_progress_item, from_item=_to_progress, not_found=GoalNotFound
)


def _key(goal_id: str) -> dict[str, str]:
    return {"goalId": goal_id}


def create(record: GoalRecord, messages: list[OutboxMessage]) -> None:
    """Store a new goal together with its outbox messages."""
    _goals.put_new(record, messages=messages)


def get(goal_id: str, *, owner_id: str, consistent: bool = False) -> GoalRecord | None:
    """Return the owner's goal, or None."""
    return _goals.get(_key(goal_id), owner=owner_id, consistent=consistent)


def update(current: GoalRecord, new: GoalRecord, messages: list[OutboxMessage]) -> None:
    """Store the new state of a goal if it is still the owner's at the current version."""
    _goals.replace(new, expected_version=current.version, owner=current.owner_id, messages=messages)


def delete(current: GoalRecord, messages: list[OutboxMessage]) -> None:
    """Delete a goal if it is still the owner's at the current version."""
    _goals.delete(
        _key(current.goal_id),
        owner=current.owner_id,
        expected_version=current.version,
        messages=messages,
    )


def _completed(record: GoalRecord) -> dict[str, Any]:
    """Return the attributes that completing a goal sets: its status and the indexes holding it."""
    item = _goal_item(replace(record, status="completed"))
    return {name: item[name] for name in ("status", "ownerStatus", "ownerStatusCategory")}


def _as_read(record: GoalRecord) -> ConditionBase:
    """Return the condition: the owner's goal, with the status, category and target as read."""
    from boto3.dynamodb.conditions import Attr

    condition = (
        Attr("ownerId").eq(record.owner_id)
        & Attr("status").eq(record.status)
        & Attr("category").eq(record.category)
    )
    if record.target_value is None:
        return condition & Attr("targetValue").not_exists()
    return condition & Attr("targetValue").eq(record.target_value)


def add_progress(
    current: GoalRecord, entry: ProgressRecord, messages: list[OutboxMessage], *, completes: bool
) -> None:
    """Store a progress entry and add its value to the goal's, in one transaction.

    The value and count are added, not overwritten, so concurrent entries all land. An entry that
    completes the goal also sets its status, on condition that status, category and target are
    still as read (the value only grows, so the target stays reached). VersionConflict otherwise,
    or if the goal was archived meanwhile.
    """
    from boto3.dynamodb.conditions import Attr

    changes = Changes(
        set=_completed(current) if completes else {},
        add={"currentValue": entry.value, "progressCount": 1},
    )
    if completes:
        condition = _as_read(current)
    else:
        condition = Attr("ownerId").eq(current.owner_id) & Attr("status").ne("archived")
    key = _key(current.goal_id)
    _goals.transact(
        [_goals.update_op(key, changes, condition=condition), _progress.put_new_op(entry)],
        messages,
        guard=(key, current.owner_id),
    )


def complete(current: GoalRecord, messages: list[OutboxMessage]) -> bool:
    """Mark a goal completed if it is unchanged in status, category and target since it was read.

    Returns False, writing nothing, if it changed (e.g. another request completed it first).
    """
    update = _goals.update_op(
        _key(current.goal_id), Changes(set=_completed(current)), condition=_as_read(current)
    )
    try:
        # Without a guard a failed condition is a Conflict: no need to read why.
        _goals.transact([update], messages)
    except Conflict:
        return False
    return True


def list_goals(
    *,
    owner_id: str,
    status: GoalStatus | None,
    category: GoalCategory | None,
    limit: int,
    start_key: dict[str, Any] | None,
) -> Page[GoalRecord]:
    """Query one page of the owner's goals, newest first, through the index for the filters."""
    if status and category:
        index, value = "byOwnerStatusCategory", f"{owner_id}#{status}#{category}"
    elif status:
        index, value = "byOwnerStatus", f"{owner_id}#{status}"
    elif category:
        index, value = "byOwnerCategory", f"{owner_id}#{category}"
    else:
        index, value = "byOwner", owner_id
    return _goals.query(value, index=index, limit=limit, start_key=start_key)


def list_progress(
    *, goal_id: str, owner_id: str, limit: int, start_key: dict[str, Any] | None
) -> Page[ProgressRecord]:
    """Query one page of a goal's progress entries, newest first."""
    return _progress.query(goal_id, limit=limit, start_key=start_key, owner=owner_id)


def delete_progress(goal_id: str) -> int:
    """Delete every progress entry of a goal and return how many there were."""
    deleted, more = 0, True
    while more:
        count, more = _progress.delete_partition(goal_id, max_items=PURGE_BATCH)
        deleted += count
    return deleted
