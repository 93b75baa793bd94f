"""AI drafting of a project's requirements: the kind, its prompt, its apply step and the submit."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Response

from app.ai import service as ai_service
from app.projects import service as projects_service
from app.requirements import service
from app.requirements.schemas import RequirementsDraft


@dataclass(frozen=True)
class DraftContext:
    """What a requirements draft is written from: the caller's project and wishes."""

    name: str
    description: str | None
    summary: str | None
    constraints: str | None
    disciplines: list[str]
    phases: list[str]
    instructions: str | None


def draft_prompt(context: DraftContext) -> ai_service.Prompt:
    """Build the requirements prompt, the project's facts and the caller's wishes fenced."""
    return ai_service.render_prompt(
        ai_service.load_template("app.requirements", "requirements"),
        {
            "name": context.name,
            "description": context.description,
            "summary": context.summary,
            "constraints": context.constraints,
            "disciplines": context.disciplines,
            "phases": context.phases,
            "instructions": context.instructions,
        },
        limits={"phases": 2_000, "disciplines": 1_000, "instructions": 2_000},
    )


def apply_draft(job: ai_service.JobRef, draft: RequirementsDraft) -> None:
    """Store the validated requirements with source `ai`."""
    service.create_generated_requirements(
        owner_id=job.owner_id,
        project_id=job.target["projectId"],
        items=[item.model_dump() for item in draft.requirements],
    )


REQUIREMENTS_DRAFT: ai_service.AiKind[DraftContext, RequirementsDraft] = ai_service.AiKind(
    name="requirements",
    output=RequirementsDraft,
    prompt=draft_prompt,
    apply=apply_draft,
    max_tokens=4096,
)


def generate_requirements(
    *,
    owner_id: str,
    project_id: str,
    body: ai_service.GenerateInstructions | None,
    response: Response,
    idempotency_key: str | None = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI draft of the owner's project's requirements (404 if it is not theirs)."""
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    context = DraftContext(
        name=project.name,
        description=project.description,
        summary=project.requirements_summary,
        constraints=project.constraints,
        disciplines=list(project.disciplines),
        phases=[phase.name for phase in project.phases],
        instructions=body.instructions if body else None,
    )
    return ai_service.generate(
        REQUIREMENTS_DRAFT,
        context,
        owner_id=owner_id,
        target={"projectId": project_id},
        idempotency_key=idempotency_key,
        response=response,
    )
