"""Secrets Manager values through Powertools Parameters, cached for SECRETS_MAX_AGE_SECONDS.

Powertools (and boto3 under it) is imported with the first read, not at cold start. Locally and
in tests the values live in the embedded emulator's Secrets Manager: the same code path.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.core import aws
from app.core.config import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

CURRENT = "AWSCURRENT"
PREVIOUS = "AWSPREVIOUS"


class SecretUnavailable(Exception):
    """A secret could not be read, or has no value at the asked stage."""


def read(secret_id: str, *, stage: str = CURRENT) -> str:
    """Return a secret's string at a version stage, or raise SecretUnavailable."""
    value = read_optional(secret_id, stage=stage)
    if value is None:
        raise SecretUnavailable(f"no value at {stage}")
    return value


def read_optional(secret_id: str, *, stage: str = CURRENT) -> str | None:
    """Return a secret's string at a version stage, or None when no version carries it."""
    from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

    try:
        value = _provider(aws.client("secretsmanager"), stage).get(
            secret_id, max_age=get_settings().secrets_max_age_seconds
        )
    except GetParameterError as exc:
        raise SecretUnavailable(type(exc.__context__).__name__) from exc
    if not isinstance(value, str):
        raise SecretUnavailable("not a string secret")
    return value or None


@lru_cache(maxsize=4)
def _provider(client: Any, stage: str) -> SecretsProvider:
    # One provider per stage: Powertools caches by name only, not by VersionStage. Keyed by the
    # client too, so new settings (which build a new client) start with an empty cache.
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    class StageProvider(SecretsProvider):
        def _get(self, name: str, **sdk_options: Any) -> str | bytes:
            try:
                return super()._get(name, VersionStage=stage, **sdk_options)
            except client.exceptions.ResourceNotFoundException:
                # Cached like a value, so a stage no version carries (AWSPREVIOUS before the
                # first rotation) costs one call per max age, not one per forged cursor.
                return ""

    return StageProvider(boto3_client=client)


def reset() -> None:
    """Forget every cached secret value."""
    _provider.cache_clear()
