"""Inject AWS faults at the HTTP layer of the app's cached clients, so botocore retries apply."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import EndpointConnectionError

from app.core import aws


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


@dataclass
class Fault:
    """What to answer instead of the service, and which calls were intercepted."""

    code: str = "ProvisionedThroughputExceededException"
    status: int = 400
    operations: frozenset[str] | None = None
    # Only requests naming one of these physical tables (DynamoDB), if given.
    tables: frozenset[str] | None = None
    # Let this many matching calls through before failing (to break an operation halfway).
    pass_first: int = 0
    unreachable: bool = False
    # Extra fields of the error body, e.g. CancellationReasons of a cancelled transaction.
    extra: dict[str, Any] = field(default_factory=dict)
    intercepted: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _body(self, protocol: str) -> tuple[bytes, dict[str, str]]:
        if protocol == "rest-xml":
            xml = f"<Error><Code>{self.code}</Code><Message>injected</Message></Error>"
            return xml.encode(), {"Content-Type": "application/xml"}
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": self.code}
        error = {"__type": self.code, "message": "injected", **self.extra}
        return json.dumps(error).encode(), headers

    def handle(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        """Answer a matching request with the fault, or let it through."""
        operation = event_name.rsplit(".", 1)[-1]
        if self.operations is not None and operation not in self.operations:
            return None
        sent = request.body.decode() if isinstance(request.body, bytes) else str(request.body)
        if self.tables is not None and not any(f'"{table}"' in sent for table in self.tables):
            return None
        with self._lock:
            if len(self.passed) < self.pass_first:
                self.passed.append(operation)
                return None
            self.intercepted.append(operation)
        if self.unreachable:
            raise EndpointConnectionError(endpoint_url=str(request.url))
        protocol = "rest-xml" if event_name.split(".")[1] == "s3" else "json"
        body, headers = self._body(protocol)
        return AWSResponse(
            str(request.url), self.status, HTTPHeaders.from_dict(headers), _Raw(body)
        )


def dynamodb_clients() -> list[Any]:
    """Return every DynamoDB client the app uses: the plain one and the resource's."""
    return [aws.client("dynamodb"), aws.dynamodb().meta.client]


@contextmanager
def inject(clients: Iterable[Any], fault: Fault) -> Iterator[Fault]:
    """Answer the clients' matching calls with the fault for the duration of the block."""
    registered: list[Any] = []
    for client in clients:
        unique_id = f"fault-{id(fault)}-{id(client.meta.events)}"
        client.meta.events.register_first("before-send", fault.handle, unique_id=unique_id)
        registered.append((client, unique_id))
    try:
        yield fault
    finally:
        for client, unique_id in registered:
            client.meta.events.unregister("before-send", fault.handle, unique_id=unique_id)
