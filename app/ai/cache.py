"""The response cache: validated results keyed by a hash of what was asked, kept 24 h."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.ai.domain import AI_CACHE
from app.core import aws, dynamo
from app.core.observability import logger

TTL = AI_CACHE.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class CacheEntry:
    """A validated result and who produced it."""

    result: dict[str, Any]
    engine: str
    model: str


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
        item = aws.table(AI_CACHE.name).get_item(Key={"cacheKey": key}).get("Item")
    except (ClientError, BotoCoreError):
        logger.warning("ai cache read failed", exc_info=True)
        return None
    if item is None or dynamo.is_expired(item, TTL):
        return None
    plain = dynamo.plain_item(item)
    return CacheEntry(result=plain["result"], engine=plain["engine"], model=plain["model"])


def put(key: str, entry: CacheEntry, *, ttl_seconds: int) -> None:
    """Store an entry for ttl_seconds; failures are logged, never raised."""
    if ttl_seconds <= 0:
        return
    item = {
        "cacheKey": key,
        "result": entry.result,
        "engine": entry.engine,
        "model": entry.model,
        TTL: int(time.time()) + ttl_seconds,
    }
    try:
        aws.table(AI_CACHE.name).put_item(Item=dynamo.to_dynamo(item))
    except (ClientError, BotoCoreError):
        logger.warning("ai cache write failed", exc_info=True)
