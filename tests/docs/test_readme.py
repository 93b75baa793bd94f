"""The README's configuration table stays in step with the Settings model."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from app.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [
        str(field.validation_alias or name.upper())
        for name, field in Settings.model_fields.items()
        if f"| `{field.validation_alias or name.upper()}` |" not in readme
    ]
    assert missing == [], "run: .venv/bin/python scripts/settings_table.py"


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make dev" in readme and "make test" in readme


def _settings_script() -> ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "settings_table", ROOT / "scripts/settings_table.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_env_example_agrees_with_readme_table() -> None:
    import re

    example = (ROOT / ".env.example").read_text()
    assert example == _settings_script().render_env_example(), (
        "run: .venv/bin/python scripts/settings_table.py"
    )
    in_example = re.findall(r"^# ([A-Z][A-Z0-9_]+)=", example, flags=re.M)
    in_readme = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", (ROOT / "README.md").read_text(), re.M)
    assert in_example == in_readme and len(in_example) > 20


def test_settings_read_a_dotenv_file(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.delenv("AI_DAILY_QUOTA", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("LOG_LEVEL=DEBUG\nAI_DAILY_QUOTA=7\n")
    settings = Settings()
    assert settings.log_level == "DEBUG" and settings.ai_daily_quota == 7
    monkeypatch.setenv("AI_DAILY_QUOTA", "9")
    assert Settings().ai_daily_quota == 9
