"""Every number a body accepts survives storage: extreme but valid values are never a 500.

DynamoDB numbers span 1e-130 to 1e126 with 38 digits; a float the schema allows outside that
(e.g. 1e-200 for a `ge=0` field) must be refused with 422 or stored, never crash the write.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.reliability.conftest import World, fill_path
from tests.reliability.routes import BODIES, Operation, api_operations, camel_params

# Valid for the schema wherever 0 is, yet out of DynamoDB's range; then a 17-digit value.
EDGE_VALUES = (1e-200, 5e-324, 0.12345678901234567)


def _number_fields(op: Operation) -> list[tuple[str, dict[str, Any]]]:
    field = op.route.body_field
    model = field.field_info.annotation if field is not None else None
    schema_of = getattr(model, "model_json_schema", None)
    if schema_of is None:
        return []
    properties: dict[str, Any] = schema_of(by_alias=True).get("properties", {})
    found = []
    for name, spec in properties.items():
        options = spec.get("anyOf", [spec])
        numbers = [o for o in options if o.get("type") == "number"]
        if numbers:
            found.append((name, numbers[0]))
    return found


CASES = [
    (op, name, value)
    for op in api_operations(create_app())
    for name, spec in _number_fields(op)
    for value in EDGE_VALUES
    if spec.get("minimum", spec.get("exclusiveMinimum", 0)) <= value <= spec.get("maximum", 1e300)
]


@pytest.mark.parametrize(
    ("op", "name", "value"), CASES, ids=[f"{op.label} {name}={value}" for op, name, value in CASES]
)
def test_body_number_at_storage_edge_is_not_a_server_error(
    client: TestClient, world: World, op: Operation, name: str, value: float
) -> None:
    sample = BODIES.get((op.method, camel_params(op.path)))
    if sample is None:
        pytest.fail(f"{op.label}: add a valid sample body to BODIES in tests/reliability/routes.py")
    body = {**sample, name: value}
    if "version" in body:
        body["version"] = _current_version(client, world, op)
    response = client.request(
        op.method, fill_path(op, world.ids), json=body, headers=world.owner.headers
    )
    assert response.status_code < 500, f"{op.label} {name}={value}: {response.text}"


def _current_version(client: TestClient, world: World, op: Operation) -> int:
    read = client.get(fill_path(op, world.ids), headers=world.owner.headers)
    return int(read.json().get("version", 1)) if read.status_code == 200 else 1
