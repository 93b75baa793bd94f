"""Schemathesis over the whole OpenAPI, in-process, with real Cognito access tokens.

Every operation gets its own fresh user (an admin for admin-only routes) who owns one object of
each kind; schema-valid cases address those real objects, so bodies reach the storage layer
instead of stopping at a 404. `make test` runs FUZZ_MAX_EXAMPLES (default 10) generated cases per
operation on top of the schema's examples and boundary (coverage) cases; `make fuzz` runs 100.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from app.local.aws_emulator import LocalAws
from app.main import create_app
from tests.conftest import LoggedInUser
from tests.reliability.conftest import World, build_world, make_admin
from tests.reliability.routes import is_admin_only, operations

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
SEED = 20261123
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    ignored_auth,
]
APP = create_app()
ADMIN_ONLY = {op.label for op in operations(APP) if is_admin_only(op)}
OPERATION_PARAMS = {op.label: op.params for op in operations(APP)}
CASES: Counter[str] = Counter()
WORLDS: dict[str, World] = {}

# Calls run in-process against APP once the emulator fixture has pointed the settings at it.
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    APP,
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


@pytest.fixture(scope="module", autouse=True)
def _report_cases() -> Iterator[None]:
    yield
    print(
        f"\nschemathesis: {sum(CASES.values())} cases over {len(CASES)} operations "
        f"(seed {SEED}, max examples {MAX_EXAMPLES})"
    )
    for label, count in sorted(CASES.items(), key=lambda item: item[1]):
        print(f"  {count:>5}  {label}")


def _world(
    label: str,
    client: TestClient,
    user_factory: Callable[..., LoggedInUser],
    local_aws: LocalAws,
) -> World:
    if label not in WORLDS:
        owner = user_factory()
        if label in ADMIN_ONLY:
            owner = make_admin(client, owner, local_aws)
        WORLDS[label] = build_world(client, APP, owner, params=OPERATION_PARAMS[label])
    return WORLDS[label]


def _address_real_objects(case: Any, ids: dict[str, str]) -> None:
    # Negative path cases keep their invalid values; valid ones point at the user's objects.
    path_info = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if path_info is not None and path_info.mode is GenerationMode.NEGATIVE:
        return
    case.path_parameters = {
        name: ids.get(name, value) for name, value in (case.path_parameters or {}).items()
    }


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_fuzz_operation_conforms_to_openapi(
    case: Any,
    client: TestClient,
    user_factory: Callable[..., LoggedInUser],
    local_aws: LocalAws,
) -> None:
    label = case.operation.label
    CASES[label] += 1
    world = _world(label, client, user_factory, local_aws)
    _address_real_objects(case, world.ids)
    case.call_and_validate(headers=world.owner.headers, checks=CHECKS)
