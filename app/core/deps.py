"""Annotated dependencies shared by every router."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.core.config import Settings, get_settings
from app.core.errors import Forbidden, Unauthorized
from app.core.schemas import ID_MAX_LENGTH, ID_PATTERN
from app.core.security import AuthenticatedUser, verify_access_token

_bearer = HTTPBearer(auto_error=False, description="A Cognito access token.")


def get_current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AuthenticatedUser:
    """Return the caller proven by the bearer token, or raise 401."""
    if credentials is None:
        raise Unauthorized()
    return verify_access_token(credentials.credentials)


def get_admin_user(
    user: Annotated[AuthenticatedUser, Depends(get_current_user)],
) -> AuthenticatedUser:
    """Return the caller if they are an admin, or raise 403."""
    if not user.is_admin:
        raise Forbidden("Admins only.")
    return user


def get_bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """Return the raw bearer token, for calls that forward it to Cognito."""
    if credentials is None:
        raise Unauthorized()
    return credentials.credentials


SettingsDep = Annotated[Settings, Depends(get_settings)]
CurrentUser = Annotated[AuthenticatedUser, Depends(get_current_user)]
AdminUser = Annotated[AuthenticatedUser, Depends(get_admin_user)]
BearerToken = Annotated[str, Depends(get_bearer_token)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=r"^[A-Za-z0-9_\-:.]+$",
        description="Replays of a create with the same key return the first response.",
    ),
]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=32, description="The version the update expects."),
]


def id_path(alias: str | None = None) -> Any:
    """Return the Path() of a server-assigned id: 1-64 letters, digits and hyphens."""
    return Path(alias=alias, min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN)
