"""Template use cases: built-ins beside the caller's own, CRUD, and usage counted once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Final

from app.core import outbox
from app.core.errors import BadRequest, Conflict
from app.core.outbox import OutboxMessage
from app.core.records import Page as RecordPage
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate
from app.core.versioning import expected_version
from app.templates import builtins, repository
from app.templates.exceptions import BuiltInTemplateReadOnly, TemplateNotFound
from app.templates.repository import (
    BUILTIN_OWNER,
    PhaseRecord,
    RoleRecord,
    SprintRecord,
    TemplateRecord,
)
from app.templates.schemas import (
    BuiltInTemplate,
    TemplateCreate,
    TemplatePhaseRead,
    TemplatePhaseSpec,
    TemplateRead,
    TemplateRoleRead,
    TemplateRoleSpec,
    TemplateScope,
    TemplateSprintRead,
    TemplateUpdate,
    discipline_key,
)

# Handled by this domain's jobs: one project was created from a template.
TEMPLATE_USED: Final = "template.used"
# Cursor positions of an `all` or `builtin` list that are not DynamoDB keys.
_BUILTIN_OFFSET: Final = "builtinOffset"
_MINE_FROM_START: Final = "mineFromStart"


def _phases(specs: Sequence[TemplatePhaseSpec]) -> tuple[PhaseRecord, ...]:
    return tuple(
        PhaseRecord(
            name=spec.name,
            description=spec.description,
            sprints=tuple(SprintRecord(s.name, s.goal) for s in spec.sprints),
        )
        for spec in specs
    )


def _roles(specs: Sequence[TemplateRoleSpec]) -> tuple[RoleRecord, ...]:
    return tuple(RoleRecord(s.role, s.discipline, tuple(s.responsibilities)) for s in specs)


def new_record(
    spec: TemplateCreate, *, template_id: str, owner_id: str, created_at: str
) -> TemplateRecord:
    """Build a template record at version 1 from a create body (or a built-in's file)."""
    return TemplateRecord(
        template_id=template_id,
        owner_id=owner_id,
        name=spec.name,
        description=spec.description,
        disciplines=tuple(spec.disciplines),
        phases=_phases(spec.phases),
        roles=_roles(spec.roles),
        version=1,
        created_at=created_at,
        updated_at=created_at,
    )


def _shipped(spec: BuiltInTemplate, usage: int) -> TemplateRecord:
    """Return a built-in as a record, with its usage."""
    record = new_record(
        spec, template_id=spec.template_id, owner_id=BUILTIN_OWNER, created_at=spec.created_at
    )
    return replace(record, usage=usage)


def _builtin(template_id: str) -> TemplateRecord | None:
    spec = builtins.find(template_id)
    return None if spec is None else _shipped(spec, repository.builtin_usage(template_id))


def to_read(record: TemplateRecord) -> TemplateRead:
    """Convert a template record to its API model."""
    return TemplateRead(
        template_id=record.template_id,
        name=record.name,
        description=record.description,
        disciplines=list(record.disciplines),
        phases=[
            TemplatePhaseRead(
                name=phase.name,
                description=phase.description,
                sprints=[TemplateSprintRead(name=s.name, goal=s.goal) for s in phase.sprints],
            )
            for phase in record.phases
        ],
        roles=[
            TemplateRoleRead(
                role=role.role,
                discipline=role.discipline,
                responsibilities=list(role.responsibilities),
            )
            for role in record.roles
        ],
        built_in=record.owner_id == BUILTIN_OWNER,
        usage=record.usage,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def create_template(
    *, owner_id: str, body: TemplateCreate, idempotency_key: str | None = None
) -> TemplateRead:
    """Create a template for the owner; a replayed Idempotency-Key returns the first one."""

    def create() -> TemplateRead:
        record = new_record(
            body,
            template_id=str(uuid.uuid4()),
            owner_id=owner_id,
            created_at=isoformat(utc_now()),
        )
        repository.add(record)
        return to_read(record)

    return idempotent_create(
        scope="templates",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=TemplateRead,
    )


def add_template(record: TemplateRecord) -> bool:
    """Store a template built elsewhere in this domain (a draft); False if its id is taken."""
    try:
        repository.add(record)
    except Conflict:
        return False
    return True


def get_template(*, owner_id: str, template_id: str) -> TemplateRead:
    """Return a built-in or one of the owner's templates; TemplateNotFound otherwise."""
    record = _builtin(template_id) or repository.get(template_id, owner_id=owner_id)
    if record is None:
        raise TemplateNotFound()
    return to_read(record)


def _page(
    owner_id: str,
    scope: TemplateScope,
    discipline: str | None,
    limit: int,
    start: dict[str, Any] | None,
) -> RecordPage[TemplateRecord]:
    """Built-ins first (in their shipped order), then the caller's own newest first."""
    records: list[TemplateRecord] = []
    mine_start = None if start is None or _MINE_FROM_START in start else start
    if scope != "mine" and (start is None or _BUILTIN_OFFSET in start):
        offset, matching = _offset(start), builtins.matching(discipline)
        shipped = matching[offset : offset + limit]
        if shipped:
            usage = repository.builtin_usages()
            records = [_shipped(spec, usage.get(spec.template_id, 0)) for spec in shipped]
        if offset + limit < len(matching):
            return RecordPage(records, {_BUILTIN_OFFSET: str(offset + limit)})
        if scope == "builtin":
            return RecordPage(records, None)
        if len(records) == limit:
            return RecordPage(records, {_MINE_FROM_START: "yes"})
        mine_start = None
    page = repository.list_page(
        owner_id, limit=limit - len(records), start_key=mine_start, discipline=discipline
    )
    return RecordPage(records + page.items, page.last_key)


def _offset(start: dict[str, Any] | None) -> int:
    raw = (start or {}).get(_BUILTIN_OFFSET, "0")
    if not str(raw).isdigit():
        raise BadRequest("Invalid cursor.")
    return int(raw)


def list_templates(
    *,
    owner_id: str,
    scope: TemplateScope,
    discipline: str | None,
    limit: int,
    cursor: str | None,
) -> Page[TemplateRead]:
    """Return a page of templates: built-ins, the owner's, or both (built-ins first)."""
    key = None if discipline is None else discipline_key(discipline)
    return paginate(
        owner=owner_id,
        scope=f"templates:{scope}:{key or '*'}",
        cursor=cursor,
        fetch=lambda start: _page(owner_id, scope, key, limit, start),
        convert=to_read,
    )


def _refuse_builtin(template_id: str) -> None:
    if builtins.find(template_id) is not None:
        raise BuiltInTemplateReadOnly()


def update_template(
    *, owner_id: str, template_id: str, body: TemplateUpdate, if_match: str | None = None
) -> TemplateRead:
    """Apply a PATCH at the expected version; built-ins are 403, stale versions 409."""
    _refuse_builtin(template_id)
    version = expected_version(body_version=body.version, if_match=if_match)
    fields = body.changes()
    if "phases" in fields:
        fields["phases"] = _phases(body.phases or [])
    if "roles" in fields:
        fields["roles"] = _roles(body.roles or [])
    if "disciplines" in fields:
        fields["disciplines"] = tuple(body.disciplines or [])
    record = repository.update(template_id, owner_id=owner_id, version=version, fields=fields)
    return to_read(record)


def delete_template(*, owner_id: str, template_id: str) -> None:
    """Delete one of the owner's templates; built-ins are 403. Projects made from it stay."""
    _refuse_builtin(template_id)
    repository.delete(template_id, owner_id=owner_id)


def usage_message(*, template_id: str, owner_id: str, project_id: str) -> OutboxMessage:
    """Return the message that counts one project made from a template, for its create."""
    payload = {"templateId": template_id, "ownerId": owner_id, "projectId": project_id}
    return outbox.new_message(TEMPLATE_USED, payload)


def count_usage(*, template_id: str, owner_id: str, project_id: str) -> bool:
    """Count a project made from a template, once per project; False if nothing was counted."""
    shipped = builtins.find(template_id)
    if shipped is not None:
        return repository.count_use(
            template_id=template_id, project_id=project_id, builtin_since=shipped.created_at
        )
    if repository.get(template_id, owner_id=owner_id) is None:
        return False  # deleted since the project was made: there is nothing left to count
    return repository.count_use(template_id=template_id, project_id=project_id, builtin_since=None)
