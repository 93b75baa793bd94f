"""A deterministic offline stand-in for Bedrock Converse and Gemini generateContent.

Structured requests get an instance of the request's own JSON schema; text requests get text
derived from a hash of the prompt, which says how many turns (messages or contents) arrived and
echoes the `title:` lines of the newest user turn, so tests can check what reached the model
(`wire.conversation_text`). Answers are marked as the emulator's (Bedrock
`additionalModelResponseFields.emulator`, Gemini `modelVersion: "emulator"`). Faults can be
injected per provider from Python (`inject`) or over HTTP: `POST /_emulator/faults`
`{provider, fault, count, delaySeconds?}`, `GET /_emulator/calls`, `POST /_emulator/reset`.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from app.local import ai_emulator_wire as wire
from app.local.ai_emulator_wire import FAULTS, Fault

Provider = Literal["bedrock", "gemini"]
PROVIDERS: tuple[Provider, ...] = ("bedrock", "gemini")
MAX_BODY_BYTES = 4 * 1024 * 1024


class AiEmulator:
    """An HTTP server speaking Bedrock Converse and Gemini generateContent on loopback."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str | None = None,
        history: int = 50,
    ) -> None:
        self.host, self.port = host, port
        self.api_key = api_key  # None: any non-empty Gemini key is accepted
        self._lock = threading.Lock()
        self._faults: dict[str, deque[Fault]] = {p: deque() for p in PROVIDERS}
        self._calls: dict[str, int] = dict.fromkeys(PROVIDERS, 0)
        self._requests: dict[str, deque[dict[str, Any]]] = {
            p: deque(maxlen=history) for p in PROVIDERS
        }
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        """Start serving in a daemon thread and return the base URL."""
        server = ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="ai-emulator",
            daemon=True,
        ).start()
        return self.base_url

    @property
    def base_url(self) -> str:
        """Return http://host:port of the running server."""
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def inject(
        self, provider: str, fault: str, count: int = 1, *, delay_seconds: float = 5.0
    ) -> None:
        """Make the next `count` calls to a provider fail with a fault."""
        if provider not in PROVIDERS:
            raise ValueError(f"provider must be one of {PROVIDERS}")
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        if not 1 <= count <= 10_000:
            raise ValueError("count must be between 1 and 10000")
        with self._lock:
            self._faults[provider].append(Fault(fault, count, min(max(0.0, delay_seconds), 300)))

    def pending_faults(self) -> dict[str, list[dict[str, Any]]]:
        """Return the faults still waiting, per provider."""
        with self._lock:
            return {p: [asdict(f) for f in faults] for p, faults in self._faults.items()}

    @property
    def calls(self) -> dict[str, int]:
        """Return how many requests each provider has received since the last reset."""
        with self._lock:
            return dict(self._calls)

    def requests(self, provider: str) -> list[dict[str, Any]]:
        """Return copies of the latest request bodies a provider received, oldest first."""
        with self._lock:
            return [json.loads(json.dumps(body)) for body in self._requests[provider]]

    def reset(self) -> None:
        """Drop pending faults, call counters and recorded requests."""
        with self._lock:
            for provider in PROVIDERS:
                self._faults[provider].clear()
                self._calls[provider] = 0
                self._requests[provider].clear()

    def record_call(self, provider: str, body: dict[str, Any]) -> Fault | None:
        """Count a call, remember its body and return the fault it must get, if any."""
        with self._lock:
            self._calls[provider] += 1
            self._requests[provider].append(body)
            faults = self._faults[provider]
            if not faults:
                return None
            fault = Fault(faults[0].fault, 1, faults[0].delay_seconds)
            faults[0].remaining -= 1
            if faults[0].remaining <= 0:
                faults.popleft()
            return fault


def _handler_for(emulator: AiEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(_EmulatorHandler):
        owner = emulator

    return Handler


class _EmulatorHandler(BaseHTTPRequestHandler):
    owner: AiEmulator
    protocol_version = "HTTP/1.1"
    server_version = "PlanforgeAiEmulator/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - base signature
        return  # quiet: the dev server and the tests log what matters

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise ValueError("body too large")
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else {}

    def do_GET(self) -> None:
        """Serve the call counters and pending faults."""
        path = urlsplit(self.path).path
        if path == "/_emulator/calls":
            self._send(200, self.owner.calls)
        elif path == "/_emulator/faults":
            self._send(200, self.owner.pending_faults())
        else:
            self._send(404, {"message": "not found"})

    def do_POST(self) -> None:
        """Route Converse, generateContent and the control endpoints."""
        parts = [unquote(p) for p in urlsplit(self.path).path.split("/") if p]
        try:
            body = self._body()
        except ValueError:
            body = None
        if parts[:1] == ["_emulator"]:
            self._control(parts[1:], body)
        elif len(parts) == 3 and parts[0] == "model" and parts[2] == "converse":
            self._converse(body)
        elif (
            len(parts) == 3
            and parts[:2] == ["v1beta", "models"]
            and parts[2].endswith(":generateContent")
        ):
            self._generate_content(body)
        else:
            self._send(404, {"message": f"unknown operation {self.path}"})

    def _control(self, parts: list[str], body: Any) -> None:
        if parts == ["reset"]:
            self.owner.reset()
            self._send(200, {"reset": True})
        elif parts == ["faults"] and isinstance(body, dict):
            try:
                self.owner.inject(
                    str(body.get("provider")),
                    str(body.get("fault")),
                    int(body.get("count", 1)),
                    delay_seconds=float(body.get("delaySeconds", 5.0)),
                )
            except (TypeError, ValueError) as exc:
                self._send(400, {"message": str(exc)})
                return
            self._send(200, self.owner.pending_faults())
        else:
            self._send(404, {"message": "unknown emulator control"})

    def _converse(self, body: Any) -> None:
        if not isinstance(body, dict) or not body.get("messages"):
            status, headers, error = wire.bedrock_error("validation")
            self._send(status, error, headers)
            return
        fault = wire.wait_for_fault(self.owner.record_call("bedrock", body))
        if not self.headers.get("Authorization"):
            fault = Fault("access_denied", 1)
        if fault is not None and fault.fault in wire.ERRORS:
            status, headers, error = wire.bedrock_error(fault.fault)
            self._send(status, error, headers)
            return
        self._send(200, wire.converse_body(body, fault))

    def _generate_content(self, body: Any) -> None:
        if not isinstance(body, dict) or not body.get("contents"):
            self._send(*wire.gemini_error("validation", "contents must not be empty"))
            return
        fault = wire.wait_for_fault(self.owner.record_call("gemini", body))
        key = self.headers.get("x-goog-api-key") or ""
        if not key:
            fault = Fault("access_denied", 1)
        elif self.owner.api_key is not None and key != self.owner.api_key:
            self._send(*wire.gemini_error("validation", "API key not valid."))
            return
        if fault is not None and fault.fault in wire.ERRORS:
            self._send(*wire.gemini_error(fault.fault))
            return
        self._send(200, wire.generate_content_body(body, fault))
