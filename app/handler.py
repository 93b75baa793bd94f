"""The one Lambda entry point: SQS batches to the worker, schedules to the outbox sweep, HTTP
events to FastAPI via Mangum."""

from __future__ import annotations

import gc

# Lambda imports this module in its init phase. Nearly everything allocated from here until the
# app is built (modules, classes, schemas, routes) lives as long as the process, so the cyclic
# collector's passes over that growing heap are wasted init time (bench/cold.py: several percent
# of a cold start). It runs again once the app is built, with that heap frozen out of its passes
# (the end of this module).
_GC_WAS_ENABLED = gc.isenabled()
gc.disable()

from collections.abc import Callable  # noqa: E402 - imported with the collector paused
from contextvars import ContextVar, copy_context  # noqa: E402
from functools import lru_cache  # noqa: E402
from typing import Any, TypeVar  # noqa: E402

from mangum import Mangum  # noqa: E402

from app.core.config import get_settings  # noqa: E402
from app.core.observability import emit_metric, subsegment  # noqa: E402
from app.main import create_app  # noqa: E402

T = TypeVar("T")

# Lambda hands a process one event at a time, so a sync route or dependency has nothing to run
# alongside: sending it to anyio's worker thread only adds thread switches (about 0.4 ms a hop
# on 2 cores; bench/warm.py measures it). While this handler serves an HTTP event, such calls
# run inline, in a copy of the context as the worker would; every other anyio user in the
# process (uvicorn under `make dev`, TestClient) keeps the threadpool.
_INLINE_SYNC: ContextVar[bool] = ContextVar("inline_sync", default=False)


def _install_inline_sync() -> None:
    import anyio.to_thread

    threaded = anyio.to_thread.run_sync
    if getattr(threaded, "inline_flag", None) is _INLINE_SYNC:
        return

    async def run_sync(
        func: Callable[..., T],
        *args: Any,
        abandon_on_cancel: bool = False,
        cancellable: bool | None = None,
        limiter: Any = None,
    ) -> T:
        if _INLINE_SYNC.get():
            return copy_context().run(func, *args)
        return await threaded(
            func,
            *args,
            abandon_on_cancel=abandon_on_cancel,
            cancellable=cancellable,
            limiter=limiter,
        )

    run_sync.inline_flag = _INLINE_SYNC  # type: ignore[attr-defined]
    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]


@lru_cache(maxsize=1)
def _http_adapter() -> Mangum:
    # Lifespan off: clients are built lazily and cached, never per invocation.
    _install_inline_sync()
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


def is_scheduled_event(event: Any) -> bool:
    """Return whether a Lambda event is an EventBridge schedule (the outbox sweep's trigger)."""
    return (
        isinstance(event, dict)
        and event.get("source") == "aws.events"
        and event.get("detail-type") == "Scheduled Event"
    )


def is_warmer_event(event: Any) -> bool:
    """Return whether a Lambda event is the EventBridge warmer's ({"warmer": true})."""
    return isinstance(event, dict) and event.get("warmer") is True


_cold = [True]


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Handle any event the function is wired to."""
    if _cold[0]:
        _cold[0] = False
        emit_metric("ColdStart", service="planforge")
    if is_warmer_event(event):
        # Answered before any app code runs: the point is only to keep this environment alive.
        return {"warmed": True}
    if is_sqs_event(event):
        from app.worker import handle_sqs

        with subsegment("## sqs batch"):
            return handle_sqs(event, context)
    if is_scheduled_event(event):
        from app.core import outbox

        with subsegment("## outbox sweep"):
            result = outbox.sweep()
        return {"outboxSent": result.sent, "outboxFailed": result.failed}
    adapter = _http_adapter()
    inline = _INLINE_SYNC.set(True)
    try:
        with subsegment("## http"):
            return adapter(event, context)
    finally:
        _INLINE_SYNC.reset(inline)


def _build_at_init() -> None:
    """Build the app now, then resume collection with the init heap frozen out of it."""
    try:
        _http_adapter()
    finally:
        gc.freeze()
        if _GC_WAS_ENABLED:
            gc.enable()


# Build the FastAPI app during Lambda's init phase (module import), which runs at full CPU
# before the first request is timed, rather than on that request.
_build_at_init()
