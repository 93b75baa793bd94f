"""Prompt templates from the repository, with caller data fenced in marked, bounded blocks."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from app.ai.exceptions import PromptTooLarge

# A whole rendered prompt (template, fenced facts and the caller's input of at most
# schemas.MAX_INPUT_CHARS) may not pass this; it leaves room for the template around the input.
MAX_RENDERED_PROMPT_CHARS = 24_000
DEFAULT_FIELD_CHARS = 4_000
OPEN = "<<<USER_DATA {name}>>>"
CLOSE = "<<<END_USER_DATA {name}>>>"
# Runs of 3+ angle brackets in caller text are shortened, so no text can open or close a fence.
_OPEN_RUN = re.compile(r"<{3,}")
_CLOSE_RUN = re.compile(r">{3,}")
_SECTIONS = re.compile(r"^## (system|user)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation, as the model sees it."""

    role: Literal["user", "assistant"]
    text: str


@dataclass(frozen=True)
class Prompt:
    """A system prompt (ours alone) and a user message (our template around fenced data).

    `history` holds the earlier turns of a conversation, oldest first: it starts with a user
    turn and alternates, so that `user` is the next user turn.
    """

    system: str
    user: str
    history: tuple[Turn, ...] = ()


def fence(name: str, value: object, *, limit: int = DEFAULT_FIELD_CHARS) -> str:
    """Return caller data as a marked, bounded block that cannot contain our markers."""
    if value is None or value == "" or value == []:
        text = "(none)"
    elif isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    text = _CLOSE_RUN.sub(">>", _OPEN_RUN.sub("<<", text))
    if len(text) > limit:
        text = text[:limit] + " [truncated]"
    return f"{OPEN.format(name=name)}\n{text}\n{CLOSE.format(name=name)}"


@cache
def load_template(package: str, name: str) -> str:
    """Read `prompts/<name>.txt` shipped inside a package."""
    return resources.files(package).joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")


@cache
def preamble() -> str:
    """Return the rules every system prompt starts with."""
    return load_template("app.ai", "preamble").strip()


def render(
    template: str,
    data: Mapping[str, object],
    *,
    limits: Mapping[str, int] | None = None,
    max_chars: int = MAX_RENDERED_PROMPT_CHARS,
) -> Prompt:
    """Fill a `## system` / `## user` template; only the user section takes (fenced) data.

    The rendered system and user text together may not pass `max_chars` (PromptTooLarge).
    """
    sections = dict(_split(template))
    if "user" not in sections:
        raise ValueError("a prompt template needs a '## user' section")
    limits = limits or {}
    fenced = {
        key: fence(key, value, limit=limits.get(key, DEFAULT_FIELD_CHARS))
        for key, value in data.items()
    }
    user = string.Template(sections["user"]).substitute(fenced).strip()
    system = "\n\n".join(part for part in (preamble(), sections.get("system", "").strip()) if part)
    if len(user) + len(system) > max_chars:
        raise PromptTooLarge(details=[{"maxPromptChars": max_chars}])
    return Prompt(system=system, user=user)


def _split(template: str) -> list[tuple[str, str]]:
    pieces = _SECTIONS.split(template)
    return [(pieces[i], pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)]
