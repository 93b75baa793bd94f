"""AI fixtures: a session AI emulator the app is pointed at, reset around every test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.ai.providers import reset_providers
from app.core.config import get_settings
from app.local.ai_emulator import AiEmulator
from app.local.aws_emulator import LocalAws, apply_environment

SettingsOverride = Callable[..., None]


@pytest.fixture(scope="session")
def ai_emulator(local_aws: LocalAws) -> Iterator[AiEmulator]:
    """Start an AI emulator for the session and point Bedrock and Gemini settings at it."""
    emulator = AiEmulator(port=0)
    url = emulator.start()
    apply_environment({"BEDROCK_ENDPOINT_URL": url, "GEMINI_BASE_URL": url})
    reset_providers()
    yield emulator
    emulator.stop()


@pytest.fixture(autouse=True)
def _clean_emulator(
    ai_emulator: AiEmulator, drain_queue: Callable[[], list[dict[str, Any]]]
) -> Iterator[None]:
    # Jobs other tests left on the queue would otherwise use up this test's injected faults.
    drain_queue()
    ai_emulator.reset()
    yield
    ai_emulator.reset()


@pytest.fixture
def override_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[SettingsOverride]:
    """Return a function that sets settings through the environment for one test."""

    def apply(**values: str | None) -> None:
        for name, value in values.items():
            if value is None:
                monkeypatch.delenv(name.upper(), raising=False)
            else:
                monkeypatch.setenv(name.upper(), value)
        get_settings.cache_clear()
        reset_providers()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()
    reset_providers()
    assert os.environ.get("BEDROCK_ENDPOINT_URL")
