"""Pure ASGI middleware: request ids, body limit, safe headers and a last-resort 500."""

from __future__ import annotations

import json
import re
import time
import uuid

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import envelope
from app.core.observability import logger, record_request, request_id_var

_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")
_SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _request_id(scope: Scope) -> str:
    context = scope.get("aws.context")
    lambda_id = getattr(context, "aws_request_id", None)
    if isinstance(lambda_id, str) and lambda_id:
        return lambda_id
    incoming = _header(scope, b"x-request-id")
    if incoming and _CLIENT_REQUEST_ID.match(incoming):
        return incoming
    return str(uuid.uuid4())


async def _send_error(send: Send, status: int, code: str, message: str, request_id: str) -> None:
    body = json.dumps(envelope(code, message, request_id)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", request_id.encode()),
                *_SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Tag each request with an id, cap its body, add safe headers, and never leak a traceback."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = False
        status = 500
        began = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                present = {bytes(k).lower() for k, _ in headers}
                headers.extend(h for h in _SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        try:
            body = await self._read_body(scope, receive)
            if body is None:
                await _send_error(
                    send, 413, "payload_too_large", "Request body too large.", request_id
                )
                return
            await self.app(scope, _replay(body, receive), send_with_headers)
        except Exception:
            logger.exception("unhandled error", extra={"path": scope.get("path")})
            if not started:
                await _send_error(send, 500, "internal_error", "Internal server error.", request_id)
        finally:
            record_request(_route(scope), status, (time.perf_counter() - began) * 1000)
            request_id_var.reset(token)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, upstream: Receive) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await upstream()

    return receive


def _route(scope: Scope) -> str:
    """Return "METHOD /template" once routed (bounded metric cardinality), else "unmatched"."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    return f"{scope.get('method', '-')} {template}" if template else "unmatched"


class EnvelopeCORSMiddleware(CORSMiddleware):
    """Starlette's CORS checks, with a refused preflight answered in the error envelope."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """Answer a preflight; a refusal is a 400 `bad_request` envelope, not plain text."""
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = bytes(response.body).decode("utf-8", "replace")
        headers = {k: v for k, v in response.headers.items() if k.lower().startswith("access")}
        headers["vary"] = response.headers.get("vary", "Origin")
        body = envelope("bad_request", f"{reason}.", request_id_var.get())
        return JSONResponse(body, status_code=response.status_code, headers=headers)
