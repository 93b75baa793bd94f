"""Cognito user-pool calls, with Cognito's errors translated at this boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from app.auth.exceptions import (
    EmailTaken,
    InvalidCode,
    InvalidCredentials,
    UserNotConfirmed,
    WeakPassword,
)
from app.core import aws
from app.core.config import get_settings
from app.core.errors import RateLimited, ValidationFailed

_ERRORS: dict[str, type[Exception]] = {
    "UsernameExistsException": EmailTaken,
    "AliasExistsException": EmailTaken,
    "NotAuthorizedException": InvalidCredentials,
    "UserNotFoundException": InvalidCredentials,
    "UserNotConfirmedException": UserNotConfirmed,
    "InvalidPasswordException": WeakPassword,
    "CodeMismatchException": InvalidCode,
    "ExpiredCodeException": InvalidCode,
    "InvalidParameterException": ValidationFailed,
}
_THROTTLED = {
    "TooManyRequestsException",
    "LimitExceededException",
    "TooManyFailedAttemptsException",
}


@dataclass(frozen=True)
class Tokens:
    """Tokens from an authentication."""

    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class Profile:
    """A user's attributes."""

    sub: str
    email: str
    name: str


def error_code(exc: ClientError) -> str:
    """Return the AWS error code of a ClientError."""
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def cognito_errors() -> Iterator[None]:
    """Translate Cognito's errors into the API's."""
    try:
        yield
    except ClientError as exc:
        code = error_code(exc)
        if code in _THROTTLED:
            raise RateLimited("Too many attempts; retry later.", retry_after=30) from exc
        mapped = _ERRORS.get(code)
        if mapped is not None:
            raise mapped() from exc
        raise


def _cognito() -> Any:
    return aws.client("cognito-idp")


def sign_up(*, email: str, password: str, name: str) -> str:
    """Create the user and return its sub."""
    settings = get_settings()
    with cognito_errors():
        response = _cognito().sign_up(
            ClientId=settings.cognito_client_id,
            Username=email,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": name}],
        )
    return str(response["UserSub"])


def admin_confirm(*, email: str) -> None:
    """Confirm a user without a code (auto-confirm deployments only)."""
    with cognito_errors():
        _cognito().admin_confirm_sign_up(
            UserPoolId=get_settings().cognito_user_pool_id, Username=email
        )


def admin_delete(*, email: str) -> None:
    """Delete a user (undoes a sign-up whose auto-confirm failed)."""
    with cognito_errors():
        _cognito().admin_delete_user(UserPoolId=get_settings().cognito_user_pool_id, Username=email)


def confirm_sign_up(*, email: str, code: str) -> None:
    """Confirm a user with the emailed code."""
    with cognito_errors():
        _cognito().confirm_sign_up(
            ClientId=get_settings().cognito_client_id, Username=email, ConfirmationCode=code
        )


def _tokens(response: dict[str, Any]) -> Tokens:
    result = response.get("AuthenticationResult")
    if not result:  # a challenge (e.g. NEW_PASSWORD_REQUIRED) this API does not support
        raise InvalidCredentials("Sign-in needs a step this API does not support.")
    return Tokens(
        access_token=result["AccessToken"],
        id_token=result["IdToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result.get("ExpiresIn", 3600)),
    )


def password_auth(*, email: str, password: str) -> Tokens:
    """Sign in with email and password."""
    with cognito_errors():
        response = _cognito().initiate_auth(
            ClientId=get_settings().cognito_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    return _tokens(response)


def refresh_auth(*, refresh_token: str) -> Tokens:
    """Exchange a refresh token for new access and id tokens."""
    with cognito_errors():
        response = _cognito().initiate_auth(
            ClientId=get_settings().cognito_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    return _tokens(response)


def global_sign_out(*, access_token: str) -> None:
    """Revoke every refresh token of the user."""
    with cognito_errors():
        _cognito().global_sign_out(AccessToken=access_token)


def forgot_password(*, email: str) -> None:
    """Send a reset code (Cognito decides whether the user exists)."""
    with cognito_errors():
        _cognito().forgot_password(ClientId=get_settings().cognito_client_id, Username=email)


def confirm_forgot_password(*, email: str, code: str, new_password: str) -> None:
    """Set a new password with a reset code."""
    try:
        with cognito_errors():
            _cognito().confirm_forgot_password(
                ClientId=get_settings().cognito_client_id,
                Username=email,
                ConfirmationCode=code,
                Password=new_password,
            )
    except ClientError as exc:
        # An unknown user must look like a wrong code. Cognito says UserNotFound (mapped above);
        # moto says ResourceNotFound for the client, which would otherwise surface as a 500.
        if error_code(exc) == "ResourceNotFoundException":
            raise InvalidCode() from exc
        raise


def get_profile(*, access_token: str) -> Profile:
    """Return the attributes of the token's user."""
    with cognito_errors():
        response = _cognito().get_user(AccessToken=access_token)
    attributes = {a["Name"]: a.get("Value", "") for a in response.get("UserAttributes", [])}
    return Profile(
        sub=attributes.get("sub", ""),
        email=attributes.get("email", ""),
        name=attributes.get("name", ""),
    )


def user_email(user_id: str) -> str | None:
    """Return the email of a user by sub, or None if the user no longer exists."""
    try:
        response = _cognito().admin_get_user(
            UserPoolId=get_settings().cognito_user_pool_id, Username=user_id
        )
    except ClientError as exc:
        if error_code(exc) == "UserNotFoundException":
            return None
        raise
    attributes = {a["Name"]: a["Value"] for a in response.get("UserAttributes", [])}
    email = attributes.get("email")
    return email if isinstance(email, str) and email else None
