"""Waitlist routes: the public sign-up and the admin-only triage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from app.core.deps import AdminUser, IfMatch, get_admin_user
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.ratelimit import rate_limit
from app.core.schemas import Page
from app.core.versioning import etag
from app.waitlist import service
from app.waitlist.schemas import (
    MAX_EMAIL_LENGTH,
    WaitlistEntry,
    WaitlistJoin,
    WaitlistJoined,
    WaitlistStatus,
    WaitlistUpdate,
)

public_router = APIRouter(prefix="/waitlist", tags=["waitlist"], responses=error_responses(429))
admin_router = APIRouter(
    prefix="/waitlist",
    tags=["waitlist"],
    dependencies=[Depends(get_admin_user)],
    responses=error_responses(403),
)

EmailPath = Annotated[
    str,
    Path(min_length=3, max_length=MAX_EMAIL_LENGTH, description="Normalised like the sign-up."),
]


@public_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WaitlistJoined,
    responses={
        200: {"model": WaitlistJoined, "description": "Already on the waitlist."},
        **error_responses(409),
    },
    dependencies=[Depends(rate_limit("waitlist"))],
)
def join_waitlist(body: WaitlistJoin, response: Response) -> WaitlistJoined:
    """Join the waitlist: 201 the first time, 200 with the same body on repeats."""
    joined, created = service.join(body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return joined


@admin_router.get(
    "",
    response_model=Page[WaitlistEntry],
    responses=error_responses(400),
    description=(
        "Admins only. With `status`, one Query on the byStatus index, newest first. Without "
        "it, the statuses are walked in the order pending, invited, approved, rejected (one "
        "Query each, never a Scan), newest first within each."
    ),
)
def list_waitlist(
    admin: AdminUser,
    page: PageQuery,
    status_filter: Annotated[WaitlistStatus | None, Query(alias="status")] = None,
) -> Page[WaitlistEntry]:
    """List waitlist entries."""
    return service.list_entries(
        admin_id=admin.sub, status=status_filter, limit=page.limit, cursor=page.cursor
    )


@admin_router.patch(
    "/{email}", response_model=WaitlistEntry, responses=error_responses(404, 409, 422)
)
def update_waitlist_entry(
    email: EmailPath, body: WaitlistUpdate, response: Response, if_match: IfMatch = None
) -> WaitlistEntry:
    """Decide on an entry at the version given in the body or If-Match; inviting emails them."""
    entry = service.update_entry(
        email_address=service.path_email(email), body=body, if_match=if_match
    )
    response.headers["ETag"] = etag(entry.version)
    return entry


@admin_router.delete(
    "/{email}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404, 422),
)
def delete_waitlist_entry(email: EmailPath) -> Response:
    """Remove an entry from the waitlist."""
    service.delete_entry(service.path_email(email))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
