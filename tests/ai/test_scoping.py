"""Owner scoping: another user's jobs and generation targets are 404, and cost nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.ai import quota
from app.core import aws
from tests.ai.helpers import create_project, queue_text
from tests.conftest import LoggedInUser

MISSING = "00000000-0000-4000-8000-000000000000"


def test_other_users_job_is_404_like_a_missing_one(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    job_id = queue_text(client, user, "mine")
    theirs = client.get(f"/ai/jobs/{job_id}", headers=other_user.headers)
    missing = client.get(f"/ai/jobs/{MISSING}", headers=other_user.headers)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == "not_found"
    assert theirs.json()["error"]["message"] == missing.json()["error"]["message"]
    assert client.get("/ai/jobs", headers=other_user.headers).json()["items"] == []
    mine = client.get("/ai/jobs", headers=user.headers).json()["items"]
    assert [j["jobId"] for j in mine] == [job_id]


def test_cursor_of_another_user_is_refused(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    for n in range(2):
        queue_text(client, user, f"page {n}")
    cursor = client.get("/ai/jobs?limit=1", headers=user.headers).json()["nextCursor"]
    response = client.get(f"/ai/jobs?cursor={cursor}", headers=other_user.headers)
    assert response.status_code == 400


def counter_exists(owner: str) -> bool:
    key = {"counterKey": quota.counter_key(owner)}
    return "Item" in aws.table("counters").get_item(Key=key, ConsistentRead=True)


@pytest.mark.parametrize("target", ["requirements", "phase", "sprint", "code"])
def test_generation_on_another_users_project_is_404(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, target: str
) -> None:
    project = create_project(client, user)
    phase = project["phases"][0]
    base = f"/projects/{project['projectId']}"
    requests = {
        "requirements": (f"{base}/requirements/generate", {}),
        "phase": (f"{base}/phases/{phase['phaseId']}/generate", {}),
        "sprint": (
            f"{base}/phases/{phase['phaseId']}/sprints/{phase['sprints'][0]['sprintId']}/generate",
            {},
        ),
        "code": (
            "/code/generate",
            {"specification": "x", "language": "python", "projectId": project["projectId"]},
        ),
    }
    url, body = requests[target]
    response = client.post(url, json=body, headers=other_user.headers)
    assert response.status_code == 404, response.text
    assert client.get("/ai/jobs", headers=other_user.headers).json()["items"] == []
    assert not counter_exists(other_user.sub)


def test_generation_on_another_users_goal_is_404(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    goal = client.post(
        "/goals", json={"title": "Mine", "category": "health"}, headers=user.headers
    ).json()
    response = client.post(f"/goals/{goal['goalId']}/plan", json={}, headers=other_user.headers)
    assert response.status_code == 404
    assert not counter_exists(other_user.sub)


def test_generation_for_unknown_phase_or_sprint_of_own_project_is_404(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user)
    phase_id = project["phases"][0]["phaseId"]
    base = f"/projects/{project['projectId']}/phases"
    assert client.post(f"{base}/{MISSING}/generate", headers=user.headers).status_code == 404
    sprint = f"{base}/{phase_id}/sprints/{MISSING}/generate"
    assert client.post(sprint, headers=user.headers).status_code == 404
