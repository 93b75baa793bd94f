"""Requirement errors."""

from __future__ import annotations

from app.core.errors import NotFound, ValidationFailed


class RequirementNotFound(NotFound):
    """The requirement does not exist in this project."""

    message = "Requirement not found."


class InvalidGeneratedRequirements(ValidationFailed):
    """Generated requirements that do not fit the requirement model."""

    message = "The generated requirements do not fit the requirement model."


class ProjectStillExists(Exception):
    """A project.deleted event arrived before the project's delete was visible; retry later."""
