"""Risk errors."""

from __future__ import annotations

from app.core.errors import NotFound, ValidationFailed


class RiskNotFound(NotFound):
    """The project has no risk with this id, or the project is not the caller's."""

    message = "Risk not found."


class UnknownPhase(ValidationFailed):
    """The phaseId names no phase of the risk's project."""

    message = "phaseId must name a phase of the project."


class ProjectStillExists(Exception):
    """A project.deleted event arrived before the project's delete was visible; retry later."""
