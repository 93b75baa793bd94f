"""Progress entries: the goal's value moves in the same transaction, completion, history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core import aws
from app.goals.domain import GOAL_PROGRESS
from tests.conftest import LoggedInUser
from tests.goals.helpers import add_progress, create_goal


def test_add_progress_moves_current_value_and_completes_at_target(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a goal at 4 of 10
    goal = create_goal(client, user, targetValue=10, unit="km")
    url = f"/goals/{goal['goalId']}"
    first = add_progress(client, user, goal["goalId"], 4, note="easy run")
    assert first["currentValue"] == 4 and first["goalStatus"] == "active"
    # When 6 more are logged
    second = add_progress(client, user, goal["goalId"], 6)
    # Then the goal is completed at 10, one version per write
    assert second["currentValue"] == 10 and second["goalStatus"] == "completed"
    after = client.get(url, headers=user.headers).json()
    assert after["status"] == "completed" and after["currentValue"] == 10
    assert after["version"] == 3
    # And more progress keeps it completed
    third = add_progress(client, user, goal["goalId"], 0.5)
    assert third["currentValue"] == 10.5 and third["goalStatus"] == "completed"


def test_add_progress_keeps_decimal_sums_exact(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user, targetValue=0.3)
    add_progress(client, user, goal["goalId"], 0.1)
    entry = add_progress(client, user, goal["goalId"], 0.2)
    assert entry["currentValue"] == 0.3 and entry["goalStatus"] == "completed"


def test_list_progress_is_newest_first_and_paginated(
    client: TestClient, user: LoggedInUser
) -> None:
    goal = create_goal(client, user)
    entries = [add_progress(client, user, goal["goalId"], v)["entryId"] for v in (1, 2, 3)]
    url = f"/goals/{goal['goalId']}/progress"
    first = client.get(f"{url}?limit=2", headers=user.headers).json()
    second = client.get(f"{url}?limit=2&cursor={first['nextCursor']}", headers=user.headers)
    seen = [e["entryId"] for e in first["items"] + second.json()["items"]]
    assert seen == list(reversed(entries))
    assert second.json()["nextCursor"] is None
    assert [e["currentValue"] for e in first["items"]] == [6, 3]


def test_add_progress_to_archived_goal_conflicts(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user)
    client.patch(
        f"/goals/{goal['goalId']}", json={"status": "archived", "version": 1}, headers=user.headers
    )
    response = client.post(
        f"/goals/{goal['goalId']}/progress", json={"value": 1}, headers=user.headers
    )
    assert response.status_code == 409
    assert client.get(f"/goals/{goal['goalId']}/progress", headers=user.headers).json() == {
        "items": [],
        "nextCursor": None,
    }


def test_add_progress_validates_value_and_date(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user)
    url = f"/goals/{goal['goalId']}/progress"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    for body in (
        {"value": 0},
        {"value": -1},
        {"value": 10**10},
        {"value": 5e-324},
        {"value": 1, "date": tomorrow},
        {"value": 1, "note": "n" * 1001},
        {"value": 1, "goalId": "other"},
    ):
        assert client.post(url, json=body, headers=user.headers).status_code == 422, body
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    entry = add_progress(client, user, goal["goalId"], 1, date=yesterday)
    assert entry["date"] == yesterday


def test_add_progress_replays_same_idempotency_key(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user)
    headers = {**user.headers, "Idempotency-Key": "progress-1"}
    url = f"/goals/{goal['goalId']}/progress"
    first = client.post(url, json={"value": 2}, headers=headers)
    second = client.post(url, json={"value": 2}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()["currentValue"] == 2


def test_delete_goal_cascades_progress_through_queue(
    client: TestClient, user: LoggedInUser, drain_queue: Callable[[], list[dict[str, Any]]]
) -> None:
    goal = create_goal(client, user)
    add_progress(client, user, goal["goalId"], 1)
    assert client.delete(f"/goals/{goal['goalId']}", headers=user.headers).status_code == 204
    drain_queue()
    remaining = aws.table(GOAL_PROGRESS.name).query(
        KeyConditionExpression="goalId = :goal",
        ExpressionAttributeValues={":goal": goal["goalId"]},
    )
    assert remaining["Items"] == []
