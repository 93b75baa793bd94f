"""Failover through the emulator: which faults fall back to Gemini, and how jobs fail."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.local.ai_emulator import AiEmulator
from tests.ai.conftest import SettingsOverride
from tests.ai.helpers import Drain, job, queue_text, run_queued
from tests.conftest import LoggedInUser


@pytest.fixture(autouse=True)
def _one_bedrock_attempt(override_settings: SettingsOverride) -> None:
    # One attempt keeps these tests free of botocore's jittered backoff; the retry count itself
    # is covered by test_throttled_bedrock_is_retried_then_served_by_gemini.
    override_settings(bedrock_max_attempts="1")


def run_text(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, prompt: str
) -> dict[str, Any]:
    job_id = queue_text(client, user, prompt)
    run_queued(drain_queue)
    return job(client, user, job_id)


def test_throttled_bedrock_is_retried_then_served_by_gemini(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
    override_settings: SettingsOverride,
) -> None:
    override_settings(bedrock_max_attempts="2")
    ai_emulator.inject("bedrock", "throttle", count=2)
    done = run_text(client, user, drain_queue, "throttled prompt")
    assert done["status"] == "succeeded"
    assert (done["engine"], done["model"]) == ("gemini", "emulator/gemini-2.0-flash")
    assert ai_emulator.calls == {"bedrock": 2, "gemini": 1}


@pytest.mark.parametrize("fault", ["unavailable", "timeout", "server_error"])
def test_unavailable_bedrock_falls_back_to_gemini_for_structured_kinds(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
    fault: str,
) -> None:
    ai_emulator.inject("bedrock", fault)
    response = client.post(
        "/code/generate",
        json={"specification": f"{fault} spec", "language": "rust"},
        headers=user.headers,
    )
    run_queued(drain_queue)
    done = job(client, user, response.json()["jobId"])
    assert done["status"] == "succeeded", done
    assert done["engine"] == "gemini"
    assert done["result"]["files"]
    assert ai_emulator.calls == {"bedrock": 1, "gemini": 1}


def test_bedrock_read_timeout_falls_back_to_gemini(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
    override_settings: SettingsOverride,
) -> None:
    override_settings(bedrock_max_attempts="1", bedrock_read_timeout_seconds="0.3")
    ai_emulator.inject("bedrock", "hang", delay_seconds=1.0)
    done = run_text(client, user, drain_queue, "slow prompt")
    assert (done["status"], done["engine"]) == ("succeeded", "gemini")


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ("validation", "ai_rejected"),
        ("access_denied", "ai_access_denied"),
        ("guardrail", "content_blocked"),
    ],
)
def test_bedrock_refusal_fails_the_job_without_fallback(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
    fault: str,
    code: str,
) -> None:
    ai_emulator.inject("bedrock", fault)
    done = run_text(client, user, drain_queue, f"{fault} prompt")
    assert done["status"] == "failed"
    assert done["error"]["code"] == code
    assert done["result"] is None
    assert ai_emulator.calls == {"bedrock": 1, "gemini": 0}


def test_both_providers_down_fails_with_ai_unavailable(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    ai_emulator.inject("bedrock", "unavailable")
    ai_emulator.inject("gemini", "throttle")
    done = run_text(client, user, drain_queue, "nobody home")
    assert done["status"] == "failed"
    assert done["error"]["code"] == "ai_unavailable"
    assert ai_emulator.calls == {"bedrock": 1, "gemini": 1}


def test_invalid_json_is_retried_once_then_fails(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    ai_emulator.inject("bedrock", "invalid_json", count=2)
    response = client.post(
        "/code/generate", json={"specification": "broken", "language": "c"}, headers=user.headers
    )
    run_queued(drain_queue)
    done = job(client, user, response.json()["jobId"])
    assert done["status"] == "failed"
    assert done["error"]["code"] == "invalid_output"
    assert ai_emulator.calls == {"bedrock": 2, "gemini": 0}


def test_invalid_json_once_is_retried_on_bedrock_and_succeeds(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    ai_emulator.inject("bedrock", "invalid_json", count=1)
    response = client.post(
        "/code/generate", json={"specification": "once", "language": "c"}, headers=user.headers
    )
    run_queued(drain_queue)
    done = job(client, user, response.json()["jobId"])
    assert (done["status"], done["engine"]) == ("succeeded", "bedrock")
    assert ai_emulator.calls == {"bedrock": 2, "gemini": 0}


def test_invalid_json_from_gemini_is_retried_through_the_chain(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    ai_emulator.inject("gemini", "invalid_json")
    ai_emulator.inject("bedrock", "unavailable", count=2)
    response = client.post(
        "/code/generate", json={"specification": "flaky", "language": "c"}, headers=user.headers
    )
    run_queued(drain_queue)
    done = job(client, user, response.json()["jobId"])
    assert (done["status"], done["engine"]) == ("succeeded", "gemini")
    assert ai_emulator.calls == {"bedrock": 2, "gemini": 2}


def test_failover_adds_little_latency_with_one_bedrock_attempt(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    run_text(client, user, drain_queue, "warm up the clients")
    ai_emulator.inject("bedrock", "throttle")
    started = time.perf_counter()
    done = run_text(client, user, drain_queue, "measure me")
    assert done["engine"] == "gemini"
    assert time.perf_counter() - started < 2.0
