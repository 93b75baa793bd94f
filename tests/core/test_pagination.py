"""Cursors are opaque, bound to the caller and the list, and tamper-evident."""

from __future__ import annotations

import base64
import json

import pytest

from app.core.errors import BadRequest
from app.core.pagination import decode_cursor, encode_cursor

KEY = {"projectId": "p1", "ownerId": "alice", "createdAt": "2026-01-01T00:00:00.000000Z"}
# The signing key is the cursor secret in the emulated Secrets Manager, as in the cloud.
pytestmark = pytest.mark.usefixtures("local_aws")


def test_cursor_round_trips_for_its_owner() -> None:
    cursor = encode_cursor(KEY, owner="alice", scope="projects")
    assert decode_cursor(cursor, owner="alice", scope="projects") == KEY


def test_cursor_is_none_on_last_page() -> None:
    assert encode_cursor(None, owner="alice", scope="projects") is None
    assert decode_cursor(None, owner="alice", scope="projects") is None


def test_cursor_from_another_user_is_bad_request() -> None:
    cursor = encode_cursor(KEY, owner="alice", scope="projects")
    with pytest.raises(BadRequest):
        decode_cursor(cursor, owner="mallory", scope="projects")


def test_cursor_from_another_list_is_bad_request() -> None:
    cursor = encode_cursor(KEY, owner="alice", scope="projects")
    with pytest.raises(BadRequest):
        decode_cursor(cursor, owner="alice", scope="goals")


def test_edited_cursor_is_bad_request() -> None:
    cursor = encode_cursor(KEY, owner="alice", scope="projects")
    assert cursor is not None
    payload, signature = cursor.split(".")
    forged = dict(KEY, ownerId="bob")
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    for bad in (f"{forged_payload}.{signature}", f"{payload}.", payload, "garbage", "a.b.c"):
        with pytest.raises(BadRequest):
            decode_cursor(bad, owner="alice", scope="projects")
