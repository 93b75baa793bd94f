"""What the presigned POST policy and the presigned GET URL actually allow."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fastapi.testclient import TestClient

from app.local.aws_emulator import LocalAws
from tests.assets.helpers import create_asset, upload
from tests.conftest import LoggedInUser


def _policy(created: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(base64.b64decode(created["upload"]["fields"]["policy"]))
    return policy


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_create_asset_policy_pins_bucket_key_type_and_size(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws
) -> None:
    # Given a created asset of 1234 bytes of CSV
    created = create_asset(client, user, file_name="data.csv", content_type="text/csv", size=1234)
    asset_id = created["asset"]["assetId"]
    key = f"users/{user.sub}/assets/{asset_id}"
    # When its policy is decoded
    policy = _policy(created)
    conditions = policy["conditions"]
    # Then it allows only this bucket, key, type and exact size, signed with SigV4
    assert {"bucket": local_aws.bucket} in conditions
    assert ["eq", "$key", key] in conditions
    assert ["eq", "$Content-Type", "text/csv"] in conditions
    assert ["content-length-range", 1234, 1234] in conditions
    assert {"x-amz-algorithm": "AWS4-HMAC-SHA256"} in conditions
    fields = created["upload"]["fields"]
    assert fields["key"] == key
    assert fields["Content-Type"] == "text/csv"
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert not any(isinstance(c, list) and c[0] == "starts-with" for c in conditions)


def test_create_asset_policy_expires_within_five_minutes(
    client: TestClient, user: LoggedInUser
) -> None:
    before = datetime.now(UTC)
    created = create_asset(client, user)
    expiration = _parse_time(_policy(created)["expiration"])
    lifetime = (expiration - before).total_seconds()
    assert 0 < lifetime <= 301
    advertised = _parse_time(created["upload"]["expiresAt"])
    assert abs((advertised - expiration).total_seconds()) <= 2


def test_download_asset_url_is_sigv4_attachment_within_fifteen_minutes(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given an uploaded PNG
    created = create_asset(client, user, file_name="chart.png", content_type="image/png", size=8)
    upload(created, b"\x89PNG\r\n\x1a\n")
    asset_id = created["asset"]["assetId"]
    assert client.post(f"/assets/{asset_id}/complete", headers=user.headers).status_code == 200
    # When a download link is requested
    before = datetime.now(UTC)
    body = client.get(f"/assets/{asset_id}/download", headers=user.headers).json()
    # Then the URL is a SigV4 presigned GET for the asset key, valid at most 900 s
    url = urlsplit(body["url"])
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert unquote(url.path).endswith(f"/users/{user.sub}/assets/{asset_id}")
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Signature"]
    assert 0 < int(query["X-Amz-Expires"]) <= 900
    assert query["response-content-disposition"] == 'attachment; filename="chart.png"'
    assert query["response-content-type"] == "image/png"
    assert 0 < (_parse_time(body["expiresAt"]) - before).total_seconds() <= 901


def test_download_asset_with_unicode_name_uses_rfc6266_filename_star(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_asset(client, user, file_name="Résumé «final».pdf")
    upload(created)
    asset_id = created["asset"]["assetId"]
    client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    url = client.get(f"/assets/{asset_id}/download", headers=user.headers).json()["url"]
    disposition = parse_qs(urlsplit(url).query)["response-content-disposition"][0]
    assert disposition.isascii()
    assert disposition.startswith('attachment; filename="R_sum_ _final_.pdf"; ')
    assert disposition.endswith("filename*=UTF-8''R%C3%A9sum%C3%A9%20%C2%ABfinal%C2%BB.pdf")
