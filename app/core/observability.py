"""Structured JSON logs with the request id, X-Ray tracing and EMF metrics (Powertools)."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit, single_metric

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

SERVICE_NAME = "planforge"
METRICS_NAMESPACE = "Planforge"

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# stderr keeps stdout free for `python -m app.local invoke`; Lambda ships both to CloudWatch.
logger = Logger(service=SERVICE_NAME, logger_handler=logging.StreamHandler(sys.stderr))
logger.addFilter(_RequestIdFilter())


@lru_cache(maxsize=1)
def tracer() -> Tracer:
    """Return the Tracer, patching botocore so each AWS call is a subsegment.

    Built with the first AWS or Gemini client, not at import: the X-Ray SDK costs ~200 ms of
    imports, which a cold GET /health (no downstream call) should not pay. Powertools disables
    it outside Lambda (tests, make dev).
    """
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE_NAME, patch_modules=["botocore"])


@lru_cache(maxsize=1)
def trace_httpx() -> None:
    """Patch httpx too, so each Gemini call is a subsegment; run before the first Gemini client.

    Not with the first AWS client: patching imports httpx (~150 ms), which a request that only
    reads DynamoDB would pay for a transport that only the Gemini fallback of AI jobs uses.
    """
    tracer().patch(["httpx"])


@contextlib.contextmanager
def subsegment(name: str) -> Iterator[None]:
    """Open a named subsegment once tracing is set up; a no-op before that."""
    if tracer.cache_info().currsize == 0:
        yield
        return
    with tracer().provider.in_subsegment(name):
        yield


def annotate(key: str, value: str) -> None:
    """Annotate the current subsegment (searchable in X-Ray); never fails the work."""
    if tracer.cache_info().currsize == 0:
        return
    with contextlib.suppress(Exception):
        tracer().put_annotation(key=key, value=value)


def emit_metric(name: str, value: float = 1, *, unit: str = "Count", **dimensions: str) -> None:
    """Emit one EMF metric line now (no API call); metrics never break a request or a job."""
    try:
        # EMF goes to stderr: Lambda ships it to the same log stream as stdout, and stdout
        # stays clean for `python -m app.local invoke`.
        with (
            contextlib.redirect_stdout(sys.stderr),
            single_metric(
                name=name, unit=MetricUnit(unit), value=value, namespace=METRICS_NAMESPACE
            ) as metric,
        ):
            for key, dimension in dimensions.items():
                metric.add_dimension(name=key, value=dimension)
    except Exception:  # observability must not fail the work
        logger.debug("metric not emitted", exc_info=True)


def record_request(route: str, status: int, latency_ms: float) -> None:
    """Emit one request's latency and whether it failed (5xx), per route template."""
    annotate("route", route)
    emit_metric("RouteLatency", latency_ms, unit="Milliseconds", route=route)
    emit_metric("RouteErrors", 1 if status >= 500 else 0, route=route)


def mask_email(email: str) -> str:
    """Mask an email for logs: keep the first letter and the domain."""
    local, _, domain = email.partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"
