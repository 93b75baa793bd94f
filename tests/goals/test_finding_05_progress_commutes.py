"""Finding 5: concurrent progress posts commute; none is refused, none is lost, one completion."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from app.goals import progress, repository
from app.goals.schemas import ProgressCreate
from tests.conftest import LoggedInUser
from tests.core.mailbox import sent_to
from tests.goals.helpers import add_progress, create_goal, summary

POSTS = 20
TARGET = 100
Drain = Callable[[], list[dict[str, Any]]]


def _post_together(
    client: TestClient, user: LoggedInUser, goal_id: str, values: list[int]
) -> list[httpx2.Response]:
    """POST one progress entry per value, all released at the same moment."""
    barrier = threading.Barrier(len(values))
    responses: list[httpx2.Response] = []
    lock = threading.Lock()

    def post(value: int) -> None:
        barrier.wait()
        response = client.post(
            f"/goals/{goal_id}/progress", json={"value": value}, headers=user.headers
        )
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=post, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_finding_05_parallel_progress_posts_all_succeed_and_sum_up(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given an active goal whose target the posts cross together (1 + 2 + ... + 20 = 210)
    drain_queue()
    goal = create_goal(client, user, targetValue=TARGET, category="health")
    values = list(range(1, POSTS + 1))
    # When 20 progress entries are posted in parallel, without Idempotency-Keys
    responses = _post_together(client, user, goal["goalId"], values)
    # Then every post is a 201, and every entry is listed once
    assert Counter(r.status_code for r in responses) == Counter({201: POSTS}), [
        r.text for r in responses if r.status_code != 201
    ]
    listed = client.get(f"/goals/{goal['goalId']}/progress?limit=100", headers=user.headers)
    entries = listed.json()["items"]
    assert len(entries) == POSTS
    assert {e["entryId"] for e in entries} == {r.json()["entryId"] for r in responses}
    assert sorted(e["value"] for e in entries) == values
    # And the goal holds the exact sum, completed
    after = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert after["currentValue"] == sum(values)
    assert after["status"] == "completed"
    # And once the queue drains the summary counts 20 entries and one completion, emailed once
    drain_queue()
    body = summary(client, user)
    assert body["progressEntries"] == POSTS
    assert (body["totalGoals"], body["activeGoals"], body["completedGoals"]) == (1, 0, 1)
    assert body["byCategory"]["health"] == {"total": 1, "completed": 1}
    assert len(sent_to(user.email, subject_contains="Goal reached")) == 1


def test_parallel_progress_posts_with_one_idempotency_key_write_once(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a goal and a retried post whose first attempt already landed
    goal = create_goal(client, user)
    url = f"/goals/{goal['goalId']}/progress"
    headers = {**user.headers, "Idempotency-Key": "finding-5-retry"}
    first = client.post(url, json={"value": 3}, headers=headers)
    assert first.status_code == 201, first.text
    # When parallel posts without keys land next to a replay of the keyed one
    _post_together(client, user, goal["goalId"], [1] * 5)
    replay = client.post(url, json={"value": 3}, headers=headers)
    # Then the replay answers the first entry and is not counted again
    assert replay.status_code == 201 and replay.json() == first.json()
    after = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert after["currentValue"] == 3 + 5
    listed = client.get(f"{url}?limit=100", headers=user.headers).json()["items"]
    assert len(listed) == 6


def _post_with_race(
    client: TestClient,
    user: LoggedInUser,
    monkeypatch: pytest.MonkeyPatch,
    goal_id: str,
    value: int,
) -> httpx2.Response:
    """POST an entry while another of the same value is logged between its read and its write."""
    real = repository.add_progress
    raced: list[str] = []

    def racing(current: Any, entry: Any, messages: Any, *, completes: bool) -> None:
        if not raced:
            raced.append(current.goal_id)
            progress.add_progress(
                owner_id=user.sub,
                goal_id=goal_id,
                body=ProgressCreate(value=value),
                idempotency_key=None,
            )
        real(current, entry, messages, completes=completes)

    monkeypatch.setattr(repository, "add_progress", racing)
    return client.post(f"/goals/{goal_id}/progress", json={"value": value}, headers=user.headers)


def test_entries_that_reach_target_together_complete_goal_once(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a goal at 0 of 10
    drain_queue()
    goal = create_goal(client, user, targetValue=10, category="career")
    # When two entries of 6 both read it at 0 (neither alone reaches 10), then both commit
    response = _post_with_race(client, user, monkeypatch, goal["goalId"], 6)
    # Then both land and the goal is completed at 12
    assert response.status_code == 201, response.text
    after = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert (after["currentValue"], after["status"]) == (12, "completed")
    # And the summary counts two entries and one completion, emailed once
    drain_queue()
    body = summary(client, user)
    assert (body["progressEntries"], body["completedGoals"], body["activeGoals"]) == (2, 1, 0)
    assert body["byCategory"]["career"] == {"total": 1, "completed": 1}
    assert len(sent_to(user.email, subject_contains="Goal reached")) == 1


def test_entry_that_finds_goal_completed_meanwhile_is_still_logged(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a goal at 8 of 10
    drain_queue()
    goal = create_goal(client, user, targetValue=10)
    add_progress(client, user, goal["goalId"], 8)
    # When two entries of 5 both read it at 8, and the other one completes it first
    response = _post_with_race(client, user, monkeypatch, goal["goalId"], 5)
    # Then this one is logged too, as progress on a completed goal, and completion counts once
    assert response.status_code == 201, response.text
    assert response.json()["goalStatus"] == "completed"
    after = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert (after["currentValue"], after["status"]) == (18, "completed")
    drain_queue()
    body = summary(client, user)
    assert (body["progressEntries"], body["completedGoals"]) == (3, 1)
    assert len(sent_to(user.email, subject_contains="Goal reached")) == 1
