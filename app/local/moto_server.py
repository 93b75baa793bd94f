"""moto's server in a thread, with DynamoDB requests serialised so conditions are atomic.

moto checks a ConditionExpression and then writes, in Python, with no lock: two threads can both
pass the check. Real DynamoDB never lets that happen, and the concurrency tests (lost updates,
idempotency races, job claims) rely on it. Other services stay concurrent, so a long-polling
ReceiveMessage never blocks a table write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class _SerialisedDynamoDB:
    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith("DynamoDB_"):
            return self._app(environ, start_response)
        with self._lock:
            # Consume the body inside the lock: moto does its work while building it.
            return list(self._app(environ, start_response))


class LocalMotoServer:
    """A loopback moto server; start() binds, stop() shuts down."""

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        """Serve in a daemon thread and return the base URL."""
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        from app.local import cognito_keys
        from app.local.cognito_codes import CheckedCognitoCodes

        cognito_keys.install()
        app = CheckedCognitoCodes(
            _SerialisedDynamoDB(DomainDispatcherApplication(create_backend_app))
        )
        self._server = make_server(
            "127.0.0.1", self._port, app, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join()
