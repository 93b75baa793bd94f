"""Base models for the API: camelCase on the wire, strict on input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")

# Server-assigned ids (UUIDs, ULIDs) are URL-safe: letters, digits and hyphens.
ID_PATTERN = r"^[A-Za-z0-9-]+$"
ID_MAX_LENGTH = 64


class RequestModel(BaseModel):
    """A request body: camelCase only, unknown fields refused."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        extra="forbid",
        str_strip_whitespace=True,
    )


class ResponseModel(BaseModel):
    """A response body: built from Python names, serialised as camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True
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
