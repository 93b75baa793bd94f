"""Every request body any route accepts forbids unknown fields and bounds every string and list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from pydantic import BaseModel, TypeAdapter

from app.main import create_app
from tests.reliability.routes import Operation, api_operations

# Strings in these formats are parsed into bounded values (dates, times, uuids) before use.
_BOUNDED_FORMATS = {"date", "date-time", "time", "uuid", "uuid4"}


def _body_types(dependant: Dependant) -> Iterator[Any]:
    for field in dependant.body_params:
        yield field.field_info.annotation
    for sub in dependant.dependencies:
        yield from _body_types(sub)


def request_bodies(app: FastAPI) -> dict[str, tuple[Operation, Any]]:
    """Return each operation's body type, keyed by 'METHOD /path'."""
    found: dict[str, tuple[Operation, Any]] = {}
    for op in api_operations(app):
        for annotation in _body_types(op.route.dependant):
            found[f"{op.label} body {getattr(annotation, '__name__', annotation)}"] = (
                op,
                annotation,
            )
    return found


BODIES = request_bodies(create_app())


class _Walker:
    """Walk a JSON schema and collect every unbounded string, list, number or open object."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.problems: list[str] = []
        self._seen: set[str] = set()
        self.walk(schema, "$")

    def walk(self, node: Any, where: str) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in self._seen:
                self._seen.add(name)
                self.walk(self.defs[name], name)
            return
        for combinator in ("anyOf", "oneOf", "allOf"):
            for index, option in enumerate(node.get(combinator, [])):
                self.walk(option, f"{where}|{index}")
        self._check(node, where)
        for name, child in node.get("properties", {}).items():
            self.walk(child, f"{where}.{name}")
        self.walk(node.get("items"), f"{where}[]")
        for index, child in enumerate(node.get("prefixItems", [])):
            self.walk(child, f"{where}[{index}]")
        if isinstance(node.get("additionalProperties"), dict):
            self.walk(node["additionalProperties"], f"{where}{{*}}")

    def _check(self, node: dict[str, Any], where: str) -> None:
        kind = node.get("type")
        bounded_by_value = "enum" in node or "const" in node
        if kind == "string" and not bounded_by_value:
            if "maxLength" not in node and node.get("format") not in _BOUNDED_FORMATS:
                self.problems.append(f"{where}: string without maxLength")
        elif kind == "array" and "maxItems" not in node:
            self.problems.append(f"{where}: list without maxItems")
        elif kind == "object":
            if "properties" in node and node.get("additionalProperties") is not False:
                self.problems.append(f"{where}: object does not forbid extra fields")
            if "properties" not in node and "maxProperties" not in node:
                self.problems.append(f"{where}: open mapping without maxProperties")
        elif kind in ("integer", "number") and not bounded_by_value:
            has_max = "maximum" in node or "exclusiveMaximum" in node
            has_min = "minimum" in node or "exclusiveMinimum" in node
            if not (has_max and has_min):
                self.problems.append(f"{where}: number without both bounds")


def _schema(annotation: Any) -> dict[str, Any]:
    return TypeAdapter(annotation).json_schema(mode="validation")


def test_find_request_bodies_sees_auth_routes() -> None:
    # The walk over app.routes must see the auth bodies at least, or it found nothing at all.
    labels = " ".join(BODIES)
    assert "POST /auth/register body RegisterRequest" in labels


@pytest.mark.parametrize("label", sorted(BODIES))
def test_request_model_forbids_extra_and_bounds_every_field(label: str) -> None:
    op, annotation = BODIES[label]
    problems = _Walker(_schema(annotation)).problems
    assert problems == [], f"{op.label}: {problems}"


@pytest.mark.parametrize("label", sorted(BODIES))
def test_request_model_rejects_unknown_field_at_runtime(label: str) -> None:
    _, annotation = BODIES[label]
    # An optional body is `Model | None`; the model inside is what must be strict.
    options = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    for option in options:
        if not (isinstance(option, type) and issubclass(option, BaseModel)):
            pytest.fail(f"{label}: request bodies must be pydantic models, got {option!r}")
        assert option.model_config.get("extra") == "forbid"


def test_walk_schema_flags_unbounded_fields() -> None:
    # The checker itself must be able to fail: an open, unbounded model is caught on every count.
    class Loose(BaseModel):
        name: str
        tags: list[str]
        count: int
        extra: dict[str, str]

    problems = {p.split(":")[0] for p in _Walker(_schema(Loose)).problems}
    assert problems == {"$", "$.name", "$.tags", "$.tags[]", "$.count", "$.extra", "$.extra{*}"}
