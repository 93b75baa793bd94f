"""The provider interface: one request shape, one result shape, one error taxonomy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from pydantic import BaseModel

from app.ai import exceptions as codes
from app.ai.prompting import Turn

EMULATED_PREFIX = "emulator/"


@dataclass(frozen=True)
class GenerationRequest:
    """What to ask: our system prompt, the user message and, for structured kinds, a schema.

    `history` holds a conversation's earlier turns, oldest first; `prompt` is the next user turn.
    """

    system: str
    prompt: str
    max_tokens: int
    temperature: float
    output_model: type[BaseModel] | None = None
    history: tuple[Turn, ...] = ()


@dataclass(frozen=True)
class Generation:
    """A provider's answer: text, or an instance of the requested output model."""

    engine: str
    model: str
    text: str | None = None
    data: BaseModel | None = None
    input_tokens: int = 0
    output_tokens: int = 0


def model_label(model: str, *, emulated: bool) -> str:
    """Return the model id to record; an emulated answer says so in the id."""
    return f"{EMULATED_PREFIX}{model}" if emulated else model


class ProviderError(Exception):
    """A provider could not produce a usable answer."""

    code: ClassVar[str] = codes.AI_UNAVAILABLE
    fallback: ClassVar[bool] = False
    message: ClassVar[str] = "The AI provider failed."

    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason


class ProviderUnavailable(ProviderError):
    """Throttled, unavailable, timed out or a server error: the next provider may serve."""

    fallback = True
    message = "The AI providers are busy or unavailable; try again later."


class ProviderRejected(ProviderError):
    """The provider refused the request as invalid; another provider would refuse it too."""

    code = codes.REJECTED
    message = "The AI provider rejected the request."


class ProviderAccessDenied(ProviderError):
    """The deployment may not call the model (credentials, permissions, model access)."""

    code = codes.ACCESS_DENIED
    message = "The AI provider denied access."


class ContentBlocked(ProviderError):
    """A content filter or guardrail stopped the request or the answer."""

    code = codes.CONTENT_BLOCKED
    message = "The request or its answer was blocked by a content filter."


class InvalidOutput(ProviderError):
    """The answer is not valid for the output schema, or too large."""

    code = codes.INVALID_OUTPUT
    message = "The AI answer did not match the expected format."


class AllProvidersUnavailable(ProviderError):
    """Every provider failed in a way that allowed fallback, or the time budget ran out."""

    message = "AI generation is temporarily unavailable; try again later."


class Provider(Protocol):
    """Anything that can answer a GenerationRequest within a timeout."""

    name: str

    def generate(self, request: GenerationRequest, *, timeout: float) -> Generation:
        """Answer the request or raise a ProviderError."""
        ...
