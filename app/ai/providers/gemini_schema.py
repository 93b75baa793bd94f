"""Turn a Pydantic JSON schema into the OpenAPI subset Gemini's responseSchema accepts."""

from __future__ import annotations

from typing import Any

_COPIED = (
    "description",
    "enum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "required",
)
_FORMATS = frozenset({"date-time", "enum"})


def to_response_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Inline $refs, turn `anyOf [X, null]` into nullable X and drop keys Gemini refuses."""
    return _convert(schema, schema.get("$defs", {}), depth=0)


def _convert(node: dict[str, Any], defs: dict[str, Any], *, depth: int) -> dict[str, Any]:
    if depth > 16:
        raise ValueError("schema too deep for Gemini")
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
        return _convert(merged, defs, depth=depth + 1)
    options = node.get("anyOf") or node.get("oneOf")
    if options:
        real = [o for o in options if o.get("type") != "null"]
        nullable = len(real) < len(options)
        if len(real) == 1:
            inner = {**node, **real[0], "anyOf": None, "oneOf": None}
            converted = _convert(inner, defs, depth=depth)
        else:
            converted = {"anyOf": [_convert(o, defs, depth=depth + 1) for o in real]}
        return {**converted, "nullable": True} if nullable else converted
    out: dict[str, Any] = {key: node[key] for key in _COPIED if node.get(key) is not None}
    if "const" in node:
        out["enum"] = [node["const"]]
    kind = node.get("type") or ("object" if "properties" in node else "string")
    out["type"] = str(kind).upper()
    if node.get("format") in _FORMATS:
        out["format"] = node["format"]
    if "exclusiveMinimum" in node:
        out.setdefault("minimum", node["exclusiveMinimum"])
    if "exclusiveMaximum" in node:
        out.setdefault("maximum", node["exclusiveMaximum"])
    if out["type"] == "OBJECT":
        properties = node.get("properties") or {}
        out["properties"] = {
            key: _convert(value, defs, depth=depth + 1) for key, value in properties.items()
        }
        out["propertyOrdering"] = list(properties)
    if out["type"] == "ARRAY":
        out["items"] = _convert(node.get("items") or {}, defs, depth=depth + 1)
    return out
