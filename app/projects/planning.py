"""AI plans for a project's phases and sprints, and project context for code generation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Response

from app.ai import service as ai_service
from app.projects import service
from app.projects.exceptions import PhaseNotFound, SprintNotFound
from app.projects.schemas import PhasePlan, PhaseRead, ProjectRead, SprintPlan, SprintRead


@dataclass(frozen=True)
class PhaseContext:
    """The owner's project, the phase to plan, and the caller's wishes."""

    project: ProjectRead
    phase: PhaseRead
    instructions: str | None


@dataclass(frozen=True)
class SprintContext(PhaseContext):
    """A phase context and the sprint of that phase to plan."""

    sprint: SprintRead


def _data(context: PhaseContext) -> dict[str, object]:
    project, phase = context.project, context.phase
    return {
        "project": project.name,
        "description": project.description,
        "constraints": project.constraints,
        "phase": {"name": phase.name, "description": phase.description},
        "instructions": context.instructions,
    }


def phase_plan_prompt(context: PhaseContext) -> ai_service.Prompt:
    """Build the prompt of a phase plan: the project, the phase and its sprints."""
    data = _data(context)
    data["sprints"] = [{"name": s.name, "goal": s.goal} for s in context.phase.sprints]
    return ai_service.render_prompt(ai_service.load_template("app.projects", "phase_plan"), data)


def sprint_plan_prompt(context: SprintContext) -> ai_service.Prompt:
    """Build the prompt of a sprint plan: the project, the phase and the sprint."""
    data = _data(context)
    data["sprint"] = {"name": context.sprint.name, "goal": context.sprint.goal}
    return ai_service.render_prompt(ai_service.load_template("app.projects", "sprint_plan"), data)


def apply_phase_plan(job: ai_service.JobRef, output: PhasePlan) -> None:
    """Store the validated plan as the phase's generated content."""
    service.apply_phase_plan(
        owner_id=job.owner_id,
        project_id=job.target["projectId"],
        phase_id=job.target["phaseId"],
        plan=output.model_dump(mode="json"),
    )


def apply_sprint_plan(job: ai_service.JobRef, output: SprintPlan) -> None:
    """Store the validated plan as the sprint's generated content."""
    service.apply_sprint_plan(
        owner_id=job.owner_id,
        project_id=job.target["projectId"],
        phase_id=job.target["phaseId"],
        sprint_id=job.target["sprintId"],
        plan=output.model_dump(mode="json"),
    )


PHASE_PLAN: ai_service.AiKind[PhaseContext, PhasePlan] = ai_service.AiKind(
    name="phase_plan",
    output=PhasePlan,
    prompt=phase_plan_prompt,
    apply=apply_phase_plan,
    max_tokens=4096,
)
SPRINT_PLAN: ai_service.AiKind[SprintContext, SprintPlan] = ai_service.AiKind(
    name="sprint_plan",
    output=SprintPlan,
    prompt=sprint_plan_prompt,
    apply=apply_sprint_plan,
    max_tokens=4096,
)


def _phase_context(
    *, owner_id: str, project_id: str, phase_id: str, body: ai_service.GenerateInstructions | None
) -> PhaseContext:
    project = service.get_project(owner_id=owner_id, project_id=project_id)
    phase = next((p for p in project.phases if p.phase_id == phase_id), None)
    if phase is None:
        raise PhaseNotFound()
    return PhaseContext(project, phase, body.instructions if body else None)


def generate_phase_plan(
    *,
    owner_id: str,
    project_id: str,
    phase_id: str,
    body: ai_service.GenerateInstructions | None,
    response: Response,
    idempotency_key: str | None = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI plan for one of the owner's phases (404 for another's or a missing one)."""
    context = _phase_context(owner_id=owner_id, project_id=project_id, phase_id=phase_id, body=body)
    return ai_service.generate(
        PHASE_PLAN,
        context,
        owner_id=owner_id,
        target={"projectId": project_id, "phaseId": phase_id},
        idempotency_key=idempotency_key,
        response=response,
    )


def generate_sprint_plan(
    *,
    owner_id: str,
    project_id: str,
    phase_id: str,
    sprint_id: str,
    body: ai_service.GenerateInstructions | None,
    response: Response,
    idempotency_key: str | None = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI plan for one sprint of the owner's phase (404 for a missing one)."""
    context = _phase_context(owner_id=owner_id, project_id=project_id, phase_id=phase_id, body=body)
    sprint = next((s for s in context.phase.sprints if s.sprint_id == sprint_id), None)
    if sprint is None:
        raise SprintNotFound()
    return ai_service.generate(
        SPRINT_PLAN,
        SprintContext(context.project, context.phase, context.instructions, sprint),
        owner_id=owner_id,
        target={"projectId": project_id, "phaseId": phase_id, "sprintId": sprint_id},
        idempotency_key=idempotency_key,
        response=response,
    )


def code_context(owner_id: str, project_id: str) -> Mapping[str, object]:
    """Return what a code job may know of the caller's project (404 if it is not theirs)."""
    project = service.get_project(owner_id=owner_id, project_id=project_id)
    return {
        "name": project.name,
        "description": (project.description or "")[:2_000],
        "constraints": (project.constraints or "")[:1_000],
        "disciplines": project.disciplines[:20],
    }
