"""DynamoDB access for templates, built-in usage counters and counted-project markers."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.errors import Conflict
from app.core.expressions import Changes
from app.core.records import Page
from app.core.store import DynamoStore
from app.templates.domain import TEMPLATES
from app.templates.exceptions import TemplateNotFound, TemplateTooLarge
from app.templates.schemas import discipline_key

BY_OWNER = "byOwner"
# The byOwner partition of the built-ins' usage counters; no Cognito sub looks like this.
BUILTIN_OWNER = "#builtin"
COUNTED_PREFIX = "#counted#"
# Longer than the queue and its DLQ keep a message, so any redelivery still finds its marker.
MARKER_TTL_SECONDS = 30 * 24 * 3600
_TTL = TEMPLATES.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class SprintRecord:
    """A stored sprint of a template phase."""

    name: str
    goal: str | None = None


@dataclass(frozen=True)
class PhaseRecord:
    """A stored template phase."""

    name: str
    description: str | None = None
    sprints: tuple[SprintRecord, ...] = ()


@dataclass(frozen=True)
class RoleRecord:
    """A stored template role."""

    role: str
    discipline: str | None = None
    responsibilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateRecord:
    """A template: a caller's stored one, or a built-in (owner BUILTIN_OWNER, never stored)."""

    template_id: str
    owner_id: str
    name: str
    version: int
    created_at: str
    updated_at: str
    description: str | None = None
    disciplines: tuple[str, ...] = ()
    phases: tuple[PhaseRecord, ...] = ()
    roles: tuple[RoleRecord, ...] = ()
    usage: int = 0


@dataclass(frozen=True)
class UsageCounter:
    """How many projects were created from one built-in template."""

    template_id: str
    created_at: str
    usage: int


@dataclass(frozen=True)
class CountedMarker:
    """Proof that a project's use of a template was counted; expires after MARKER_TTL_SECONDS."""

    project_id: str
    template_id: str
    expires_at: int


TemplateItem = TemplateRecord | UsageCounter | CountedMarker


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _phase_item(phase: PhaseRecord) -> dict[str, Any]:
    sprints = [_without_none({"name": s.name, "goal": s.goal}) for s in phase.sprints]
    return _without_none({"name": phase.name, "description": phase.description, "sprints": sprints})


def _role_item(role: RoleRecord) -> dict[str, Any]:
    return _without_none(
        {
            "role": role.role,
            "discipline": role.discipline,
            "responsibilities": list(role.responsibilities),
        }
    )


def _field_items(field: str, value: Any) -> dict[str, Any]:
    """Return the stored attributes of one template field (disciplines carry their keys)."""
    if field == "phases":
        return {"phases": [_phase_item(phase) for phase in value]}
    if field == "roles":
        return {"roles": [_role_item(role) for role in value]}
    if field == "disciplines":
        keys = sorted({discipline_key(d) for d in value})
        return {"disciplines": list(value), "disciplineKeys": keys}
    return {field: value}


def _to_item(record: TemplateItem) -> dict[str, Any]:
    if isinstance(record, CountedMarker):
        return {
            "templateId": f"{COUNTED_PREFIX}{record.project_id}",
            "countedTemplateId": record.template_id,
            _TTL: record.expires_at,
        }
    if isinstance(record, UsageCounter):
        return {
            "templateId": record.template_id,
            "ownerId": BUILTIN_OWNER,
            "createdAt": record.created_at,
            "usage": record.usage,
        }
    item = {
        "templateId": record.template_id,
        "ownerId": record.owner_id,
        "name": record.name,
        "description": record.description,
        "usage": record.usage,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
    }
    for field in ("disciplines", "phases", "roles"):
        item |= _field_items(field, getattr(record, field))
    return _without_none(item)


def _phase(item: Mapping[str, Any]) -> PhaseRecord:
    return PhaseRecord(
        name=item["name"],
        description=item.get("description"),
        sprints=tuple(SprintRecord(s["name"], s.get("goal")) for s in item.get("sprints", [])),
    )


def _role(item: Mapping[str, Any]) -> RoleRecord:
    return RoleRecord(
        role=item["role"],
        discipline=item.get("discipline"),
        responsibilities=tuple(item.get("responsibilities", [])),
    )


