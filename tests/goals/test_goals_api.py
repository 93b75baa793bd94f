"""Goal CRUD over HTTP: create, read, filtered lists, versioned updates, delete, validation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.goals.helpers import create_goal


def test_create_goal_returns_active_goal_at_zero(client: TestClient, user: LoggedInUser) -> None:
    # When a goal is created
    created = create_goal(
        client, user, title="Read 12 books", category="learning", targetValue=12, unit="books"
    )
    # Then it starts active at 0, version 1, and reads back the same
    assert created["status"] == "active" and created["currentValue"] == 0
    assert created["version"] == 1 and created["createdAt"] == created["updatedAt"]
    assert created["targetValue"] == 12 and created["unit"] == "books"
    fetched = client.get(f"/goals/{created['goalId']}", headers=user.headers)
    assert fetched.status_code == 200 and fetched.json() == created
    assert fetched.headers["ETag"] == '"1"'
    assert not {"ownerId", "ownerStatus", "ownerCategory", "progressCount"} & set(created)


def test_create_goal_refuses_server_owned_and_unknown_fields(
    client: TestClient, user: LoggedInUser
) -> None:
    for extra in (
        {"ownerId": "someone"},
        {"status": "completed"},
        {"currentValue": 5},
        {"goalId": "x"},
        {"version": 3},
        {"colour": "red"},
    ):
        response = client.post("/goals", json={"title": "t", **extra}, headers=user.headers)
        assert response.status_code == 422, extra
        assert response.json()["error"]["code"] == "validation_error"


def test_create_goal_refuses_out_of_bounds_values(client: TestClient, user: LoggedInUser) -> None:
    for body in (
        {"title": ""},
        {"title": "x" * 201},
        {"title": "t", "category": "hobby"},
        {"title": "t", "targetValue": 0},
        {"title": "t", "targetValue": -3},
        {"title": "t", "targetValue": 10**13},
        {"title": "t", "targetValue": 1e-9},
        {"title": "t", "dueDate": "1999-12-31"},
        {"title": "t", "description": "d" * 4001},
    ):
        assert client.post("/goals", json=body, headers=user.headers).status_code == 422, body


def test_create_goal_replays_same_idempotency_key(client: TestClient, user: LoggedInUser) -> None:
    headers = {**user.headers, "Idempotency-Key": "goal-create-1"}
    first = client.post("/goals", json={"title": "Meditate"}, headers=headers)
    second = client.post("/goals", json={"title": "Meditate"}, headers=headers)
    other = client.post("/goals", json={"title": "Something else"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert other.status_code == 409
    listed = client.get("/goals", headers=user.headers).json()["items"]
    assert [goal["goalId"] for goal in listed] == [first.json()["goalId"]]


def test_list_goals_filters_by_status_and_category(client: TestClient, user: LoggedInUser) -> None:
    # Given goals across categories and statuses
    run = create_goal(client, user, title="run", category="fitness")
    swim = create_goal(client, user, title="swim", category="fitness")
    save = create_goal(client, user, title="save", category="finance")
    archived = client.patch(
        f"/goals/{swim['goalId']}", json={"status": "archived", "version": 1}, headers=user.headers
    )
    assert archived.status_code == 200

    def ids(query: str) -> list[str]:
        response = client.get(f"/goals{query}", headers=user.headers)
        assert response.status_code == 200, response.text
        return [goal["goalId"] for goal in response.json()["items"]]

    # Then each filter goes to its own index, newest first
    assert ids("") == [save["goalId"], swim["goalId"], run["goalId"]]
    assert ids("?status=active") == [save["goalId"], run["goalId"]]
    assert ids("?category=fitness") == [swim["goalId"], run["goalId"]]
    assert ids("?status=archived&category=fitness") == [swim["goalId"]]
    assert ids("?status=completed") == []
    assert client.get("/goals?status=done", headers=user.headers).status_code == 422


def test_list_goals_paginates_with_cursor_bound_to_filter(
    client: TestClient, user: LoggedInUser
) -> None:
    created = [create_goal(client, user, title=f"g{i}")["goalId"] for i in range(5)]
    first = client.get("/goals?limit=2", headers=user.headers).json()
    cursor = first["nextCursor"]
    second = client.get(f"/goals?limit=2&cursor={cursor}", headers=user.headers).json()
    third = client.get(f"/goals?limit=2&cursor={second['nextCursor']}", headers=user.headers)
    seen = [g["goalId"] for page in (first, second, third.json()) for g in page["items"]]
    assert seen == list(reversed(created))
    # A cursor of the unfiltered list is refused by a filtered one
    foreign = client.get(f"/goals?status=active&cursor={cursor}", headers=user.headers)
    assert foreign.status_code == 400


def test_update_goal_applies_changes_and_bumps_version(
    client: TestClient, user: LoggedInUser
) -> None:
    goal = create_goal(client, user, description="old", unit="km", targetValue=10)
    response = client.patch(
        f"/goals/{goal['goalId']}",
        json={"title": "Run 21 km", "targetValue": 21, "description": None, "version": 1},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["title"] == "Run 21 km" and updated["targetValue"] == 21
    assert updated["description"] is None and updated["unit"] == "km"
    assert updated["version"] == 2 and response.headers["ETag"] == '"2"'
    assert client.get(f"/goals/{goal['goalId']}", headers=user.headers).json() == updated


def test_update_goal_with_stale_version_conflicts_and_writes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    goal = create_goal(client, user)
    url = f"/goals/{goal['goalId']}"
    fresh = client.patch(url, json={"title": "a"}, headers={**user.headers, "If-Match": '"1"'})
    stale = client.patch(url, json={"title": "b", "version": 1}, headers=user.headers)
    missing = client.patch(url, json={"title": "c"}, headers=user.headers)
    nulled = client.patch(url, json={"title": None, "version": 2}, headers=user.headers)
    assert fresh.status_code == 200 and fresh.json()["version"] == 2
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert missing.status_code == 422 and nulled.status_code == 422
    assert client.get(url, headers=user.headers).json() == fresh.json()


def test_delete_goal_removes_it(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user)
    url = f"/goals/{goal['goalId']}"
    assert client.delete(url, headers=user.headers).status_code == 204
    assert client.get(url, headers=user.headers).status_code == 404
    assert client.delete(url, headers=user.headers).status_code == 404
    assert client.get("/goals", headers=user.headers).json()["items"] == []
