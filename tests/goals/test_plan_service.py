"""The service calls the AI helper uses: get_goal and apply_goal_plan."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from app.core.errors import NotFound
from app.goals import repository, service
from tests.conftest import LoggedInUser
from tests.goals.helpers import create_goal

PLAN = {"steps": [{"title": "Run 3 km", "cadence": "3x per week"}], "notes": "Rest on Sundays"}


def test_get_goal_raises_not_found_for_other_owner(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user)
    assert service.get_goal(owner_id=user.sub, goal_id=goal["goalId"]).title == goal["title"]
    with pytest.raises(NotFound):
        service.get_goal(owner_id=str(uuid.uuid4()), goal_id=goal["goalId"])
    with pytest.raises(NotFound):
        service.get_goal(owner_id=user.sub, goal_id=str(uuid.uuid4()))


def test_apply_goal_plan_stores_plan_and_bumps_version(
    client: TestClient, user: LoggedInUser
) -> None:
    goal = create_goal(client, user)
    service.apply_goal_plan(owner_id=user.sub, goal_id=goal["goalId"], plan=PLAN)
    fetched = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert fetched["plan"] == PLAN and fetched["version"] == 2


def test_apply_goal_plan_retries_when_goal_changes_meanwhile(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a client edit that lands between the plan's read and its write, once
    goal = create_goal(client, user)
    real_update = repository.update
    calls: list[int] = []

    def racing_update(current, new, messages):  # type: ignore[no-untyped-def]
        calls.append(current.version)
        if len(calls) == 1:
            # The edit goes through this same function: only the first call races
            client.patch(
                f"/goals/{goal['goalId']}",
                json={"title": "edited", "version": current.version},
                headers=user.headers,
            )
        return real_update(current, new, messages)

    monkeypatch.setattr(repository, "update", racing_update)
    # When the plan is applied
    service.apply_goal_plan(owner_id=user.sub, goal_id=goal["goalId"], plan=PLAN)
    # Then the first write conflicted, the retry read the edit, and both changes are kept
    assert calls == [1, 1, 2]
    fetched = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert fetched["title"] == "edited" and fetched["plan"] == PLAN and fetched["version"] == 3


def test_apply_goal_plan_on_missing_goal_raises_not_found(user: LoggedInUser) -> None:
    with pytest.raises(NotFound):
        service.apply_goal_plan(owner_id=user.sub, goal_id=str(uuid.uuid4()), plan=PLAN)
