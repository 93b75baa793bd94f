"""Sessions: create, list, read, update and delete, owner-scoped and versioned."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.ai.helpers import Drain, create_project, run_queued
from tests.conftest import LoggedInUser
from tests.sessions.helpers import create_session, exchange


def test_create_session_answers_201_and_reads_back(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user)
    body = {"title": "Launch plan", "projectId": project["projectId"], "system": "Be brief."}
    response = client.post("/sessions", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    session = response.json()
    assert session["title"] == "Launch plan" and session["system"] == "Be brief."
    assert session["projectId"] == project["projectId"]
    assert (session["messageCount"], session["lastMessageAt"], session["version"]) == (0, None, 1)
    assert response.headers["ETag"] == '"1"'
    read = client.get(f"/sessions/{session['sessionId']}", headers=user.headers)
    assert read.status_code == 200 and read.json() == session


def test_create_session_on_another_users_project_is_404(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    project = create_project(client, other_user)
    response = client.post(
        "/sessions", json={"projectId": project["projectId"]}, headers=user.headers
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"title": "two\nlines"},
        {"title": "x" * 201},
        {"system": "s" * 4_001},
        {"sessionId": "mine"},
        {"ownerId": "someone"},
        {"messageCount": 3},
        {"projectId": "not an id!"},
        {"title": "bell\x07"},
    ],
)
def test_create_session_refuses_invalid_bodies_with_422(
    client: TestClient, user: LoggedInUser, body: dict[str, object]
) -> None:
    response = client.post("/sessions", json=body, headers=user.headers)
    assert response.status_code == 422, body
    assert response.json()["error"]["code"] == "validation_error"


def test_create_session_replays_idempotency_key(client: TestClient, user: LoggedInUser) -> None:
    headers = {**user.headers, "Idempotency-Key": "session-create-1"}
    first = client.post("/sessions", json={"title": "Once"}, headers=headers)
    again = client.post("/sessions", json={"title": "Once"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    different = client.post("/sessions", json={"title": "Other"}, headers=headers)
    assert different.status_code == 409
    listed = client.get("/sessions", headers=user.headers).json()["items"]
    assert [s["sessionId"] for s in listed] == [first.json()["sessionId"]]


def test_session_of_another_user_is_404_on_every_route(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    session_id = create_session(client, other_user, title="Theirs")["sessionId"]
    base = f"/sessions/{session_id}"
    calls = [
        client.get(base, headers=user.headers),
        client.patch(base, json={"title": "Mine", "version": 1}, headers=user.headers),
        client.delete(base, headers=user.headers),
        client.post(f"{base}/messages", json={"content": "hi"}, headers=user.headers),
        client.get(f"{base}/messages", headers=user.headers),
    ]
    assert [call.status_code for call in calls] == [404] * len(calls)
    still = client.get(base, headers=other_user.headers)
    assert still.status_code == 200 and still.json()["title"] == "Theirs"


def test_update_session_at_version_and_stale_version_is_409(
    client: TestClient, user: LoggedInUser
) -> None:
    session = create_session(client, user, title="First", system="Old rules.")
    url = f"/sessions/{session['sessionId']}"
    updated = client.patch(url, json={"title": "Second", "version": 1}, headers=user.headers)
    assert updated.status_code == 200, updated.text
    assert (updated.json()["title"], updated.json()["version"]) == ("Second", 2)
    assert updated.json()["system"] == "Old rules."
    stale = client.patch(url, json={"title": "Third", "version": 1}, headers=user.headers)
    assert stale.status_code == 409
    assert stale.json()["error"]["details"] == [{"currentVersion": 2}]
    cleared = client.patch(url, json={"system": None}, headers={**user.headers, "If-Match": '"2"'})
    assert cleared.status_code == 200 and cleared.json()["system"] is None
    assert client.get(url, headers=user.headers).json()["title"] == "Second"


@pytest.mark.parametrize(
    "body", [{"title": None, "version": 1}, {"title": "x"}, {"messageCount": 9, "version": 1}]
)
def test_update_session_refuses_null_title_missing_version_and_server_fields(
    client: TestClient, user: LoggedInUser, body: dict[str, object]
) -> None:
    session = create_session(client, user, title="Kept")
    response = client.patch(f"/sessions/{session['sessionId']}", json=body, headers=user.headers)
    assert response.status_code == 422


def test_list_sessions_most_recently_active_first_and_by_project(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    project = create_project(client, user)
    older = create_session(client, user, title="older", projectId=project["projectId"])
    newer = create_session(client, user, title="newer")
    # Given the older session is the one talked to last
    exchange(client, user, drain_queue, older["sessionId"], "Hello again")
    listed = client.get("/sessions?limit=1", headers=user.headers).json()
    assert [s["title"] for s in listed["items"]] == ["older"]
    rest = client.get(f"/sessions?limit=1&cursor={listed['nextCursor']}", headers=user.headers)
    assert [s["title"] for s in rest.json()["items"]] == ["newer"]
    # And only the older one is on the project
    by_project = client.get(f"/sessions?projectId={project['projectId']}", headers=user.headers)
    assert [s["sessionId"] for s in by_project.json()["items"]] == [older["sessionId"]]
    assert newer["sessionId"] not in {s["sessionId"] for s in by_project.json()["items"]}


def test_list_sessions_cursor_of_another_user_or_filter_is_400(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    for _ in range(2):
        create_session(client, user)
    cursor = client.get("/sessions?limit=1", headers=user.headers).json()["nextCursor"]
    assert cursor
    theirs = client.get(f"/sessions?cursor={cursor}", headers=other_user.headers)
    assert theirs.status_code == 400
    filtered = client.get(f"/sessions?projectId=p-1&cursor={cursor}", headers=user.headers)
    assert filtered.status_code == 400


def test_list_sessions_never_shows_another_users_sessions(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, drain_queue: Drain
) -> None:
    create_session(client, other_user, title="theirs")
    mine = create_session(client, user, title="mine")
    run_queued(drain_queue)
    items = client.get("/sessions?limit=100", headers=user.headers).json()["items"]
    assert [s["sessionId"] for s in items] == [mine["sessionId"]]
