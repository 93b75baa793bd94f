"""Project routes: thin endpoints over the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page
from app.core.versioning import etag
from app.projects import planning, service
from app.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate

router = APIRouter(prefix="/projects", tags=["projects"])

ProjectId = Annotated[str, id_path("projectId")]
PhaseId = Annotated[str, id_path("phaseId")]
SprintId = Annotated[str, id_path("sprintId")]

# Code jobs (POST /code/generate) may name a project; the API process learns how to read it here.
ai_service.register_context("projectId", planning.code_context)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectRead,
    responses=error_responses(404, 409, 422),
)
def create_project(
    body: ProjectCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ProjectRead:
    """Create a project, optionally from a template; the server assigns every id."""
    project = service.create_project(owner_id=user.sub, body=body, idempotency_key=idempotency_key)
    response.headers["ETag"] = etag(project.version)
    return project


@router.get("", response_model=Page[ProjectRead], responses=error_responses(400))
def list_projects(user: CurrentUser, page: PageQuery) -> Page[ProjectRead]:
    """List the caller's projects, newest first."""
    return service.list_projects(owner_id=user.sub, limit=page.limit, cursor=page.cursor)


@router.get("/{projectId}", response_model=ProjectRead, responses=error_responses(404))
def get_project(project_id: ProjectId, user: CurrentUser, response: Response) -> ProjectRead:
    """Return one project."""
    project = service.get_project(owner_id=user.sub, project_id=project_id)
    response.headers["ETag"] = etag(project.version)
    return project


@router.patch(
    "/{projectId}",
    response_model=ProjectRead,
    responses=error_responses(404, 409, 413, 422),
)
def update_project(
    project_id: ProjectId,
    body: ProjectUpdate,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> ProjectRead:
    """Update a project at the version given in the body or If-Match; stale versions are 409."""
    project = service.update_project(
        owner_id=user.sub, project_id=project_id, body=body, if_match=if_match
    )
    response.headers["ETag"] = etag(project.version)
    return project


@router.delete(
    "/{projectId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
def delete_project(project_id: ProjectId, user: CurrentUser) -> Response:
    """Delete a project; its requirements are deleted too."""
    service.delete_project(owner_id=user.sub, project_id=project_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{projectId}/phases/{phaseId}/generate",
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
    return planning.generate_phase_plan(
        owner_id=user.sub,
        project_id=project_id,
        phase_id=phase_id,
        body=body,
        response=response,
        idempotency_key=idempotency_key,
    )


@router.post(
    "/{projectId}/phases/{phaseId}/sprints/{sprintId}/generate",
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
    return planning.generate_sprint_plan(
        owner_id=user.sub,
        project_id=project_id,
        phase_id=phase_id,
        sprint_id=sprint_id,
        body=body,
        response=response,
        idempotency_key=idempotency_key,
    )
