"""Update expressions built from typed changes, with placeholders that never clash."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.dynamo import to_dynamo
from app.core.schemas import isoformat, utc_now

VERSION = "version"


@dataclass(frozen=True)
class Changes:
    """What an update writes: attributes to set, remove and add to (atomic counters).

    Names may be document paths (`phases[2].generated`); each segment gets a placeholder.
    """

    set: Mapping[str, Any] = field(default_factory=dict)
    remove: Sequence[str] = ()
    add: Mapping[str, int | float] = field(default_factory=dict)
    bump_version: bool = True


def deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a low-level item (as in a failed condition's ALL_OLD) to plain values."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {key: deserializer.deserialize(value) for key, value in item.items()}


def _placeholders(path: str, names: dict[str, str]) -> str:
    """Turn `phases[2].generated` into `#p0[2].#p1`, registering each name."""
    parts = []
    for segment in path.split("."):
        name, bracket, rest = segment.partition("[")
        placeholder = f"#p{len(names)}"
        names[placeholder] = name
        parts.append(placeholder + (bracket + rest if bracket else ""))
    return ".".join(parts)


def update_expression(changes: Changes) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Return the UpdateExpression, its names and its values for a set of changes."""
    # Our placeholders (#p, :u) never look like boto3's condition placeholders (#n, :v), which
    # share the same maps and would silently overwrite ours.
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    sets: list[str] = []
    for path, value in changes.set.items():
        values[f":u{len(values)}"] = to_dynamo(value)
        sets.append(f"{_placeholders(path, names)} = :u{len(values) - 1}")
    if changes.bump_version:
        values[":one"] = 1
        values[":now"] = isoformat(utc_now())
        version, updated = _placeholders(VERSION, names), _placeholders("updatedAt", names)
        sets += [f"{version} = {version} + :one", f"{updated} = :now"]
    clauses = ["SET " + ", ".join(sets)] if sets else []
    if changes.add:
        adds = []
        for path, amount in changes.add.items():
            values[f":u{len(values)}"] = to_dynamo(amount)
            adds.append(f"{_placeholders(path, names)} :u{len(values) - 1}")
        clauses.append("ADD " + ", ".join(adds))
    if changes.remove:
        clauses.append("REMOVE " + ", ".join(_placeholders(p, names) for p in changes.remove))
    return " ".join(clauses), names, values
