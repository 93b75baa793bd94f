"""Warm requests through the Lambda handler, DynamoDB on in-process moto, against the floor.

Floor: bench/floor_app.py, a bare FastAPI app behind stock Mangum (lifespan off) whose
GET /projects/{id} does the same consistent GetItem with no middleware, auth or validation.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from bench.harness import Row, SectionResult, interleave, per_call, section_main
from bench.inproc import (
    PROJECT_BODY,
    call,
    create_tables,
    expect,
    lambda_environment,
    mint_access_token,
    start_jwks_server,
)
from bench.lambda_env import LambdaContext, http_v2_event


def _us(fn: Any, calls: int) -> Any:
    return lambda: per_call(fn, calls, time.perf_counter) * 1e6


def _asgi_on_reused_loop(app: Any, path: str) -> Any:
    """Drive an ASGI app directly on one persistent loop: what an adapter costs at least."""
    loop = asyncio.new_event_loop()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"api.example.com")],
        "server": ("api.example.com", 443),
        "client": ("203.0.113.7", 0),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:  # noqa: ARG001 - dropped
        return None

    return lambda: loop.run_until_complete(app(dict(scope), receive, send))


def run(result: SectionResult, quick: bool) -> None:
    """Measure warm /health and an authenticated read against the floor."""
    from moto import mock_aws

    lambda_environment(start_jwks_server())
    pairs = 10 if quick else 20
    with mock_aws():
        create_tables()
        from app.handler import handler
        from bench.floor_app import build

        floor = build(with_read=True)
        token = mint_access_token()
        project = expect(call(handler, "POST", "/projects", token=token, body=PROJECT_BODY), 201)
        path = f"/projects/{project['projectId']}"
        health_event = http_v2_event("GET", "/health")
        read_event = http_v2_event("GET", path, headers={"authorization": f"Bearer {token}"})
        context = LambdaContext()
        expect(handler(read_event, context), 200)
        expect(floor(read_event, context), 200)

        app_health, floor_health = interleave(
            _us(lambda: handler(health_event, context), 300),
            _us(lambda: floor(health_event, context), 300),
            pairs=pairs,
        )
        result.add(
            Row(
                section="warm",
                name="warm GET /health through the handler",
                unit="µs",
                values=app_health,
                floor=floor_health,
                floor_name="bare FastAPI + Mangum",
                goal="ratio <= 1.35",
                goal_max=1.35,
            )
        )
        app_read, floor_read = interleave(
            _us(lambda: handler(read_event, context), 60),
            _us(lambda: floor(read_event, context), 60),
            pairs=pairs,
        )
        result.add(
            Row(
                section="warm",
                name="warm authenticated GET /projects/{id}",
                unit="µs",
                values=app_read,
                floor=floor_read,
                floor_name="bare route doing the same GetItem",
                goal="ratio <= 1.2",
                goal_max=1.2,
            )
        )
        result.detail(
            "authenticated read, app minus floor per pair: median "
            f"{statistics.median(a - f for a, f in zip(app_read, floor_read, strict=True)):.0f} µs "
            "(the rest is moto serving the GetItem in-process, paid by both)"
        )
        _inline_saving(result, pairs, read_event, handler, context)
        _adapter_mechanics(result, pairs, context)


def _inline_saving(
    result: SectionResult, pairs: int, event: Any, handler: Any, context: Any
) -> None:
    """The same app behind stock Mangum: every sync dependency and route takes a thread hop."""
    from mangum import Mangum

    from app.main import create_app

    stock = Mangum(create_app(), lifespan="off")
    expect(stock(event, context), 200)
    threaded, inline = interleave(
        _us(lambda: stock(event, context), 60),
        _us(lambda: handler(event, context), 60),
        pairs=pairs,
    )
    result.add(
        Row(
            section="warm",
            name="authenticated read, stock Mangum (sync code in threadpool)",
            unit="µs",
            values=threaded,
            floor=inline,
            floor_name="app.handler (sync code inline)",
        )
    )


def _adapter_mechanics(result: SectionResult, pairs: int, context: Any) -> None:
    """Where a bare request's time goes: Mangum itself, and the threadpool hop of a def route."""
    from fastapi import FastAPI
    from mangum import Mangum

    bare = FastAPI()

    @bare.get("/async")
    async def async_route() -> dict[str, str]:
        return {"status": "ok"}

    @bare.get("/sync")
    def sync_route() -> dict[str, str]:
        return {"status": "ok"}

    adapter = Mangum(bare, lifespan="off")
    async_event = http_v2_event("GET", "/async")
    sync_event = http_v2_event("GET", "/sync")
    mangum, direct = interleave(
        _us(lambda: adapter(async_event, context), 300),
        _us(_asgi_on_reused_loop(bare, "/async"), 300),
        pairs=pairs,
    )
    result.add(
        Row(
            section="warm",
            name="Mangum per call (bare async route)",
            unit="µs",
            values=mangum,
            floor=direct,
            floor_name="same ASGI call on a reused loop",
        )
    )
    sync, plain = interleave(
        _us(lambda: adapter(sync_event, context), 300),
        _us(lambda: adapter(async_event, context), 300),
        pairs=pairs,
    )
    result.add(
        Row(
            section="warm",
            name="threadpool hop: bare def route via Mangum",
            unit="µs",
            values=sync,
            floor=plain,
            floor_name="bare async route via Mangum",
        )
    )


if __name__ == "__main__":
    section_main("warm", run)
