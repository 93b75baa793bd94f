"""Structured JSON logs with the request id, X-Ray tracing and EMF metrics (Powertools)."""

from __future__ import annotations

import contextlib
import logging
import sys
from contextvars import ContextVar

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

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

# DynamoDB, S3, SQS, SES, Cognito and Bedrock go through botocore, Gemini through httpx: each call
# becomes an X-Ray subsegment. Powertools disables the tracer outside Lambda (tests, make dev).
tracer = Tracer(service=SERVICE_NAME, patch_modules=["botocore", "httpx"])


def annotate(key: str, value: str) -> None:
    """Annotate the current trace entity (searchable in X-Ray); never fails the work."""
    with contextlib.suppress(Exception):
        tracer.put_annotation(key=key, value=value)


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
