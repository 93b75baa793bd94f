"""Risks: create, read, update at a version, delete; the server sets score and source."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.risks.helpers import RISK, create_project, create_risk, risks_path


def test_create_risk_scores_it_and_marks_it_manual(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user)
    phase_id = project["phases"][1]["phaseId"]
    response = client.post(
        risks_path(project["projectId"]), json={**RISK, "phaseId": phase_id}, headers=user.headers
    )
    assert response.status_code == 201, response.text
    risk = response.json()
    assert response.headers["ETag"] == '"1"'
    assert uuid.UUID(risk["riskId"])
    assert risk["projectId"] == project["projectId"]
    assert (risk["score"], risk["status"], risk["source"], risk["version"]) == (
        12,
        "open",
        "manual",
        1,
    )
    assert (risk["phaseId"], risk["ownerRole"]) == (phase_id, "Procurement lead")
    read = client.get(f"{risks_path(project['projectId'])}/{risk['riskId']}", headers=user.headers)
    assert read.status_code == 200
    assert read.json() == risk
    assert read.headers["ETag"] == '"1"'


def test_update_risk_rescores_and_clears_fields(client: TestClient, user: LoggedInUser) -> None:
    # Given a risk scored 3 x 4
    project = create_project(client, user)
    risk = create_risk(client, user, project["projectId"])
    path = f"{risks_path(project['projectId'])}/{risk['riskId']}"
    # When its impact changes, it moves to mitigating and its mitigation is cleared
    body = {"version": 1, "impact": 5, "status": "mitigating", "mitigation": None}
    response = client.patch(path, json=body, headers=user.headers)
    # Then the score follows, the rest stays, and the version goes up
    assert response.status_code == 200, response.text
    updated = response.json()
    assert response.headers["ETag"] == '"2"'
    assert (updated["likelihood"], updated["impact"], updated["score"]) == (3, 5, 15)
    assert (updated["status"], updated["mitigation"], updated["version"]) == ("mitigating", None, 2)
    assert (updated["title"], updated["source"]) == (risk["title"], "manual")
    assert updated["createdAt"] == risk["createdAt"] < updated["updatedAt"]
    assert client.get(path, headers=user.headers).json() == updated


def test_update_risk_sets_and_clears_phase(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user)
    risk = create_risk(client, user, project["projectId"])
    path = f"{risks_path(project['projectId'])}/{risk['riskId']}"
    phase_id = project["phases"][0]["phaseId"]
    set_phase = client.patch(path, json={"version": 1, "phaseId": phase_id}, headers=user.headers)
    assert set_phase.json()["phaseId"] == phase_id
    cleared = client.patch(
        path, json={"phaseId": None}, headers={**user.headers, "If-Match": '"2"'}
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["phaseId"] is None


def test_delete_risk_then_it_is_404(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user)
    risk = create_risk(client, user, project["projectId"])
    path = f"{risks_path(project['projectId'])}/{risk['riskId']}"
    assert client.delete(path, headers=user.headers).status_code == 204
    assert client.get(path, headers=user.headers).status_code == 404
    assert client.delete(path, headers=user.headers).status_code == 404
    assert client.get(risks_path(project["projectId"]), headers=user.headers).json()["items"] == []


def test_update_risk_at_stale_version_is_409_and_writes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user)
    risk = create_risk(client, user, project["projectId"])
    path = f"{risks_path(project['projectId'])}/{risk['riskId']}"
    assert client.patch(path, json={"version": 1, "likelihood": 1}, headers=user.headers).is_success
    stale = client.patch(path, json={"version": 1, "likelihood": 5}, headers=user.headers)
    assert stale.status_code == 409, stale.text
    assert stale.json()["error"]["details"] == [{"currentVersion": 2}]
    stored = client.get(path, headers=user.headers).json()
    assert (stored["likelihood"], stored["score"], stored["version"]) == (1, 4, 2)


def test_create_risk_with_same_idempotency_key_returns_first(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a create with an Idempotency-Key
    project_id = create_project(client, user)["projectId"]
    headers = {"Idempotency-Key": f"risk-{uuid.uuid4()}"}
    first = create_risk(client, user, project_id, headers=headers)
    # When it is replayed, then sent again with another body
    replay = client.post(risks_path(project_id), json=RISK, headers={**user.headers, **headers})
    other = client.post(
        risks_path(project_id), json={**RISK, "impact": 1}, headers={**user.headers, **headers}
    )
    # Then the replay is the first risk, the other body conflicts, and one risk exists
    assert replay.status_code == 201 and replay.json() == first
    assert other.status_code == 409
    listed = client.get(risks_path(project_id), headers=user.headers).json()["items"]
    assert [item["riskId"] for item in listed] == [first["riskId"]]
