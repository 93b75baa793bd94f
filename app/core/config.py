"""Validated settings, read lazily from the environment."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Environment = Literal["local", "test", "dev", "prod"]

_POOL_ID = re.compile(r"^(?P<region>[a-z]{2}(-[a-z]+)+-\d)_[0-9A-Za-z]+$")

DEFAULT_UPLOAD_TYPES = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/json",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting the app reads; environment variables use the upper-case field name."""

    # A .env in the working directory is read too; real environment variables win over it.
    model_config = SettingsConfigDict(
        env_prefix="", case_sensitive=False, extra="ignore", env_file=".env"
    )

    environment: Environment = "local"
    app_version: str = "0.1.0"
    log_level: str = "INFO"

    aws_region: str = Field(default="us-east-1", validation_alias="AWS_REGION")
    # Set locally to the embedded moto server; unset in the cloud.
    aws_endpoint_url: str | None = Field(default=None, validation_alias="AWS_ENDPOINT_URL")
    aws_max_attempts: int = Field(default=3, ge=1, le=10)
    aws_connect_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    aws_read_timeout_seconds: float = Field(default=5.0, gt=0, le=60)

    table_prefix: str = Field(default="planforge-local", min_length=1, max_length=100)
    jobs_queue_url: str = ""
    assets_bucket: str = "planforge-local-assets"

    cognito_user_pool_id: str = "us-east-1_local"
    cognito_client_id: str = "local-client"
    # Keys are fetched here; the issuer stays the real Cognito URL (moto serves keys locally).
    cognito_jwks_url: str | None = None
    cognito_auto_confirm: bool = False
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=60)
    jwks_timeout_seconds: float = Field(default=2.0, gt=0, le=3)
    jwks_refetch_interval_seconds: float = Field(default=30.0, ge=0)
    jwks_max_age_seconds: float = Field(default=3600.0, gt=0)

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # Strip this stage or custom-domain base path from incoming paths, e.g. "Prod".
    api_base_path: str = "/"
    # Secrets are read from Secrets Manager at run time (the emulator's locally), never from
    # the environment: the settings carry only where they are.
    cursor_secret_arn: str = ""
    secrets_max_age_seconds: int = Field(default=300, ge=1, le=3600)

    ses_sender: str = "no-reply@planforge.local"
    app_url: str = "http://127.0.0.1:8000"
    # The scheduled sweep re-sends outbox items at least this old; the request normally sends
    # them within milliseconds, so younger items are still in flight.
    outbox_sweep_age_seconds: int = Field(default=60, ge=0, le=3600)

    upload_allowed_types: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_UPLOAD_TYPES)
    )
    upload_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    upload_url_ttl_seconds: int = Field(default=300, ge=1, le=300)
    download_url_ttl_seconds: int = Field(default=900, ge=1, le=900)
    asset_ttl_days: int = Field(default=30, ge=1, le=3650)

    bedrock_model_id: str = "anthropic.claude-3-haiku-20240307-v1:0"
    bedrock_endpoint_url: str | None = None
    bedrock_max_attempts: int = Field(default=2, ge=1, le=5)
    bedrock_read_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    bedrock_connect_timeout_seconds: float = Field(default=2.0, gt=0, le=10)
    gemini_model: str = "gemini-2.0-flash"
    gemini_base_url: str = "https://generativelanguage.googleapis.com"
    gemini_api_key_secret_arn: str | None = None
    gemini_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    ai_daily_quota: int = Field(default=50, ge=0)
    ai_cache_ttl_seconds: int = Field(default=24 * 3600, ge=0)
    # Every provider attempt of one job fits in this, well inside the 60 s function timeout.
    ai_time_budget_seconds: float = Field(default=45.0, gt=0, le=55)
    ai_job_retention_days: int = Field(default=30, ge=1, le=365)

    rate_limit_window_seconds: int = Field(default=60, ge=1)
    rate_limit_per_ip: int = Field(default=30, ge=1)
    rate_limit_per_email: int = Field(default=10, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in (
                "cors_origins",
                "upload_allowed_types",
                "CORS_ORIGINS",
                "UPLOAD_ALLOWED_TYPES",
            ):
                if key in data:
                    data[key] = _split_csv(data[key])
        return data

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        match = _POOL_ID.match(self.cognito_user_pool_id)
        if self.environment in ("dev", "prod"):
            if not match:
                raise ValueError("COGNITO_USER_POOL_ID must look like <region>_<id>")
            if match.group("region") != self.aws_region:
                raise ValueError("COGNITO_USER_POOL_ID is not in AWS_REGION")
            if not self.jobs_queue_url:
                raise ValueError("JOBS_QUEUE_URL is required")
            if not self.cursor_secret_arn:
                raise ValueError("CURSOR_SECRET_ARN is required")
            if self.cognito_auto_confirm and self.environment == "prod":
                raise ValueError("COGNITO_AUTO_CONFIRM must be off in prod")
        if any(origin == "*" for origin in self.cors_origins):
            raise ValueError("CORS_ORIGINS must list exact origins, never *")
        return self

    @property
    def cognito_issuer(self) -> str:
        """Return the issuer every access token must carry."""
        region = self.cognito_user_pool_id.split("_", 1)[0]
        return f"https://cognito-idp.{region}.amazonaws.com/{self.cognito_user_pool_id}"

    @property
    def jwks_url(self) -> str:
        """Return where the signing keys are fetched from."""
        return self.cognito_jwks_url or f"{self.cognito_issuer}/.well-known/jwks.json"

    @property
    def docs_enabled(self) -> bool:
        """Return whether /docs, /redoc and /openapi.json are served."""
        return self.environment != "prod"

    def table_name(self, logical_name: str) -> str:
        """Return the physical name of a table from its logical name."""
        return f"{self.table_prefix}-{logical_name}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, validated on first use."""
    return Settings()
