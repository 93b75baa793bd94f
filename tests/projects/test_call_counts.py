"""DynamoDB calls per route, counted through botocore events: one per read, Queries for lists."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.call_counts import format_table, measure_route_calls
from tests.projects.helpers import count_dynamodb_calls

OWNER_CHECK = ["GetItem"]
IDEMPOTENCY_START, IDEMPOTENCY_SAVE = "PutItem", "UpdateItem"
EXPECTED = {
    "POST /projects": ["PutItem"],
    "POST /projects (Idempotency-Key)": [IDEMPOTENCY_START, "PutItem", IDEMPOTENCY_SAVE],
    # The replay is answered from the failed conditional put's returned record.
    "POST /projects (Idempotency-Key replay)": [IDEMPOTENCY_START],
    "GET /projects": ["Query"],
    "GET /projects/{id}": ["GetItem"],
    "PATCH /projects/{id}": ["UpdateItem"],
    # Phase and sprint ids are checked against the stored project first.
    "PATCH /projects/{id} (phases)": ["GetItem", "UpdateItem"],
    "POST /projects/{id}/requirements": [*OWNER_CHECK, "PutItem"],
    "POST /projects/{id}/requirements (Idempotency-Key)": [
        *OWNER_CHECK,
        IDEMPOTENCY_START,
        "PutItem",
        IDEMPOTENCY_SAVE,
    ],
    "GET /projects/{id}/requirements": [*OWNER_CHECK, "Query"],
    "GET /projects/{id}/requirements?type=": [*OWNER_CHECK, "Query"],
    "GET /projects/{id}/requirements/{id}": [*OWNER_CHECK, "GetItem"],
    "PATCH /projects/{id}/requirements/{id}": [*OWNER_CHECK, "UpdateItem"],
    # The index sort key embeds createdAt, so a type change reads the requirement first.
    "PATCH /projects/{id}/requirements/{id} (type)": [*OWNER_CHECK, "GetItem", "UpdateItem"],
    "DELETE /projects/{id}/requirements/{id}": [*OWNER_CHECK, "DeleteItem"],
    # The owner check comes before the project.deleted event is sent (SQS, not counted here).
    "DELETE /projects/{id}": [*OWNER_CHECK, "DeleteItem"],
}


def test_routes_make_expected_dynamodb_calls_and_never_scan(
    client: TestClient, user: LoggedInUser
) -> None:
    # When every route runs once
    found = measure_route_calls(client, user)
    print("\nDynamoDB calls per route\n" + format_table(found))
    # Then each made exactly the expected calls, and none was a Scan
    assert dict(found) == EXPECTED
    assert not any(op == "Scan" for _, calls in found for op in calls)


def test_count_dynamodb_calls_sees_resource_and_client_calls(
    client: TestClient, user: LoggedInUser
) -> None:
    # The counter itself must be able to see calls, or every count above would be vacuous
    with count_dynamodb_calls() as calls:
        client.get("/projects", headers=user.headers)
        client.get("/projects/not-there", headers=user.headers)
    assert calls == ["Query", "GetItem"]
