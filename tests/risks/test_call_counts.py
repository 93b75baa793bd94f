"""DynamoDB calls per templates and risks route: gets and lists are one or two, never a Scan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import count_dynamodb_calls
from tests.risks.helpers import RISK, create_project, risks_path

BUILTIN = "builtin-data-ml-platform"
OWNER_CHECK = ["GetItem"]
EXPECTED = {
    "POST /templates": ["PutItem"],
    # The built-ins' usage counters, then the caller's own templates.
    "GET /templates": ["Query", "Query"],
    "GET /templates?scope=builtin": ["Query"],
    "GET /templates?scope=mine&discipline=x": ["Query"],
    "GET /templates/{builtin}": ["GetItem"],
    "GET /templates/{id}": ["GetItem"],
    "PATCH /templates/{id}": ["UpdateItem"],
    "PATCH /templates/{builtin}": [],
    "DELETE /templates/{id}": ["DeleteItem"],
    # The daily AI quota and the job record (the SQS send is not counted here).
    "POST /templates/generate": ["UpdateItem", "PutItem"],
    # The template, then the project and its usage message in one transaction; the message is
    # cleared from the outbox once sent.
    "POST /projects (templateId)": ["GetItem", "TransactWriteItems", "DeleteItem"],
    "POST /projects/{id}/risks": [*OWNER_CHECK, "PutItem"],
    # The whole project is read to check the phase (and ownership, in the same read).
    "POST /projects/{id}/risks (phaseId)": ["GetItem", "PutItem"],
    "GET /projects/{id}/risks?status&category&minScore": [*OWNER_CHECK, "Query"],
    "GET /projects/{id}/risks/{id}": [*OWNER_CHECK, "GetItem"],
    # Score and index keys depend on fields a PATCH may leave out: read, then a guarded put.
    "PATCH /projects/{id}/risks/{id}": [*OWNER_CHECK, "GetItem", "PutItem"],
    "DELETE /projects/{id}/risks/{id}": [*OWNER_CHECK, "DeleteItem"],
    # The project and its newest 100 requirements go into the prompt; then quota and job.
    "POST /projects/{id}/risks/assess": ["GetItem", *OWNER_CHECK, "Query", "UpdateItem", "PutItem"],
}


def _measure(client: TestClient, user: LoggedInUser) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    auth = user.headers

    def run(label: str, send: Callable[[], Any], status: int = 200) -> Any:
        with count_dynamodb_calls() as calls:
            response = send()
        assert response.status_code == status, (label, response.text)
        found[label] = list(calls)
        return response.json() if response.content else None

    template = run(
        "POST /templates", lambda: client.post("/templates", json={"name": "T"}, headers=auth), 201
    )
    one = f"/templates/{template['templateId']}"
    run("GET /templates", lambda: client.get("/templates", headers=auth))
    run(
        "GET /templates?scope=builtin", lambda: client.get("/templates?scope=builtin", headers=auth)
    )
    run(
        "GET /templates?scope=mine&discipline=x",
        lambda: client.get("/templates?scope=mine&discipline=x", headers=auth),
    )
    run("GET /templates/{builtin}", lambda: client.get(f"/templates/{BUILTIN}", headers=auth))
    run("GET /templates/{id}", lambda: client.get(one, headers=auth))
    patch = {"version": 1, "name": "U"}
    run("PATCH /templates/{id}", lambda: client.patch(one, json=patch, headers=auth))
    run(
        "PATCH /templates/{builtin}",
        lambda: client.patch(f"/templates/{BUILTIN}", json=patch, headers=auth),
        403,
    )
    run(
        "POST /templates/generate",
        lambda: client.post("/templates/generate", json={"description": "d"}, headers=auth),
        202,
    )
    run(
        "POST /projects (templateId)",
        lambda: client.post("/projects", json={"name": "P", "templateId": BUILTIN}, headers=auth),
        201,
    )
    run("DELETE /templates/{id}", lambda: client.delete(one, headers=auth), 204)
    project = create_project(client, user)
    path = risks_path(project["projectId"])
    risk = run("POST /projects/{id}/risks", lambda: client.post(path, json=RISK, headers=auth), 201)
    with_phase = {**RISK, "phaseId": project["phases"][0]["phaseId"]}
    run(
        "POST /projects/{id}/risks (phaseId)",
        lambda: client.post(path, json=with_phase, headers=auth),
        201,
    )
    run(
        "GET /projects/{id}/risks?status&category&minScore",
        lambda: client.get(f"{path}?status=open&category=schedule&minScore=5", headers=auth),
    )
    one_risk = f"{path}/{risk['riskId']}"
    run("GET /projects/{id}/risks/{id}", lambda: client.get(one_risk, headers=auth))
    run(
        "PATCH /projects/{id}/risks/{id}",
        lambda: client.patch(one_risk, json={"version": 1, "impact": 1}, headers=auth),
    )
    run(
        "POST /projects/{id}/risks/assess",
        lambda: client.post(f"{path}/assess", json={}, headers=auth),
        202,
    )
    run("DELETE /projects/{id}/risks/{id}", lambda: client.delete(one_risk, headers=auth), 204)
    return found


def test_templates_and_risks_routes_make_expected_dynamodb_calls_and_never_scan(
    client: TestClient, user: LoggedInUser
) -> None:
    # When every route runs once
    found = _measure(client, user)
    print("\n" + "\n".join(f"{label}: {', '.join(calls)}" for label, calls in found.items()))
    # Then each made exactly the expected calls, none a Scan
    assert found == EXPECTED
    assert not any(op == "Scan" for calls in found.values() for op in calls)
