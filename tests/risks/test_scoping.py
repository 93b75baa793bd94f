"""Another user's project and its risks are indistinguishable from missing ones, on every route."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.risks.helpers import RISK, create_project, create_risk, risks_path


def test_every_risk_route_on_another_users_project_is_404_and_changes_nothing(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Given the owner's project with a risk
    project = create_project(client, user)
    risk = create_risk(client, user, project["projectId"])
    path = risks_path(project["projectId"])
    one = f"{path}/{risk['riskId']}"
    # When another user calls every route with the owner's ids
    responses = {
        "create": client.post(path, json=RISK, headers=other_user.headers),
        "list": client.get(path, headers=other_user.headers),
        "assess": client.post(f"{path}/assess", json={}, headers=other_user.headers),
        "get": client.get(one, headers=other_user.headers),
        "patch": client.patch(one, json={"version": 1, "impact": 1}, headers=other_user.headers),
        "delete": client.delete(one, headers=other_user.headers),
    }
    # Then every one is a 404, and the owner's register is as it was
    for route, response in responses.items():
        assert response.status_code == 404, (route, response.text)
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(path, headers=user.headers).json()["items"] == [risk]
    jobs = client.get("/ai/jobs", headers=other_user.headers).json()["items"]
    assert jobs == []


def test_risk_of_one_project_is_404_under_another(client: TestClient, user: LoggedInUser) -> None:
    first = create_project(client, user)["projectId"]
    second = create_project(client, user)["projectId"]
    risk = create_risk(client, user, first)
    wrong = f"{risks_path(second)}/{risk['riskId']}"
    assert client.get(wrong, headers=user.headers).status_code == 404
    assert (
        client.patch(wrong, json={"version": 1, "impact": 1}, headers=user.headers).status_code
        == 404
    )
    assert client.delete(wrong, headers=user.headers).status_code == 404


def test_risks_of_a_deleted_project_are_unreachable_at_once(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    risk = create_risk(client, user, project_id)
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    assert client.get(risks_path(project_id), headers=user.headers).status_code == 404
    one = f"{risks_path(project_id)}/{risk['riskId']}"
    assert client.get(one, headers=user.headers).status_code == 404
