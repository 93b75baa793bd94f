"""The local dev server: `make dev` to the first /health 200, and /auth/me under 16 clients.

Floor (bench/floor_dev.py): the same embedded moto bootstrap and uvicorn settings serving a
bare FastAPI app whose /auth/me makes the same Cognito GetUser call and nothing else (no
middleware, JWT verification, validation or response model). Everything runs on loopback.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import Row, SectionResult, interleave, section_main

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 16
PASSWORD = "Bench-Pass-9x"  # noqa: S105 - a throwaway account on a loopback emulator


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A server process we started in its own session, so that it and its children stop."""

    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        with log.open("w") as handle:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.started = time.monotonic()

    def wait_healthy(self, timeout: float = 60.0) -> float:
        """Poll GET /health until 200; return seconds since the process was spawned."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return time.monotonic() - self.started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"no /health 200 within {timeout} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the server's process group (make and the Python it runs)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _make_dev(workdir: Path) -> Server:
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "LOCAL_AWS_PORT": str(_free_port()),
        "LOCAL_AI_PORT": str(_free_port()),
    }
    for key in [k for k in env if k.startswith(("AWS_", "COGNITO_")) or k == "ENVIRONMENT"]:
        del env[key]
    return Server(["make", "--no-print-directory", "dev"], env, port, workdir / f"dev-{port}.log")


def _floor_dev(workdir: Path) -> Server:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COGNITO_"))}
    command = [sys.executable, "-m", "bench.floor_dev", "--port", str(port),
               "--aws-port", str(_free_port())]  # fmt: skip
    return Server(command, env, port, workdir / f"floor-{port}.log")


def _request(port: int, method: str, path: str, body: Any = None) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    payload = None if body is None else json.dumps(body)
    connection.request(method, path, payload, {"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path} -> {response.status}: {data[:300]!r}")
    result: dict[str, Any] = json.loads(data) if data else {}
    return result


def _app_token(server: Server) -> str:
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    user = {"email": email, "password": PASSWORD, "name": "Bench"}
    _request(server.port, "POST", "/auth/register", user)
    login = _request(server.port, "POST", "/auth/login", {"email": email, "password": PASSWORD})
    return str(login["accessToken"])


def _floor_token(server: Server) -> tuple[str, Any]:
    import boto3

    line = next(x for x in server.log.read_text().splitlines() if x.startswith('{"AWS_'))
    settings = json.loads(line)
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=settings["AWS_ENDPOINT_URL"],
        region_name=settings["AWS_REGION"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's placeholder
    )
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    cognito.sign_up(
        ClientId=settings["COGNITO_CLIENT_ID"], Username=email, Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Bench"}],
    )  # fmt: skip
    cognito.admin_confirm_sign_up(UserPoolId=settings["COGNITO_USER_POOL_ID"], Username=email)
    tokens = cognito.initiate_auth(
        ClientId=settings["COGNITO_CLIENT_ID"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )
    return str(tokens["AuthenticationResult"]["AccessToken"]), cognito


def _load(port: int, path: str, token: str, total: int) -> dict[str, float]:
    """16 keep-alive clients share `total` requests; return throughput, p50, p99, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_client = total // CLIENTS
    barrier = threading.Barrier(CLIENTS + 1)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"}
        mine: list[float] = []
        barrier.wait()
        for _ in range(per_client):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1e3,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3,
        "errors": float(errors[0]),
    }


def _startup(result: SectionResult, workdir: Path, pairs: int) -> None:
    def once(start: Callable[[Path], Server]) -> float:
        server = start(workdir)
        try:
            return server.wait_healthy()
        finally:
            server.stop()

    app, floor = interleave(lambda: once(_make_dev), lambda: once(_floor_dev), pairs=pairs)
    result.add(
        Row(
            section="dev server",
            name="`make dev` to first /health 200",
            unit="s",
            values=app,
            floor=floor,
            floor_name="same moto bootstrap + uvicorn, bare app",
        )
    )


def _throughput(result: SectionResult, workdir: Path, pairs: int, total: int) -> None:
    app_server, floor_server = _make_dev(workdir), _floor_dev(workdir)
    try:
        app_server.wait_healthy()
        floor_server.wait_healthy()
        app_token = _app_token(app_server)
        floor_token, cognito = _floor_token(floor_server)
        runs: dict[str, list[dict[str, float]]] = {"app": [], "floor": []}

        def sample(which: str) -> float:
            server, token = (
                (app_server, app_token) if which == "app" else (floor_server, floor_token)
            )
            runs[which].append(_load(server.port, "/auth/me", token, total))
            return runs[which][-1]["rps"]

        app, floor = interleave(lambda: sample("app"), lambda: sample("floor"), pairs=pairs)
        result.add(
            Row(
                section="dev server",
                name=f"GET /auth/me throughput, {CLIENTS} clients, {total} requests",
                unit="req/s",
                values=app,
                floor=floor,
                floor_name="bare route, same Cognito GetUser",
                goal="ratio >= 0.7",
                goal_min=0.7,
            )
        )
        counted = {k: v[1:] for k, v in runs.items()}  # the warm-up pair is dropped
        result.add(
            Row(
                section="dev server",
                name="GET /auth/me p99 latency",
                unit="ms",
                values=[r["p99"] for r in counted["app"]],
                floor=[r["p99"] for r in counted["floor"]],
                floor_name="bare route, same Cognito GetUser",
            )
        )
        errors = sum(r["errors"] for v in counted.values() for r in v)
        result.detail(f"/auth/me non-200 answers during the runs: {errors:.0f}")
        bare = [_load(floor_server.port, "/bare", floor_token, total)["rps"] for _ in range(3)]
        result.add(
            Row(
                section="dev server",
                name="bare def route, no work (what uvicorn + this client reach)",
                unit="req/s",
                values=bare,
            )
        )
        started = time.perf_counter()
        for _ in range(50):
            cognito.get_user(AccessToken=floor_token)
        per_call = (time.perf_counter() - started) / 50 * 1e3
        result.detail(
            f"one Cognito GetUser on the embedded moto, sequential from outside: {per_call:.1f} ms"
        )
    finally:
        app_server.stop()
        floor_server.stop()


def run(result: SectionResult, quick: bool) -> None:
    """Measure dev-server start-up and /auth/me throughput against the floor."""
    installed = subprocess.run(
        ["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True, check=False
    )
    if installed.returncode != 0:
        raise RuntimeError("dependencies are not installed (or out of date): run `make install`")
    with tempfile.TemporaryDirectory(prefix="planforge-devbench-") as scratch:
        workdir = Path(scratch)
        _startup(result, workdir, pairs=5 if quick else 10)
        _throughput(result, workdir, pairs=5 if quick else 10, total=320 if quick else 480)


if __name__ == "__main__":
    section_main("dev server", run)
