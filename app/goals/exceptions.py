"""Goal errors."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound, ValidationFailed


class GoalNotFound(NotFound):
    """The goal does not exist or is not the caller's."""

    message = "Goal not found."


class GoalArchived(Conflict):
    """Progress cannot be logged on an archived goal."""

    message = "The goal is archived; reopen it (status active) before logging progress."


class GoalBusy(Conflict):
    """The goal kept changing while the server retried its own write."""

    message = "The goal is being changed by other requests; retry."


class ProgressDateInFuture(ValidationFailed):
    """A progress entry cannot be dated after today (UTC)."""

    message = "The progress date cannot be later than today (UTC)."
