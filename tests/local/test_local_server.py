"""The local dev server's uvicorn settings."""

from __future__ import annotations

import asyncio
from typing import Any

from app.local.__main__ import uvicorn_config


def test_finding_10_local_server_ignores_x_forwarded_for_from_loopback() -> None:
    seen: list[Any] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["client"])

    config = uvicorn_config(app, host="127.0.0.1", port=0)
    config.load()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"x-forwarded-for", b"203.0.113.77"), (b"x-forwarded-proto", b"https")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    # Not asyncio.run: it unsets the thread's event loop, which Mangum in later tests needs.
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(config.loaded_app(scope, receive, send))
    finally:
        loop.close()
    # The peer address stands: a header cannot choose the IP the rate limits count
    assert seen == [("127.0.0.1", 50000)]
