"""The local mailbox at /_local/mail (page) and /_local/mail.json; mounted only when local."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.core.config import get_settings
from app.local.cognito_codes import MAILBOX_PATH


def _messages() -> list[dict[str, Any]]:
    """Read the mailbox from the emulator process (the API process may have been reloaded)."""
    import httpx

    endpoint = get_settings().aws_endpoint_url or "http://127.0.0.1:4566"
    response = httpx.get(f"{endpoint}{MAILBOX_PATH}", timeout=5)
    response.raise_for_status()
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


router = APIRouter(prefix="/_local", include_in_schema=False)


@router.get("/mail.json")
def mail_json() -> dict[str, Any]:
    """Return every local code and email, newest last."""
    return {"messages": _messages()}


@router.get("/mail", response_class=HTMLResponse)
def mail_page() -> HTMLResponse:
    """Render the local mailbox as a plain page."""
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>".format(
            html.escape(str(m["kind"])),
            html.escape(", ".join(map(str, m["to"]))),
            html.escape(str(m["subject"] or "")),
            html.escape(str(m["body"] or "")),
        )
        for m in _messages()
    )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Local mailbox</title></head>"
        "<body><h1>Local mailbox</h1><table border='1'><tr><th>Kind</th><th>To</th>"
        f"<th>Subject</th><th>Body</th></tr>{rows}</table></body></html>"
    )
    return HTMLResponse(page)
