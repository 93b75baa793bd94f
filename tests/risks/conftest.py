"""Risk fixtures: the AI emulator the tests/ai suite uses, for the assessment tests."""

from __future__ import annotations

from tests.ai.conftest import ai_emulator  # noqa: F401 - a fixture, used by name
