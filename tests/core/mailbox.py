"""Read what the app sent through the emulated SES (moto's server runs in this process)."""

from __future__ import annotations

from typing import Any

from moto.backends import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID

from app.core.config import get_settings


def sent_to(address: str, *, subject_contains: str = "") -> list[Any]:
    """Return the emails sent to an address, optionally only those whose subject matches."""
    backend = get_backend("ses")[DEFAULT_ACCOUNT_ID][get_settings().aws_region]
    return [
        message
        for message in backend.sent_messages
        if address in message.destinations.get("ToAddresses", [])
        and subject_contains in message.subject
    ]
