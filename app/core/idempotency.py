"""Idempotent creates keyed by the caller and the Idempotency-Key header (Powertools)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.core import aws
from app.core.config import get_settings
from app.core.errors import Conflict, ServiceUnavailable
from app.core.tables import IDEMPOTENCY

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

RECORD_TTL_SECONDS = 24 * 3600
# API Gateway ends a request after about 30 s, so a create still "in progress" after that was
# abandoned (crash or timeout); a retry may then take the key over instead of waiting 24 h.
REQUEST_DEADLINE_MILLIS = 30_000


class _RequestDeadline:
    """Stands in for the Lambda context: the time an HTTP request may still run."""

    def __init__(self) -> None:
        self._deadline = time.monotonic() + REQUEST_DEADLINE_MILLIS / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(1, int((self._deadline - time.monotonic()) * 1000))


@lru_cache(maxsize=1)
def _persistence() -> DynamoDBPersistenceLayer:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(
        table_name=get_settings().table_name(IDEMPOTENCY.name),
        boto3_client=aws.client("dynamodb"),
    )


aws.on_reset(_persistence.cache_clear)


def run_idempotent(
    *,
    scope: str,
    owner: str,
    key: str | None,
    request: dict[str, Any],
    create: Callable[[], dict[str, Any]],
    lambda_context: Any = None,
) -> dict[str, Any]:
    """Run a create once per (scope, owner, key); replays return the first response.

    The same key with a different request body is a 409, and so is a replay that arrives while
    the first call is still running.
    """
    if key is None:
        return create()
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="request",
        raise_on_no_idempotency_key=True,
        expires_after_seconds=RECORD_TTL_SECONDS,
        use_local_cache=False,
    )
    if lambda_context is None or not hasattr(lambda_context, "get_remaining_time_in_millis"):
        lambda_context = _RequestDeadline()
    config.register_lambda_context(lambda_context)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="data",
        persistence_store=_persistence(),
        config=config,
        key_prefix=f"create:{scope}",
    )
    def _create(data: dict[str, Any]) -> dict[str, Any]:  # noqa: ARG001 - hashed by Powertools
        return create()

    try:
        result: dict[str, Any] = _create(data={"key": f"{owner}:{key}", "request": request})
    except IdempotencyValidationError as exc:
        raise Conflict("Idempotency-Key was already used with a different request body.") from exc
    except IdempotencyAlreadyInProgressError as exc:
        raise Conflict(
            "A request with this Idempotency-Key is still in progress.",
            headers={"Retry-After": "1"},
        ) from exc
    except IdempotencyPersistenceLayerError as exc:
        raise ServiceUnavailable() from exc
    return result
