"""Build a deterministic instance of a JSON schema from the schema alone (for the AI emulator)."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 8
DEFAULT_ITEMS = 2
_FORMATS = {
    "date": "2026-01-15",
    "date-time": "2026-01-15T09:30:00Z",
    "email": "someone@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000001",
}


class SchemaError(ValueError):
    """The schema uses a reference or construct the generator cannot follow."""


def instance_for(schema: dict[str, Any]) -> Any:
    """Return a value valid for the schema; the same schema always gives the same value."""
    return _Builder(schema).build(schema, name="value", depth=0)


class _Builder:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema:
            ref = str(schema["$ref"])
            if not ref.startswith("#/"):
                raise SchemaError(f"unsupported $ref {ref!r}")
            target: Any = self.root
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
            if seen > 32:
                raise SchemaError("$ref cycle")
        return schema

    def build(self, schema: Any, *, name: str, depth: int) -> Any:
        if not isinstance(schema, dict):
            return None if schema is False else f"{name} 1"
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if schema.get(key):
                return self.build(_pick_option(schema[key]), name=name, depth=depth)
        if schema.get("allOf"):
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged.update(self.resolve(part))
            return self.build(merged, name=name, depth=depth)
        kind = _type_of(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, name=name, depth=depth)
        if kind == "integer":
            return int(_number(schema, integer=True))
        if kind == "number":
            return _number(schema, integer=False)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(schema, name)

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        keep = properties if depth < MAX_DEPTH else {k: properties[k] for k in required}
        return {key: self.build(sub, name=key, depth=depth + 1) for key, sub in keep.items()}

    def _array(self, schema: dict[str, Any], *, name: str, depth: int) -> list[Any]:
        low = int(schema.get("minItems", 0))
        high = schema.get("maxItems")
        count = low if depth >= MAX_DEPTH else max(low, DEFAULT_ITEMS)
        if high is not None:
            count = min(count, int(high))
        items = schema.get("items", {})
        singular = name[:-1] if name.endswith("s") and len(name) > 1 else name
        return [
            self.build(items, name=f"{singular} {index + 1}", depth=depth + 1)
            for index in range(count)
        ]


def _pick_option(options: list[Any]) -> Any:
    for option in options:
        if not (isinstance(option, dict) and str(option.get("type", "")).lower() == "null"):
            return option
    return options[0]


def _type_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if str(k).lower() != "null"), "null")
    if kind:
        return str(kind).lower()
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _number(schema: dict[str, Any], *, integer: bool) -> float:
    low = schema.get("minimum")
    high = schema.get("maximum")
    step = 1 if integer else 0.5
    if schema.get("exclusiveMinimum") is not None:
        low = float(schema["exclusiveMinimum"]) + step
    if schema.get("exclusiveMaximum") is not None:
        high = float(schema["exclusiveMaximum"]) - step
    value = float(low) if low is not None else 1.0
    if high is not None and value > float(high):
        value = float(high)
    return float(int(value)) if integer else value


def _string(schema: dict[str, Any], name: str) -> str:
    text = _FORMATS.get(str(schema.get("format", "")), f"Emulated {name}".strip())
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    if len(text) < low:
        text += "x" * (low - len(text))
    if high is not None:
        text = text[: int(high)]
    return text
