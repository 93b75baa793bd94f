"""Finding 8: secrets come from Secrets Manager at run time, cached for a maximum age."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, tzinfo

import pytest
from aws_lambda_powertools.utilities.parameters import base as powertools_cache

from app.ai.providers import gemini
from app.core import aws, secrets
from app.core.config import Settings, get_settings
from app.core.errors import BadRequest
from app.core.pagination import decode_cursor, encode_cursor
from app.local.aws_emulator import LocalAws

KEY = {"goalId": "g1", "ownerId": "alice", "createdAt": "2026-01-01T00:00:00.000000Z"}
MAX_AGE = 300

Advance = Callable[[float], None]


@pytest.fixture
def advance(monkeypatch: pytest.MonkeyPatch) -> Iterator[Advance]:
    """Return a function that moves the clock of Powertools' parameter cache forward."""
    offset = [timedelta()]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:
            moment = datetime.now(tz) + offset[0]
            return cls.fromtimestamp(moment.timestamp(), tz)

    monkeypatch.setattr(powertools_cache, "datetime", Clock)

    def move(seconds: float) -> None:
        offset[0] += timedelta(seconds=seconds)

    yield move


@pytest.fixture
def secret(local_aws: LocalAws, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """Return a function that creates a secret and points a setting at it, for one test."""

    def create(setting: str, value: str) -> str:
        arn: str = aws.client("secretsmanager").create_secret(
            Name=f"test-{uuid.uuid4().hex[:10]}", SecretString=value
        )["ARN"]
        monkeypatch.setenv(setting.upper(), arn)
        monkeypatch.setenv("SECRETS_MAX_AGE_SECONDS", str(MAX_AGE))
        get_settings.cache_clear()
        secrets.reset()
        return arn

    yield create
    monkeypatch.undo()
    get_settings.cache_clear()
    secrets.reset()


def _rotate(arn: str, value: str) -> None:
    # A new version becomes AWSCURRENT; Secrets Manager moves AWSPREVIOUS to the one before.
    aws.client("secretsmanager").put_secret_value(SecretId=arn, SecretString=value)


def test_finding_08_cursor_secret_rotation_keeps_previous_cursors_valid(
    secret: Callable[..., str], advance: Advance
) -> None:
    # Given a cursor signed with the first version of the cursor secret
    arn = secret("cursor_secret_arn", "first-cursor-key")
    first = encode_cursor(KEY, owner="alice", scope="goals")
    # When the secret is rotated, warm containers keep the cached key until the max age
    _rotate(arn, "second-cursor-key")
    assert encode_cursor(KEY, owner="alice", scope="goals") == first
    advance(MAX_AGE + 1)
    second = encode_cursor(KEY, owner="alice", scope="goals")
    # Then new cursors use the new key, and the old cursor still decodes (AWSPREVIOUS)
    assert second != first
    assert decode_cursor(first, owner="alice", scope="goals") == KEY
    assert decode_cursor(second, owner="alice", scope="goals") == KEY
    # And after the next rotation the grace period of the first key is over
    _rotate(arn, "third-cursor-key")
    advance(MAX_AGE + 1)
    assert decode_cursor(second, owner="alice", scope="goals") == KEY
    with pytest.raises(BadRequest):
        decode_cursor(first, owner="alice", scope="goals")
    # A cursor signed with the previous key still binds owner and list
    with pytest.raises(BadRequest):
        decode_cursor(second, owner="mallory", scope="goals")


def test_finding_08_cursor_secret_without_previous_version_refuses_forgeries_cheaply(
    secret: Callable[..., str],
) -> None:
    # Given a secret never rotated: no version carries AWSPREVIOUS
    secret("cursor_secret_arn", "only-cursor-key")
    cursor = encode_cursor(KEY, owner="alice", scope="goals")
    assert cursor is not None
    reads: list[str] = []

    def count(**_: object) -> None:
        reads.append("read")

    events = aws.client("secretsmanager").meta.events
    events.register("before-call.secrets-manager.GetSecretValue", count)
    try:
        # When forged cursors arrive again and again
        for _ in range(5):
            with pytest.raises(BadRequest):
                decode_cursor(cursor[:-2] + "AA", owner="alice", scope="goals")
    finally:
        events.unregister("before-call.secrets-manager.GetSecretValue", count)
    # Then the missing AWSPREVIOUS is looked up once, and the answer is cached too
    assert reads == ["read"]


def test_finding_08_gemini_key_is_read_again_after_the_max_age(
    secret: Callable[..., str], advance: Advance
) -> None:
    # Given the Gemini key in its secret, read once
    arn = secret("gemini_api_key_secret_arn", '{"apiKey": "first-gemini-key"}')
    assert gemini.api_key() == "first-gemini-key"
    # When the key is replaced in Secrets Manager
    _rotate(arn, "second-gemini-key")
    # Then the cached key serves until the max age, and the new key after it
    assert gemini.api_key() == "first-gemini-key"
    advance(MAX_AGE + 1)
    assert gemini.api_key() == "second-gemini-key"


def test_finding_08_settings_carry_secret_locations_never_values() -> None:
    fields = Settings.model_fields
    assert "cursor_secret" not in fields and "gemini_api_key" not in fields
    assert {"cursor_secret_arn", "gemini_api_key_secret_arn"} <= set(fields)
    assert not [name for name, field in fields.items() if "SecretStr" in str(field.annotation)]
