"""Owner scoping: another user's goal is a 404 on every route, exactly like a missing one."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.goals.helpers import add_progress, create_goal

ROUTES = (
    ("GET", "/goals/{id}", None),
    ("PATCH", "/goals/{id}", {"title": "mine now", "version": 1}),
    ("DELETE", "/goals/{id}", None),
    ("POST", "/goals/{id}/progress", {"value": 1}),
    ("GET", "/goals/{id}/progress", None),
)


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_goal_route_returns_404_for_other_users_goal(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    method: str,
    path: str,
    body: dict[str, object] | None,
) -> None:
    # Given a goal of one user, with progress
    goal = create_goal(client, user, targetValue=10)
    add_progress(client, user, goal["goalId"], 2)
    # When another user calls the route with its id, and with an id that does not exist
    theirs = client.request(
        method, path.format(id=goal["goalId"]), json=body, headers=other_user.headers
    )
    missing = client.request(
        method, path.format(id=str(uuid.uuid4())), json=body, headers=other_user.headers
    )
    # Then both are the same 404, and the goal is untouched
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert theirs.json()["error"]["message"] == missing.json()["error"]["message"]
    after = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert after["version"] == 2 and after["currentValue"] == 2 and after["title"] == "Run 10 km"


def test_goal_lists_and_summary_show_only_own_goals(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    create_goal(client, user)
    assert client.get("/goals", headers=other_user.headers).json()["items"] == []
    summary = client.get("/goals/summary", headers=other_user.headers).json()
    assert summary["totalGoals"] == 0


def test_goal_cursor_from_other_user_is_refused(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    for _ in range(2):
        create_goal(client, user)
    cursor = client.get("/goals?limit=1", headers=user.headers).json()["nextCursor"]
    assert cursor
    response = client.get(f"/goals?limit=1&cursor={cursor}", headers=other_user.headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/goals"),
        ("POST", "/goals"),
        ("GET", "/goals/summary"),
        ("GET", "/goals/abc"),
        ("POST", "/goals/abc/progress"),
    ],
)
def test_goal_route_without_token_is_401(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json={"title": "x", "value": 1})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
