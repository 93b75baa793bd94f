"""Project use cases: create, list, read, update, delete, and store generated plans."""

from __future__ import annotations

from typing import Any, Final

from pydantic import ValidationError

from app.core import jobs
from app.core.errors import ValidationFailed, VersionConflict
from app.core.idempotency import run_idempotent
from app.core.pagination import decode_cursor, encode_cursor
from app.core.schemas import Page, isoformat, utc_now
from app.core.versioning import expected_version
from app.projects import phases, repository
from app.projects.exceptions import PhaseNotFound, ProjectNotFound, SprintNotFound
from app.projects.schemas import (
    GeneratedPlan,
    PhaseRead,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    TeamMemberRead,
)

# Handled by the requirements domain (and any other that hangs data off a project).
PROJECT_DELETED: Final = "project.deleted"
LIST_SCOPE: Final = "projects"
# Server-side plan writes race only with the owner's own edits; a few re-reads settle it.
PLAN_WRITE_ATTEMPTS: Final = 5


def _new_project(body: ProjectCreate) -> ProjectRead:
    now = isoformat(utc_now())
    return ProjectRead(
        project_id=phases.new_id(),
        name=body.name,
        description=body.description,
        requirements_summary=body.requirements_summary,
        constraints=body.constraints,
        disciplines=list(body.disciplines),
        team=[TeamMemberRead(name=m.name, role=m.role) for m in body.team],
        phases=phases.new_phases(body.phases),
        status="draft",
        version=1,
        created_at=now,
        updated_at=now,
    )


def create_project(
    *, owner_id: str, body: ProjectCreate, idempotency_key: str | None = None
) -> ProjectRead:
    """Create a draft project for the owner; a replayed Idempotency-Key returns the first one."""

    def create() -> dict[str, Any]:
        project = _new_project(body)
        repository.create(project, owner_id=owner_id)
        return project.model_dump(mode="json")

    result = run_idempotent(
        scope=LIST_SCOPE,
        owner=owner_id,
        key=idempotency_key,
        request=body.model_dump(mode="json", by_alias=True),
        create=create,
    )
    return ProjectRead.model_validate(result)


def get_project(*, owner_id: str, project_id: str) -> ProjectRead:
    """Return one of the owner's projects; raise ProjectNotFound otherwise."""
    project = repository.get(project_id, owner_id=owner_id)
    if project is None:
        raise ProjectNotFound()
    return project


def ensure_project_owned(*, owner_id: str, project_id: str) -> None:
    """Raise ProjectNotFound unless the project exists and is the owner's (a light read)."""
    if repository.get_owner(project_id) != owner_id:
        raise ProjectNotFound()


def project_exists(*, project_id: str) -> bool:
    """Return whether a project with this id exists, whoever owns it (for internal jobs)."""
    return repository.get_owner(project_id) is not None


def list_projects(*, owner_id: str, limit: int, cursor: str | None) -> Page[ProjectRead]:
    """Return a page of the owner's projects, newest first."""
    start_key = decode_cursor(cursor, owner=owner_id, scope=LIST_SCOPE)
    items, last_key = repository.list_page(owner_id=owner_id, limit=limit, start_key=start_key)
    return Page[ProjectRead](
        items=items, next_cursor=encode_cursor(last_key, owner=owner_id, scope=LIST_SCOPE)
    )


def _changes(body: ProjectUpdate, current_phases: list[PhaseRead]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field in body.changed_fields():
        value = getattr(body, field)
        if field == "team":
            value = [TeamMemberRead(name=m.name, role=m.role) for m in value]
        elif field == "phases":
            value = phases.merge_phases(current_phases, value)
        changes[field] = value
    return changes


def update_project(
    *, owner_id: str, project_id: str, body: ProjectUpdate, if_match: str | None = None
) -> ProjectRead:
    """Apply a PATCH at the expected version; a stale version is a 409 and writes nothing."""
    version = expected_version(body_version=body.version, if_match=if_match)
    current_phases: list[PhaseRead] = []
    if "phases" in body.changed_fields():
        # Phase and sprint ids are checked against the stored project at exactly that version.
        current = get_project(owner_id=owner_id, project_id=project_id)
        if current.version != version:
            raise VersionConflict(details=[{"currentVersion": current.version}])
        current_phases = current.phases
    return repository.update(
        project_id,
        owner_id=owner_id,
        expected_version=version,
        changes=_changes(body, current_phases),
    )


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
    for _ in range(PLAN_WRITE_ATTEMPTS):
        project = get_project(owner_id=owner_id, project_id=project_id)
        phase_index = phases.locate_phase(project.phases, phase_id)
        if phase_index is None:
            raise PhaseNotFound()
        sprint = None
        if sprint_id is not None:
            located = phases.locate_sprint(project.phases, phase_id, sprint_id)
            if located is None:
                raise SprintNotFound()
            sprint = (located[1], sprint_id)
        if repository.set_plan(
            project_id,
            owner_id=owner_id,
            phase=(phase_index, phase_id),
            sprint=sprint,
            plan=stored,
        ):
            return
    raise VersionConflict("The project kept changing while the plan was stored.")


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
