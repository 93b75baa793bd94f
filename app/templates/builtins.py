"""The built-in templates: JSON files in app/templates/builtin, read once on first use."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from app.templates.schemas import BuiltInTemplate, discipline_key

PACKAGE = "app.templates"
DIRECTORY = "builtin"


@cache
def builtins() -> tuple[BuiltInTemplate, ...]:
    """Return every built-in template, in file-name order, validated like an API create."""
    folder = resources.files(PACKAGE).joinpath(DIRECTORY)
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".json")),
        key=lambda entry: entry.name,
    )
    return tuple(
        BuiltInTemplate.model_validate(json.loads(entry.read_text(encoding="utf-8")))
        for entry in files
    )


@cache
def _by_id() -> dict[str, BuiltInTemplate]:
    return {spec.template_id: spec for spec in builtins()}


def find(template_id: str) -> BuiltInTemplate | None:
    """Return the built-in with this id, or None."""
    return _by_id().get(template_id)


def matching(discipline: str | None) -> tuple[BuiltInTemplate, ...]:
    """Return the built-ins, or those listing a discipline (given as its discipline_key)."""
    if discipline is None:
        return builtins()
    return tuple(
        spec for spec in builtins() if discipline in {discipline_key(d) for d in spec.disciplines}
    )
