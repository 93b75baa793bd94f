"""Project errors."""

from __future__ import annotations

from app.core.errors import NotFound, PayloadTooLarge, ValidationFailed


class ProjectNotFound(NotFound):
    """The project does not exist or is not the caller's."""

    message = "Project not found."


class PhaseNotFound(NotFound):
    """The project has no such phase."""

    message = "Phase not found."


class SprintNotFound(NotFound):
    """The phase has no such sprint."""

    message = "Sprint not found."


class UnknownPlanItem(ValidationFailed):
    """A PATCH names a phaseId or sprintId the project does not have, or names one twice."""

    message = "Unknown or repeated phaseId or sprintId."


class ProjectTooLarge(PayloadTooLarge):
    """The stored project would exceed DynamoDB's item size limit."""

    message = "The project would exceed the maximum stored size."