def _from_item(item: dict[str, Any]) -> TemplateItem:
    template_id = str(item["templateId"])
    if template_id.startswith(COUNTED_PREFIX):
        return CountedMarker(
            project_id=template_id.removeprefix(COUNTED_PREFIX),
            template_id=item["countedTemplateId"],
            expires_at=int(item[_TTL]),
        )
    if item.get("ownerId") == BUILTIN_OWNER:
        return UsageCounter(template_id, item["createdAt"], int(item.get("usage", 0)))
    return TemplateRecord(
        template_id=template_id,
        owner_id=item["ownerId"],
        name=item["name"],
        description=item.get("description"),
        disciplines=tuple(item.get("disciplines", [])),
        phases=tuple(_phase(phase) for phase in item.get("phases", [])),
        roles=tuple(_role(role) for role in item.get("roles", [])),
        usage=int(item.get("usage", 0)),
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
    )


_store: DynamoStore[TemplateItem] = DynamoStore(
    TEMPLATES,
    to_item=_to_item,
    from_item=_from_item,
    not_found=TemplateNotFound,
    too_large=TemplateTooLarge,
)


def _template(item: TemplateItem | None) -> TemplateRecord | None:
    return item if isinstance(item, TemplateRecord) else None


def add(record: TemplateRecord) -> None:
    """Store a new template; Conflict if its id is taken."""
    _store.put_new(record)


def get(template_id: str, *, owner_id: str) -> TemplateRecord | None:
    """Return the owner's template, read consistently, or None."""
    return _template(_store.get({"templateId": template_id}, owner=owner_id, consistent=True))


def builtin_usage(template_id: str) -> int:
    """Return how many projects were created from a built-in template."""
    counter = _store.get({"templateId": template_id})
    return counter.usage if isinstance(counter, UsageCounter) else 0


def builtin_usages() -> dict[str, int]:
    """Return every built-in's usage by template id, in one Query."""
    page = _store.query(BUILTIN_OWNER, index=BY_OWNER, limit=100)
    return {c.template_id: c.usage for c in page.items if isinstance(c, UsageCounter)}


def list_page(
    owner_id: str, *, limit: int, start_key: dict[str, Any] | None, discipline: str | None
) -> Page[TemplateRecord]:
    """Query one page of the owner's templates, newest first, optionally of one discipline.

    The discipline is a filter on the owner's partition: a page may come back short.
    """
    from boto3.dynamodb.conditions import Attr

    where = None if discipline is None else Attr("disciplineKeys").contains(discipline)
    page = _store.query(owner_id, index=BY_OWNER, limit=limit, start_key=start_key, where=where)
    return Page([r for r in page.items if isinstance(r, TemplateRecord)], page.last_key)


def update(
    template_id: str, *, owner_id: str, version: int, fields: Mapping[str, Any]
) -> TemplateRecord:
    """Apply field changes (None clears) if the template is the owner's and at the version."""
    sets: dict[str, Any] = {}
    for field, value in fields.items():
        if value is not None:
            sets |= _field_items(field, value)
    removals = [field for field, value in fields.items() if value is None]
    record = _store.update(
        {"templateId": template_id},
        Changes(set=sets, remove=removals),
        owner=owner_id,
        expected_version=version,
    )
    updated = _template(record)
    if updated is None:
        raise TemplateNotFound()
    return updated


def delete(template_id: str, *, owner_id: str) -> None:
    """Delete the owner's template; TemplateNotFound otherwise."""
    _store.delete({"templateId": template_id}, owner=owner_id)


def count_use(*, template_id: str, project_id: str, builtin_since: str | None) -> bool:
    """Add one to a template's usage, once per project; False if the project was counted.

    The marker and the count commit together. A built-in's counter is created on its first use
    (`builtin_since` is its byOwner sort key); a custom template must still exist.
    """
    from boto3.dynamodb.conditions import Attr

    key = {"templateId": template_id}
    if builtin_since is None:
        changes = Changes(add={"usage": 1}, bump_version=False)
        counter = _store.update_op(key, changes, condition=Attr("ownerId").exists())
    else:
        placed = {"ownerId": BUILTIN_OWNER, "createdAt": builtin_since}
        counter = _store.update_op(key, Changes(set=placed, add={"usage": 1}, bump_version=False))
    marker = CountedMarker(project_id, template_id, int(time.time()) + MARKER_TTL_SECONDS)
    try:
        # The marker goes first: only its failed condition is reported as Conflict.
        _store.transact([_store.put_new_op(marker), counter])
    except Conflict:
        return False
    return True
