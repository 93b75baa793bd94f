"""Print the README's configuration table from the Settings model (run: python scripts/settings_table.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.config import Settings  # noqa: E402
from app.local.__main__ import LOCAL_DEFAULTS  # noqa: E402

# What `make dev` sets beyond LOCAL_DEFAULTS (the bootstrap fills these in at start-up).
LOCAL_BOOTSTRAPPED = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:4566 (moto)",
    "COGNITO_USER_POOL_ID": "created at start-up",
    "COGNITO_CLIENT_ID": "created at start-up",
    "COGNITO_JWKS_URL": "moto's JWKS URL",
    "JOBS_QUEUE_URL": "created at start-up",
    "BEDROCK_ENDPOINT_URL": "http://127.0.0.1:4567 (AI emulator)",
    "GEMINI_BASE_URL": "http://127.0.0.1:4567 (AI emulator)",
    "GEMINI_API_KEY": "local-emulator",
}


def _default(field: object) -> str:
    default = getattr(field, "default", None)
    factory = getattr(field, "default_factory", None)
    if factory is not None:
        default = factory()
    if isinstance(default, SecretStr):
        return "(secret, local placeholder)"
    if isinstance(default, list):
        return ", ".join(default) if len(default) < 4 else f"{len(default)} types (see config.py)"
    return "" if default is None else str(default)


def render() -> str:
    """Return the markdown table."""
    rows = ["| Variable | Default | Local (`make dev`) | Meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        env = str(field.validation_alias or name.upper())
        local = LOCAL_DEFAULTS.get(env) or LOCAL_BOOTSTRAPPED.get(env) or "same"
        meaning = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{env}` | {_default(field)} | {local} | {meaning} |")
    return "\n".join(rows)


def main() -> None:
    """Rewrite the table between the markers in README.md."""
    readme = Path(__file__).resolve().parents[1] / "README.md"
    text = readme.read_text()
    block = f"<!-- settings-table:start -->\n{render()}\n<!-- settings-table:end -->"
    text = re.sub(
        r"<!-- settings-table:start -->.*<!-- settings-table:end -->", block, text, flags=re.S
    )
    readme.write_text(text)


if __name__ == "__main__":
    main()
