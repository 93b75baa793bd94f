"""Cached boto3 clients and resources with explicit retry and timeout config."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from app.core.config import get_settings

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config
    from mypy_boto3_dynamodb.service_resource import DynamoDBServiceResource, Table


@lru_cache(maxsize=1)
def _session() -> boto3.session.Session:
    # boto3 and botocore (~150 ms of imports) load with the first client, not at cold start;
    # so does the tracer that patches botocore before any client exists.
    import boto3

    from app.core.observability import tracer

    tracer()

    return boto3.session.Session(region_name=get_settings().aws_region)


def client_config(**overrides: Any) -> Config:
    """Return the botocore config every client uses, with per-client overrides."""
    from botocore.config import Config

    settings = get_settings()
    options: dict[str, Any] = {
        "retries": {"mode": "standard", "total_max_attempts": settings.aws_max_attempts},
        "connect_timeout": settings.aws_connect_timeout_seconds,
        "read_timeout": settings.aws_read_timeout_seconds,
        "tcp_keepalive": True,
    }
    options.update(overrides)
    return Config(**options)


@cache
def client(service_name: str) -> Any:
    """Return the process-wide client for a service, honouring AWS_ENDPOINT_URL."""
    config = client_config(signature_version="s3v4") if service_name == "s3" else client_config()
    return _session().client(
        service_name,  # type: ignore[call-overload]
        config=config,
        endpoint_url=get_settings().aws_endpoint_url,
    )


@lru_cache(maxsize=1)
def dynamodb() -> DynamoDBServiceResource:
    """Return the process-wide DynamoDB resource."""
    return _session().resource(
        "dynamodb", config=client_config(), endpoint_url=get_settings().aws_endpoint_url
    )


@cache
def table(logical_name: str) -> Table:
    """Return the Table object for a logical table name."""
    return dynamodb().Table(get_settings().table_name(logical_name))


_reset_hooks: list[Callable[[], None]] = []


def on_reset(clear: Callable[[], None]) -> None:
    """Have reset_clients also clear a cache built on these clients elsewhere."""
    _reset_hooks.append(clear)


def reset_clients() -> None:
    """Forget every cached client, e.g. after settings change in tests."""
    for cached in (_session, client, dynamodb, table):
        cached.cache_clear()
    for clear in _reset_hooks:
        clear()
