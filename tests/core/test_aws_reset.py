"""Resetting the AWS clients also drops caches built on them (the idempotency store)."""

from __future__ import annotations

from typing import Any

from app.core import aws, idempotency


def test_reset_clients_rebuilds_the_idempotency_store(local_aws: Any) -> None:
    before = idempotency._persistence()
    assert idempotency._persistence() is before
    aws.reset_clients()
    after = idempotency._persistence()
    assert after is not before
