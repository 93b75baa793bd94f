"""Owner scoping on every asset route, and the paginated, filtered list."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.assets.helpers import create_asset, upload
from tests.conftest import LoggedInUser

ROUTES = [
    ("GET", "/assets/{id}"),
    ("POST", "/assets/{id}/complete"),
    ("GET", "/assets/{id}/download"),
    ("DELETE", "/assets/{id}"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_access_asset_of_other_user_is_not_found(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    method: str,
    path: str,
) -> None:
    # Given another user's uploaded asset
    created = create_asset(client, other_user)
    asset_id = created["asset"]["assetId"]
    upload(created)
    assert client.post(f"/assets/{asset_id}/complete", headers=other_user.headers).is_success
    # When this user tries it
    response = client.request(method, path.format(id=asset_id), headers=user.headers)
    # Then it answers exactly like a missing id, and the owner still has it
    missing = client.request(method, path.format(id=str(uuid.uuid4())), headers=user.headers)
    assert response.status_code == missing.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"] == missing.json()["error"]["message"]
    owned = client.get(f"/assets/{asset_id}", headers=other_user.headers)
    assert owned.status_code == 200 and owned.json()["status"] == "uploaded"


def test_list_assets_shows_only_own_newest_first(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    mine = [create_asset(client, user)["asset"]["assetId"] for _ in range(3)]
    create_asset(client, other_user)
    body = client.get("/assets", headers=user.headers).json()
    assert [a["assetId"] for a in body["items"]] == list(reversed(mine))
    assert body["nextCursor"] is None
    assert "ownerId" not in body["items"][0] and "ownerStatus" not in body["items"][0]


def test_list_assets_pages_with_cursor(client: TestClient, user: LoggedInUser) -> None:
    created = [create_asset(client, user)["asset"]["assetId"] for _ in range(3)]
    first = client.get("/assets?limit=2", headers=user.headers).json()
    assert len(first["items"]) == 2 and first["nextCursor"]
    second = client.get(
        "/assets", params={"limit": 2, "cursor": first["nextCursor"]}, headers=user.headers
    ).json()
    seen = [a["assetId"] for a in first["items"] + second["items"]]
    assert seen == list(reversed(created))


def test_list_assets_with_other_users_cursor_is_bad_request(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    for _ in range(2):
        create_asset(client, user)
    cursor = client.get("/assets?limit=1", headers=user.headers).json()["nextCursor"]
    response = client.get("/assets", params={"cursor": cursor}, headers=other_user.headers)
    assert response.status_code == 400
    tampered = client.get("/assets", params={"cursor": cursor + "x"}, headers=user.headers)
    assert tampered.status_code == 400


def test_list_assets_by_status_filters_through_index(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given one uploaded and one pending asset
    done = create_asset(client, user)
    upload(done)
    done_id = done["asset"]["assetId"]
    assert client.post(f"/assets/{done_id}/complete", headers=user.headers).is_success
    pending_id = create_asset(client, user)["asset"]["assetId"]
    # When listing by status
    uploaded = client.get("/assets?status=uploaded", headers=user.headers).json()["items"]
    pending = client.get("/assets?status=pending", headers=user.headers).json()["items"]
    # Then each status lists only its own asset
    assert [a["assetId"] for a in uploaded] == [done_id]
    assert [a["assetId"] for a in pending] == [pending_id]
    assert client.get("/assets?status=bogus", headers=user.headers).status_code == 422


def test_list_assets_cursor_is_bound_to_status_scope(
    client: TestClient, user: LoggedInUser
) -> None:
    for _ in range(2):
        create_asset(client, user)
    cursor = client.get("/assets?limit=1", headers=user.headers).json()["nextCursor"]
    response = client.get(
        "/assets", params={"status": "pending", "cursor": cursor}, headers=user.headers
    )
    assert response.status_code == 400
