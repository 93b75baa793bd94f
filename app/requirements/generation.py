"""AI drafting of a project's requirements: the route, the output schema and the apply step."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey
from app.core.openapi import error_responses
from app.projects import service as projects_service
from app.requirements import service as requirements_service

KIND = "requirements"
router = APIRouter(tags=["requirements"])
ProjectId = Annotated[
    str, Path(alias="projectId", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
]


class DraftRequirement(ai_service.GeneratedOutput):
    """One requirement of the project."""

    type: Literal["user_story", "functional", "non_functional", "test_case"]
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(max_length=4_000)
    priority: Literal["low", "medium", "high"]


class RequirementsDraft(ai_service.GeneratedOutput):
    """Requirements drafted for the project, without duplicates."""

    requirements: list[DraftRequirement] = Field(min_length=1, max_length=30)


def apply_draft(job: ai_service.JobRef, output: BaseModel) -> None:
    """Store the validated requirements with source `ai`."""
    draft = RequirementsDraft.model_validate(output.model_dump())
    requirements_service.create_generated_requirements(
        owner_id=job.owner_id,
        project_id=job.target["projectId"],
        items=[item.model_dump() for item in draft.requirements],
    )


ai_service.register_kind(KIND, RequirementsDraft, apply_draft, max_tokens=4096)


def build_prompt(*, owner_id: str, project_id: str, instructions: str | None) -> ai_service.Prompt:
    """Build the prompt from the caller's own project (404 if it is not theirs)."""
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    return ai_service.render_prompt(
        ai_service.load_template("app.requirements", KIND),
        {
            "name": project.name,
            "description": project.description,
            "summary": project.requirements_summary,
            "constraints": project.constraints,
            "disciplines": project.disciplines,
            "phases": [phase.name for phase in project.phases],
            "instructions": instructions,
        },
        limits={"phases": 2_000, "disciplines": 1_000, "instructions": 2_000},
    )


@router.post(
    "/projects/{projectId}/requirements/generate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def generate_requirements(
    project_id: ProjectId,
    user: CurrentUser,
    response: Response,
    body: ai_service.GenerateInstructions | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI draft of the project's requirements; they are stored with source `ai`."""
    prompt = build_prompt(
        owner_id=user.sub, project_id=project_id, instructions=body.instructions if body else None
    )
    job = ai_service.submit_job(
        owner_id=user.sub,
        kind=KIND,
        prompt=prompt,
        target={"projectId": project_id},
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = ai_service.job_path(job.job_id)
    return job
