"""The authorization matrix, generated from `app.routes`: tokens, owners and admins on every route.

Each operation is called by: nobody (no token, a garbage token, an ID token), a second user with
the owner's ids, a non-admin on admin routes, and the owner on reads. New routes are picked up
automatically; a path parameter no seeder can fill, or a body route without a sample body, fails.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import LoggedInUser
from tests.reliability.conftest import World, fill_path
from tests.reliability.routes import (
    BODIES,
    PUBLIC_ROUTES,
    Operation,
    camel_params,
    is_admin_only,
    operations,
    requires_token,
)

OPS = operations(create_app())
PRIVATE = [op for op in OPS if (op.method, op.path) not in PUBLIC_ROUTES]
OWNER_SCOPED = [op for op in PRIVATE if op.params and not is_admin_only(op)]
ADMIN_ONLY = [op for op in PRIVATE if is_admin_only(op)]
LISTS = [op for op in PRIVATE if op.method == "GET" and not op.params and not is_admin_only(op)]
OWNER_READS = [op for op in OWNER_SCOPED if op.method == "GET"]
CALLS: Counter[str] = Counter()
PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def _has_body(op: Operation) -> bool:
    return op.is_api and op.route.body_field is not None


def _body(op: Operation, *, required: bool = True) -> dict[str, Any] | None:
    if not _has_body(op):
        return None
    sample = BODIES.get((op.method, camel_params(op.path)))
    if sample is None and required:
        pytest.fail(f"{op.label}: add a valid sample body to BODIES in tests/reliability/routes.py")
    return dict(sample or {})


def _call(client: TestClient, op: Operation, path: str, caller: str, **kwargs: Any) -> Any:
    CALLS[caller] += 1
    return client.request(op.method, path, **kwargs)


@pytest.fixture(scope="module", autouse=True)
def _report_size() -> Iterator[None]:
    yield
    print(
        f"\nauthorization matrix: {len(OPS)} operations ({len(PRIVATE)} private, "
        f"{len(OWNER_SCOPED)} owner-scoped, {len(ADMIN_ONLY)} admin-only); "
        f"{sum(CALLS.values())} calls by caller: {dict(CALLS)}"
    )


def test_public_routes_are_exactly_the_allow_list() -> None:
    unguarded = {op.label for op in OPS if op.is_api and not requires_token(op)}
    allowed = {f"{m} {p}" for m, p in PUBLIC_ROUTES}
    assert unguarded - allowed == set(), "new public routes must be added to PUBLIC_ROUTES"
    guarded_but_listed = {op.label for op in OPS if requires_token(op)} & allowed
    assert guarded_but_listed == set()


@pytest.mark.parametrize("op", PRIVATE, ids=lambda op: op.label)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "id-token"],
    ids=["none", "garbage", "malformed-jwt", "basic", "id-token"],
)
def test_private_route_without_valid_access_token_is_401(
    client: TestClient, world: World, op: Operation, authorization: str | None
) -> None:
    path = op.fill(
        {
            name: (world.ids.get("email") if name == "email" else None) or PLACEHOLDER
            for name in op.params
        }
    )
    headers = {}
    if authorization == "id-token":
        headers["Authorization"] = f"Bearer {world.owner.id_token}"
    elif authorization is not None:
        headers["Authorization"] = authorization
    # The guard runs before validation, so any body will do here.
    response = _call(client, op, path, "anonymous", headers=headers, json=_body(op, required=False))
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("op", OWNER_SCOPED, ids=lambda op: op.label)
def test_owner_scoped_route_by_other_user_is_404_and_changes_nothing(
    client: TestClient, world: World, intruder: LoggedInUser, op: Operation
) -> None:
    # Given the owner's objects as the owner sees them
    path = fill_path(op, world.ids)
    before = world.snapshot(client)
    # When another user calls the route with the owner's ids
    response = _call(client, op, path, "other-user", headers=intruder.headers, json=_body(op))
    # Then it looks exactly like a missing id, and nothing of the owner's changed
    assert response.status_code == 404, f"{op.label}: {response.status_code} {response.text}"
    assert response.json()["error"]["code"] == "not_found"
    assert world.snapshot(client) == before


@pytest.mark.parametrize("op", ADMIN_ONLY, ids=lambda op: op.label)
def test_admin_route_by_non_admin_is_403_and_changes_nothing(
    client: TestClient, world: World, intruder: LoggedInUser, op: Operation
) -> None:
    path = fill_path(op, world.ids)
    before = world.snapshot(client)
    for caller, user in (("owner", world.owner), ("other-user", intruder)):
        response = _call(client, op, path, caller, headers=user.headers, json=_body(op))
        assert response.status_code == 403, f"{op.label}: {response.text}"
        assert response.json()["error"]["code"] == "forbidden"
    assert world.snapshot(client) == before


@pytest.mark.parametrize("op", LISTS, ids=lambda op: op.label)
def test_list_route_by_other_user_shows_none_of_owner_objects(
    client: TestClient, world: World, intruder: LoggedInUser, op: Operation
) -> None:
    response = _call(client, op, op.path, "other-user", headers=intruder.headers)
    assert response.status_code == 200, response.text
    leaked = [value for value in world.ids.values() if value in response.text]
    assert leaked == []


@pytest.mark.parametrize("op", OWNER_READS, ids=lambda op: op.label)
def test_owner_read_is_served_with_no_store_and_nosniff(
    client: TestClient, world: World, op: Operation
) -> None:
    # The owner reaches every id the matrix uses, so the others' 404s are about ownership.
    response = _call(client, op, fill_path(op, world.ids), "owner", headers=world.owner.headers)
    assert response.status_code in (200, 409), f"{op.label}: {response.text}"
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def _body_id_fields(op: Operation) -> list[str]:
    """Return the body fields (by alias) that name one of the caller's objects, e.g. projectId."""
    field = op.route.body_field if op.is_api else None
    model = field.field_info.annotation if field is not None else None
    fields = getattr(model, "model_fields", {})
    return [f.alias or name for name, f in fields.items() if (f.alias or name).endswith("Id")]


BODY_REFERENCES = [op for op in PRIVATE if not op.params and _has_body(op) and _body_id_fields(op)]


@pytest.mark.parametrize("op", BODY_REFERENCES, ids=lambda op: op.label)
def test_route_given_other_users_id_in_body_is_404_and_changes_nothing(
    client: TestClient, world: World, intruder: LoggedInUser, op: Operation
) -> None:
    body = _body(op) or {}
    for name in _body_id_fields(op):
        if name not in world.ids:
            pytest.fail(f"{op.label}: no seeder provides {name} for the body")
        body[name] = world.ids[name]
    before = world.snapshot(client)
    response = _call(client, op, op.path, "other-user", headers=intruder.headers, json=body)
    assert response.status_code == 404, f"{op.label}: {response.status_code} {response.text}"
    assert world.snapshot(client) == before
