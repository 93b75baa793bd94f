"""Requirement use cases; every one first proves the caller owns the project."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any, Final

from pydantic import ValidationError

from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate, require_version
from app.core.versioning import expected_version
from app.projects import service as projects_service
from app.requirements import repository
from app.requirements.exceptions import InvalidGeneratedRequirements, RequirementNotFound
from app.requirements.repository import RequirementRecord
from app.requirements.schemas import (
    RequirementCreate,
    RequirementRead,
    RequirementType,
    RequirementUpdate,
    Source,
)

MAX_GENERATED: Final = 100
_GENERATED_FIELDS: Final = ("type", "title", "description", "priority")
_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_id_lock = threading.Lock()
_last_id_value = 0


def new_requirement_id() -> str:
    """Return a ULID: 26 characters that sort by creation time, so a Query lists newest first."""
    global _last_id_value
    with _id_lock:
        value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
        # Within one millisecond, keep ids increasing so creation order is never shuffled.
        value = max(value, _last_id_value + 1)
        _last_id_value = value
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def to_read(record: RequirementRecord) -> RequirementRead:
    """Convert a stored requirement to the API model."""
    return RequirementRead(
        requirement_id=record.requirement_id,
        project_id=record.project_id,
        type=record.type,
        title=record.title,
        description=record.description,
        priority=record.priority,
        status=record.status,
        source=record.source,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _new_record(
    owner_id: str, project_id: str, body: RequirementCreate, source: Source
) -> RequirementRecord:
    now = isoformat(utc_now())
    return RequirementRecord(
        project_id=project_id,
        requirement_id=new_requirement_id(),
        owner_id=owner_id,
        type=body.type,
        title=body.title,
        description=body.description,
        priority=body.priority,
        status="draft",
        source=source,
        version=1,
        created_at=now,
        updated_at=now,
    )


def create_requirement(
    *, owner_id: str, project_id: str, body: RequirementCreate, idempotency_key: str | None = None
) -> RequirementRead:
    """Create a manual requirement; a replayed Idempotency-Key returns the first one."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)

    def create() -> RequirementRead:
        record = _new_record(owner_id, project_id, body, "manual")
        repository.create(record)
        return to_read(record)

    return idempotent_create(
        scope=f"requirements:{project_id}",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=RequirementRead,
    )


def create_generated_requirements(
    *, owner_id: str, project_id: str, items: list[dict[str, Any]]
) -> list[RequirementRead]:
    """Store generated requirements (type, title, description, priority) with source `ai`."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    if len(items) > MAX_GENERATED:
        raise InvalidGeneratedRequirements(details=[{"maxItems": MAX_GENERATED}])
    bodies = []
    for index, item in enumerate(items):
        fields = {name: item[name] for name in _GENERATED_FIELDS if item.get(name) is not None}
        for name in ("type", "priority"):
            if isinstance(fields.get(name), str):
                fields[name] = fields[name].strip().lower()
        try:
            bodies.append(RequirementCreate.model_validate(fields))
        except ValidationError as exc:
            raise InvalidGeneratedRequirements(details=[{"index": index}]) from exc
    records = [_new_record(owner_id, project_id, body, "ai") for body in bodies]
    repository.create_many(records)
    return [to_read(record) for record in records]


def get_requirement(*, owner_id: str, project_id: str, requirement_id: str) -> RequirementRead:
    """Return one requirement of one of the owner's projects."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    return to_read(_get(owner_id, project_id, requirement_id))


def _get(owner_id: str, project_id: str, requirement_id: str) -> RequirementRecord:
    record = repository.get(project_id, requirement_id, owner_id=owner_id)
    if record is None:
        raise RequirementNotFound()
    return record


def list_requirements(
    *,
    owner_id: str,
    project_id: str,
    requirement_type: RequirementType | None,
    limit: int,
    cursor: str | None,
) -> Page[RequirementRead]:
    """Return a page of a project's requirements, newest first, optionally of one type."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    return paginate(
        owner=owner_id,
        scope=f"requirements:{project_id}:{requirement_type or '*'}",
        cursor=cursor,
        fetch=lambda start_key: repository.list_page(
            project_id=project_id,
            owner_id=owner_id,
            requirement_type=requirement_type,
            limit=limit,
            start_key=start_key,
        ),
        convert=to_read,
    )


def update_requirement(
    *,
    owner_id: str,
    project_id: str,
    requirement_id: str,
    body: RequirementUpdate,
    if_match: str | None = None,
) -> RequirementRead:
    """Apply a PATCH at the expected version; a stale version is a 409 and writes nothing."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    version = expected_version(body_version=body.version, if_match=if_match)
    changes = body.changes()
    created_at = None
    if "type" in changes:
        # The index sort key embeds createdAt; read it at exactly the version being updated.
        current = _get(owner_id, project_id, requirement_id)
        require_version(current.version, version)
        created_at = current.created_at
    record = repository.update(
        (project_id, requirement_id),
        owner_id=owner_id,
        expected_version=version,
        changes=changes,
        created_at=created_at,
    )
    return to_read(record)


def delete_requirement(*, owner_id: str, project_id: str, requirement_id: str) -> None:
    """Delete one requirement of one of the owner's projects."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    repository.delete(project_id, requirement_id, owner_id=owner_id)


def delete_project_requirements(
    *, owner_id: str, project_id: str, start_key: dict[str, Any] | None, max_pages: int
) -> dict[str, Any] | None:
    """Delete a deleted project's requirements, a bounded number of pages at a time.

    Returns the key to continue from, or None when all are gone.
    """
    return repository.delete_for_project(
        project_id, owner_id=owner_id, start_key=start_key, max_pages=max_pages
    )
