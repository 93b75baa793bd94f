"""The app uvicorn's reloading worker serves locally: the API plus a queue poller on its code.

`serve` keeps moto, the AI emulator and the mailbox in the parent process, so users, tables,
objects and codes survive a reload; each reloaded worker builds this app and starts its own
poller, so queued jobs run the reloaded code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.core.config import get_settings
from app.main import create_app


def create_dev_app() -> FastAPI:
    """Create the API with a lifespan that runs the local queue poller."""
    app = create_app()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        from app.handler import handler
        from app.local.poller import QueuePoller

        poller = QueuePoller(get_settings().jobs_queue_url, handler)
        poller.start()
        try:
            yield
        finally:
            poller.stop()

    app.router.lifespan_context = lifespan
    return app
