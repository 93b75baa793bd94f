"""AI routes: queue text and code jobs, and read the caller's jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status

from app.ai import service
from app.ai.schemas import AiJobAccepted, AiJobRead, CodeGenerateRequest, TextGenerateRequest
from app.core.deps import CurrentUser, IdempotencyKey, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page

router = APIRouter(tags=["ai"])

JobId = Annotated[str, id_path("jobId")]
ACCEPTED = status.HTTP_202_ACCEPTED


@router.post(
    "/ai/generate",
    status_code=ACCEPTED,
    response_model=AiJobAccepted,
    responses=error_responses(409, 422, 429, 503),
)
def generate_text(
    body: TextGenerateRequest,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> AiJobAccepted:
    """Queue a free-text generation; poll GET /ai/jobs/{jobId} for the answer."""
    return service.submit_text(
        owner_id=user.sub, body=body, response=response, idempotency_key=idempotency_key
    )


@router.post(
    "/code/generate",
    status_code=ACCEPTED,
    response_model=AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def generate_code(
    body: CodeGenerateRequest,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> AiJobAccepted:
    """Queue a code generation: {files: [{path, content}], notes} on success."""
    return service.submit_code(
        owner_id=user.sub, body=body, response=response, idempotency_key=idempotency_key
    )


@router.get("/ai/jobs", response_model=Page[AiJobRead], responses=error_responses(400))
def list_jobs(user: CurrentUser, page: PageQuery) -> Page[AiJobRead]:
    """List the caller's AI jobs, newest first."""
    return service.list_jobs(owner_id=user.sub, limit=page.limit, cursor=page.cursor)


@router.get("/ai/jobs/{jobId}", response_model=AiJobRead, responses=error_responses(404))
def get_job(job_id: JobId, user: CurrentUser) -> AiJobRead:
    """Return one of the caller's AI jobs, with its result once it succeeded."""
    return service.get_job(owner_id=user.sub, job_id=job_id)
