"""The registry of job kinds: each has an output schema and, for domain kinds, an apply step."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from app.ai.exceptions import UnknownJobKind

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


@dataclass(frozen=True)
class JobRef:
    """What an apply step learns about the job whose validated output it receives."""

    job_id: str
    owner_id: str
    kind: str
    target: dict[str, str]


ApplyFn = Callable[[JobRef, BaseModel], None]


@dataclass(frozen=True)
class JobKind:
    """A kind of generation: its output schema, apply step and model parameters."""

    name: str
    output_model: type[BaseModel] | None
    apply: ApplyFn | None
    max_tokens: int
    temperature: float


_kinds: dict[str, JobKind] = {}


def register_kind(
    kind: str,
    output_model: type[BaseModel] | None,
    apply: ApplyFn | None = None,
    *,
    max_tokens: int = 2048,
    temperature: float = 0.2,
) -> None:
    """Register a job kind; registering the same kind differently twice is a wiring error."""
    if not _NAME.match(kind):
        raise ValueError(f"invalid job kind {kind!r}")
    if not 1 <= max_tokens <= 8192 or not 0 <= temperature <= 1:
        raise ValueError("max_tokens must be 1..8192 and temperature 0..1")
    spec = JobKind(kind, output_model, apply, max_tokens, temperature)
    existing = _kinds.get(kind)
    if existing is not None and existing != spec:
        raise RuntimeError(f"job kind {kind!r} is registered twice")
    _kinds[kind] = spec


def get_kind(kind: str) -> JobKind:
    """Return a registered kind or raise UnknownJobKind."""
    try:
        return _kinds[kind]
    except KeyError:
        raise UnknownJobKind(kind) from None


def registered_kinds() -> list[str]:
    """Return the registered kind names."""
    return sorted(_kinds)
