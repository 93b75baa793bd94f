"""Helpers for the session tests: sessions, messages and replies through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.ai.helpers import Drain, run_queued
from tests.assets.helpers import create_asset, upload
from tests.conftest import LoggedInUser


def create_session(client: TestClient, user: LoggedInUser, **fields: Any) -> dict[str, Any]:
    """Create a session and return it."""
    response = client.post("/sessions", json=fields, headers=user.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def post(
    client: TestClient, user: LoggedInUser, session_id: str, content: str, **extra: Any
) -> dict[str, Any]:
    """Post a message and return the 202 body."""
    response = client.post(
        f"/sessions/{session_id}/messages", json={"content": content, **extra}, headers=user.headers
    )
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def message(
    client: TestClient, user: LoggedInUser, session_id: str, message_id: str
) -> dict[str, Any]:
    """Return one message as its owner sees it."""
    response = client.get(f"/sessions/{session_id}/messages/{message_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def exchange(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Drain,
    session_id: str,
    content: str,
    **extra: Any,
) -> dict[str, Any]:
    """Post a message, run the queue and return the finished reply."""
    posted = post(client, user, session_id, content, **extra)
    run_queued(drain_queue)
    return message(client, user, session_id, posted["reply"]["messageId"])


def messages(
    client: TestClient, user: LoggedInUser, session_id: str, query: str = ""
) -> dict[str, Any]:
    """Return a page of a session's messages."""
    response = client.get(f"/sessions/{session_id}/messages{query}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def text_asset(
    client: TestClient,
    user: LoggedInUser,
    content: bytes,
    *,
    file_name: str = "notes.txt",
    content_type: str = "text/plain",
) -> str:
    """Upload a file as an asset, confirm it, and return its id."""
    created = create_asset(
        client, user, file_name=file_name, content_type=content_type, size=len(content)
    )
    assert upload(created, content).status_code in (200, 201, 204)
    asset_id: str = created["asset"]["assetId"]
    done = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    assert done.status_code == 200, done.text
    return asset_id
