"""DynamoDB access for goals and progress entries; stored items never leave this module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.core import aws, dynamo, transactions
from app.core.errors import VersionConflict
from app.core.outbox import OutboxMessage
from app.goals.domain import GOAL_PROGRESS, GOALS
from app.goals.exceptions import GoalNotFound
from app.goals.schemas import GoalCategory, GoalStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

CONDITION_FAILED = "ConditionalCheckFailed"


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


@dataclass(frozen=True)
class Page:
    """Records of one page and the DynamoDB key to continue from."""

    records: list[Any]
    last_key: dict[str, Any] | None


def _goals() -> Table:
    return aws.table(GOALS.name)


def _progress() -> Table:
    return aws.table(GOAL_PROGRESS.name)


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


def _put_goal(record: GoalRecord, *, expected_version: int | None) -> dict[str, Any]:
    put: dict[str, Any] = {
        "TableName": transactions.table_name(GOALS.name),
        "Item": transactions.serialize(_goal_item(record)),
    }
    if expected_version is None:
        put["ConditionExpression"] = "attribute_not_exists(goalId)"
    else:
        put["ConditionExpression"] = "ownerId = :owner AND version = :version"
        put["ExpressionAttributeValues"] = transactions.serialize(
            {":owner": record.owner_id, ":version": expected_version}
        )
    return {"Put": put}


def _commit(
    operations: list[dict[str, Any]], messages: list[OutboxMessage], *, current: GoalRecord | None
) -> None:
    """Run the transaction; the goal's operation comes first, and its failure becomes 404/409."""
    try:
        transactions.transact(operations, messages)
    except ClientError as exc:
        codes = transactions.cancellation_codes(exc)
        if current is None or not codes or codes[0] != CONDITION_FAILED:
            raise
        latest = get(current.goal_id, owner_id=current.owner_id, consistent=True)
        if latest is None:
            raise GoalNotFound() from exc
        raise VersionConflict(details=[{"currentVersion": latest.version}]) from exc


def create(record: GoalRecord, messages: list[OutboxMessage]) -> None:
    """Store a new goal together with its outbox messages."""
    _commit([_put_goal(record, expected_version=None)], messages, current=None)


def get(goal_id: str, *, owner_id: str, consistent: bool = False) -> GoalRecord | None:
    """Return the owner's goal, or None."""
    item = dynamo.get_owned(
        _goals(), {"goalId": goal_id}, owner=owner_id, consistent_read=consistent
    )
    return None if item is None else _to_goal(item)


def update(current: GoalRecord, new: GoalRecord, messages: list[OutboxMessage]) -> None:
    """Store the new state of a goal if it is still the owner's at the current version."""
    _commit([_put_goal(new, expected_version=current.version)], messages, current=current)


def delete(current: GoalRecord, messages: list[OutboxMessage]) -> None:
    """Delete a goal if it is still the owner's at the current version."""
    operation = {
        "Delete": {
            "TableName": transactions.table_name(GOALS.name),
            "Key": transactions.serialize({"goalId": current.goal_id}),
            "ConditionExpression": "ownerId = :owner AND version = :version",
            "ExpressionAttributeValues": transactions.serialize(
                {":owner": current.owner_id, ":version": current.version}
            ),
        }
    }
    _commit([operation], messages, current=current)


def add_progress(
    current: GoalRecord, new: GoalRecord, entry: ProgressRecord, messages: list[OutboxMessage]
) -> None:
    """Store a progress entry and the goal's new value in one transaction."""
    item = {
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
    put_entry = {
        "Put": {
            "TableName": transactions.table_name(GOAL_PROGRESS.name),
            "Item": transactions.serialize({k: v for k, v in item.items() if v is not None}),
            "ConditionExpression": "attribute_not_exists(entryKey)",
        }
    }
    _commit(
        [_put_goal(new, expected_version=current.version), put_entry], messages, current=current
    )


def list_goals(
    *,
    owner_id: str,
    status: GoalStatus | None,
    category: GoalCategory | None,
    limit: int,
    start_key: dict[str, Any] | None,
) -> Page:
    """Query one page of the owner's goals, newest first, through the index for the filters."""
    if status and category:
        index, attribute, value = (
            "byOwnerStatusCategory",
            "ownerStatusCategory",
            f"{status}#{category}",
        )
    elif status:
        index, attribute, value = "byOwnerStatus", "ownerStatus", status
    elif category:
        index, attribute, value = "byOwnerCategory", "ownerCategory", category
    else:
        index, attribute, value = "byOwner", "ownerId", ""
    page = dynamo.query_page(
        _goals(),
        index=index,
        hash_key=attribute,
        hash_value=f"{owner_id}#{value}" if value else owner_id,
        limit=limit,
        start_key=start_key,
    )
    return Page(records=[_to_goal(item) for item in page.items], last_key=page.last_key)


def list_progress(
    *, goal_id: str, owner_id: str, limit: int, start_key: dict[str, Any] | None
) -> Page:
    """Query one page of a goal's progress entries, newest first."""
    from boto3.dynamodb.conditions import Attr

    page = dynamo.query_page(
        _progress(),
        hash_key="goalId",
        hash_value=goal_id,
        limit=limit,
        start_key=start_key,
        filter_condition=Attr("ownerId").eq(owner_id),
    )
    return Page(records=[_to_progress(item) for item in page.items], last_key=page.last_key)


def delete_progress(goal_id: str) -> int:
    """Delete every progress entry of a goal and return how many there were."""
    from boto3.dynamodb.conditions import Key

    table = _progress()
    deleted = 0
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": Key("goalId").eq(goal_id),
        "ProjectionExpression": "goalId, entryKey",
    }
    while True:
        response = table.query(**kwargs)
        with table.batch_writer() as batch:
            for item in response.get("Items", []):
                batch.delete_item(Key={"goalId": item["goalId"], "entryKey": item["entryKey"]})
                deleted += 1
        if "LastEvaluatedKey" not in response:
            return deleted
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
