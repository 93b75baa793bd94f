"""The one Lambda entry point: SQS batches to the worker, HTTP events to FastAPI via Mangum."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from mangum import Mangum

from app.core.config import get_settings
from app.main import create_app


@lru_cache(maxsize=1)
def _http_adapter() -> Mangum:
    # Lifespan off: clients are built lazily and cached, never per invocation.
    return Mangum(create_app(), lifespan="off", api_gateway_base_path=get_settings().api_base_path)


def is_sqs_event(event: Any) -> bool:
    """Return whether a Lambda event is an SQS batch."""
    if not isinstance(event, dict):
        return False
    records = event.get("Records")
    return (
        isinstance(records, list)
        and bool(records)
        and all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records)
    )


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Handle any event the function is wired to."""
    if is_sqs_event(event):
        from app.worker import handle_sqs

        return handle_sqs(event, context)
    return _http_adapter()(event, context)
