"""AI plans for a project's phases and sprints, and project context for code generation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey, id_path
from app.core.openapi import error_responses
from app.projects import service as projects_service
from app.projects.exceptions import PhaseNotFound, SprintNotFound
from app.projects.schemas import PhaseRead, ProjectRead

PHASE_KIND = "phase_plan"
SPRINT_KIND = "sprint_plan"
router = APIRouter(prefix="/projects/{projectId}/phases/{phaseId}", tags=["projects"])
ProjectId = Annotated[str, id_path("projectId")]
PhaseId = Annotated[str, id_path("phaseId")]
SprintId = Annotated[str, id_path("sprintId")]
Line = Annotated[str, Field(min_length=1, max_length=500)]


class PlanTask(ai_service.GeneratedOutput):
    """A concrete piece of work."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2_000)
    days: float | None = Field(default=None, ge=0, le=365, description="Estimate in days.")


class PlanRisk(ai_service.GeneratedOutput):
    """A risk to the plan and how to handle it."""

    description: str = Field(min_length=1, max_length=1_000)
    likelihood: Literal["low", "medium", "high"]
    mitigation: str = Field(default="", max_length=1_000)


class PhasePlan(ai_service.GeneratedOutput):
    """The plan of one project phase: objectives, deliverables, tasks and risks."""

    objectives: list[Line] = Field(min_length=1, max_length=10)
    deliverables: list[Line] = Field(min_length=1, max_length=10)
    tasks: list[PlanTask] = Field(min_length=1, max_length=30)
    risks: list[PlanRisk] = Field(default_factory=list, max_length=10)


class SprintPlan(PhasePlan):
    """The plan of one sprint: objectives, deliverables, tasks and risks."""


def _plan(output: BaseModel) -> dict[str, object]:
    return PhasePlan.model_validate(output.model_dump()).model_dump(mode="json")


def apply_phase(job: ai_service.JobRef, output: BaseModel) -> None:
    """Store the validated plan as the phase's generated content."""
    projects_service.apply_phase_plan(
        owner_id=job.owner_id,
        project_id=job.target["projectId"],
        phase_id=job.target["phaseId"],
        plan=_plan(output),
    )


def apply_sprint(job: ai_service.JobRef, output: BaseModel) -> None:
    """Store the validated plan as the sprint's generated content."""
    projects_service.apply_sprint_plan(
        owner_id=job.owner_id,
        project_id=job.target["projectId"],
        phase_id=job.target["phaseId"],
        sprint_id=job.target["sprintId"],
        plan=_plan(output),
    )


def code_context(owner_id: str, project_id: str) -> Mapping[str, object]:
    """Return what a code job may know of the caller's project (404 if it is not theirs)."""
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    return {
        "name": project.name,
        "description": (project.description or "")[:2_000],
        "constraints": (project.constraints or "")[:1_000],
        "disciplines": project.disciplines[:20],
    }


ai_service.register_kind(PHASE_KIND, PhasePlan, apply_phase, max_tokens=4096)
ai_service.register_kind(SPRINT_KIND, SprintPlan, apply_sprint, max_tokens=4096)
ai_service.register_context("projectId", code_context)


def _locate(owner_id: str, project_id: str, phase_id: str) -> tuple[ProjectRead, PhaseRead]:
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    phase = next((p for p in project.phases if p.phase_id == phase_id), None)
    if phase is None:
        raise PhaseNotFound()
    return project, phase


def _data(project: ProjectRead, phase: PhaseRead, instructions: str | None) -> dict[str, object]:
    return {
        "project": project.name,
        "description": project.description,
        "constraints": project.constraints,
        "phase": {"name": phase.name, "description": phase.description},
        "instructions": instructions,
    }


def _submit(
    user_id: str, kind: str, prompt: ai_service.Prompt, target: dict[str, str], key: str | None
) -> ai_service.AiJobAccepted:
    return ai_service.submit_job(
        owner_id=user_id, kind=kind, prompt=prompt, target=target, idempotency_key=key
    )


@router.post(
    "/generate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def generate_phase_plan(
    project_id: ProjectId,
    phase_id: PhaseId,
    user: CurrentUser,
    response: Response,
    body: ai_service.GenerateInstructions | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI plan for the phase: objectives, deliverables, tasks and risks."""
    project, phase = _locate(user.sub, project_id, phase_id)
    data = _data(project, phase, body.instructions if body else None)
    data["sprints"] = [{"name": s.name, "goal": s.goal} for s in phase.sprints]
    prompt = ai_service.render_prompt(ai_service.load_template("app.projects", PHASE_KIND), data)
    target = {"projectId": project_id, "phaseId": phase_id}
    job = _submit(user.sub, PHASE_KIND, prompt, target, idempotency_key)
    response.headers["Location"] = ai_service.job_path(job.job_id)
    return job


@router.post(
    "/sprints/{sprintId}/generate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def generate_sprint_plan(
    project_id: ProjectId,
    phase_id: PhaseId,
    sprint_id: SprintId,
    user: CurrentUser,
    response: Response,
    body: ai_service.GenerateInstructions | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI plan for the sprint: objectives, deliverables, tasks and risks."""
    project, phase = _locate(user.sub, project_id, phase_id)
    sprint = next((s for s in phase.sprints if s.sprint_id == sprint_id), None)
    if sprint is None:
        raise SprintNotFound()
    data = _data(project, phase, body.instructions if body else None)
    data["sprint"] = {"name": sprint.name, "goal": sprint.goal}
    prompt = ai_service.render_prompt(ai_service.load_template("app.projects", SPRINT_KIND), data)
    target = {"projectId": project_id, "phaseId": phase_id, "sprintId": sprint_id}
    job = _submit(user.sub, SPRINT_KIND, prompt, target, idempotency_key)
    response.headers["Location"] = ai_service.job_path(job.job_id)
    return job
