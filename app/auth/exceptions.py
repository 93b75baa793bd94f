"""Auth errors, mapped from Cognito's."""

from __future__ import annotations

from app.core.errors import AppError, BadRequest, Conflict, Unauthorized, ValidationFailed


class EmailTaken(Conflict):
    """An account with this email exists."""

    message = "An account with this email already exists."


class InvalidCredentials(Unauthorized):
    """Wrong email or password, or a bad refresh token."""

    message = "Invalid credentials."


class UserNotConfirmed(AppError):
    """The account exists but is not confirmed yet."""

    status_code = 403
    code = "user_not_confirmed"
    message = "Confirm your account before signing in."


class WeakPassword(ValidationFailed):
    """The password does not meet the pool's policy."""

    message = "The password does not meet the password policy."


class InvalidCode(BadRequest):
    """A wrong or expired confirmation or reset code."""

    message = "The code is invalid or has expired."
