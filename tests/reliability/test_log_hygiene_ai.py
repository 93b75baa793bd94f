"""An AI job's logs, through Bedrock's failure and Gemini's fallback, carry no key or token."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.ai.providers import reset_providers
from app.core.config import get_settings
from app.local.ai_emulator import AiEmulator
from tests.conftest import LoggedInUser
from tests.reliability.logs import LogCapture

GEMINI_KEY = f"AIza-hygiene-{uuid.uuid4().hex}"


@pytest.fixture
def emulator(local_aws: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[AiEmulator]:
    """A private AI emulator and a distinctive Gemini key (in its own secret), for one test."""
    from app.core import aws

    ai = AiEmulator(port=0, api_key=GEMINI_KEY)
    url = ai.start()
    arn = aws.client("secretsmanager").create_secret(
        Name=f"gemini-hygiene-{uuid.uuid4().hex[:8]}", SecretString=GEMINI_KEY
    )["ARN"]
    for name, value in {
        "BEDROCK_ENDPOINT_URL": url,
        "GEMINI_BASE_URL": url,
        "GEMINI_API_KEY_SECRET_ARN": arn,
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    reset_providers()
    yield ai
    ai.stop()
    monkeypatch.undo()
    get_settings.cache_clear()
    reset_providers()


def _run_job(
    client: TestClient, user: LoggedInUser, drain_queue: Callable[[], Any], prompt: str
) -> dict[str, Any]:
    queued = client.post("/ai/generate", json={"prompt": prompt}, headers=user.headers)
    assert queued.status_code == 202, queued.text
    drain_queue()
    job = client.get(f"/ai/jobs/{queued.json()['jobId']}", headers=user.headers)
    assert job.status_code == 200
    body: dict[str, Any] = job.json()
    return body


def test_ai_job_with_gemini_fallback_logs_no_key_or_token(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Callable[[], Any],
    emulator: AiEmulator,
    captured_logs: LogCapture,
) -> None:
    # Given Bedrock is down, so the job falls back to Gemini, which needs the key
    drain_queue()  # earlier tests' queued jobs must not use up the injected faults
    emulator.inject("bedrock", "unavailable", count=10)
    job = _run_job(client, user, drain_queue, f"Plan a week of runs {uuid.uuid4().hex}")
    assert (job["status"], job["engine"]) == ("succeeded", "gemini")
    assert emulator.calls["gemini"] >= 1
    # Then the logs tell the story without the key, the token or the plain email
    assert "generateContent" in captured_logs.text  # httpx's request line was captured
    captured_logs.assert_free_of(GEMINI_KEY, user.access_token, user.id_token, user.refresh_token)
    assert user.email not in captured_logs.text


def test_ai_job_with_both_providers_failing_logs_no_key(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Callable[[], Any],
    emulator: AiEmulator,
    captured_logs: LogCapture,
) -> None:
    drain_queue()
    emulator.inject("bedrock", "server_error", count=10)
    emulator.inject("gemini", "access_denied", count=10)
    job = _run_job(client, user, drain_queue, "Anything")
    assert job["status"] == "failed"
    assert GEMINI_KEY not in str(job)
    captured_logs.assert_free_of(GEMINI_KEY, user.access_token)
    assert user.email not in captured_logs.text
