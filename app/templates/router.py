"""Template routes: thin endpoints over the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page
from app.core.versioning import etag
from app.templates import drafting, service
from app.templates.schemas import (
    Label,
    TemplateCreate,
    TemplateGenerate,
    TemplateRead,
    TemplateScope,
    TemplateUpdate,
)

router = APIRouter(prefix="/templates", tags=["templates"])

TemplateId = Annotated[str, id_path("templateId")]


@router.get(
    "",
    response_model=Page[TemplateRead],
    responses=error_responses(400),
    description=(
        "`all` lists the built-ins first, in a fixed order, then the caller's own templates, "
        "newest first (one Query on the byOwner index; the built-ins' usage is one more). "
        "`discipline` matches ignoring case; on the caller's own templates it filters after "
        "the page is read, so a page may hold fewer items than `limit` while `nextCursor` "
        "says there is more."
    ),
)
def list_templates(
    user: CurrentUser,
    page: PageQuery,
    scope: Annotated[TemplateScope, Query(description="Which templates to list.")] = "all",
    discipline: Annotated[Label | None, Query(description="Only templates of it.")] = None,
) -> Page[TemplateRead]:
    """List the built-in templates and the caller's own."""
    return service.list_templates(
        owner_id=user.sub,
        scope=scope,
        discipline=discipline,
        limit=page.limit,
        cursor=page.cursor,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TemplateRead,
    responses=error_responses(409, 422),
)
def create_template(
    body: TemplateCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> TemplateRead:
    """Create a template owned by the caller."""
    template = service.create_template(
        owner_id=user.sub, body=body, idempotency_key=idempotency_key
    )
    response.headers["ETag"] = etag(template.version)
    return template


@router.post(
    "/generate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(409, 422, 429, 503),
)
def generate_template(
    body: TemplateGenerate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI-drafted template; on success it is the caller's and the result names it."""
    return drafting.generate_template(
        owner_id=user.sub, body=body, idempotency_key=idempotency_key, response=response
    )


@router.get("/{templateId}", response_model=TemplateRead, responses=error_responses(404))
def get_template(template_id: TemplateId, user: CurrentUser, response: Response) -> TemplateRead:
    """Return a built-in template or one of the caller's."""
    template = service.get_template(owner_id=user.sub, template_id=template_id)
    response.headers["ETag"] = etag(template.version)
    return template


@router.patch(
    "/{templateId}",
    response_model=TemplateRead,
    responses=error_responses(403, 404, 409, 413, 422),
)
def update_template(
    template_id: TemplateId,
    body: TemplateUpdate,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> TemplateRead:
    """Update one of the caller's templates at a version; built-ins are read-only (403)."""
    template = service.update_template(
        owner_id=user.sub, template_id=template_id, body=body, if_match=if_match
    )
    response.headers["ETag"] = etag(template.version)
    return template


@router.delete(
    "/{templateId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(403, 404),
)
def delete_template(template_id: TemplateId, user: CurrentUser) -> Response:
    """Delete one of the caller's templates; built-ins are read-only (403)."""
    service.delete_template(owner_id=user.sub, template_id=template_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
