"""Waitlist errors."""

from __future__ import annotations

from app.core.errors import NotFound, ValidationFailed


class EntryNotFound(NotFound):
    """No waitlist entry has this email."""

    message = "Waitlist entry not found."


class InvalidEmail(ValidationFailed):
    """The email in the path is not a valid address."""

    message = "Not a valid email address."
