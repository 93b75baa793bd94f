"""The README's configuration table stays in step with the Settings model."""

from __future__ import annotations

from pathlib import Path

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
