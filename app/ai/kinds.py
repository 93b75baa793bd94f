"""AI job kinds: how a kind is prompted, what it must return, and where its result goes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from app.ai.exceptions import UnknownJobKind
from app.ai.prompting import Prompt

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
C = TypeVar("C")
O = TypeVar("O", bound=BaseModel)  # noqa: E741 - the output type parameter


@dataclass(frozen=True)
class JobRef:
    """What an apply step learns about the job whose validated output it receives.

    `engine`, `model` and the token counts describe the answer; they are empty before it exists.
    """

    job_id: str
    owner_id: str
    kind: str
    target: dict[str, str]
    engine: str | None = None
    model: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True)
class AiKind(Generic[C, O]):
    """A kind of generation, declared by the domain that owns it.

    `prompt` builds the prompt from the domain's context object, `output` is the strict schema
    the model's answer must validate against (None: free text), and `apply` stores the validated
    output where it belongs (None: the result stays on the job). What `apply` returns (ids of
    what it stored, e.g. `{"templateId": ...}`) is added to the job's result.

    A conversation turn is prompted when it runs instead: `run_prompt` builds the prompt (with
    its history) from the job's target as the data is then; such kinds are queued with
    `submission.queue_turn`. `cached=False` keeps a kind out of the response cache, and
    `on_failure` learns the error of a job that failed, so its target can say so.
    """

    name: str
    output: type[O] | None
    prompt: Callable[[C], Prompt]
    apply: Callable[[JobRef, O], Mapping[str, Any] | None] | None = None
    max_tokens: int = 2048
    temperature: float = 0.2
    cached: bool = True
    run_prompt: Callable[[JobRef], Prompt] | None = None
    on_failure: Callable[[JobRef, dict[str, str]], None] | None = None

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"invalid job kind {self.name!r}")
        if not 1 <= self.max_tokens <= 8192 or not 0 <= self.temperature <= 1:
            raise ValueError("max_tokens must be 1..8192 and temperature 0..1")


_kinds: dict[str, AiKind[Any, Any]] = {}


def register(kind: AiKind[Any, Any]) -> None:
    """Make a kind runnable by the worker; two different kinds of one name is a wiring error."""
    existing = _kinds.get(kind.name)
    if existing is not None and existing != kind:
        raise RuntimeError(f"job kind {kind.name!r} is registered twice")
    _kinds[kind.name] = kind


def get_kind(name: str) -> AiKind[Any, Any]:
    """Return a registered kind or raise UnknownJobKind."""
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownJobKind(name) from None
