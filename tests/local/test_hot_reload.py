"""`make dev` reloads on code edits, and users, tables and tokens survive the reload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
WATCHED = ROOT / "app" / "local" / "dev_app.py"
# The first request after a (re)load builds the app and reads the JWKS; on a loaded 2-core
# machine that has taken over 10 s.
REQUEST_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def reloading_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`python -m app.local serve` with reload on, as `make dev` runs it."""
    port, aws_port, ai_port = _free_port(), _free_port(), _free_port()
    log_path = tmp_path / "server.log"
    command = [
        sys.executable, "-m", "app.local", "serve", "--host", "127.0.0.1",
        "--port", str(port), "--aws-port", str(aws_port), "--ai-port", str(ai_port),
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        if not _wait(lambda: httpx.get(f"{base}/health", timeout=1).status_code == 200, 90):
            pytest.fail(f"dev server did not start:\n{log_path.read_text()[-3000:]}")
        yield base, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_reload_on_code_edit_keeps_logged_in_users_data(
    reloading_server: tuple[str, Path],
) -> None:
    # Given a registered, logged-in user with a project
    base, log_path = reloading_server
    email, password = f"reload-{uuid.uuid4().hex[:8]}@example.com", "Reload-Passw0rd!"
    body = {"email": email, "password": password, "name": "Reload"}
    assert (
        httpx.post(f"{base}/auth/register", json=body, timeout=REQUEST_TIMEOUT).status_code == 201
    )
    login = httpx.post(
        f"{base}/auth/login", json={"email": email, "password": password}, timeout=REQUEST_TIMEOUT
    )
    headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    created = httpx.post(
        f"{base}/projects", json={"name": "Kept"}, headers=headers, timeout=REQUEST_TIMEOUT
    )
    project_id = created.json()["projectId"]

    # When a file under app/ changes
    os.utime(WATCHED)

    # Then the server reloads
    assert _wait(lambda: "Reloading" in log_path.read_text(), 30), log_path.read_text()[-2000:]
    assert _wait(lambda: httpx.get(f"{base}/health", timeout=1).status_code == 200, 60)
    # And the same token still reads the same project from the emulators that stayed up
    read = httpx.get(f"{base}/projects/{project_id}", headers=headers, timeout=REQUEST_TIMEOUT)
    assert read.status_code == 200, read.text
    assert read.json()["name"] == "Kept"
