"""Admin-only waitlist routes: list by status, decide with a version, delete; 401 and 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.core.mailbox import sent_to
from tests.waitlist.helpers import fresh_email

ADMIN_ROUTES = (
    ("GET", "/waitlist", None),
    ("GET", "/waitlist?status=pending", None),
    ("PATCH", "/waitlist/someone@example.com", {"status": "invited", "version": 1}),
    ("DELETE", "/waitlist/someone@example.com", None),
)


def _join(client: TestClient, email: str | None = None) -> dict[str, Any]:
    response = client.post("/waitlist", json={"email": email or fresh_email(), "name": "Lin"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_waitlist_admin_route_refuses_non_admin_and_anonymous(
    client: TestClient, user: LoggedInUser, method: str, path: str, body: dict[str, Any] | None
) -> None:
    anonymous = client.request(method, path, json=body)
    member = client.request(method, path, json=body, headers=user.headers)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert member.status_code == 403 and member.json()["error"]["code"] == "forbidden"


def test_list_waitlist_by_status_pages_newest_first(
    client: TestClient, admin_user: LoggedInUser
) -> None:
    emails = [_join(client)["email"] for _ in range(3)]
    seen: list[str] = []
    cursor = ""
    for _ in range(100):
        query = f"/waitlist?status=pending&limit=50{'&cursor=' + cursor if cursor else ''}"
        response = client.get(query, headers=admin_user.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert all(item["status"] == "pending" for item in page["items"])
        seen += [item["email"] for item in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    ours = [email for email in seen if email in emails]
    assert ours == list(reversed(emails))


def test_list_waitlist_without_status_walks_every_status(
    client: TestClient, admin_user: LoggedInUser
) -> None:
    # Given one entry per status
    entries = {status: _join(client)["email"] for status in ("pending", "rejected", "invited")}
    for status in ("rejected", "invited"):
        patched = client.patch(
            f"/waitlist/{entries[status]}",
            json={"status": status, "version": 1},
            headers=admin_user.headers,
        )
        assert patched.status_code == 200
    # When the unfiltered list is read to the end in small pages
    seen: list[tuple[str, str]] = []
    cursor = None
    for _ in range(1000):
        params = {"limit": 7, **({"cursor": cursor} if cursor else {})}
        page = client.get("/waitlist", params=params, headers=admin_user.headers).json()
        assert len(page["items"]) <= 7
        seen += [(item["status"], item["email"]) for item in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    # Then every entry shows up once, grouped by status in the documented order
    assert cursor is None
    emails = [email for _, email in seen]
    assert len(emails) == len(set(emails))
    assert {email: status for status, email in seen if email in entries.values()} == {
        email: status for status, email in entries.items()
    }
    order = ["pending", "invited", "approved", "rejected"]
    assert [order.index(status) for status, _ in seen] == sorted(
        order.index(status) for status, _ in seen
    )


def test_list_waitlist_refuses_cursor_of_another_scope(
    client: TestClient, admin_user: LoggedInUser
) -> None:
    for _ in range(2):
        _join(client)
    cursor = client.get("/waitlist?status=pending&limit=1", headers=admin_user.headers).json()[
        "nextCursor"
    ]
    response = client.get(f"/waitlist?limit=1&cursor={cursor}", headers=admin_user.headers)
    assert response.status_code == 400


def test_invite_waitlist_entry_sends_one_invitation(
    client: TestClient,
    admin_user: LoggedInUser,
    drain_queue: Callable[[], list[dict[str, Any]]],
) -> None:
    # Given a sign-up
    email = _join(client)["email"]
    # When an admin invites it (path email in another casing), then repeats with a stale version
    response = client.patch(
        f"/waitlist/{email.upper()}",
        json={"status": "invited"},
        headers={**admin_user.headers, "If-Match": '"1"'},
    )
    stale = client.patch(
        f"/waitlist/{email}", json={"status": "invited", "version": 1}, headers=admin_user.headers
    )
    drain_queue()
    # Then the entry is invited at version 2, the stale write is a 409, one invitation went out
    assert response.status_code == 200, response.text
    entry = response.json()
    assert entry["status"] == "invited" and entry["version"] == 2 and entry["invitedAt"]
    assert response.headers["ETag"] == '"2"'
    assert stale.status_code == 409
    assert len(sent_to(email, subject_contains="invitation")) == 1
    # And a later public join answers 200 without revealing the decision (API.md Waitlist)
    again = client.post("/waitlist", json={"email": email})
    assert again.status_code == 200 and again.json()["status"] == "pending"


def test_update_waitlist_entry_validates_input(
    client: TestClient, admin_user: LoggedInUser
) -> None:
    email = _join(client)["email"]
    for body in ({"status": "pending", "version": 1}, {"status": "invited"}, {"version": 1}):
        response = client.patch(f"/waitlist/{email}", json=body, headers=admin_user.headers)
        assert response.status_code == 422, body
    missing = client.patch(
        f"/waitlist/{fresh_email()}",
        json={"status": "approved", "version": 1},
        headers=admin_user.headers,
    )
    assert missing.status_code == 404
    invalid = client.patch(
        "/waitlist/not-an-email",
        json={"status": "approved", "version": 1},
        headers=admin_user.headers,
    )
    assert invalid.status_code == 422


def test_delete_waitlist_entry_then_404(client: TestClient, admin_user: LoggedInUser) -> None:
    email = _join(client)["email"]
    assert client.delete(f"/waitlist/{email}", headers=admin_user.headers).status_code == 204
    assert client.delete(f"/waitlist/{email}", headers=admin_user.headers).status_code == 404
    # The email may join again afterwards
    assert client.post("/waitlist", json={"email": email}).status_code == 201


@pytest.mark.parametrize("decision", ["invited", "rejected", "approved"])
def test_finding_03_repeat_join_always_answers_pending(
    client: TestClient, admin_user: LoggedInUser, decision: str
) -> None:
    # Given a sign-up an admin has since decided on
    first = _join(client)
    decided = client.patch(
        f"/waitlist/{first['email']}",
        json={"status": decision, "version": 1},
        headers=admin_user.headers,
    )
    assert decided.status_code == 200 and decided.json()["status"] == decision
    # When the same address joins again in public
    repeat = client.post("/waitlist", json={"email": first["email"]})
    # Then the answer is the first one, still pending, revealing nothing of the decision
    assert repeat.status_code == 200
    assert repeat.json() == first and repeat.json()["status"] == "pending"
