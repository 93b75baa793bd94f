"""The local mailbox: Cognito codes the emulator issues and the emails moto's SES accepted."""

from __future__ import annotations

import threading
import time
from typing import Any

_lock = threading.Lock()
_codes: list[dict[str, Any]] = []


def record_code(kind: str, username: str, code: str) -> None:
    """Keep a Cognito code (confirmation, password reset) as a message to the user."""
    with _lock:
        _codes.append(
            {
                "kind": kind,
                "to": [username],
                "subject": f"Your {kind.replace('_', ' ')} code",
                "body": f"Your code is {code}",
                "code": code,
                "sentAt": time.time(),
            }
        )


def _ses_messages() -> list[dict[str, Any]]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    found: list[dict[str, Any]] = []
    for region, backend in ses_backends[DEFAULT_ACCOUNT_ID].items():
        for sent in getattr(backend, "sent_messages", []):
            destinations = getattr(sent, "destinations", {}) or {}
            to = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else []
            raw = getattr(sent, "raw_data", None)
            found.append(
                {
                    "kind": "email",
                    "region": region,
                    "from": getattr(sent, "source", None),
                    "to": list(to) or [str(destinations)],
                    "subject": getattr(sent, "subject", None),
                    "body": getattr(sent, "body", None) or raw,
                    "code": None,
                    "sentAt": None,
                }
            )
    return found


def messages() -> list[dict[str, Any]]:
    """Return every code and every SES email sent in this process, codes first."""
    with _lock:
        codes = [dict(code) for code in _codes]
    return codes + _ses_messages()


def latest_code(kind: str, username: str) -> str | None:
    """Return the newest code of this kind sent to this user."""
    with _lock:
        for entry in reversed(_codes):
            if entry["kind"] == kind and entry["to"] == [username]:
                return str(entry["code"])
    return None
