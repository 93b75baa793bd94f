"""A short load test over loopback: 16 clients, 3,000 mixed authenticated project requests.

Usage:
    python scripts/load_test.py                      # starts `python -m app.local serve` itself
    python scripts/load_test.py --base-url http://127.0.0.1:8000   # an already running dev server

Prints errors, p50/p95/p99 latency and throughput. The figures are printed, not asserted; the
exit code is 1 only if a request failed.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PASSWORD = "Load-Test-Pass-9"  # noqa: S105 - a throwaway local account
# Weights of the request mix.
MIX = (("list", 40), ("get", 30), ("create", 15), ("patch", 15))


@dataclass
class Result:
    """What one client saw."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _dev_server(startup_timeout: float) -> Any:
    """Start the dev server on free loopback ports in a scratch directory; stop it after."""
    port, aws_port, ai_port = _free_port(), _free_port(), _free_port()
    workdir = tempfile.mkdtemp(prefix="planforge-load-")
    log_path = Path(workdir) / "server.log"
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    command = [
        sys.executable, "-m", "app.local", "serve", "--host", "127.0.0.1",
        "--port", str(port), "--aws-port", str(aws_port), "--ai-port", str(ai_port),
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, startup_timeout, process, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_healthy(base: str, timeout: float, process: Any, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"dev server exited:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"dev server not healthy after {timeout:.0f} s")


def _login(base: str) -> dict[str, str]:
    email = f"load-{uuid.uuid4().hex[:12]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": "Load"}
    httpx.post(f"{base}/auth/register", json=body, timeout=10).raise_for_status()
    tokens = httpx.post(
        f"{base}/auth/login", json={"email": email, "password": PASSWORD}, timeout=10
    )
    tokens.raise_for_status()
    return {"Authorization": f"Bearer {tokens.json()['accessToken']}"}


class Worker(threading.Thread):
    """One client: its own user, connection and projects, so its patches never race another's."""

    def __init__(self, base: str, headers: dict[str, str], budget: Budget, seed: int) -> None:
        super().__init__(daemon=True)
        self.http = httpx.Client(base_url=base, headers=headers, timeout=30)
        self.budget = budget
        self.random = random.Random(seed)  # noqa: S311 - picks a request mix, not a secret
        self.projects: dict[str, int] = {}  # projectId -> version
        self.result = Result()

    def seed_projects(self, count: int) -> None:
        """Create a few projects to read and patch."""
        for index in range(count):
            response = self.http.post("/projects", json={"name": f"Seed {index}"})
            response.raise_for_status()
            self.projects[response.json()["projectId"]] = response.json()["version"]

    def run(self) -> None:
        names = [name for name, _ in MIX]
        weights = [weight for _, weight in MIX]
        while self.budget.take():
            kind = self.random.choices(names, weights)[0]
            started = time.perf_counter()
            try:
                getattr(self, f"_{kind}")()  # counts its own unexpected statuses
            except httpx.HTTPError as exc:
                self.result.errors[f"{kind}: {type(exc).__name__}"] += 1
            self.result.latencies.setdefault(kind, []).append(time.perf_counter() - started)

    def _check(self, kind: str, response: httpx.Response, expected: int) -> bool:
        if response.status_code != expected:
            self.result.errors[f"{kind}: {response.status_code}"] += 1
            return False
        return True

    def _list(self) -> bool:
        return self._check("list", self.http.get("/projects", params={"limit": 20}), 200)

    def _get(self) -> bool:
        project_id = self.random.choice(list(self.projects))
        return self._check("get", self.http.get(f"/projects/{project_id}"), 200)

    def _create(self) -> bool:
        body = {"name": f"Load {uuid.uuid4().hex[:8]}", "disciplines": ["backend"]}
        response = self.http.post("/projects", json=body)
        if self._check("create", response, 201):
            self.projects[response.json()["projectId"]] = response.json()["version"]
            return True
        return False

    def _patch(self) -> bool:
        project_id = self.random.choice(list(self.projects))
        body = {"version": self.projects[project_id], "description": uuid.uuid4().hex}
        response = self.http.patch(f"/projects/{project_id}", json=body)
        if self._check("patch", response, 200):
            self.projects[project_id] = response.json()["version"]
            return True
        return False


class Budget:
    """A shared, thread-safe count of requests left, with a wall-clock deadline."""

    def __init__(self, total: int, deadline_seconds: float) -> None:
        self._left = total
        self._deadline = time.monotonic() + deadline_seconds
        self._lock = threading.Lock()
        self.expired = False

    def take(self) -> bool:
        """Return whether one more request may be sent."""
        with self._lock:
            if time.monotonic() > self._deadline:
                self.expired = True
                return False
            if self._left <= 0:
                return False
            self._left -= 1
            return True


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def _report(workers: list[Worker], wall: float, budget: Budget, args: argparse.Namespace) -> int:
    all_latencies: dict[str, list[float]] = {}
    errors: Counter[str] = Counter()
    for worker in workers:
        errors.update(worker.result.errors)
        for kind, values in worker.result.latencies.items():
            all_latencies.setdefault(kind, []).extend(values)
    every = sorted(v for values in all_latencies.values() for v in values)
    print(f"\nLoad test: {args.clients} clients, {len(every)} requests in {wall:.2f} s")
    print(f"{'kind':<8}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(all_latencies.items()) + [("all", every)]:
        ordered = sorted(values)
        print(
            f"{kind:<8}{len(ordered):>7}"
            + "".join(f"{_percentile(ordered, q) * 1000:>9.1f}" for q in (0.5, 0.95, 0.99))
        )
    print(f"throughput: {len(every) / wall:.1f} requests/s")
    print(f"errors: {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""))
    if budget.expired:
        print(f"stopped at the {args.max_seconds:.0f} s time bound before all requests were sent")
    return 1 if errors else 0


def run(base: str, args: argparse.Namespace) -> int:
    """Log in the clients, seed their projects, run the mix and print the figures."""
    host = urlparse(base).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load {host!r}: loopback only")
    budget = Budget(args.requests, args.max_seconds)
    workers = [Worker(base, _login(base), budget, seed=i) for i in range(args.clients)]
    for worker in workers:
        worker.seed_projects(3)
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    for worker in workers:
        worker.http.close()
    return _report(workers, wall, budget, args)


def main(argv: list[str] | None = None) -> int:
    """Parse options, start a dev server unless given one, and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("LOAD_BASE_URL"))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.base_url:
        return run(args.base_url.rstrip("/"), args)
    with _dev_server(args.startup_timeout) as base:
        return run(base, args)


if __name__ == "__main__":
    raise SystemExit(main())
