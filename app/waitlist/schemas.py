"""Waitlist request and response models."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field, StringConstraints

from app.core.schemas import SINGLE_LINE, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

WaitlistStatus = Literal["pending", "invited", "approved", "rejected"]
DecidedStatus = Literal["invited", "approved", "rejected"]
# The order an unfiltered admin list walks the statuses in.
STATUSES: tuple[WaitlistStatus, ...] = get_args(WaitlistStatus)
MAX_EMAIL_LENGTH = 254


def normalise_email(value: str) -> str:
    """Trim and lower-case an email, then check it is a valid address (no DNS lookup)."""
    candidate = value.strip().lower()
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError("not a valid email address") from exc
    return result.normalized.lower()


Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=MAX_EMAIL_LENGTH),
    AfterValidator(normalise_email),
]

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
Source = Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]


class WaitlistJoin(RequestModel):
    """A public sign-up; the email is trimmed and lower-cased before anything else."""

    email: Email
    name: Name | None = None
    source: Source | None = Field(
        default=None, description="Where the visitor heard of us, e.g. a campaign tag."
    )


class WaitlistJoined(ResponseModel):
    """The public answer to a sign-up: the same body for the first call and every repeat."""

    email: str
    # Always pending: the public answer never reveals what an admin decided since.
    status: Literal["pending"] = "pending"
    created_at: str


class WaitlistEntry(ResponseModel):
    """A waitlist entry as admins see it."""

    email: str
    name: str | None = None
    source: str | None = None
    status: WaitlistStatus
    version: int
    created_at: str
    updated_at: str
    invited_at: str | None = None


class WaitlistUpdate(RequestModel):
    """An admin's decision on an entry; `invited` sends the invitation email."""

    status: DecidedStatus
    version: ExpectedVersion | None = None
