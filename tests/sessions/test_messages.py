"""Messages: a post stores the message and a pending reply, the queue writes the reply."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.local.ai_emulator import AiEmulator
from app.sessions import posting
from tests.ai.conftest import SettingsOverride
from tests.ai.helpers import Drain, job, run_queued
from tests.conftest import LoggedInUser
from tests.sessions.helpers import create_session, exchange, message, messages, post


def test_post_message_answers_202_with_message_pending_reply_and_job(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    response = client.post(
        f"/sessions/{session_id}/messages", json={"content": "Plan my launch"}, headers=user.headers
    )
    assert response.status_code == 202, response.text
    posted = response.json()
    mine, reply = posted["message"], posted["reply"]
    assert (mine["role"], mine["status"], mine["content"]) == ("user", "complete", "Plan my launch")
    assert (reply["role"], reply["status"], reply["content"]) == ("assistant", "pending", "")
    assert reply["jobId"] == posted["jobId"] and mine["messageId"] < reply["messageId"]
    assert response.headers["Location"] == f"/sessions/{session_id}/messages/{reply['messageId']}"
    assert job(client, user, posted["jobId"])["kind"] == "chat_reply"

    run_queued(drain_queue)

    done = message(client, user, session_id, reply["messageId"])
    assert done["status"] == "complete" and done["content"].startswith("Emulated reply")
    assert (done["engine"], done["model"]) == ("bedrock", "emulator/" + _bedrock_model())
    assert done["usage"]["inputTokens"] > 0 and done["usage"]["outputTokens"] > 0
    assert done["completedAt"] and done["error"] is None
    assert job(client, user, posted["jobId"])["status"] == "succeeded"
    assert ai_emulator.calls == {"bedrock": 1, "gemini": 0}
    session = client.get(f"/sessions/{session_id}", headers=user.headers).json()
    assert session["messageCount"] == 2 and session["lastMessageAt"] is not None


def _bedrock_model() -> str:
    from app.core.config import get_settings

    return get_settings().bedrock_model_id


def test_untitled_session_is_titled_from_its_first_message_after_the_reply(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session = create_session(client, user)
    assert session["title"] is None
    content = "How should we   split the checkout rebuild into sprints\nwithout blocking payments?"
    posted = post(client, user, session["sessionId"], content)
    pending = client.get(f"/sessions/{session['sessionId']}", headers=user.headers).json()
    assert pending["title"] is None
    run_queued(drain_queue)
    titled = client.get(f"/sessions/{session['sessionId']}", headers=user.headers).json()
    assert titled["title"] == "How should we split the checkout rebuild into sprints\u2026"
    assert titled["version"] == 2
    # A second reply, or a session titled by its owner, keeps the title
    exchange(client, user, drain_queue, session["sessionId"], "Something else entirely")
    after = client.get(f"/sessions/{session['sessionId']}", headers=user.headers).json()
    assert after["title"] == titled["title"]
    named = create_session(client, user, title="My own")
    exchange(client, user, drain_queue, named["sessionId"], "Hello there")
    assert (
        client.get(f"/sessions/{named['sessionId']}", headers=user.headers).json()["title"]
        == "My own"
    )
    assert posted["reply"]["messageId"]


def test_post_while_reply_pending_is_409_and_writes_nothing(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    post(client, user, session_id, "first")
    second = client.post(
        f"/sessions/{session_id}/messages", json={"content": "second"}, headers=user.headers
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    assert len(messages(client, user, session_id)["items"]) == 2
    run_queued(drain_queue)
    # Once the reply is written, the conversation goes on
    exchange(client, user, drain_queue, session_id, "second")
    assert len(messages(client, user, session_id)["items"]) == 4


def test_concurrent_posts_to_one_session_give_one_202_and_409s(
    client: TestClient, user: LoggedInUser, unsent: list[dict[str, Any]]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    barrier = threading.Barrier(6)
    codes: list[int] = []

    def send(index: int) -> None:
        barrier.wait()
        response = client.post(
            f"/sessions/{session_id}/messages",
            json={"content": f"message {index}"},
            headers=user.headers,
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [202, 409, 409, 409, 409, 409]
    assert len(messages(client, user, session_id)["items"]) == 2
    assert len([m for m in unsent if m["type"] == "ai.job"]) == 1


def test_parallel_posts_to_different_sessions_never_conflict(
    client: TestClient, user: LoggedInUser, unsent: list[dict[str, Any]]
) -> None:
    sessions = [create_session(client, user)["sessionId"] for _ in range(8)]
    barrier = threading.Barrier(len(sessions))
    codes: list[int] = []

    def send(session_id: str) -> None:
        barrier.wait()
        response = client.post(
            f"/sessions/{session_id}/messages", json={"content": "hello"}, headers=user.headers
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=send, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [202] * len(sessions)
    assert len(unsent) == len(sessions)


@pytest.mark.parametrize(
    "body",
    [
        {"content": ""},
        {"content": "   "},
        {"content": "x" * 16_001},
        {"content": "hi", "assetIds": ["a1", "a2", "a3", "a4", "a5", "a6"]},
        {"content": "hi", "assetIds": ["same", "same"]},
        {"content": "hi", "role": "assistant"},
        {"content": "hi", "status": "complete"},
        {"content": "nul \x00 inside"},
        {},
    ],
)
def test_post_message_refuses_invalid_bodies_with_422(
    client: TestClient, user: LoggedInUser, body: dict[str, object]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    response = client.post(f"/sessions/{session_id}/messages", json=body, headers=user.headers)
    assert response.status_code == 422, body
    assert messages(client, user, session_id)["items"] == []


def test_post_message_of_16000_characters_with_newlines_is_accepted(
    client: TestClient, user: LoggedInUser, unsent: list[dict[str, Any]]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    content = ("line\twith tab\n" * 2000)[:15_999] + "!"
    posted = post(client, user, session_id, content)
    assert posted["message"]["content"] == content
    assert len(unsent) == 1


def test_post_message_replays_idempotency_key(
    client: TestClient, user: LoggedInUser, unsent: list[dict[str, Any]]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    headers = {**user.headers, "Idempotency-Key": "post-1"}
    url = f"/sessions/{session_id}/messages"
    first = client.post(url, json={"content": "once"}, headers=headers)
    again = client.post(url, json={"content": "once"}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert len(messages(client, user, session_id)["items"]) == 2
    assert len(unsent) == 1


def test_session_message_cap_is_409_beyond_it(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Drain,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(posting, "MAX_MESSAGES_PER_SESSION", 4)
    session_id = create_session(client, user)["sessionId"]
    exchange(client, user, drain_queue, session_id, "one")
    exchange(client, user, drain_queue, session_id, "two")
    full = client.post(
        f"/sessions/{session_id}/messages", json={"content": "three"}, headers=user.headers
    )
    assert full.status_code == 409
    assert full.json()["error"]["details"] == [{"maxMessages": 4}]
    assert len(messages(client, user, session_id)["items"]) == 4


def test_every_reply_takes_a_quota_unit_and_over_quota_is_429_writing_nothing(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Drain,
    override_settings: SettingsOverride,
) -> None:
    override_settings(ai_daily_quota="2")
    session_id = create_session(client, user)["sessionId"]
    exchange(client, user, drain_queue, session_id, "one")
    exchange(client, user, drain_queue, session_id, "two")
    over = client.post(
        f"/sessions/{session_id}/messages", json={"content": "three"}, headers=user.headers
    )
    assert over.status_code == 429
    assert int(over.headers["Retry-After"]) >= 1
    assert len(messages(client, user, session_id)["items"]) == 4
    session = client.get(f"/sessions/{session_id}", headers=user.headers).json()
    assert session["messageCount"] == 4


def test_replies_never_come_from_the_cache(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
) -> None:
    # Given two users asking the very same first question
    for asker in (user, other_user, user):
        session_id = create_session(client, asker)["sessionId"]
        reply = exchange(client, asker, drain_queue, session_id, "What is a sprint?")
        assert reply["status"] == "complete"
        assert job(client, asker, reply["jobId"])["cached"] is False
    # Then the model answered every time
    assert ai_emulator.calls["bedrock"] == 3


def test_messages_list_in_order_either_way_with_pages(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    for text in ("first", "second", "third"):
        exchange(client, user, drain_queue, session_id, text)
    oldest_first: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = messages(client, user, session_id, f"?order=asc&limit=2{cursor}")
        oldest_first += page["items"]
        if page["nextCursor"] is None:
            break
        cursor = f"&cursor={page['nextCursor']}"
    roles = [m["role"] for m in oldest_first]
    assert roles == ["user", "assistant"] * 3
    assert [m["content"] for m in oldest_first[::2]] == ["first", "second", "third"]
    newest_first = messages(client, user, session_id)["items"]
    assert newest_first == list(reversed(oldest_first))
    ids = [m["messageId"] for m in oldest_first]
    assert ids == sorted(ids)
    asc_cursor = messages(client, user, session_id, "?order=asc&limit=2")["nextCursor"]
    mixed = client.get(
        f"/sessions/{session_id}/messages?order=desc&cursor={asc_cursor}", headers=user.headers
    )
    assert mixed.status_code == 400
    bad = client.get(f"/sessions/{session_id}/messages?order=sideways", headers=user.headers)
    assert bad.status_code == 422


def test_message_of_another_user_or_session_is_404(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    reply = exchange(client, user, drain_queue, session_id, "mine")
    url = f"/sessions/{session_id}/messages/{reply['messageId']}"
    assert client.get(url, headers=other_user.headers).status_code == 404
    elsewhere = create_session(client, user)["sessionId"]
    moved = f"/sessions/{elsewhere}/messages/{reply['messageId']}"
    assert client.get(moved, headers=user.headers).status_code == 404
    assert client.get(url, headers=user.headers).status_code == 200
