"""Capture what the app logs, formatted exactly as production writes it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from app.core.observability import logger


class LogCapture:
    """Everything the app's logger (at DEBUG) and any other logger (at INFO) wrote."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        """Return all captured lines."""
        return self.stream.getvalue()

    def assert_free_of(self, *secrets: str) -> None:
        """Fail if any secret, or a JWT's payload or signature alone, was logged."""
        pieces: list[str] = []
        for secret in secrets:
            pieces.append(secret)
            if secret.count(".") == 2:  # a JWT: its payload and signature are secret on their own
                pieces.extend(secret.split(".")[1:])
        leaked = [piece[:12] + "..." for piece in pieces if piece and piece in self.text]
        assert leaked == [], f"secrets in logs: {leaked}"


@contextmanager
def capture_logs() -> Iterator[LogCapture]:
    """Capture the app's logger at DEBUG and every other logger at INFO for a block."""
    capture = LogCapture()
    app_handler = logging.StreamHandler(capture.stream)
    app_handler.setFormatter(logger.registered_formatter)  # the exact JSON production writes
    other_handler = logging.StreamHandler(capture.stream)
    other_handler.setLevel(logging.INFO)
    app_logger, root = logging.getLogger("planforge"), logging.getLogger()
    levels = (app_logger.level, root.level)
    app_logger.setLevel(logging.DEBUG)  # stricter than production: debug lines must be clean too
    root.setLevel(min(root.level or logging.INFO, logging.INFO))  # e.g. httpx's request lines
    app_logger.addHandler(app_handler)
    root.addHandler(other_handler)
    try:
        yield capture
    finally:
        app_logger.removeHandler(app_handler)
        root.removeHandler(other_handler)
        app_logger.setLevel(levels[0])
        root.setLevel(levels[1])
