"""Auth request and response models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from app.core.schemas import SINGLE_LINE, RequestModel, ResponseModel

Email = Annotated[EmailStr, Field(max_length=254)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256, strip_whitespace=False)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9:-]+$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=8192)]


class RegisterRequest(RequestModel):
    """A new account."""

    email: Email
    password: Password
    name: Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]


class RegisterResponse(ResponseModel):
    """The account that was created."""

    user_id: str
    email: str
    confirmed: bool


class ConfirmRequest(RequestModel):
    """A sign-up confirmation code."""

    email: Email
    code: Code


class ConfirmResponse(ResponseModel):
    """Confirmation result."""

    confirmed: bool


class LoginRequest(RequestModel):
    """Credentials."""

    email: Email
    password: Annotated[
        str, StringConstraints(min_length=1, max_length=256, strip_whitespace=False)
    ]


class TokenResponse(ResponseModel):
    """Tokens issued by login."""

    access_token: str
    id_token: str
    refresh_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a scheme name


class RefreshRequest(RequestModel):
    """A refresh token."""

    refresh_token: Token


class RefreshResponse(ResponseModel):
    """Tokens issued by refresh (no new refresh token)."""

    access_token: str
    id_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a scheme name


class ForgotPasswordRequest(RequestModel):
    """Start a password reset."""

    email: Email


class ForgotPasswordResponse(ResponseModel):
    """The same answer whether or not the account exists."""

    message: str


class ResetPasswordRequest(RequestModel):
    """Finish a password reset."""

    email: Email
    code: Code
    new_password: Password


class MeResponse(ResponseModel):
    """The caller's profile."""

    user_id: str
    email: str
    name: str
    groups: list[str]
