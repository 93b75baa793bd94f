"""Errors of the ai domain: API errors, and the failure codes a job can end with."""

from __future__ import annotations

from app.core.errors import NotFound, RateLimited, ServiceUnavailable, ValidationFailed

# Codes a failed job reports in `error.code`.
AI_UNAVAILABLE = "ai_unavailable"
INVALID_OUTPUT = "invalid_output"
REJECTED = "ai_rejected"
CONTENT_BLOCKED = "content_blocked"
ACCESS_DENIED = "ai_access_denied"
TARGET_NOT_FOUND = "target_not_found"
APPLY_FAILED = "apply_failed"
INTERRUPTED = "interrupted"
UNKNOWN_KIND = "unknown_kind"


class AiJobNotFound(NotFound):
    """The job does not exist or is not the caller's."""

    message = "AI job not found."


class AiQuotaExceeded(RateLimited):
    """The caller used up today's AI jobs."""

    message = "Daily AI job quota reached; try again tomorrow."


class AiUnavailable(ServiceUnavailable):
    """No AI provider can take the work right now."""

    code = "ai_unavailable"
    message = "AI generation is temporarily unavailable."


class PromptTooLarge(ValidationFailed):
    """The prompt built from the request exceeds the size bound."""

    message = "The request is too large to generate from."


class UnknownJobKind(Exception):
    """No output schema is registered for the job kind (a wiring error, not a client error)."""


class JobBusy(Exception):
    """Another delivery of the same job holds a live lease; the message is retried later."""
