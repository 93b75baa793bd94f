"""Project routes: thin endpoints over the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status

from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page
from app.core.versioning import etag
from app.projects import service
from app.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate

router = APIRouter(prefix="/projects", tags=["projects"])

ProjectId = Annotated[str, id_path("projectId")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ProjectRead,
    responses=error_responses(409, 422),
)
def create_project(
    body: ProjectCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ProjectRead:
    """Create a project; the server assigns every id and starts it as a draft."""
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
