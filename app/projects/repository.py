"""DynamoDB access for projects; stored items never leave this module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.expressions import Changes
from app.core.outbox import OutboxMessage
from app.core.records import Page
from app.core.store import DynamoStore
from app.projects.domain import PROJECTS
from app.projects.exceptions import ProjectNotFound, ProjectTooLarge
from app.projects.schemas import ProjectStatus

KEY = PROJECTS.hash_key
BY_OWNER = PROJECTS.indexes[0].name
OWNER = "ownerId"


@dataclass(frozen=True)
class SprintRecord:
    """A stored sprint; `generated` is the plan as stored (plain JSON)."""

    sprint_id: str
    name: str
    goal: str | None = None
    generated: dict[str, Any] | None = None


@dataclass(frozen=True)
class PhaseRecord:
    """A stored phase with its sprints."""

    phase_id: str
    name: str
    description: str | None = None
    generated: dict[str, Any] | None = None
    sprints: tuple[SprintRecord, ...] = ()


@dataclass(frozen=True)
class MemberRecord:
    """A stored team member (without a name while it is a template's role)."""

    name: str | None
    role: str


@dataclass(frozen=True)
class ProjectRecord:
    """A stored project, its owner included."""

    project_id: str
    owner_id: str
    name: str
    status: ProjectStatus
    version: int
    created_at: str
    updated_at: str
    description: str | None = None
    requirements_summary: str | None = None
    constraints: str | None = None
    disciplines: tuple[str, ...] = ()
    team: tuple[MemberRecord, ...] = ()
    phases: tuple[PhaseRecord, ...] = ()
    template_id: str | None = None


# Record field -> stored attribute, for the fields a PATCH may change.
_ATTRIBUTES = {
    "name": "name",
    "description": "description",
    "requirements_summary": "requirementsSummary",
    "constraints": "constraints",
    "disciplines": "disciplines",
    "team": "team",
    "phases": "phases",
    "status": "status",
}


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _sprint_item(sprint: SprintRecord) -> dict[str, Any]:
    return _without_none(
        {
            "sprintId": sprint.sprint_id,
            "name": sprint.name,
            "goal": sprint.goal,
            "generated": sprint.generated,
        }
    )


def _phase_item(phase: PhaseRecord) -> dict[str, Any]:
    return _without_none(
        {
            "phaseId": phase.phase_id,
            "name": phase.name,
            "description": phase.description,
            "generated": phase.generated,
            "sprints": [_sprint_item(sprint) for sprint in phase.sprints],
        }
    )


def _value_item(field: str, value: Any) -> Any:
    """Return the stored form of one PATCHable field's value."""
    if field == "phases":
        return [_phase_item(phase) for phase in value]
    if field == "team":
        return [_without_none({"name": member.name, "role": member.role}) for member in value]
    if field == "disciplines":
        return list(value)
    return value


def _to_item(record: ProjectRecord) -> dict[str, Any]:
    fields = {
        attribute: _value_item(field, getattr(record, field))
        for field, attribute in _ATTRIBUTES.items()
    }
    return _without_none(
        {
            KEY: record.project_id,
            OWNER: record.owner_id,
            **fields,
            "templateId": record.template_id,
            "version": record.version,
            "createdAt": record.created_at,
            "updatedAt": record.updated_at,
        }
    )


def _sprint_record(item: Mapping[str, Any]) -> SprintRecord:
    return SprintRecord(
        sprint_id=item["sprintId"],
        name=item["name"],
        goal=item.get("goal"),
        generated=item.get("generated"),
    )


def _phase_record(item: Mapping[str, Any]) -> PhaseRecord:
    return PhaseRecord(
        phase_id=item["phaseId"],
        name=item["name"],
        description=item.get("description"),
        generated=item.get("generated"),
        sprints=tuple(_sprint_record(sprint) for sprint in item.get("sprints", [])),
    )


def _from_item(item: dict[str, Any]) -> ProjectRecord:
    return ProjectRecord(
        project_id=item[KEY],
        owner_id=item[OWNER],
        name=item["name"],
        status=item["status"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        description=item.get("description"),
        requirements_summary=item.get("requirementsSummary"),
        constraints=item.get("constraints"),
        disciplines=tuple(item.get("disciplines", [])),
        team=tuple(MemberRecord(name=m.get("name"), role=m["role"]) for m in item.get("team", [])),
        phases=tuple(_phase_record(phase) for phase in item.get("phases", [])),
        template_id=item.get("templateId"),
    )


_store = DynamoStore(
    PROJECTS,
    to_item=_to_item,
    from_item=_from_item,
    not_found=ProjectNotFound,
    too_large=ProjectTooLarge,
)


def create(record: ProjectRecord, *, messages: Sequence[OutboxMessage] = ()) -> None:
    """Store a new project, with outbox messages in the same transaction; its id must be unused."""
    _store.put_new(record, messages=messages)


def get(project_id: str, *, owner_id: str) -> ProjectRecord | None:
    """Return the owner's project, read consistently, or None."""
    return _store.get({KEY: project_id}, owner=owner_id, consistent=True)


def get_owner(project_id: str) -> str | None:
    """Return who owns a project, reading only that attribute, or None if there is none."""
    owner = _store.get_attribute({KEY: project_id}, OWNER)
    return owner if isinstance(owner, str) else None


def list_page(
    *, owner_id: str, limit: int, start_key: dict[str, Any] | None
) -> Page[ProjectRecord]:
    """Query one page of the owner's projects, newest first, through the owner index."""
    return _store.query(owner_id, index=BY_OWNER, limit=limit, start_key=start_key)


def update(
    project_id: str, *, owner_id: str, expected_version: int, changes: Mapping[str, Any]
) -> ProjectRecord:
    """Apply changes (None clears a field) if the project is the owner's and at the version.

    `changes` maps record fields to record values (phases as PhaseRecords, team as
    MemberRecords); ProjectNotFound, VersionConflict or ProjectTooLarge otherwise.
    """
    sets = {_ATTRIBUTES[f]: _value_item(f, v) for f, v in changes.items() if v is not None}
    removals = [_ATTRIBUTES[f] for f, v in changes.items() if v is None]
    return _store.update(
        {KEY: project_id},
        Changes(set=sets, remove=removals),
        owner=owner_id,
        expected_version=expected_version,
    )


def set_plan(
    project_id: str,
    *,
    owner_id: str,
    phase: tuple[int, str],
    sprint: tuple[int, str] | None,
    plan: Mapping[str, Any],
) -> bool:
    """Store a plan on the phase (or sprint) at (position, id); False if it is not there now.

    Only that one attribute is written, so concurrent edits elsewhere are not overwritten.
    """
    from boto3.dynamodb.conditions import Attr, ConditionBase

    target = f"phases[{int(phase[0])}]"
    condition: ConditionBase = Attr(f"{target}.phaseId").eq(phase[1])
    if sprint is not None:
        target = f"{target}.sprints[{int(sprint[0])}]"
        condition = condition & Attr(f"{target}.sprintId").eq(sprint[1])
    written = _store.try_update(
        {KEY: project_id},
        Changes(set={f"{target}.generated": dict(plan)}),
        condition=condition,
        owner=owner_id,
    )
    return written is not None


def delete(project_id: str, *, owner_id: str) -> None:
    """Delete the project if it is the owner's; raise ProjectNotFound otherwise."""
    _store.delete({KEY: project_id}, owner=owner_id)
