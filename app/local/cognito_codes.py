"""Make the local Cognito check codes as the real one does; moto accepts any code.

A WSGI layer in front of moto: SignUp and ResendConfirmationCode issue a code, ForgotPassword keeps
moto's own code, and ConfirmSignUp / ConfirmForgotPassword with any other code get Cognito's
CodeMismatchException. Every code lands in the local mailbox.
"""

from __future__ import annotations

import io
import json
import secrets
import threading
from collections.abc import Callable, Iterable
from typing import Any

from app.local import mailbox

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
PREFIX = "AWSCognitoIdentityProviderService."
MAILBOX_PATH = "/_local/mailbox"
MOTO_RESET_HEADER = "x-moto-forgot-password-confirmation-code"


class CheckedCognitoCodes:
    """Wrap moto's WSGI app so confirmation and reset codes must match what was sent."""

    def __init__(self, app: WsgiApp) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._codes: dict[tuple[str, str, str], str] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == MAILBOX_PATH:
            # The mailbox lives beside moto, so it survives reloads of the API process.
            payload = json.dumps({"messages": mailbox.messages()}, default=str).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [payload]
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        if not target.startswith(PREFIX):
            return self._app(environ, start_response)
        action = target[len(PREFIX) :]
        size = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(size) if size else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._app(environ, start_response)
        key_user = str(body.get("Username", "")).lower()
        client = str(body.get("ClientId", ""))
        checks = {"ConfirmSignUp": "confirmation", "ConfirmForgotPassword": "password_reset"}
        if action in checks:
            expected = self._codes.get((checks[action], client, key_user))
            if expected is None or body.get("ConfirmationCode") != expected:
                return _mismatch(start_response)
            with self._lock:
                self._codes.pop((checks[action], client, key_user), None)
            return self._app(environ, start_response)
        if action not in {"SignUp", "ResendConfirmationCode", "ForgotPassword"}:
            return self._app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, *rest)

        result = list(self._app(environ, capture))
        if str(captured.get("status", "")).startswith("200"):
            self._issue(action, client, key_user, dict(captured["headers"]))
        return result

    def _issue(self, action: str, client: str, user: str, headers: dict[str, str]) -> None:
        if action == "ForgotPassword":
            kind = "password_reset"
            lowered = {name.lower(): value for name, value in headers.items()}
            code = lowered.get(MOTO_RESET_HEADER) or f"{secrets.randbelow(10**6):06d}"
        else:
            kind, code = "confirmation", f"{secrets.randbelow(10**6):06d}"
        with self._lock:
            self._codes[(kind, client, user)] = code
        mailbox.record_code(kind, user, code)


def _mismatch(start_response: StartResponse) -> Iterable[bytes]:
    payload = json.dumps(
        {
            "__type": "CodeMismatchException",
            "message": "Invalid verification code provided, please try again.",
        }
    ).encode()
    start_response(
        "400 Bad Request",
        [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(payload)))],
    )
    return [payload]
