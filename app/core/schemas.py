"""Base models for the API: camelCase on the wire, strict on input."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

T = TypeVar("T")

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional marks, embeddings,
# overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9) that can disguise text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile("[\n\t]")


def plain_text(value: Any) -> Any:
    """Refuse control and bidirectional-override characters in every string of a value."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            raise ValueError("must not contain control or bidirectional-override characters")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            plain_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            plain_text(key)
            plain_text(item)
    return value


def _one_line(value: str) -> str:
    if _LINE_BREAK.search(value):
        raise ValueError("must be a single line (no newline or tab)")
    return value


class _Sanitised:
    """Marks a field whose domain cleans control characters itself (file names)."""


# Put in a field's Annotated metadata to exempt it from the control-character refusal.
SANITISED = _Sanitised()

# Mark a single-line text type (titles, names, labels): newlines and tabs are refused too.
SINGLE_LINE = AfterValidator(_one_line)

# Server-assigned ids (UUIDs, ULIDs) are URL-safe: letters, digits and hyphens.
ID_PATTERN = r"^[A-Za-z0-9-]+$"
ID_MAX_LENGTH = 64
# A server-assigned id in a request body (the path form is app.core.deps.id_path).
EntityId = Annotated[
    str, StringConstraints(min_length=1, max_length=ID_MAX_LENGTH, pattern=ID_PATTERN)
]


class RequestModel(BaseModel):
    """A request body: camelCase only, unknown fields refused."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        extra="forbid",
        str_strip_whitespace=True,
        # Validators are built on first use, not at import: a cold start imports every
        # domain's models but a request touches a few (issue 20's cold-start budget).
        defer_build=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any, info: ValidationInfo) -> Any:
        """Every free-text field of every request: no control or bidi characters."""
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and any(m is SANITISED for m in field.metadata):
            return value
        return plain_text(value)


class ResponseModel(BaseModel):
    """A response body: built from Python names, serialised as camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True, defer_build=True
    )


class Page(ResponseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as ?cursor= to get the next page; null on the last page."
    )


class ErrorBody(BaseModel):
    """The inside of the error envelope."""

    code: str
    message: str
    details: list[dict[str, object]] = Field(default_factory=list)
    request_id: str = Field(alias="requestId")


class ErrorResponse(BaseModel):
    """The envelope every error is answered with."""

    error: ErrorBody


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def isoformat(moment: datetime) -> str:
    """Format a UTC time the way every stored and returned timestamp is: ISO-8601 with Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class PatchModel(RequestModel):
    """A partial update: absent fields stay as they are; those in `not_null` refuse null."""

    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _refuse_nulls(self) -> Self:
        sent = self.model_fields_set
        nulls = [name for name in self.not_null if name in sent and getattr(self, name) is None]
        if nulls:
            raise ValueError(f"{', '.join(nulls)} may be omitted but not null")
        return self

    def changes(self) -> dict[str, Any]:
        """Return the sent fields other than version, by Python name."""
        return {name: getattr(self, name) for name in self.model_fields_set if name != "version"}
