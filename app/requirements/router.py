"""Requirement routes: thin endpoints over the service, nested under their project."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page
from app.core.versioning import etag
from app.requirements import drafting, service
from app.requirements.schemas import (
    RequirementCreate,
    RequirementRead,
    RequirementType,
    RequirementUpdate,
)

router = APIRouter(prefix="/projects/{projectId}/requirements", tags=["requirements"])

ProjectId = Annotated[str, id_path("projectId")]
RequirementId = Annotated[str, id_path("requirementId")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RequirementRead,
    responses=error_responses(404, 409, 422),
)
def create_requirement(
    project_id: ProjectId,
    body: RequirementCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RequirementRead:
    """Add a requirement to the caller's project."""
    record = service.create_requirement(
        owner_id=user.sub, project_id=project_id, body=body, idempotency_key=idempotency_key
    )
    response.headers["ETag"] = etag(record.version)
    return record


@router.get("", response_model=Page[RequirementRead], responses=error_responses(400, 404))
def list_requirements(
    project_id: ProjectId,
    user: CurrentUser,
    page: PageQuery,
    requirement_type: Annotated[
        RequirementType | None, Query(alias="type", description="Only this type.")
    ] = None,
) -> Page[RequirementRead]:
    """List a project's requirements, newest first, optionally of one type."""
    return service.list_requirements(
        owner_id=user.sub,
        project_id=project_id,
        requirement_type=requirement_type,
        limit=page.limit,
        cursor=page.cursor,
    )


@router.get("/{requirementId}", response_model=RequirementRead, responses=error_responses(404))
def get_requirement(
    project_id: ProjectId, requirement_id: RequirementId, user: CurrentUser, response: Response
) -> RequirementRead:
    """Return one requirement."""
    record = service.get_requirement(
        owner_id=user.sub, project_id=project_id, requirement_id=requirement_id
    )
    response.headers["ETag"] = etag(record.version)
    return record


@router.patch(
    "/{requirementId}",
    response_model=RequirementRead,
    responses=error_responses(404, 409, 422),
)
def update_requirement(
    project_id: ProjectId,
    requirement_id: RequirementId,
    body: RequirementUpdate,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> RequirementRead:
    """Update a requirement at the version given in the body or If-Match; stale is 409."""
    record = service.update_requirement(
        owner_id=user.sub,
        project_id=project_id,
        requirement_id=requirement_id,
        body=body,
        if_match=if_match,
    )
    response.headers["ETag"] = etag(record.version)
    return record


@router.delete(
    "/{requirementId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
def delete_requirement(
    project_id: ProjectId, requirement_id: RequirementId, user: CurrentUser
) -> Response:
    """Delete a requirement."""
    service.delete_requirement(
        owner_id=user.sub, project_id=project_id, requirement_id=requirement_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/generate",
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
    return drafting.generate_requirements(
        owner_id=user.sub,
        project_id=project_id,
        body=body,
        idempotency_key=idempotency_key,
        response=response,
    )
