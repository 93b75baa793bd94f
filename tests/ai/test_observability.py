"""Metrics (EMF) per engine, failover and cache hit; logs carry the job id but never the prompt."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.local.ai_emulator import AiEmulator
from tests.ai.conftest import SettingsOverride
from tests.ai.helpers import Drain, job, queue_text, run_queued
from tests.conftest import LoggedInUser
from tests.reliability.logs import capture_logs


def emitted(text: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [line for line in lines if "_aws" in line]


def test_failover_job_emits_metrics_and_logs_without_the_prompt(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
    override_settings: SettingsOverride,
    capfd: pytest.CaptureFixture[str],
) -> None:
    override_settings(bedrock_max_attempts="1")
    secret_prompt = f"confidential-{uuid.uuid4().hex}"
    ai_emulator.inject("bedrock", "throttle")
    capfd.readouterr()
    with capture_logs() as captured:
        job_id = queue_text(client, user, secret_prompt)
        run_queued(drain_queue)
        again = queue_text(client, user, secret_prompt)
        run_queued(drain_queue)
    output = capfd.readouterr()
    text = output.out + output.err

    metrics = emitted(text)
    names = {
        name["Name"]
        for m in metrics
        for d in m["_aws"]["CloudWatchMetrics"]
        for name in d["Metrics"]
    }
    assert {
        "AiJobsRequested",
        "AiRequests",
        "AiLatency",
        "AiFailovers",
        "AiCacheHits",
        "AiJobDuration",
    } <= names
    assert {m["_aws"]["CloudWatchMetrics"][0]["Namespace"] for m in metrics} == {"Planforge"}
    assert any(m.get("AiFailovers") and m["engine"] == "bedrock" for m in metrics)
    assert any(
        m.get("AiRequests") and m["engine"] == "gemini" and m["outcome"] == "ok" for m in metrics
    )

    logs = [json.loads(line) for line in captured.text.splitlines() if line.startswith("{")]
    finished = [line for line in logs if line["message"] == "ai job finished"]
    assert {line["job_id"] for line in finished} == {job_id, again}
    failed = [line for line in logs if line["message"] == "ai provider failed"]
    assert [line["job_id"] for line in failed] == [job_id]
    assert secret_prompt not in captured.text + text
    assert job(client, user, again)["cached"] is True
