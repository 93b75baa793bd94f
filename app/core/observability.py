"""Structured JSON logging with the request id, through Powertools' Logger."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from aws_lambda_powertools import Logger

SERVICE_NAME = "planforge"

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# stderr keeps stdout free for `python -m app.local invoke`; Lambda ships both to CloudWatch.
logger = Logger(service=SERVICE_NAME, logger_handler=logging.StreamHandler(sys.stderr))
logger.addFilter(_RequestIdFilter())


def mask_email(email: str) -> str:
    """Mask an email for logs: keep the first letter and the domain."""
    local, _, domain = email.partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"
