"""Run every project and requirement route once and record the DynamoDB calls each makes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, count_dynamodb_calls

RouteCalls = list[tuple[str, list[str]]]


def measure_route_calls(client: TestClient, user: LoggedInUser) -> RouteCalls:
    """Call each route once with valid input and return (label, DynamoDB operations) pairs."""
    found: RouteCalls = []
    auth = user.headers

    def run(label: str, send: Callable[[], Any], expected_status: int) -> Any:
        with count_dynamodb_calls() as calls:
            response = send()
        assert response.status_code == expected_status, (label, response.text)
        found.append((label, list(calls)))
        return response

    key = {**auth, "Idempotency-Key": str(uuid.uuid4())}
    project = run(
        "POST /projects", lambda: client.post("/projects", json=FULL_PROJECT, headers=auth), 201
    ).json()
    run(
        "POST /projects (Idempotency-Key)",
        lambda: client.post("/projects", json={"name": "K"}, headers=key),
        201,
    )
    run(
        "POST /projects (Idempotency-Key replay)",
        lambda: client.post("/projects", json={"name": "K"}, headers=key),
        201,
    )
    run("GET /projects", lambda: client.get("/projects", headers=auth), 200)
    path = f"/projects/{project['projectId']}"
    run("GET /projects/{id}", lambda: client.get(path, headers=auth), 200)
    run(
        "PATCH /projects/{id}",
        lambda: client.patch(path, json={"version": 1, "name": "N"}, headers=auth),
        200,
    )
    run(
        "PATCH /projects/{id} (phases)",
        lambda: client.patch(path, json={"version": 2, "phases": []}, headers=auth),
        200,
    )
    requirements = f"{path}/requirements"
    body = {"type": "functional", "title": "R"}
    requirement = run(
        "POST /projects/{id}/requirements",
        lambda: client.post(requirements, json=body, headers=auth),
        201,
    ).json()
    run(
        "POST /projects/{id}/requirements (Idempotency-Key)",
        lambda: client.post(requirements, json=body, headers=key),
        201,
    )
    run("GET /projects/{id}/requirements", lambda: client.get(requirements, headers=auth), 200)
    run(
        "GET /projects/{id}/requirements?type=",
        lambda: client.get(requirements, params={"type": "functional"}, headers=auth),
        200,
    )
    one = f"{requirements}/{requirement['requirementId']}"
    run("GET /projects/{id}/requirements/{id}", lambda: client.get(one, headers=auth), 200)
    run(
        "PATCH /projects/{id}/requirements/{id}",
        lambda: client.patch(one, json={"version": 1, "status": "done"}, headers=auth),
        200,
    )
    run(
        "PATCH /projects/{id}/requirements/{id} (type)",
        lambda: client.patch(one, json={"version": 2, "type": "test_case"}, headers=auth),
        200,
    )
    run("DELETE /projects/{id}/requirements/{id}", lambda: client.delete(one, headers=auth), 204)
    run("DELETE /projects/{id}", lambda: client.delete(path, headers=auth), 204)
    return found


def format_table(found: RouteCalls) -> str:
    """Render the calls as a small Markdown table."""
    lines = ["| route | DynamoDB calls | operations |", "|---|---|---|"]
    lines += [f"| {label} | {len(calls)} | {', '.join(calls)} |" for label, calls in found]
    return "\n".join(lines)
