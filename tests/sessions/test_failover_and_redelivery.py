"""Replies through the provider chain: Gemini takes over, both down fails the reply cleanly,
and a redelivered or outdated job never writes a reply twice or over a newer one."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.ai import repository as jobs_repository
from app.ai.kinds import JobRef
from app.ai.outputs import TextOutput
from app.local.ai_emulator import AiEmulator
from app.sessions import replies
from tests.ai.conftest import SettingsOverride
from tests.ai.helpers import Drain, deliver, job, run_queued
from tests.conftest import LoggedInUser
from tests.sessions.helpers import create_session, exchange, message, messages, post


@pytest.fixture(autouse=True)
def _one_bedrock_attempt(override_settings: SettingsOverride) -> None:
    override_settings(bedrock_max_attempts="1")


def test_gemini_writes_the_reply_when_bedrock_is_unavailable_with_the_same_turns(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    first = exchange(client, user, drain_queue, session_id, "First question")
    ai_emulator.inject("bedrock", "unavailable")
    reply = exchange(client, user, drain_queue, session_id, "Second question")
    assert reply["status"] == "complete"
    assert (reply["engine"], reply["model"]) == ("gemini", "emulator/gemini-2.0-flash")
    assert reply["usage"]["inputTokens"] > 0
    # Gemini got the conversation with its own role names
    sent = ai_emulator.requests("gemini")[-1]
    assert [c["role"] for c in sent["contents"]] == ["user", "model", "user"]
    assert sent["contents"][1]["parts"][0]["text"] == first["content"]
    assert "Second question" in sent["contents"][2]["parts"][0]["text"]
    assert "[turns: 3, user turns: 2]" in reply["content"]


def test_both_providers_down_fails_the_reply_and_the_session_stays_usable(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    ai_emulator.inject("bedrock", "unavailable", count=5)
    ai_emulator.inject("gemini", "unavailable", count=5)
    posted = post(client, user, session_id, "Anyone there?")
    run_queued(drain_queue)

    failed = message(client, user, session_id, posted["reply"]["messageId"])
    assert failed["status"] == "failed" and failed["content"] == ""
    assert failed["error"]["code"] == "ai_unavailable"
    assert job(client, user, posted["jobId"])["error"]["code"] == "ai_unavailable"
    session = client.get(f"/sessions/{session_id}", headers=user.headers).json()
    assert session["title"] is None
    # The session takes the next message at once
    ai_emulator.reset()
    reply = exchange(client, user, drain_queue, session_id, "Try again")
    assert reply["status"] == "complete"


def test_redelivered_reply_job_neither_calls_the_model_nor_writes_again(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    reply = exchange(client, user, drain_queue, session_id, "Hello")
    session = client.get(f"/sessions/{session_id}", headers=user.headers).json()
    ai_emulator.reset()
    for _ in range(2):
        assert deliver(reply["jobId"])["batchItemFailures"] == []
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
    assert message(client, user, session_id, reply["messageId"]) == reply
    assert client.get(f"/sessions/{session_id}", headers=user.headers).json() == session


def test_concurrent_deliveries_of_a_reply_job_call_the_model_once(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, unsent: list[dict[str, Any]]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    posted = post(client, user, session_id, "Hello")
    barrier = threading.Barrier(4)

    def deliver_together() -> None:
        barrier.wait()
        deliver(posted["jobId"])

    threads = [threading.Thread(target=deliver_together) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in range(3):  # deliveries that met a live claim come back, as SQS would retry them
        deliver(posted["jobId"])
    assert ai_emulator.calls["bedrock"] == 1
    done = message(client, user, session_id, posted["reply"]["messageId"])
    assert done["status"] == "complete" and done["version"] == 2
    assert len(unsent) == 1


def test_an_outdated_job_never_overwrites_a_newer_regeneration(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a reply written by job A, then regenerated under job B
    session_id = create_session(client, user)["sessionId"]
    first = exchange(client, user, drain_queue, session_id, "Hello")
    regenerated = client.post(
        f"/sessions/{session_id}/messages/{first['messageId']}/regenerate", headers=user.headers
    ).json()
    run_queued(drain_queue)
    newer = message(client, user, session_id, first["messageId"])
    assert newer["jobId"] == regenerated["jobId"] and newer["status"] == "complete"

    # When job A's answer (or its failure) arrives late
    target = {"sessionId": session_id, "messageId": first["messageId"]}
    late = JobRef(first["jobId"], user.sub, "chat_reply", target, engine="bedrock", model="m")
    replies.apply_reply(late, TextOutput(text="A stale answer"))
    replies.fail_reply(late, {"code": "ai_unavailable", "message": "late"})

    # Then the newer reply stands
    assert message(client, user, session_id, first["messageId"]) == newer
    assert len(messages(client, user, session_id)["items"]) == 2


def test_a_job_whose_reply_was_replaced_fails_without_calling_the_model(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, unsent: list[dict[str, Any]]
) -> None:
    session_id = create_session(client, user)["sessionId"]
    posted = post(client, user, session_id, "Hello")
    # The reply is handed to a newer job before this one runs (as a stale-reply takeover does)
    stale = jobs_repository.get(posted["jobId"])
    assert stale is not None
    replies.fail_reply(
        JobRef(posted["jobId"], user.sub, "chat_reply", stale.target),
        {"code": "interrupted", "message": "replaced"},
    )
    assert deliver(posted["jobId"])["batchItemFailures"] == []
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
    assert job(client, user, posted["jobId"])["error"]["code"] == "target_not_found"
    assert message(client, user, session_id, posted["reply"]["messageId"])["error"] == {
        "code": "interrupted",
        "message": "replaced",
    }
    assert len(unsent) == 1
