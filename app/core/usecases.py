"""Steps every domain service repeats: pages, idempotent creates, version checks, retries."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from app.core.errors import VersionConflict
from app.core.idempotency import run_idempotent
from app.core.pagination import decode_cursor, encode_cursor
from app.core.records import Page as RecordPage
from app.core.schemas import Page

R = TypeVar("R")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

CONFLICT_ATTEMPTS = 5


def paginate(
    *,
    owner: str,
    scope: str,
    cursor: str | None,
    fetch: Callable[[dict[str, Any] | None], RecordPage[R]],
    convert: Callable[[R], T],
) -> Page[T]:
    """Decode the caller's cursor, fetch one page of records and answer it in API models.

    The cursor is bound to the owner and the scope (the list and its filters), so it cannot
    be replayed against another user's list or another filter.
    """
    page = fetch(decode_cursor(cursor, owner=owner, scope=scope))
    return Page[T](
        items=[convert(record) for record in page.items],
        next_cursor=encode_cursor(page.last_key, owner=owner, scope=scope),
    )


def idempotent_create(
    *,
    scope: str,
    owner: str,
    key: str | None,
    body: BaseModel,
    create: Callable[[], M],
    answer: type[M],
) -> M:
    """Run a create once per (scope, owner, Idempotency-Key); a replay returns the first answer."""
    result = run_idempotent(
        scope=scope,
        owner=owner,
        key=key,
        request=body.model_dump(mode="json", by_alias=True),
        create=lambda: create().model_dump(mode="json", by_alias=True),
    )
    return answer.model_validate(result)


def require_version(current: int, expected: int) -> None:
    """Raise VersionConflict (with the current version) unless the versions match."""
    if current != expected:
        raise VersionConflict(details=[{"currentVersion": current}])


def retry_on_conflict(
    action: Callable[[], T],
    *,
    attempts: int = CONFLICT_ATTEMPTS,
    retry_on: type[Exception] | tuple[type[Exception], ...] = VersionConflict,
) -> T:
    """Run a read-modify-write until it lands, with jittered backoff; re-raise after attempts."""
    for attempt in range(attempts):
        try:
            return action()
        except retry_on:
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.02 * (attempt + 1)))  # noqa: S311 - jitter, not crypto
    raise AssertionError("unreachable")  # pragma: no cover
