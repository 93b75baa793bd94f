"""Wire every domain's job handlers into the registry, then process SQS batches."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from app.core.worker import process_sqs_batch
from app.domains import job_modules


@lru_cache(maxsize=1)
def load_job_handlers() -> None:
    """Import every registered domain's job modules once (handlers and AI kinds)."""
    for module in job_modules():
        importlib.import_module(module)


def handle_sqs(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Process an SQS batch with every job handler registered."""
    load_job_handlers()
    return process_sqs_batch(event, context)
