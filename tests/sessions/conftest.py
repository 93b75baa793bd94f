"""Session fixtures: the AI tests' emulator, reset around every test, and a queue kept aside."""

from __future__ import annotations

from typing import Any

import pytest

from app.core import jobs
from tests.ai.conftest import _clean_emulator, ai_emulator, override_settings

__all__ = ["_clean_emulator", "ai_emulator", "override_settings"]


@pytest.fixture
def unsent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Keep jobs off the real queue, so a test delivers its messages itself."""
    sent: list[dict[str, Any]] = []

    def keep(message_type: str, payload: dict[str, Any], **_: Any) -> str:
        sent.append({"type": message_type, **payload})
        return "kept"

    monkeypatch.setattr(jobs, "enqueue", keep)
    return sent
