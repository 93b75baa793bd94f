"""Auth flows on Cognito."""

from __future__ import annotations

from app.auth import repository
from app.auth.exceptions import InvalidCode, InvalidCredentials
from app.auth.schemas import (
    MeResponse,
    RefreshResponse,
    RegisterResponse,
    TokenResponse,
)
from app.core.config import get_settings
from app.core.errors import ValidationFailed
from app.core.observability import logger, mask_email
from app.core.security import AuthenticatedUser


def register(*, email: str, password: str, name: str) -> RegisterResponse:
    """Create an account, confirming it at once where the deployment auto-confirms."""
    sub = repository.sign_up(email=email, password=password, name=name)
    confirmed = get_settings().cognito_auto_confirm
    if confirmed:
        try:
            repository.admin_confirm(email=email)
        except Exception:
            # Undo the sign-up so a retry can register again instead of meeting 409 forever.
            try:
                repository.admin_delete(email=email)
            except Exception:
                logger.exception("could not undo sign-up", extra={"email": mask_email(email)})
            raise
    logger.info("user registered", extra={"email": mask_email(email), "confirmed": confirmed})
    return RegisterResponse(user_id=sub, email=email, confirmed=confirmed)


def confirm(*, email: str, code: str) -> None:
    """Confirm an account with its emailed code."""
    try:
        repository.confirm_sign_up(email=email, code=code)
    except InvalidCredentials as exc:  # already confirmed, or no such user: say nothing more
        raise InvalidCode() from exc


def login(*, email: str, password: str) -> TokenResponse:
    """Sign in and return tokens."""
    tokens = repository.password_auth(email=email, password=password)
    return TokenResponse(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token or "",
        expires_in=tokens.expires_in,
    )


def refresh(*, refresh_token: str) -> RefreshResponse:
    """Issue new access and id tokens from a refresh token."""
    tokens = repository.refresh_auth(refresh_token=refresh_token)
    return RefreshResponse(
        access_token=tokens.access_token, id_token=tokens.id_token, expires_in=tokens.expires_in
    )


def logout(*, access_token: str) -> None:
    """Sign the user out everywhere, revoking their refresh tokens."""
    repository.global_sign_out(access_token=access_token)


def forgot_password(*, email: str) -> None:
    """Start a reset without revealing whether the account exists."""
    try:
        repository.forgot_password(email=email)
    except (InvalidCredentials, ValidationFailed):
        logger.info(
            "password reset for unknown or unverified user", extra={"email": mask_email(email)}
        )


def reset_password(*, email: str, code: str, new_password: str) -> None:
    """Finish a reset with the emailed code."""
    try:
        repository.confirm_forgot_password(email=email, code=code, new_password=new_password)
    except InvalidCredentials as exc:
        raise InvalidCode() from exc


def me(*, user: AuthenticatedUser, access_token: str) -> MeResponse:
    """Return the caller's profile."""
    profile = repository.get_profile(access_token=access_token)
    return MeResponse(
        user_id=user.sub, email=profile.email, name=profile.name, groups=sorted(user.groups)
    )


def user_email(user_id: str) -> str | None:
    """Return a user's email address by sub, or None if the user no longer exists."""
    return repository.user_email(user_id)
