"""The local mailbox at /_local/mail (page) and /_local/mail.json; mounted only when local."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.local import mailbox

router = APIRouter(prefix="/_local", include_in_schema=False)


@router.get("/mail.json")
async def mail_json() -> dict[str, Any]:
    """Return every local code and email, newest last."""
    return {"messages": mailbox.messages()}


@router.get("/mail", response_class=HTMLResponse)
async def mail_page() -> HTMLResponse:
    """Render the local mailbox as a plain page."""
    rows = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>".format(
            html.escape(str(m["kind"])),
            html.escape(", ".join(map(str, m["to"]))),
            html.escape(str(m["subject"] or "")),
            html.escape(str(m["body"] or "")),
        )
        for m in mailbox.messages()
    )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Local mailbox</title></head>"
        "<body><h1>Local mailbox</h1><table border='1'><tr><th>Kind</th><th>To</th>"
        f"<th>Subject</th><th>Body</th></tr>{rows}</table></body></html>"
    )
    return HTMLResponse(page)
