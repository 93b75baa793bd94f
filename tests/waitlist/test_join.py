"""The public sign-up: normalised emails, 201 then 200 with the same body, one welcome email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.core.mailbox import sent_to
from tests.waitlist.helpers import fresh_email


def test_join_waitlist_is_idempotent_with_same_body(client: TestClient) -> None:
    email = fresh_email()
    first = client.post("/waitlist", json={"email": email, "name": "Ada"})
    second = client.post("/waitlist", json={"email": email, "name": "Someone else"})
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["email"] == email and first.json()["status"] == "pending"
    assert set(first.json()) == {"email", "status", "createdAt"}


def test_join_waitlist_normalises_email(client: TestClient) -> None:
    email = fresh_email()
    shouted = f"  {email.upper()}  "
    first = client.post("/waitlist", json={"email": shouted})
    second = client.post("/waitlist", json={"email": email})
    assert first.status_code == 201 and first.json()["email"] == email
    assert second.status_code == 200 and second.json() == first.json()


def test_join_waitlist_refuses_invalid_input(client: TestClient) -> None:
    for body in (
        {"email": "not-an-email"},
        {"email": "a@b"},
        {"email": ""},
        {"email": "x" * 250 + "@example.com"},
        {"email": fresh_email(), "status": "approved"},
        {"email": fresh_email(), "name": "n" * 201},
        {"name": "no email"},
    ):
        response = client.post("/waitlist", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "validation_error"


def test_join_waitlist_sends_one_welcome_email(
    client: TestClient, drain_queue: Callable[[], list[dict[str, Any]]]
) -> None:
    # Given a sign-up, repeated with another casing
    email = fresh_email()
    client.post("/waitlist", json={"email": email, "name": "Grace <script>"})
    client.post("/waitlist", json={"email": email.upper()})
    # When the queue drains (twice, to be sure nothing is left to send)
    drain_queue()
    drain_queue()
    # Then one welcome email went out, as text and HTML, with the name escaped in the HTML
    emails = sent_to(email)
    assert len(emails) == 1
    assert "waitlist" in emails[0].subject
    assert "Grace &lt;script&gt;" in emails[0].body and "<script>" not in emails[0].body
