"""Regenerating the latest reply, and feedback on replies."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.local.ai_emulator import AiEmulator
from tests.ai.helpers import Drain, job, run_queued
from tests.conftest import LoggedInUser
from tests.sessions.helpers import create_session, exchange, message, messages, post


def _regenerate(
    client: TestClient, user: LoggedInUser, session_id: str, message_id: str
) -> tuple[int, dict[str, object]]:
    response = client.post(
        f"/sessions/{session_id}/messages/{message_id}/regenerate", headers=user.headers
    )
    return response.status_code, response.json()


def test_regenerate_latest_reply_gets_a_new_answer_from_a_new_job(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    first = exchange(client, user, drain_queue, session_id, "Name three risks")
    rated = client.put(
        f"/sessions/{session_id}/messages/{first['messageId']}/feedback",
        json={"rating": "down", "comment": "Too vague"},
        headers=user.headers,
    )
    assert rated.status_code == 200
    # Every Bedrock attempt of the new reply fails: Gemini writes it
    ai_emulator.inject("bedrock", "unavailable", count=5)

    status, queued = _regenerate(client, user, session_id, first["messageId"])

    assert status == 202, queued
    reply = queued["reply"]
    assert isinstance(reply, dict)
    assert (reply["status"], reply["content"], reply["feedback"]) == ("pending", "", None)
    assert queued["jobId"] != first["jobId"] and reply["jobId"] == queued["jobId"]
    run_queued(drain_queue)
    again = message(client, user, session_id, first["messageId"])
    assert again["status"] == "complete" and again["engine"] == "gemini"
    # The emulator answers the same conversation with the same words; the answer is new all the same
    assert again["content"].startswith("Emulated reply") and again["feedback"] is None
    assert again["version"] > first["version"] and again["completedAt"] > first["completedAt"]
    assert job(client, user, str(queued["jobId"]))["status"] == "succeeded"
    # Still one exchange: the reply was replaced in place
    assert len(messages(client, user, session_id)["items"]) == 2


def test_regenerate_an_older_reply_a_user_message_or_a_pending_reply_is_409(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    old = exchange(client, user, drain_queue, session_id, "first")
    posted = post(client, user, session_id, "second")
    pending_id = posted["reply"]["messageId"]
    assert _regenerate(client, user, session_id, pending_id)[0] == 409
    run_queued(drain_queue)
    assert _regenerate(client, user, session_id, old["messageId"])[0] == 409
    user_id = posted["message"]["messageId"]
    assert _regenerate(client, user, session_id, user_id)[0] == 409
    # The latest reply can be regenerated, once; the second try finds it pending
    assert _regenerate(client, user, session_id, pending_id)[0] == 202
    assert _regenerate(client, user, session_id, pending_id)[0] == 409
    run_queued(drain_queue)
    assert message(client, user, session_id, old["messageId"]) == old


def test_regenerate_of_another_user_or_unknown_message_is_404(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    reply = exchange(client, user, drain_queue, session_id, "hello")
    assert _regenerate(client, other_user, session_id, reply["messageId"])[0] == 404
    assert _regenerate(client, user, session_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV")[0] == 404
    bad = client.post(f"/sessions/{session_id}/messages/bad!id/regenerate", headers=user.headers)
    assert bad.status_code == 422


def test_regenerate_a_failed_reply_and_the_session_goes_on(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    ai_emulator.inject("bedrock", "unavailable", count=10)
    ai_emulator.inject("gemini", "unavailable", count=10)
    failed = exchange(client, user, drain_queue, session_id, "hello")
    assert failed["status"] == "failed"
    ai_emulator.reset()
    assert _regenerate(client, user, session_id, failed["messageId"])[0] == 202
    run_queued(drain_queue)
    fixed = message(client, user, session_id, failed["messageId"])
    assert fixed["status"] == "complete" and fixed["error"] is None


def test_feedback_on_a_reply_is_stored_and_replaced(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    reply = exchange(client, user, drain_queue, session_id, "hello")
    url = f"/sessions/{session_id}/messages/{reply['messageId']}/feedback"
    up = client.put(url, json={"rating": "up", "comment": "Spot on"}, headers=user.headers)
    assert up.status_code == 200, up.text
    assert up.json()["feedback"] == {"rating": "up", "comment": "Spot on"}
    down = client.put(url, json={"rating": "down"}, headers=user.headers)
    assert down.json()["feedback"] == {"rating": "down", "comment": None}
    assert message(client, user, session_id, reply["messageId"])["feedback"]["rating"] == "down"


def test_feedback_on_a_user_message_is_422_and_on_another_users_reply_404(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    posted = post(client, user, session_id, "hello")
    run_queued(drain_queue)
    base = f"/sessions/{session_id}/messages"
    on_user = client.put(
        f"{base}/{posted['message']['messageId']}/feedback",
        json={"rating": "up"},
        headers=user.headers,
    )
    assert on_user.status_code == 422
    theirs = client.put(
        f"{base}/{posted['reply']['messageId']}/feedback",
        json={"rating": "up"},
        headers=other_user.headers,
    )
    assert theirs.status_code == 404
    assert message(client, user, session_id, posted["reply"]["messageId"])["feedback"] is None


def test_feedback_on_a_pending_reply_is_409(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    posted = post(client, user, session_id, "hello")
    url = f"/sessions/{session_id}/messages/{posted['reply']['messageId']}/feedback"
    assert client.put(url, json={"rating": "up"}, headers=user.headers).status_code == 409
    run_queued(drain_queue)
    assert client.put(url, json={"rating": "up"}, headers=user.headers).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"rating": "meh"}, {}, {"rating": "up", "comment": "x" * 2_001}, {"rating": "up", "x": 1}],
)
def test_feedback_refuses_invalid_bodies_with_422(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, body: dict[str, object]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    reply = exchange(client, user, drain_queue, session_id, "hello")
    url = f"/sessions/{session_id}/messages/{reply['messageId']}/feedback"
    assert client.put(url, json=body, headers=user.headers).status_code == 422
