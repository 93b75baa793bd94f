"""Settings validate and fail fast on a bad production config."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.core.config import Settings

PROD: dict[str, Any] = {
    "environment": "prod",
    "aws_region": "eu-west-1",
    "cognito_user_pool_id": "eu-west-1_AbC123",
    "cognito_client_id": "client",
    "jobs_queue_url": "https://sqs.eu-west-1.amazonaws.com/123456789012/planforge-prod-jobs",
    "cursor_secret_arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor-AbCdEf",
    "cognito_auto_confirm": False,
}


def test_settings_accept_valid_production_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # The session's emulator exports a local JWKS URL; a deployment has none.
    monkeypatch.delenv("COGNITO_JWKS_URL", raising=False)
    settings = Settings(**PROD)
    assert settings.cognito_issuer == "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
    assert settings.jwks_url == settings.cognito_issuer + "/.well-known/jwks.json"
    assert settings.docs_enabled is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cognito_user_pool_id", "not-a-pool"),
        ("cognito_user_pool_id", "us-east-1_AbC123"),  # another region than AWS_REGION
        ("jobs_queue_url", ""),
        ("cursor_secret_arn", ""),
        ("cognito_auto_confirm", True),
        ("cors_origins", "*"),
    ],
)
def test_settings_refuse_bad_production_config(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Settings(**{**PROD, field: value})


def test_settings_read_comma_separated_lists_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


def test_settings_bound_presign_lifetimes() -> None:
    with pytest.raises(ValidationError):
        Settings(upload_url_ttl_seconds=301)
    with pytest.raises(ValidationError):
        Settings(download_url_ttl_seconds=901)
    with pytest.raises(ValidationError):
        Settings(jwt_leeway_seconds=61)
