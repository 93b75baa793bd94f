"""The response cache: validated results keyed by a hash of what was asked, kept 24 h."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.ai.domain import AI_CACHE
from app.core.observability import logger
from app.core.store import DynamoStore

TTL = AI_CACHE.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class CacheEntry:
    """A validated result and who produced it."""

    result: dict[str, Any]
    engine: str
    model: str


@dataclass(frozen=True)
class CacheRecord:
    """A stored entry: its key, what it holds and when it expires."""

    cache_key: str
    entry: CacheEntry
    expires_at: int


def _to_item(record: CacheRecord) -> dict[str, Any]:
    return {
        "cacheKey": record.cache_key,
        "result": record.entry.result,
        "engine": record.entry.engine,
        "model": record.entry.model,
        TTL: record.expires_at,
    }


def _from_item(item: dict[str, Any]) -> CacheRecord:
    entry = CacheEntry(result=item["result"], engine=item["engine"], model=item["model"])
    return CacheRecord(cache_key=item["cacheKey"], entry=entry, expires_at=int(item[TTL]))


_store = DynamoStore(AI_CACHE, to_item=_to_item, from_item=_from_item)


def cache_key(
    *,
    owner_id: str,
    kind: str,
    models: tuple[str, ...],
    system: str,
    prompt: str,
    params: dict[str, Any],
    schema: dict[str, Any] | None,
) -> str:
    """Hash kind, models, prompt, parameters and output schema into a cache key.

    The owner is part of the key so that nobody can learn, from `cached: true`, what another
    user asked.
    """
    material = json.dumps(
        {
            "owner": owner_id,
            "kind": kind,
            "models": models,
            "system": system,
            "prompt": prompt,
            "params": params,
            "schema": schema,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def get(key: str) -> CacheEntry | None:
    """Return the live entry for a key, or None (a failing cache is a miss)."""
    try:
        record = _store.get({"cacheKey": key})
    except (ClientError, BotoCoreError):
        logger.warning("ai cache read failed", exc_info=True)
        return None
    return None if record is None else record.entry


def put(key: str, entry: CacheEntry, *, ttl_seconds: int) -> None:
    """Store an entry for ttl_seconds; failures are logged, never raised."""
    if ttl_seconds <= 0:
        return
    record = CacheRecord(cache_key=key, entry=entry, expires_at=int(time.time()) + ttl_seconds)
    try:
        _store.put(record)
    except (ClientError, BotoCoreError):
        logger.warning("ai cache write failed", exc_info=True)
