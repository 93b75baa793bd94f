"""Cold start: a fresh interpreter imports the handler and serves one GET /health (v2 event).

Each sample is one whole child process, from spawn to the moment its response is built
(interpreter start, imports, app construction, the request; not interpreter teardown).
"""

from __future__ import annotations

import json
import logging
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.harness import Row, SectionResult, interleave, section_main
from bench.lambda_env import child_environment

CHILD = Path(__file__).with_name("cold_child.py")


def _spawn(which: str, reports: list[dict[str, Any]], extra: dict[str, str] | None = None) -> float:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(CHILD), which],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(extra),
    )
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"cold {which} failed: {stderr[-2000:]}")
    report: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    if report["status"] != 200:
        raise RuntimeError(f"cold {which} answered {report['status']}")
    report["which"] = which
    reports.append(report)
    return (float(report["done"]) - started) * 1000


_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")


def _import_times(which: str) -> dict[str, float]:
    """Return each module's own import time (ms) in one cold child run with -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(CHILD), which],
        capture_output=True, text=True, env=child_environment(), check=True,
    )  # fmt: skip
    return {m.group(2): int(m.group(1)) / 1000 for m in _LINE.finditer(done.stderr)}


def _group(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "app" else parts[0]


def _breakdown(result: SectionResult, runs: int) -> None:
    """Say what the app imports that the floor does not, and the reverse, by package."""
    samples = {w: [_import_times(w) for _ in range(runs)] for w in ("app", "floor")}
    medians = {
        w: {m: statistics.median(s.get(m, 0.0) for s in runs_) for m in runs_[0]}
        for w, runs_ in samples.items()
    }
    for mine, other, label in (("app", "floor", "app only"), ("floor", "app", "floor only")):
        groups: dict[str, float] = {}
        for module, ms in medians[mine].items():
            if module not in medians[other]:
                groups[_group(module)] = groups.get(_group(module), 0.0) + ms
        top = sorted(groups.items(), key=lambda item: -item[1])[:10]
        result.detail(
            f"imports {label} (-X importtime, own time, median of {runs}): "
            f"{sum(groups.values()):.0f} ms: " + ", ".join(f"{name} {ms:.0f}" for name, ms in top)
        )


def run(result: SectionResult, quick: bool) -> None:
    """Measure the cold start of the app against the bare floor."""
    reports: list[dict[str, Any]] = []
    app, floor = interleave(
        lambda: _spawn("app", reports),
        lambda: _spawn("floor", reports),
        pairs=5 if quick else 15,
        warmup=2,
    )
    counted = reports[4:]  # the two warm-up pairs
    app_reports = [r for r in counted if r["which"] == "app"]
    floor_reports = [r for r in counted if r["which"] == "floor"]
    result.add(
        Row(
            section="cold start",
            name="cold GET /health: spawn to response",
            unit="ms",
            values=app,
            floor=floor,
            floor_name="bare FastAPI + Mangum + boto3 Table",
            goal="ratio <= 1.15",
            goal_max=1.15,
        )
    )
    # Lambda pays both at cold start: init (imports, the app build) and the first request.
    result.add(
        Row(
            section="cold start",
            name="import plus first request in one process",
            unit="ms",
            values=[float(r["in_process_ms"]) for r in app_reports],
            floor=[float(r["in_process_ms"]) for r in floor_reports],
            floor_name="the floor, same in one process",
            goal="ratio <= 1.2",
            goal_max=1.2,
        )
    )
    for key, label in (
        ("import_ms", "import app.handler / build the floor"),
        ("request_ms", "first request (the app is built at import, in the init phase)"),
        ("cpu_ms", "CPU time of the whole child (user + sys)"),
    ):
        result.add(
            Row(
                section="cold start",
                name=f"cold: {label}",
                unit="ms",
                values=[float(r[key]) for r in app_reports],
                floor=[float(r[key]) for r in floor_reports],
                floor_name="floor",
            )
        )
    heavy = sorted({m for r in app_reports for m in r["heavy"]})
    result.add(
        Row(
            section="cold start",
            name="langchain, numpy or httpx modules loaded at cold start (import + GET /health)",
            unit="modules",
            values=[float(len(r["heavy"])) for r in app_reports],
            goal="0",
            goal_max=0,
        )
    )
    result.detail(
        f"modules loaded after the cold request: app {app_reports[-1]['modules']}, "
        f"floor {floor_reports[-1]['modules']}; langchain/numpy/httpx loaded: {heavy or 'none'}; "
        f"boto3 loaded by the app: {app_reports[-1]['boto3']}"
    )
    _breakdown(result, runs=3)
    _cold_read(result, pairs=5 if quick else 10)


def _cold_read(result: SectionResult, pairs: int) -> None:
    """The first authenticated GET /projects/{id} of a fresh process, DynamoDB on moto's server.

    Both children reach moto over loopback HTTP (AWS_ENDPOINT_URL); the app also fetches the
    JWKS from loopback once. The floor does the same GetItem with no auth.
    """
    from moto.server import ThreadedMotoServer

    from bench.inproc import (
        PROJECT_BODY,
        call,
        create_tables,
        expect,
        lambda_environment,
        mint_access_token,
        start_jwks_server,
    )

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        jwks_url = start_jwks_server()
        lambda_environment(jwks_url)
        endpoint = f"http://{host}:{port}"
        os.environ["AWS_ENDPOINT_URL"] = endpoint
        create_tables(("projects",))
        from app.handler import handler

        token = mint_access_token()
        project = expect(call(handler, "POST", "/projects", token=token, body=PROJECT_BODY), 201)
        extra = {
            "AWS_ENDPOINT_URL": endpoint,
            "COGNITO_JWKS_URL": jwks_url,
            "BENCH_PATH": f"/projects/{project['projectId']}",
            "BENCH_AUTHORIZATION": f"Bearer {token}",
        }
        reports: list[dict[str, Any]] = []
        app, floor = interleave(
            lambda: _spawn("app", reports, extra),
            lambda: _spawn("floor", reports, extra),
            pairs=pairs,
            warmup=1,
        )
        result.add(
            Row(
                section="cold start",
                name="cold authenticated GET /projects/{id}: spawn to response",
                unit="ms",
                values=app,
                floor=floor,
                floor_name="bare app, same GetItem, no auth",
                goal="ratio <= 1.3",
                goal_max=1.3,
            )
        )
    finally:
        server.stop()


if __name__ == "__main__":
    section_main("cold start", run)
