"""Abuse limits for public routes: fixed-window counters in DynamoDB, shared by every instance."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import lru_cache
from typing import Annotated, Any

from botocore.exceptions import ClientError
from fastapi import Depends, Request
from pydantic.networks import validate_email
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool

from app.core import aws
from app.core.config import Settings, get_settings
from app.core.dynamo import is_conditional_failure
from app.core.errors import RateLimited
from app.core.observability import logger
from app.core.tables import COUNTERS

UNKNOWN_CLIENT = "unknown"
MAX_IDENTITY_LENGTH = 320
MAX_TOKEN_LENGTH = 8192
_TTL = COUNTERS.ttl_attribute or "expiresAt"


class FixedWindowLimiter:
    """Count hits per key in fixed windows; refuse a hit once the window's count is at the limit."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def hit(self, key: str, *, limit: int, window_seconds: int) -> None:
        """Count one hit for a key, or raise RateLimited with the seconds left in the window."""
        now = self._clock()
        start = int(now // window_seconds) * window_seconds
        end = start + window_seconds
        try:
            aws.table(COUNTERS.name).update_item(
                Key={"counterKey": f"rl#{key}#{start}"},
                UpdateExpression="ADD #count :one SET #expires = :end",
                # The condition keeps a refused hit from counting, so the window's count stays at
                # the limit and the item is never rewritten by an attacker past it.
                ConditionExpression="attribute_not_exists(#count) OR #count < :limit",
                ExpressionAttributeNames={"#count": "count", "#expires": _TTL},
                ExpressionAttributeValues={":one": 1, ":end": end, ":limit": limit},
            )
        except ClientError as exc:
            if is_conditional_failure(exc):
                retry_after = max(1, math.ceil(end - now))
                raise RateLimited(retry_after=retry_after) from exc
            # Anything else (throttling of a hot counter included) fails closed: the exception
            # handlers answer 503 with Retry-After rather than let an unlimited burst through.
            raise

    def check(
        self,
        *,
        action: str,
        client_ip: str,
        email: str | None,
        settings: Settings,
        identity_kind: str = "email",
    ) -> None:
        """Count a public call against the caller's IP and, when given, the target identity."""
        window = settings.rate_limit_window_seconds
        self.hit(
            f"{action}#ip#{client_ip}", limit=settings.rate_limit_per_ip, window_seconds=window
        )
        if email:
            digest = hashlib.sha256(email.encode()).hexdigest()[:32]
            self.hit(
                f"{action}#{identity_kind}#{digest}",
                limit=settings.rate_limit_per_email,
                window_seconds=window,
            )


@lru_cache(maxsize=1)
def get_rate_limiter() -> FixedWindowLimiter:
    """Return the process-wide limiter (a dependency, so tests can give it a clock)."""
    return FixedWindowLimiter()


def client_ip(scope: Mapping[str, Any]) -> str:
    """Return the caller's IP as the edge saw it; X-Forwarded-For from the client is never used."""
    event = scope.get("aws.event")
    if isinstance(event, Mapping):
        context = event.get("requestContext") or {}
        http = context.get("http") or {}  # HTTP API v2 and Function URLs
        identity = context.get("identity") or {}  # REST API v1
        for candidate in (http.get("sourceIp"), identity.get("sourceIp")):
            if isinstance(candidate, str) and candidate:
                return candidate
        if "elb" in context:
            return _alb_client(event)
    client = scope.get("client")
    if client and isinstance(client[0], str) and client[0]:
        return client[0]
    return UNKNOWN_CLIENT


def _alb_client(event: Mapping[str, Any]) -> str:
    # The ALB appends the address it accepted the connection from; earlier entries are the
    # client's own claims.
    headers = event.get("headers") or {}
    multi = event.get("multiValueHeaders") or {}
    values = multi.get("x-forwarded-for") or [headers.get("x-forwarded-for", "")]
    last = str(values[-1] or "").split(",")[-1].strip()
    return last or UNKNOWN_CLIENT


def canonical_email(raw: str) -> str | None:
    """Return the address the request schemas reduce an email to, or None if it is not one."""
    # The same reduction the routes apply after validation ("Name <a@b>", case, spaces), so
    # every spelling of one address shares one counter.
    if len(raw) > MAX_IDENTITY_LENGTH:
        return None
    try:
        _, address = validate_email(raw.strip())
    except PydanticCustomError:
        return None
    return address.strip().lower()


def canonical_token(raw: str) -> str | None:
    """Return an opaque token as sent (it is compared byte for byte), or None if implausible."""
    token = raw.strip()
    return token if token and len(token) <= MAX_TOKEN_LENGTH else None


async def _body_identity(
    request: Request, field: str, canonical: Callable[[str], str | None]
) -> str | None:
    try:
        body = await request.json()  # cached by Starlette: FastAPI already read it
    except ValueError:
        return None
    value = body.get(field) if isinstance(body, dict) else None
    return canonical(value) if isinstance(value, str) else None


def rate_limit(
    action: str,
    *,
    field: str = "email",
    canonical: Callable[[str], str | None] = canonical_email,
) -> Callable[..., Awaitable[None]]:
    """Return a dependency that limits a public route per client IP and per body identity."""

    async def limit(
        request: Request,
        settings: Annotated[Settings, Depends(get_settings)],
        limiter: Annotated[FixedWindowLimiter, Depends(get_rate_limiter)],
    ) -> None:
        ip = client_ip(request.scope)
        identity = await _body_identity(request, field, canonical)
        try:
            await run_in_threadpool(
                limiter.check,
                action=action,
                client_ip=ip,
                email=identity,
                settings=settings,
                identity_kind=field.lower(),
            )
        except RateLimited:
            logger.warning("rate limited", extra={"action": action})
            raise

    return limit
