"""Small helpers shared by the waitlist tests."""

from __future__ import annotations

import uuid


def fresh_email(prefix: str = "wait") -> str:
    """Return a waitlist email no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"
