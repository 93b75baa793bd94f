"""Session and message request and response models."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, field_validator

from app.core.schemas import SINGLE_LINE, EntityId, PatchModel, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

Role = Literal["user", "assistant"]
MessageStatus = Literal["complete", "pending", "failed"]
Rating = Literal["up", "down"]
MessageOrder = Literal["asc", "desc"]

MAX_TITLE_CHARS = 200
MAX_SYSTEM_CHARS = 4_000
MAX_CONTENT_CHARS = 16_000
MAX_ASSETS_PER_MESSAGE = 5
MAX_COMMENT_CHARS = 2_000
# The text files the assistant reads with a message, and how large each may be (100 KiB).
CHAT_ASSET_TYPES = frozenset({"text/plain", "text/markdown", "text/csv", "application/json"})
MAX_ASSET_BYTES = 100 * 1024

Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE_CHARS), SINGLE_LINE]
System = Annotated[str, StringConstraints(max_length=MAX_SYSTEM_CHARS)]
Content = Annotated[str, StringConstraints(min_length=1, max_length=MAX_CONTENT_CHARS)]
Comment = Annotated[str, StringConstraints(min_length=1, max_length=MAX_COMMENT_CHARS)]


class SessionCreate(RequestModel):
    """A new conversation, optionally grounded in one of the caller's projects."""

    title: Title | None = Field(
        default=None, description="Left out, the session is titled after its first reply."
    )
    project_id: EntityId | None = Field(
        default=None, description="One of the caller's projects; the assistant is grounded in it."
    )
    system: System | None = Field(
        default=None,
        description="The caller's own instructions for the assistant; added to, never replacing, "
        "the service's rules.",
    )


class SessionUpdate(PatchModel):
    """A change of title or instructions at a version; `system: null` clears the instructions."""

    not_null: ClassVar[tuple[str, ...]] = ("title",)

    title: Title | None = None
    system: System | None = None
    version: ExpectedVersion | None = None


class SessionRead(ResponseModel):
    """A conversation."""

    session_id: str
    title: str | None = None
    project_id: str | None = None
    system: str | None = None
    message_count: int
    last_message_at: str | None = None
    version: int
    created_at: str
    updated_at: str = Field(description="When the title or instructions last changed.")


class MessageCreate(RequestModel):
    """A user message, with the caller's uploaded text files to read along."""

    content: Content
    asset_ids: list[EntityId] = Field(
        default_factory=list,
        max_length=MAX_ASSETS_PER_MESSAGE,
        description="The caller's uploaded text/plain, text/markdown, text/csv or "
        "application/json files of at most 100 KiB each.",
    )

    @field_validator("asset_ids")
    @classmethod
    def _distinct(cls, asset_ids: list[str]) -> list[str]:
        if len(set(asset_ids)) != len(asset_ids):
            raise ValueError("must not name an asset twice")
        return asset_ids


class FeedbackUpdate(RequestModel):
    """The caller's rating of an assistant reply."""

    rating: Rating
    comment: Comment | None = None


class Feedback(ResponseModel):
    """A rating of a reply."""

    rating: Rating
    comment: str | None = None


class Usage(ResponseModel):
    """Tokens the provider reported for a reply."""

    input_tokens: int
    output_tokens: int


class MessageError(ResponseModel):
    """Why a reply failed; `ai_unavailable` when every provider was down."""

    code: str
    message: str


class MessageRead(ResponseModel):
    """A message of a session: the user's, or the assistant's reply."""

    message_id: str
    session_id: str
    role: Role
    content: str = Field(description="Empty while a reply is pending or after it failed.")
    status: MessageStatus
    error: MessageError | None = None
    engine: str | None = None
    model: str | None = None
    usage: Usage | None = None
    feedback: Feedback | None = None
    asset_ids: list[str] | None = None
    job_id: str | None = Field(
        default=None, description="The AI job writing this reply (GET /ai/jobs/{jobId})."
    )
    version: int
    created_at: str
    updated_at: str
    completed_at: str | None = None


class MessagePosted(ResponseModel):
    """The stored user message and the assistant reply the queue is writing."""

    message: MessageRead
    reply: MessageRead
    job_id: str


class ReplyQueued(ResponseModel):
    """A reply going back to pending for a new answer."""

    reply: MessageRead
    job_id: str
