"""DynamoDB access for requirements; stored items never leave this module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.expressions import Changes
from app.core.records import Page
from app.core.store import DynamoStore
from app.requirements.domain import REQUIREMENTS
from app.requirements.exceptions import RequirementNotFound
from app.requirements.schemas import Priority, RequirementStatus, RequirementType, Source

BY_TYPE = REQUIREMENTS.indexes[0]
TYPE_KEY = BY_TYPE.range_key or "typeKey"
# How many keys one Query of the cascade delete reads; BatchWriteItem takes 25 at a time.
DELETE_PAGE_SIZE = 100


def type_key(requirement_type: str, created_at: str, requirement_id: str) -> str:
    """Return the index sort key: type first, so ?type= is a begins_with Query, then time."""
    return f"{requirement_type}#{created_at}#{requirement_id}"


@dataclass(frozen=True)
class RequirementRecord:
    """A stored requirement of a project."""

    project_id: str
    requirement_id: str
    owner_id: str
    type: RequirementType
    title: str
    description: str
    priority: Priority
    status: RequirementStatus
    source: Source
    version: int
    created_at: str
    updated_at: str

    @property
    def type_key(self) -> str:
        """The byProjectType index sort key."""
        return type_key(self.type, self.created_at, self.requirement_id)


def _to_item(record: RequirementRecord) -> dict[str, Any]:
    return {
        "projectId": record.project_id,
        "requirementId": record.requirement_id,
        "ownerId": record.owner_id,
        TYPE_KEY: record.type_key,
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


def _from_item(item: dict[str, Any]) -> RequirementRecord:
    return RequirementRecord(
        project_id=item["projectId"],
        requirement_id=item["requirementId"],
        owner_id=item["ownerId"],
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


_store = DynamoStore(
    REQUIREMENTS, to_item=_to_item, from_item=_from_item, not_found=RequirementNotFound
)


def _key(project_id: str, requirement_id: str) -> dict[str, str]:
    return {"projectId": project_id, "requirementId": requirement_id}


def create(record: RequirementRecord) -> None:
    """Store a new requirement; its key must be unused."""
    _store.put_new(record)


def create_many(records: list[RequirementRecord]) -> None:
    """Store new requirements with batched writes (their ids are fresh, so none is overwritten)."""
    _store.put_many(records)


def get(project_id: str, requirement_id: str, *, owner_id: str) -> RequirementRecord | None:
    """Return the owner's requirement, read consistently, or None."""
    return _store.get(_key(project_id, requirement_id), owner=owner_id, consistent=True)


def update(
    key: tuple[str, str],
    *,
    owner_id: str,
    expected_version: int,
    changes: dict[str, Any],
    created_at: str | None = None,
) -> RequirementRecord:
    """Apply changes if the requirement is the owner's and at the version.

    A change of type needs created_at, because the index sort key starts with the type.
    """
    project_id, requirement_id = key
    sets = dict(changes)
    if "type" in sets:
        if created_at is None:
            raise ValueError("changing the type needs the requirement's createdAt")
        sets[TYPE_KEY] = type_key(sets["type"], created_at, requirement_id)
    return _store.update(
        _key(project_id, requirement_id),
        Changes(set=sets),
        owner=owner_id,
        expected_version=expected_version,
    )


def delete(project_id: str, requirement_id: str, *, owner_id: str) -> None:
    """Delete the requirement if it is the owner's; raise RequirementNotFound otherwise."""
    _store.delete(_key(project_id, requirement_id), owner=owner_id)


def list_page(
    *,
    project_id: str,
    owner_id: str,
    requirement_type: RequirementType | None,
    limit: int,
    start_key: dict[str, Any] | None,
) -> Page[RequirementRecord]:
    """Query one page of a project's requirements, newest first, optionally of one type."""
    return _store.query(
        project_id,
        index=None if requirement_type is None else BY_TYPE.name,
        limit=limit,
        start_key=start_key,
        newest_first=True,
        range_prefix=None if requirement_type is None else f"{requirement_type}#",
        owner=owner_id,
    )


def delete_for_project(
    project_id: str, *, owner_id: str, start_key: dict[str, Any] | None, max_pages: int
) -> dict[str, Any] | None:
    """Delete up to max_pages pages of the owner's requirements in a project.

    Returns the key to continue from, or None once every page has been read.
    """
    for _ in range(max_pages):
        page = _store.delete_page(
            project_id,
            limit=DELETE_PAGE_SIZE,
            start_key=start_key,
            owner=owner_id,
            consistent=True,
        )
        start_key = page.last_key
        if not start_key:
            return None
    return start_key
