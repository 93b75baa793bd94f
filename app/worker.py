"""Wire every domain's job handlers into the registry, then process SQS batches."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from app.core.registry import resolve
from app.core.sqs_batch import process_sqs_batch
from app.domains import ai_kinds, job_modules


@lru_cache(maxsize=1)
def load_job_handlers() -> None:
    """Import every domain's job modules and register every AI kind, once."""
    for module in job_modules():
        importlib.import_module(module)
    from app.ai import service as ai_service

    for reference in ai_kinds():
        ai_service.register(resolve(reference))


def handle_sqs(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Process an SQS batch with every job handler registered."""
    load_job_handlers()
    return process_sqs_batch(event, context)
