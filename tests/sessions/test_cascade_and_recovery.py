"""Deleting a session takes its messages along through the queue; a lost reply does not block
the session for ever, and a reply that could not be queued fails at once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from fastapi.testclient import TestClient

from app.core import jobs
from app.sessions import jobs as session_jobs
from app.sessions import posting, repository
from tests.ai.helpers import Drain, run_queued
from tests.conftest import LoggedInUser
from tests.sessions.helpers import create_session, exchange, message, messages, post


def test_delete_session_is_204_and_its_messages_follow_through_the_queue(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    reply = exchange(client, user, drain_queue, session_id, "Hello")
    assert client.delete(f"/sessions/{session_id}", headers=user.headers).status_code == 204
    assert client.get(f"/sessions/{session_id}", headers=user.headers).status_code == 404
    msg_url = f"/sessions/{session_id}/messages/{reply['messageId']}"
    assert client.get(msg_url, headers=user.headers).status_code == 404
    run_queued(drain_queue)
    page = repository.list_messages(
        session_id, owner_id=user.sub, limit=10, start_key=None, newest_first=True
    )
    assert page.items == []
    assert client.delete(f"/sessions/{session_id}", headers=user.headers).status_code == 404


def test_delete_of_another_users_session_is_404_and_keeps_it(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, other_user)["sessionId"]
    exchange(client, other_user, drain_queue, session_id, "Mine")
    assert client.delete(f"/sessions/{session_id}", headers=user.headers).status_code == 404
    run_queued(drain_queue)
    assert len(messages(client, other_user, session_id)["items"]) == 2


def test_cascade_deletes_long_sessions_in_bounded_follow_ups(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Drain,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.sessions.test_history import seed_exchanges

    monkeypatch.setattr(session_jobs, "PAGES_PER_MESSAGE", 1)
    monkeypatch.setattr(repository, "DELETE_PAGE_SIZE", 10)
    session_id = create_session(client, user)["sessionId"]
    seed_exchanges(user.sub, session_id, [(f"q{i}", f"a{i}") for i in range(25)])
    assert client.delete(f"/sessions/{session_id}", headers=user.headers).status_code == 204
    results = drain_queue()
    assert all(result["batchItemFailures"] == [] for result in results)
    page = repository.list_messages(
        session_id, owner_id=user.sub, limit=100, start_key=None, newest_first=True
    )
    assert page.items == []


def test_pending_reply_delete_leaves_nothing_behind(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    posted = post(client, user, session_id, "Hello")
    assert client.delete(f"/sessions/{session_id}", headers=user.headers).status_code == 204
    run_queued(drain_queue)
    page = repository.list_messages(
        session_id, owner_id=user.sub, limit=10, start_key=None, newest_first=True
    )
    assert page.items == []
    from tests.ai.helpers import job

    assert job(client, user, posted["jobId"])["error"]["code"] == "target_not_found"


def test_a_reply_pending_past_every_delivery_is_replaced_by_the_next_post(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Drain,
    unsent: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a reply whose job was lost (never delivered)
    session_id = create_session(client, user)["sessionId"]
    lost = post(client, user, session_id, "Lost")
    blocked = client.post(
        f"/sessions/{session_id}/messages", json={"content": "Next"}, headers=user.headers
    )
    assert blocked.status_code == 409
    # When it has been pending longer than every delivery of its job could take
    monkeypatch.setattr(posting, "time", _Later(posting.STALE_PENDING_SECONDS + 1))
    posted = post(client, user, session_id, "Next")
    # Then the lost reply is failed and the new message is answered
    gone = message(client, user, session_id, lost["reply"]["messageId"])
    assert gone["status"] == "failed" and gone["error"]["code"] == "interrupted"
    assert posted["reply"]["status"] == "pending"
    assert len(messages(client, user, session_id)["items"]) == 4
    assert len(unsent) == 2


class _Later:
    """The posting module's clock, some seconds ahead."""

    def __init__(self, seconds: float) -> None:
        self.offset = seconds

    def time(self) -> float:
        return time.time() + self.offset

    def time_ns(self) -> int:
        return time.time_ns() + int(self.offset * 1e9)


def test_a_reply_that_cannot_be_queued_fails_at_once_with_503(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = create_session(client, user)["sessionId"]

    def refuse(*_args: Any, **_kwargs: Any) -> str:
        raise ClientError({"Error": {"Code": "ServiceUnavailable"}}, "SendMessage")

    monkeypatch.setattr(jobs, "enqueue", refuse)
    response = client.post(
        f"/sessions/{session_id}/messages", json={"content": "Hello"}, headers=user.headers
    )
    assert response.status_code == 503
    items = messages(client, user, session_id, "?order=asc")["items"]
    assert [(m["role"], m["status"]) for m in items] == [
        ("user", "complete"),
        ("assistant", "failed"),
    ]
    assert items[1]["error"]["code"] == "ai_unavailable"
    monkeypatch.undo()
    assert (
        client.post(
            f"/sessions/{session_id}/messages", json={"content": "Again"}, headers=user.headers
        ).status_code
        == 202
    )
