"""Project use cases: create, list, read, update, delete, and store generated plans."""

from __future__ import annotations

from typing import Any, Final

from pydantic import ValidationError

from app.core import jobs, outbox
from app.core.errors import ValidationFailed, VersionConflict
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate, require_version, retry_on_conflict
from app.core.versioning import expected_version
from app.projects import phases, repository
from app.projects.exceptions import PhaseNotFound, ProjectNotFound, SprintNotFound
from app.projects.repository import MemberRecord, PhaseRecord, ProjectRecord, SprintRecord
from app.projects.schemas import (
    GeneratedPlan,
    PhaseRead,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    SprintRead,
    TeamMember,
    TeamMemberRead,
)
from app.templates import service as templates_service

# Handled by the requirements domain (and any other that hangs data off a project).
PROJECT_DELETED: Final = "project.deleted"
LIST_SCOPE: Final = "projects"
# Server-side plan writes race only with the owner's own edits; a few re-reads settle it.
PLAN_WRITE_ATTEMPTS: Final = 5


def _plan_read(plan: dict[str, Any] | None) -> GeneratedPlan | None:
    return None if plan is None else GeneratedPlan.model_validate(plan)


def _sprint_read(sprint: SprintRecord) -> SprintRead:
    return SprintRead(
        sprint_id=sprint.sprint_id,
        name=sprint.name,
        goal=sprint.goal,
        generated=_plan_read(sprint.generated),
    )


def _phase_read(phase: PhaseRecord) -> PhaseRead:
    return PhaseRead(
        phase_id=phase.phase_id,
        name=phase.name,
        description=phase.description,
        generated=_plan_read(phase.generated),
        sprints=[_sprint_read(sprint) for sprint in phase.sprints],
    )


