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
    "CURSOR_SECRET_ARN": "created at start-up (a new key each run)",
    "GEMINI_API_KEY_SECRET_ARN": "created at start-up (holds the AI emulator's key)",
}


MEANINGS = {
    "ENVIRONMENT": "local, test, dev or prod; dev and prod validate strictly, prod hides /docs",
    "APP_VERSION": "reported by /health (the deploy sets the commit SHA)",
    "LOG_LEVEL": "Powertools log level",
    "AWS_REGION": "region of every AWS resource (set by Lambda itself)",
    "AWS_ENDPOINT_URL": "one endpoint for every AWS client; the emulator locally, unset in the cloud",
    "AWS_MAX_ATTEMPTS": "botocore standard-mode attempts, first call included",
    "AWS_CONNECT_TIMEOUT_SECONDS": "botocore connect timeout",
    "AWS_READ_TIMEOUT_SECONDS": "botocore read timeout",
    "TABLE_PREFIX": "physical table name = <prefix>-<logical name>",
    "JOBS_QUEUE_URL": "the SQS jobs queue (required in dev and prod)",
    "ASSETS_BUCKET": "the S3 bucket for assets",
    "COGNITO_USER_POOL_ID": "<region>_<id>; the token issuer is derived from it",
    "COGNITO_CLIENT_ID": "the app client every access token must name in client_id",
    "COGNITO_JWKS_URL": "where signing keys are fetched; defaults to the issuer's JWKS URL",
    "COGNITO_AUTO_CONFIRM": "confirm signups at once (refused in prod)",
    "JWT_LEEWAY_SECONDS": "clock skew allowed on exp and iat (at most 60); a token issued further in the future is refused",
    "JWKS_TIMEOUT_SECONDS": "JWKS fetch timeout (at most 3)",
    "JWKS_REFETCH_INTERVAL_SECONDS": "at most one refetch per interval for unknown kids",
    "JWKS_MAX_AGE_SECONDS": "a cached key set older than this is fetched again (removed keys stop verifying)",
    "CORS_ORIGINS": "comma-separated exact origins; * is refused",
    "MAX_BODY_BYTES": "larger request bodies get 413",
    "API_BASE_PATH": "stage or custom-domain base path to strip, e.g. Prod",
    "CURSOR_SECRET_ARN": "Secrets Manager secret holding the HMAC key of pagination cursors; AWSCURRENT signs, AWSCURRENT and AWSPREVIOUS verify (required in dev and prod)",
    "SECRETS_MAX_AGE_SECONDS": "secret values (cursor key, Gemini key) are read again after this, so a rotation reaches warm containers",
    "SES_SENDER": "From address of every email (a verified SES identity)",
    "APP_URL": "link target in emails",
    "OUTBOX_SWEEP_AGE_SECONDS": "outbox items older than this are re-sent by the sweep",
    "UPLOAD_ALLOWED_TYPES": "comma-separated content types accepted by POST /assets",
    "UPLOAD_MAX_BYTES": "largest accepted upload",
    "UPLOAD_URL_TTL_SECONDS": "presigned POST lifetime (at most 300)",
    "DOWNLOAD_URL_TTL_SECONDS": "presigned GET lifetime (at most 900)",
    "ASSET_TTL_DAYS": "asset records expire (DynamoDB TTL) and objects are cleaned up after this",
    "BEDROCK_MODEL_ID": "the Converse model tried first",
    "BEDROCK_ENDPOINT_URL": "Bedrock runtime endpoint override (the AI emulator locally)",
    "BEDROCK_MAX_ATTEMPTS": "botocore attempts before falling back to Gemini",
    "BEDROCK_READ_TIMEOUT_SECONDS": "Bedrock read timeout",
    "BEDROCK_CONNECT_TIMEOUT_SECONDS": "Bedrock connect timeout",
    "GEMINI_MODEL": "the fallback model",
    "GEMINI_BASE_URL": "Gemini API base URL (the AI emulator locally)",
    "GEMINI_API_KEY_SECRET_ARN": "Secrets Manager secret holding the Gemini key (plain or {\"apiKey\": ...}); unset: no Gemini fallback",
    "GEMINI_TIMEOUT_SECONDS": "Gemini request timeout",
    "AI_DAILY_QUOTA": "AI jobs per user per UTC day; over it 429",
    "AI_CACHE_TTL_SECONDS": "lifetime of cached AI responses",
    "AI_TIME_BUDGET_SECONDS": "the whole provider chain must finish within this",
    "AI_JOB_RETENTION_DAYS": "AI job records expire after this",
    "RATE_LIMIT_WINDOW_SECONDS": "fixed window of the public-route rate limits",
    "RATE_LIMIT_PER_IP": "requests per window per client IP on public routes",
    "RATE_LIMIT_PER_EMAIL": "requests per window per identity on public routes: the canonical email after validation, or the refresh token on /auth/refresh",
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
        meaning = (MEANINGS.get(env) or field.description or "").replace("|", "\\|")
        rows.append(f"| `{env}` | {_default(field)} | {local} | {meaning} |")
    return "\n".join(rows)


def render_env_example() -> str:
    """Return .env.example: every setting, commented out, with its meaning and default."""
    lines = [
        "# Settings for `make dev` and the app, read from .env (copy this file to .env).",
        "# Generated by scripts/settings_table.py from the same source as the README's table.",
        "# Environment variables win over .env; uncomment a line to change a default.",
    ]
    for name, field in Settings.model_fields.items():
        env = str(field.validation_alias or name.upper())
        meaning = MEANINGS.get(env) or field.description or ""
        lines += ["", f"# {meaning}", f"# {env}={_default(field)}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Rewrite the table between the markers in README.md, and .env.example."""
    root = Path(__file__).resolve().parents[1]
    (root / ".env.example").write_text(render_env_example())
    readme = root / "README.md"
    text = readme.read_text()
    block = f"<!-- settings-table:start -->\n{render()}\n<!-- settings-table:end -->"
    text = re.sub(
        r"<!-- settings-table:start -->.*<!-- settings-table:end -->", block, text, flags=re.S
    )
    readme.write_text(text)


if __name__ == "__main__":
    main()
