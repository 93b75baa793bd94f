"""Risk routes: thin endpoints over the service, nested under their project."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page
from app.core.versioning import etag
from app.risks import assessment, service
from app.risks.schemas import (
    MAX_SCORE,
    RiskAssess,
    RiskCategory,
    RiskCreate,
    RiskRead,
    RiskStatus,
    RiskUpdate,
)

router = APIRouter(prefix="/projects/{projectId}/risks", tags=["risks"])

ProjectId = Annotated[str, id_path("projectId")]
RiskId = Annotated[str, id_path("riskId")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RiskRead,
    responses=error_responses(404, 409, 422),
)
def create_risk(
    project_id: ProjectId,
    body: RiskCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> RiskRead:
    """Add a risk to the caller's project; the server sets its score."""
    risk = service.create_risk(
        owner_id=user.sub, project_id=project_id, body=body, idempotency_key=idempotency_key
    )
    response.headers["ETag"] = etag(risk.version)
    return risk


@router.get(
    "",
    response_model=Page[RiskRead],
    responses=error_responses(400, 404),
    description=(
        "Highest score first, ties newest first. Each combination of filters is one Query on "
        "an index made for it; minScore is a condition on that index's sort key."
    ),
)
def list_risks(
    project_id: ProjectId,
    user: CurrentUser,
    page: PageQuery,
    risk_status: Annotated[RiskStatus | None, Query(alias="status")] = None,
    category: RiskCategory | None = None,
    min_score: Annotated[
        int | None, Query(alias="minScore", ge=1, le=MAX_SCORE, description="Lowest score.")
    ] = None,
) -> Page[RiskRead]:
    """List a project's risks, highest score first."""
    return service.list_risks(
        owner_id=user.sub,
        project_id=project_id,
        status=risk_status,
        category=category,
        min_score=min_score,
        limit=page.limit,
        cursor=page.cursor,
    )


@router.post(
    "/assess",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def assess_risks(
    project_id: ProjectId,
    user: CurrentUser,
    response: Response,
    body: RiskAssess | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI risk assessment; new risks are added with source `ai`, none is changed."""
    return assessment.assess_risks(
        owner_id=user.sub,
        project_id=project_id,
        body=body,
        idempotency_key=idempotency_key,
        response=response,
    )


@router.get("/{riskId}", response_model=RiskRead, responses=error_responses(404))
def get_risk(
    project_id: ProjectId, risk_id: RiskId, user: CurrentUser, response: Response
) -> RiskRead:
    """Return one risk of the caller's project."""
    risk = service.get_risk(owner_id=user.sub, project_id=project_id, risk_id=risk_id)
    response.headers["ETag"] = etag(risk.version)
    return risk


@router.patch(
    "/{riskId}",
    response_model=RiskRead,
    responses=error_responses(404, 409, 422),
)
def update_risk(
    project_id: ProjectId,
    risk_id: RiskId,
    body: RiskUpdate,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> RiskRead:
    """Update a risk at the version given in the body or If-Match; stale versions are 409."""
    risk = service.update_risk(
        owner_id=user.sub,
        project_id=project_id,
        risk_id=risk_id,
        body=body,
        if_match=if_match,
    )
    response.headers["ETag"] = etag(risk.version)
    return risk


@router.delete(
    "/{riskId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
def delete_risk(project_id: ProjectId, risk_id: RiskId, user: CurrentUser) -> Response:
    """Delete a risk of the caller's project."""
    service.delete_risk(owner_id=user.sub, project_id=project_id, risk_id=risk_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