def to_read(record: ProjectRecord) -> ProjectRead:
    """Convert a stored project to the API model."""
    return ProjectRead(
        project_id=record.project_id,
        name=record.name,
        description=record.description,
        requirements_summary=record.requirements_summary,
        constraints=record.constraints,
        disciplines=list(record.disciplines),
        team=[TeamMemberRead(name=m.name, role=m.role) for m in record.team],
        phases=[_phase_read(phase) for phase in record.phases],
        template_id=record.template_id,
        status=record.status,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _members(team: list[TeamMember]) -> tuple[MemberRecord, ...]:
    return tuple(MemberRecord(name=m.name, role=m.role) for m in team)


def _new_project(body: ProjectCreate, *, owner_id: str) -> ProjectRecord:
    now = isoformat(utc_now())
    return ProjectRecord(
        project_id=phases.new_id(),
        owner_id=owner_id,
        name=body.name,
        description=body.description,
        requirements_summary=body.requirements_summary,
        constraints=body.constraints,
        disciplines=tuple(body.disciplines),
        team=_members(body.team),
        phases=phases.new_phases(body.phases),
        template_id=body.template_id,
        status="draft",
        version=1,
        created_at=now,
        updated_at=now,
    )


def _from_template(body: ProjectCreate, *, owner_id: str) -> ProjectCreate:
    """Return the body completed from its template: the body's own fields win."""
    template = templates_service.get_template(owner_id=owner_id, template_id=str(body.template_id))
    start = {
        "disciplines": template.disciplines,
        "phases": [phase.model_dump(by_alias=True) for phase in template.phases],
        "team": [{"role": role.role} for role in template.roles],
    }
    return ProjectCreate.model_validate(
        {**start, **body.model_dump(by_alias=True, exclude_unset=True)}
    )


def create_project(
    *, owner_id: str, body: ProjectCreate, idempotency_key: str | None = None
) -> ProjectRead:
    """Create a draft project for the owner; a replayed Idempotency-Key returns the first one."""

    def create() -> ProjectRead:
        if body.template_id is None:
            record = _new_project(body, owner_id=owner_id)
            repository.create(record)
            return to_read(record)
        record = _new_project(_from_template(body, owner_id=owner_id), owner_id=owner_id)
        # The template's usage is counted from the queue, once per project: the message is
        # committed with the project, and an idempotent replay never gets this far.
        messages = [
            templates_service.usage_message(
                template_id=body.template_id, owner_id=owner_id, project_id=record.project_id
            )
        ]
        repository.create(record, messages=messages)
        outbox.publish(messages)
        return to_read(record)

    return idempotent_create(
        scope=LIST_SCOPE,
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=ProjectRead,
    )


def _owned(*, owner_id: str, project_id: str) -> ProjectRecord:
    record = repository.get(project_id, owner_id=owner_id)
    if record is None:
        raise ProjectNotFound()
    return record


def get_project(*, owner_id: str, project_id: str) -> ProjectRead:
    """Return one of the owner's projects; raise ProjectNotFound otherwise."""
    return to_read(_owned(owner_id=owner_id, project_id=project_id))


def ensure_project_owned(*, owner_id: str, project_id: str) -> None:
    """Raise ProjectNotFound unless the project exists and is the owner's (a light read)."""
    if repository.get_owner(project_id) != owner_id:
        raise ProjectNotFound()


def project_exists(*, project_id: str) -> bool:
    """Return whether a project with this id exists, whoever owns it (for internal jobs)."""
    return repository.get_owner(project_id) is not None


def list_projects(*, owner_id: str, limit: int, cursor: str | None) -> Page[ProjectRead]:
    """Return a page of the owner's projects, newest first."""
    return paginate(
        owner=owner_id,
        scope=LIST_SCOPE,
        cursor=cursor,
        fetch=lambda start: repository.list_page(owner_id=owner_id, limit=limit, start_key=start),
        convert=to_read,
    )


def update_project(
    *, owner_id: str, project_id: str, body: ProjectUpdate, if_match: str | None = None
) -> ProjectRead:
    """Apply a PATCH at the expected version; a stale version is a 409 and writes nothing."""
    version = expected_version(body_version=body.version, if_match=if_match)
    changes = body.changes()
    if body.team is not None:
        changes["team"] = _members(body.team)
    if body.phases is not None:
        # Phase and sprint ids are checked against the stored project at exactly that version.
        current = _owned(owner_id=owner_id, project_id=project_id)
        require_version(current.version, version)
        changes["phases"] = phases.merge_phases(current.phases, body.phases)
    record = repository.update(
        project_id, owner_id=owner_id, expected_version=version, changes=changes
    )
    return to_read(record)


def delete_project(*, owner_id: str, project_id: str) -> None:
    """Delete the owner's project; its requirements follow through the queue.

    The event is sent before the delete: if sending fails nothing is deleted and the client
    retries; the handler waits until the project is really gone before deleting anything.
    """
    ensure_project_owned(owner_id=owner_id, project_id=project_id)
    jobs.enqueue(PROJECT_DELETED, {"projectId": project_id, "ownerId": owner_id})
    repository.delete(project_id, owner_id=owner_id)


def _valid_plan(plan: dict[str, Any]) -> dict[str, Any]:
    try:
        return GeneratedPlan.model_validate(plan).model_dump(mode="json", by_alias=True)
    except ValidationError as exc:
        raise ValidationFailed("The generated plan has an unexpected shape.") from exc


def _store_plan(
    *, owner_id: str, project_id: str, phase_id: str, sprint_id: str | None, plan: dict[str, Any]
) -> None:
    stored = _valid_plan(plan)

    def attempt() -> None:
        project = _owned(owner_id=owner_id, project_id=project_id)
        phase_index = phases.locate_phase(project.phases, phase_id)
        if phase_index is None:
            raise PhaseNotFound()
        sprint = None
        if sprint_id is not None:
            located = phases.locate_sprint(project.phases, phase_id, sprint_id)
            if located is None:
                raise SprintNotFound()
            sprint = (located[1], sprint_id)
        if not repository.set_plan(
            project_id,
            owner_id=owner_id,
            phase=(phase_index, phase_id),
            sprint=sprint,
            plan=stored,
        ):
            raise VersionConflict("The project kept changing while the plan was stored.")

    retry_on_conflict(attempt, attempts=PLAN_WRITE_ATTEMPTS)


def apply_phase_plan(
    *, owner_id: str, project_id: str, phase_id: str, plan: dict[str, Any]
) -> None:
    """Store a generated plan as the phase's `generated`; NotFound if the phase is gone."""
    _store_plan(
        owner_id=owner_id, project_id=project_id, phase_id=phase_id, sprint_id=None, plan=plan
    )


def apply_sprint_plan(
    *, owner_id: str, project_id: str, phase_id: str, sprint_id: str, plan: dict[str, Any]
) -> None:
    """Store a generated plan as the sprint's `generated`; NotFound if the sprint is gone."""
    _store_plan(
        owner_id=owner_id,
        project_id=project_id,
        phase_id=phase_id,
        sprint_id=sprint_id,
        plan=plan,
    )
