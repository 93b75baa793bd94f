"""The custom metrics the alarms and dashboard watch are really emitted (captured EMF)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from app.ai import metrics as ai_metrics
from app.core import observability

HEALTH_EVENT = Path(__file__).resolve().parents[1] / "infra" / "health_event.json"
OBSERVABILITY_TF = Path(__file__).resolve().parents[2] / "infra" / "observability.tf"


def _emf(text: str) -> list[dict[str, Any]]:
    """Return every EMF document in captured output."""
    docs = []
    for line in text.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            docs.append(json.loads(line))
    return docs


def _value(doc: dict[str, Any], name: str) -> float:
    """Return a metric's value; Powertools writes it as a one-item list."""
    value = doc[name]
    return float(sum(value)) if isinstance(value, list) else float(value)


def _names(docs: list[dict[str, Any]]) -> set[str]:
    return {
        metric["Name"]
        for doc in docs
        for directive in doc["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
        if directive["Namespace"] == "Planforge"
    }


def test_the_ai_failure_rate_alarms_inputs_are_emitted(capsys: pytest.CaptureFixture[str]) -> None:
    ai_metrics.job_finished("text", "failed", "provider_error", 12.0)
    ai_metrics.job_finished("text", "succeeded", None, 9.0)
    docs = _emf(capsys.readouterr().err)
    counts: dict[str, float] = {}
    for doc in docs:
        for directive in doc["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                counts[metric["Name"]] = counts.get(metric["Name"], 0) + _value(doc, metric["Name"])
            # The alarm reads these without dimensions, so they must carry none.
            if directive["Metrics"][0]["Name"] in ("AiJobsFailed", "AiJobsFinished"):
                assert directive["Dimensions"] in ([], [[]], [["service"]]), directive
    assert counts["AiJobsFinished"] == 2
    assert counts["AiJobsFailed"] == 1


def test_every_planforge_metric_in_terraform_is_emitted_by_the_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.handler import handler

    ai_metrics.job_requested("text")
    ai_metrics.failover("bedrock")
    ai_metrics.job_finished("text", "failed", "x", 1.0)
    handler(json.loads(HEALTH_EVENT.read_text()), None)
    observability.emit_metric("ColdStart", service="planforge")  # the handler's first call
    emitted = _names(_emf(capsys.readouterr().err))
    text = OBSERVABILITY_TF.read_text()
    watched = {
        name
        for name in (
            "AiJobsFailed", "AiJobsFinished", "AiJobsRequested", "AiJobFailures", "AiFailovers",
            "RouteLatency", "ColdStart",
        )
        if f'"{name}"' in text or f'\\"{name}\\"' in text
    }  # fmt: skip
    assert watched, "observability.tf names no Planforge metric"
    assert watched <= emitted, watched - emitted


def test_a_request_emits_its_route_latency_and_error_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.handler import handler

    response = handler(json.loads(HEALTH_EVENT.read_text()), None)
    assert response["statusCode"] == 200
    docs = [d for d in _emf(capsys.readouterr().err) if "route" in d]
    by_name = {d["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"]: d for d in docs}
    assert by_name["RouteLatency"]["route"] == "GET /health"
    assert _value(by_name["RouteLatency"], "RouteLatency") > 0
    assert _value(by_name["RouteErrors"], "RouteErrors") == 0


def test_the_warmer_is_answered_without_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import handler as handler_module

    def fail() -> None:
        raise AssertionError("the warmer reached the app")

    monkeypatch.setattr(handler_module, "_http_adapter", fail)
    assert handler_module.handler({"warmer": True}, None) == {"warmed": True}
    assert handler_module.is_warmer_event({"warmer": True})
    assert not handler_module.is_warmer_event({"warmer": "yes"})


def test_the_app_is_built_at_import() -> None:
    from app import handler as handler_module

    assert handler_module._http_adapter.cache_info().currsize == 1


def test_in_lambda_the_tracer_patches_botocore_and_httpx() -> None:
    import os
    import subprocess

    code = (
        "import sys; from app.core import observability as o\n"
        "assert 'aws_xray_sdk' not in sys.modules, 'the X-Ray SDK loaded at import'\n"
        "from app.core import aws; aws._session()\n"
        "from aws_xray_sdk.core import patcher\n"
        "print(sorted(patcher._PATCHED_MODULES), 'httpx' in sys.modules)\n"
        "from app.ai.providers import gemini; gemini._http()\n"
        "print(sorted(patcher._PATCHED_MODULES))\n"
    )
    env = {
        **os.environ,
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_LAMBDA_FUNCTION_NAME": "planforge-test-api",
        "AWS_REGION": "us-east-1",
    }
    env.pop("POWERTOOLS_TRACE_DISABLED", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "'botocore'" in done.stdout and "'httpx'" in done.stdout, done.stdout
    # httpx is patched with the first Gemini client, before any Gemini call; the first AWS
    # client neither patches nor imports it (a DynamoDB read does not pay for the import).
    after_aws, after_gemini = done.stdout.strip().splitlines()
    assert after_aws == "['botocore'] False", after_aws
    assert after_gemini == "['botocore', 'httpx']", after_gemini
