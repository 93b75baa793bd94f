"""Risk bodies: bounded, strictly typed, and a phaseId must name a phase of the project."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.risks.helpers import RISK, create_project, create_risk, risks_path


@pytest.mark.parametrize(
    "change",
    [
        {"likelihood": 0},
        {"impact": 6},
        {"likelihood": "3"},
        {"impact": 2.5},
        {"likelihood": True},
        {"category": "weather"},
        {"status": "done"},
        {"title": ""},
        {"title": "Two\nlines"},
        {"title": "x" * 201},
        {"score": 25},
        {"source": "ai"},
        {"riskId": "mine"},
        {"ownerId": "someone"},
        {"phaseId": "not/an id"},
        {"mitigation": "x" * 4001},
    ],
    ids=lambda change: ",".join(f"{k}={v!r}"[:30] for k, v in change.items()),
)
def test_create_risk_with_invalid_body_is_422(
    client: TestClient, user: LoggedInUser, change: dict[str, Any]
) -> None:
    project_id = create_project(client, user)["projectId"]
    response = client.post(risks_path(project_id), json={**RISK, **change}, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


def test_create_risk_without_required_fields_is_422(client: TestClient, user: LoggedInUser) -> None:
    project_id = create_project(client, user)["projectId"]
    for missing in ("title", "category", "likelihood", "impact"):
        body = {k: v for k, v in RISK.items() if k != missing}
        response = client.post(risks_path(project_id), json=body, headers=user.headers)
        assert response.status_code == 422, missing


def test_phase_of_another_project_is_422_on_create_and_update(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given two projects of the caller's and a risk in the first
    project = create_project(client, user)
    elsewhere = create_project(client, user)["phases"][0]["phaseId"]
    risk = create_risk(client, user, project["projectId"])
    path = risks_path(project["projectId"])
    # When a risk names a phase of the other project
    created = client.post(path, json={**RISK, "phaseId": elsewhere}, headers=user.headers)
    updated = client.patch(
        f"{path}/{risk['riskId']}", json={"version": 1, "phaseId": elsewhere}, headers=user.headers
    )
    # Then both are refused, pointing at phaseId, and nothing changed
    for response in (created, updated):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"] == [{"loc": ["body", "phaseId"]}]
    assert client.get(f"{path}/{risk['riskId']}", headers=user.headers).json() == risk
    assert len(client.get(path, headers=user.headers).json()["items"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"version": 1},
        {"version": 1, "title": None},
        {"version": 1, "likelihood": None},
        {"version": 1, "status": None},
        {"version": 1, "impact": 0},
        {"version": 1, "score": 3},
        {"title": "No version"},
    ],
    ids=[
        "nothing",
        "null-title",
        "null-likelihood",
        "null-status",
        "impact-0",
        "score",
        "no-version",
    ],
)
def test_update_risk_with_invalid_body_is_422(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    project_id = create_project(client, user)["projectId"]
    risk = create_risk(client, user, project_id)
    response = client.patch(
        f"{risks_path(project_id)}/{risk['riskId']}", json=body, headers=user.headers
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("query", ["minScore=0", "minScore=26", "status=done", "category=x"])
def test_list_risks_with_invalid_filter_is_422(
    client: TestClient, user: LoggedInUser, query: str
) -> None:
    project_id = create_project(client, user)["projectId"]
    response = client.get(f"{risks_path(project_id)}?{query}", headers=user.headers)
    assert response.status_code == 422, response.text


def test_assess_with_too_long_focus_or_unknown_field_is_422(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    for body in ({"focus": "x" * 2001}, {"instructions": "no such field"}):
        response = client.post(f"{risks_path(project_id)}/assess", json=body, headers=user.headers)
        assert response.status_code == 422, response.text
