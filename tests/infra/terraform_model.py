"""Read infra/*.tf with python-hcl2 and compare it with the app's tables, queue and settings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

from app.core.config import Settings
from app.core.queues import QueueSpec
from app.core.tables import TableSpec

INFRA = Path(__file__).resolve().parents[2] / "infra"
# Lambda sets these itself and refuses them in a function's configuration.
LAMBDA_RESERVED = frozenset({"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID"})
_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False)


@dataclass(frozen=True)
class Terraform:
    """Every top-level block of a Terraform directory, merged across files."""

    resources: dict[str, dict[str, dict[str, Any]]]
    locals: dict[str, Any]
    variables: dict[str, dict[str, Any]]
    data: dict[str, dict[str, dict[str, Any]]]

    def resource(self, kind: str, name: str) -> dict[str, Any]:
        """Return one resource's attributes, or fail with its address."""
        try:
            return self.resources[kind][name]
        except KeyError:
            raise AssertionError(f"{kind}.{name} is not in infra/") from None


def load_terraform(directory: Path = INFRA) -> Terraform:
    """Parse every .tf file of a directory."""
    resources: dict[str, dict[str, dict[str, Any]]] = {}
    data: dict[str, dict[str, dict[str, Any]]] = {}
    local_values: dict[str, Any] = {}
    variables: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.tf")):
        with path.open() as handle:
            parsed = hcl2.load(handle, serialization_options=_OPTIONS)
        for block in parsed.get("resource", []):
            for kind, named in block.items():
                resources.setdefault(kind, {}).update(named)
        for block in parsed.get("data", []):
            for kind, named in block.items():
                data.setdefault(kind, {}).update(named)
        for block in parsed.get("locals", []):
            local_values.update(block)
        for block in parsed.get("variable", []):
            variables.update(block)
    return Terraform(resources=resources, locals=local_values, variables=variables, data=data)


def first_block(value: Any) -> dict[str, Any]:
    """Return a nested block whether the parser gave it as a dict or a one-item list."""
    if isinstance(value, list):
        assert len(value) == 1, value
        value = value[0]
    assert isinstance(value, dict), value
    return value


def dynamic_block(resource: dict[str, Any], name: str) -> dict[str, Any]:
    """Return a `dynamic "<name>"` block of a resource."""
    for block in resource.get("dynamic", []):
        if name in block:
            return first_block(block[name])
    raise AssertionError(f"no dynamic {name} block")


def policy_statements(tf: Terraform, name: str) -> list[dict[str, Any]]:
    """Return every statement of an aws_iam_policy_document, dynamic ones included."""
    document = tf.data["aws_iam_policy_document"][name]
    statements = list(document.get("statement", []))
    for block in document.get("dynamic", []):
        if "statement" in block:
            statements.append(first_block(first_block(block["statement"])["content"]))
    return statements


def granted_actions(tf: Terraform, name: str) -> set[str]:
    """Return every action a policy document grants, whatever the variables."""
    return {
        action
        for statement in policy_statements(tf, name)
        if statement.get("effect", "Allow") == "Allow"
        for action in statement["actions"]
    }


def table_shape(spec: TableSpec) -> dict[str, Any]:
    """Return a table spec in the shape of an entry of local.tables."""
    return {
        "hash_key": spec.hash_key,
        "range_key": spec.range_key,
        "ttl_attribute": spec.ttl_attribute,
        "holds_user_data": spec.holds_user_data,
        "indexes": [
            {"name": i.name, "hash_key": i.hash_key, "range_key": i.range_key} for i in spec.indexes
        ],
    }


def compare_tables(specs: Iterable[TableSpec], tables: dict[str, Any]) -> list[str]:
    """Return every difference between the app's table specs and local.tables."""
    problems: list[str] = []
    by_name = {spec.name: spec for spec in specs}
    for name in sorted(set(by_name) - set(tables)):
        problems.append(f"table {name} is declared by the app (app/domains.py) but not in infra")
    for name in sorted(set(tables) - set(by_name)):
        problems.append(f"table {name} is in infra but not declared by the app (app/domains.py)")
    for name in sorted(set(by_name) & set(tables)):
        expected = table_shape(by_name[name])
        actual = {**tables[name], "indexes": list(tables[name].get("indexes") or [])}
        for key, want in expected.items():
            if actual.get(key) != want:
                problems.append(f"table {name}: {key} is {actual.get(key)!r}, the app has {want!r}")
    return problems


def redrive_max_receive_count(queue: dict[str, Any]) -> int | None:
    """Return maxReceiveCount from a queue's jsonencode()d redrive policy."""
    match = re.search(r"maxReceiveCount\s*=\s*(\d+)", str(queue.get("redrive_policy", "")))
    return int(match.group(1)) if match else None


def compare_queue(spec: QueueSpec, tf: Terraform) -> list[str]:
    """Return every difference between a queue spec and its aws_sqs_queue pair."""
    resources = tf.resources.get("aws_sqs_queue", {})
    by_name = {str(r.get("name")): (key, r) for key, r in resources.items()}
    queue_name, dlq_name = f"${{local.name}}-{spec.name}", f"${{local.name}}-{spec.dlq_name}"
    if queue_name not in by_name or dlq_name not in by_name:
        return [f"queue {spec.name} or its DLQ {spec.dlq_name} is not in infra"]
    (_, queue), (dlq_key, dlq) = by_name[queue_name], by_name[dlq_name]
    checks = {
        "visibility_timeout_seconds": (
            queue.get("visibility_timeout_seconds"),
            spec.visibility_timeout_seconds,
        ),
        "message_retention_seconds": (
            queue.get("message_retention_seconds"),
            spec.retention_seconds,
        ),
        "DLQ message_retention_seconds": (
            dlq.get("message_retention_seconds"),
            spec.dlq_retention_seconds,
        ),
        "maxReceiveCount": (redrive_max_receive_count(queue), spec.max_receive_count),
    }
    problems = [
        f"queue {spec.name}: {what} is {have!r}, the app has {want!r}"
        for what, (have, want) in checks.items()
        if have != want
    ]
    if f"aws_sqs_queue.{dlq_key}.arn" not in str(queue.get("redrive_policy", "")):
        problems.append(f"queue {spec.name} does not redrive to {spec.dlq_name}")
    return problems


def settings_env_names() -> set[str]:
    """Return every environment variable name Settings reads."""
    names: set[str] = set()
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias.upper() if isinstance(alias, str) else field_name.upper())
    return names


def lambda_environment(tf: Terraform) -> dict[str, Any]:
    """Return the function's environment variables as written in infra/."""
    function = tf.resource("aws_lambda_function", "api")
    variables = first_block(function["environment"])["variables"]
    assert isinstance(variables, dict)
    return variables


def check_environment(names: Iterable[str]) -> list[str]:
    """Return every variable given to the function that Settings does not read or Lambda forbids."""
    known = settings_env_names()
    problems = [f"{n} is not a Settings field" for n in sorted(set(names) - known)]
    problems += [f"{n} is reserved by Lambda" for n in sorted(set(names) & LAMBDA_RESERVED)]
    return problems
