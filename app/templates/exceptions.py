"""Template errors."""

from __future__ import annotations

from app.core.errors import Forbidden, NotFound, PayloadTooLarge


class TemplateNotFound(NotFound):
    """No built-in template, and none of the caller's, has this id."""

    message = "Template not found."


class BuiltInTemplateReadOnly(Forbidden):
    """Built-in templates ship with the service and cannot be changed through the API."""

    message = "Built-in templates are read-only."


class TemplateTooLarge(PayloadTooLarge):
    """The stored template would exceed DynamoDB's item size limit."""

    message = "The template would exceed the maximum stored size."
