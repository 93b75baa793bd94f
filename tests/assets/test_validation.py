"""Input checks on POST /assets: allow-list, size bounds, hostile names, unknown fields."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from tests.assets.helpers import create_asset
from tests.conftest import LoggedInUser

HOSTILE_NAMES = {
    "../../x": "x",
    "/etc/passwd": "passwd",
    "C:\\x\\y": "y",
    "..\\..\\windows\\system32\\cmd.exe": "cmd.exe",
    "evil\x00.pdf": "evil.pdf",
    "line\nbreak\r\tname\x1b[31m.txt": "linebreakname[31m.txt",
    "invoice\u202egnp.exe": "invoicegnp.exe",
    "...hidden": "hidden",
    "../": "file",
    "\x00\x01": "file",
    "  spaced  ": "spaced",
}


@pytest.mark.parametrize("raw", list(HOSTILE_NAMES), ids=range(len(HOSTILE_NAMES)))
def test_create_asset_with_hostile_name_sanitises_it(
    client: TestClient, user: LoggedInUser, raw: str
) -> None:
    created = create_asset(client, user, file_name=raw)
    name = created["asset"]["fileName"]
    key = created["upload"]["fields"]["key"]
    assert name == HOSTILE_NAMES[raw]
    assert key == f"users/{user.sub}/assets/{created['asset']['assetId']}"
    assert ".." not in key and "\\" not in key
    stored = client.get(f"/assets/{created['asset']['assetId']}", headers=user.headers).json()
    assert stored["fileName"] == name


def test_create_asset_with_thousand_char_name_bounds_it(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_asset(client, user, file_name="a" * 996 + ".pdf")
    name = created["asset"]["fileName"]
    assert len(name) == 255 and name.endswith(".pdf")
    assert name[:-4] not in created["upload"]["fields"]["key"]


def test_create_asset_with_disallowed_type_is_rejected(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.post(
        "/assets",
        json={"fileName": "x.html", "contentType": "text/html", "size": 10},
        headers=user.headers,
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_create_asset_type_match_ignores_case(client: TestClient, user: LoggedInUser) -> None:
    created = create_asset(client, user, content_type="Application/PDF")
    assert created["asset"]["contentType"] == "application/pdf"
    assert created["upload"]["fields"]["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "size", [0, -1, get_settings().upload_max_bytes + 1], ids=["zero", "negative", "over-max"]
)
def test_create_asset_with_bad_size_is_rejected(
    client: TestClient, user: LoggedInUser, size: int
) -> None:
    response = client.post(
        "/assets",
        json={"fileName": "x.pdf", "contentType": "application/pdf", "size": size},
        headers=user.headers,
    )
    assert response.status_code == 422


def test_create_asset_at_max_size_is_accepted(client: TestClient, user: LoggedInUser) -> None:
    created = create_asset(client, user, size=get_settings().upload_max_bytes)
    assert created["asset"]["size"] == get_settings().upload_max_bytes


@pytest.mark.parametrize(
    "extra",
    [{"status": "uploaded"}, {"ownerId": "someone"}, {"assetId": "mine"}, {"key": "users/x"}],
    ids=["status", "ownerId", "assetId", "key"],
)
def test_create_asset_with_server_owned_field_is_rejected(
    client: TestClient, user: LoggedInUser, extra: dict[str, str]
) -> None:
    body = {"fileName": "x.pdf", "contentType": "application/pdf", "size": 10, **extra}
    response = client.post("/assets", json=body, headers=user.headers)
    assert response.status_code == 422


def test_create_asset_without_token_is_unauthorized(client: TestClient) -> None:
    response = client.post(
        "/assets", json={"fileName": "x.pdf", "contentType": "application/pdf", "size": 10}
    )
    assert response.status_code == 401


def test_create_asset_with_same_idempotency_key_creates_once(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a create with an Idempotency-Key
    headers = {"Idempotency-Key": "asset-create-1"}
    first = create_asset(client, user, headers=headers)
    # When it is replayed with the same body
    second = create_asset(client, user, headers=headers)
    # Then the same asset comes back, still uploadable, and only one exists
    assert second["asset"] == first["asset"]
    assert second["upload"]["fields"]["key"] == first["upload"]["fields"]["key"]
    listed = client.get("/assets", headers=user.headers).json()["items"]
    assert [a["assetId"] for a in listed] == [first["asset"]["assetId"]]


def test_create_asset_with_reused_key_and_other_body_conflicts(
    client: TestClient, user: LoggedInUser
) -> None:
    headers = {"Idempotency-Key": "asset-create-2"}
    create_asset(client, user, headers=headers)
    response = client.post(
        "/assets",
        json={"fileName": "other.pdf", "contentType": "application/pdf", "size": 10},
        headers={**user.headers, **headers},
    )
    assert response.status_code == 409
