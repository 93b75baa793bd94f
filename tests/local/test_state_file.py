"""`.local/state.json` appears only once the API answers, so tools can trust it means "up"."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.local import __main__ as local_main


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"status":"ok"}')

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.05)
    return False


def test_write_state_waits_until_api_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a port where nothing answers yet
    state_file = tmp_path / "state.json"
    monkeypatch.setattr(local_main, "STATE_FILE", state_file)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    port = server.server_address[1]
    server.server_close()  # reserve a free port number, then leave it closed

    # When the state writer starts before the API
    local_main._write_state_when_serving(f"http://127.0.0.1:{port}", {"API_URL": "x"})

    # Then no state file appears while the API is down
    assert not _wait_for(state_file, 1.0)

    # And it appears once the API answers
    server = ThreadingHTTPServer(("127.0.0.1", port), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert _wait_for(state_file, 10.0)
        assert json.loads(state_file.read_text()) == {"API_URL": "x"}
    finally:
        server.shutdown()
        server.server_close()
