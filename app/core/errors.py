"""The error envelope and the base class of every domain error."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error that maps to one HTTP status and one envelope code."""

    status_code: int = 500
    code: str = "internal_error"
    message: str = "Internal server error."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details or []
        self.headers = headers or {}


class BadRequest(AppError):
    """The request is malformed in a way validation cannot express."""

    status_code = 400
    code = "bad_request"
    message = "Bad request."


class Unauthorized(AppError):
    """No valid credentials."""

    status_code = 401
    code = "unauthorized"
    message = "Missing or invalid access token."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    """Valid credentials without the needed permission."""

    status_code = 403
    code = "forbidden"
    message = "You are not allowed to do this."


class NotFound(AppError):
    """The object does not exist or is not the caller's."""

    status_code = 404
    code = "not_found"
    message = "Not found."


class Conflict(AppError):
    """The write conflicts with the stored state."""

    status_code = 409
    code = "conflict"
    message = "Conflict."


class VersionConflict(Conflict):
    """The client's version is stale."""

    message = "The object was changed by someone else; reload it and retry."


class ValidationFailed(AppError):
    """Input that is well-formed but not acceptable."""

    status_code = 422
    code = "validation_error"
    message = "Validation failed."


class PayloadTooLarge(AppError):
    """The request body exceeds the limit."""

    status_code = 413
    code = "payload_too_large"
    message = "Request body too large."


class RateLimited(AppError):
    """Too many requests; retry later."""

    status_code = 429
    code = "rate_limited"
    message = "Too many requests."

    def __init__(self, message: str | None = None, *, retry_after: int = 60) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after))})


class ServiceUnavailable(AppError):
    """A dependency is down or throttling; retry later."""

    status_code = 503
    code = "service_unavailable"
    message = "A backing service is temporarily unavailable."

    def __init__(self, message: str | None = None, *, retry_after: int = 2) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, retry_after))})


class WriteContention(ServiceUnavailable):
    """Another request was writing the same item at that instant; retrying soon succeeds."""

    message = "The object is being changed by other requests; retry."


def envelope(
    code: str, message: str, request_id: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Build the error body every failure uses."""
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details or [],
            "requestId": request_id,
        }
    }
