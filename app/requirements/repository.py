"""DynamoDB access for requirements; stored items never leave this module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.core import aws, dynamo
from app.core.errors import NotFound
from app.requirements.domain import REQUIREMENTS
from app.requirements.exceptions import RequirementNotFound
from app.requirements.schemas import RequirementRead, RequirementType

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

PROJECT_KEY = REQUIREMENTS.hash_key
ITEM_KEY = REQUIREMENTS.range_key or "requirementId"
BY_TYPE = REQUIREMENTS.indexes[0]
TYPE_KEY = BY_TYPE.range_key or "typeKey"
_ATTRIBUTES = ("type", "title", "description", "priority", "status")
# How many keys one Query of the cascade delete reads; BatchWriteItem takes 25 at a time.
DELETE_PAGE_SIZE = 100


def _table() -> Table:
    return aws.table(REQUIREMENTS.name)


def type_key(requirement_type: str, created_at: str, requirement_id: str) -> str:
    """Return the index sort key: type first, so ?type= is a begins_with Query, then time."""
    return f"{requirement_type}#{created_at}#{requirement_id}"


def _key(project_id: str, requirement_id: str) -> dict[str, str]:
    return {PROJECT_KEY: project_id, ITEM_KEY: requirement_id}


def _to_item(record: RequirementRead, *, owner_id: str) -> dict[str, Any]:
    return {
        PROJECT_KEY: record.project_id,
        ITEM_KEY: record.requirement_id,
        "ownerId": owner_id,
        TYPE_KEY: type_key(record.type, record.created_at, record.requirement_id),
        "type": record.type,
        "title": record.title,
        "description": record.description,
        "priority": record.priority,
        "status": record.status,
        "source": record.source,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
    }


def _from_item(item: Mapping[str, Any]) -> RequirementRead:
    return RequirementRead(
        requirement_id=item[ITEM_KEY],
        project_id=item[PROJECT_KEY],
        type=item["type"],
        title=item["title"],
        description=item.get("description", ""),
        priority=item["priority"],
        status=item["status"],
        source=item["source"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
    )


def create(record: RequirementRead, *, owner_id: str) -> None:
    """Store a new requirement; its key must be unused."""
    dynamo.put_new(_table(), _to_item(record, owner_id=owner_id), key_attribute=ITEM_KEY)


def create_many(records: list[RequirementRead], *, owner_id: str) -> None:
    """Store new requirements with batched writes (their ids are fresh, so none is overwritten)."""
    with _table().batch_writer() as batch:
        for record in records:
            batch.put_item(Item=_to_item(record, owner_id=owner_id))


def get(project_id: str, requirement_id: str, *, owner_id: str) -> RequirementRead | None:
    """Return the owner's requirement, read consistently, or None."""
    item = dynamo.get_owned(
        _table(), _key(project_id, requirement_id), owner=owner_id, consistent_read=True
    )
    return None if item is None else _from_item(item)


def update(
    record_key: tuple[str, str],
    *,
    owner_id: str,
    expected_version: int,
    changes: Mapping[str, Any],
    created_at: str | None = None,
) -> RequirementRead:
    """Apply changes if the requirement is the owner's and at the version.

    A change of type needs created_at, because the index sort key starts with the type.
    """
    project_id, requirement_id = record_key
    sets = {name: changes[name] for name in _ATTRIBUTES if name in changes}
    if "type" in sets:
        if created_at is None:
            raise ValueError("changing the type needs the requirement's createdAt")
        sets[TYPE_KEY] = type_key(sets["type"], created_at, requirement_id)
    try:
        item = dynamo.versioned_update(
            _table(),
            _key(project_id, requirement_id),
            owner=owner_id,
            expected_version=expected_version,
            changes=sets,
        )
    except NotFound as exc:
        raise RequirementNotFound() from exc
    return _from_item(item)


def delete(project_id: str, requirement_id: str, *, owner_id: str) -> None:
    """Delete the requirement if it is the owner's; raise RequirementNotFound otherwise."""
    try:
        dynamo.delete_owned(_table(), _key(project_id, requirement_id), owner=owner_id)
    except NotFound as exc:
        raise RequirementNotFound() from exc


def list_page(
    *,
    project_id: str,
    owner_id: str,
    requirement_type: RequirementType | None,
    limit: int,
    start_key: dict[str, Any] | None,
) -> tuple[list[RequirementRead], dict[str, Any] | None]:
    """Query one page of a project's requirements, newest first, optionally of one type."""
    from boto3.dynamodb.conditions import Attr

    page = dynamo.query_page(
        _table(),
        hash_key=PROJECT_KEY,
        hash_value=project_id,
        index=None if requirement_type is None else BY_TYPE.name,
        limit=limit,
        start_key=start_key,
        newest_first=True,
        range_prefix=None if requirement_type is None else (TYPE_KEY, f"{requirement_type}#"),
        filter_condition=Attr("ownerId").eq(owner_id),
    )
    return [_from_item(item) for item in page.items], page.last_key


def delete_for_project(
    project_id: str, *, owner_id: str, start_key: dict[str, Any] | None, max_pages: int
) -> dict[str, Any] | None:
    """Delete up to max_pages pages of the owner's requirements in a project.

    Returns the key to continue from, or None once every page has been read.
    """
    from boto3.dynamodb.conditions import Attr, Key

    table = _table()
    with table.batch_writer() as batch:
        for _ in range(max_pages):
            kwargs: dict[str, Any] = {
                "KeyConditionExpression": Key(PROJECT_KEY).eq(project_id),
                "FilterExpression": Attr("ownerId").eq(owner_id),
                "ProjectionExpression": "#project, #item",
                "ExpressionAttributeNames": {"#project": PROJECT_KEY, "#item": ITEM_KEY},
                "Limit": DELETE_PAGE_SIZE,
                "ConsistentRead": True,
            }
            if start_key:
                kwargs["ExclusiveStartKey"] = start_key
            response = table.query(**kwargs)
            for item in response.get("Items", []):
                batch.delete_item(Key=_key(str(item[PROJECT_KEY]), str(item[ITEM_KEY])))
            start_key = response.get("LastEvaluatedKey")
            if not start_key:
                return None
    return start_key
