"""Failing dependencies become clean 503s (or 401s), never 500s, and leave nothing half-written."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.retries.standard import ExponentialBackoff
from fastapi.testclient import TestClient

from app.core import aws, security
from app.core.config import get_settings
from tests.assets.helpers import create_asset, upload
from tests.conftest import PASSWORD, LoggedInUser, unique_email
from tests.reliability.faults import Fault, dynamodb_clients, inject


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries still happen, without botocore's sleeps between them."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda *_: 0)


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "service_unavailable"
    assert int(response.headers["retry-after"]) >= 1
    assert "injected" not in response.text and "Exception" not in response.text


def test_create_asset_with_dynamodb_throttled_is_503_and_writes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given DynamoDB throttles every write past botocore's retries
    fault = Fault(operations=frozenset({"PutItem", "UpdateItem", "TransactWriteItems"}))
    with inject(dynamodb_clients(), fault):
        # When the user creates an asset
        response = client.post(
            "/assets",
            json={"fileName": "a.pdf", "contentType": "application/pdf", "size": 10},
            headers=user.headers,
        )
    # Then the answer is a clean 503 after every retry, and no asset exists
    _assert_unavailable(response)
    assert len(fault.intercepted) == get_settings().aws_max_attempts
    assert client.get("/assets", headers=user.headers).json()["items"] == []


def test_list_assets_with_dynamodb_throttled_is_503(client: TestClient, user: LoggedInUser) -> None:
    with inject(dynamodb_clients(), Fault(operations=frozenset({"Query"}))):
        response = client.get("/assets", headers=user.headers)
    _assert_unavailable(response)


def test_dynamodb_unreachable_is_503(client: TestClient, user: LoggedInUser) -> None:
    with inject(dynamodb_clients(), Fault(unreachable=True)):
        response = client.get("/assets", headers=user.headers)
    _assert_unavailable(response)


def test_complete_upload_with_s3_unavailable_is_503_and_record_unchanged(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    assert upload(created).status_code < 300
    fault = Fault(code="ServiceUnavailable", status=503, operations=frozenset({"HeadObject"}))
    with inject([aws.client("s3")], fault):
        response = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    _assert_unavailable(response)
    after = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    assert (after["status"], after["version"]) == ("pending", created["asset"]["version"])
    # And once S3 is back, the same call succeeds
    assert client.post(f"/assets/{asset_id}/complete", headers=user.headers).status_code == 200


def test_download_asset_with_s3_unreachable_still_signs_url(
    client: TestClient, user: LoggedInUser
) -> None:
    # Presigning is local computation: an S3 outage cannot fail it, so the answer stays 200.
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created)
    assert client.post(f"/assets/{asset_id}/complete", headers=user.headers).status_code == 200
    fault = Fault(unreachable=True)
    with inject([aws.client("s3")], fault):
        response = client.get(f"/assets/{asset_id}/download", headers=user.headers)
    assert response.status_code == 200 and response.json()["url"]
    assert fault.intercepted == []


def test_delete_asset_with_s3_unavailable_is_503_and_record_kept(
    client: TestClient, user: LoggedInUser
) -> None:
    asset_id = create_asset(client, user)["asset"]["assetId"]
    fault = Fault(code="SlowDown", status=503, operations=frozenset({"DeleteObject"}))
    with inject([aws.client("s3")], fault):
        response = client.delete(f"/assets/{asset_id}", headers=user.headers)
    _assert_unavailable(response)
    assert client.get(f"/assets/{asset_id}", headers=user.headers).status_code == 200


@pytest.mark.parametrize(
    "fault",
    [
        Fault(code="InternalErrorException", status=500),
        Fault(code="ServiceUnavailableException", status=503),
        Fault(unreachable=True),
    ],
    ids=["internal-error", "service-unavailable", "unreachable"],
)
def test_login_with_cognito_unavailable_is_503(
    client: TestClient, user: LoggedInUser, fault: Fault
) -> None:
    with inject([aws.client("cognito-idp")], fault):
        response = client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    _assert_unavailable(response)
    assert "accessToken" not in response.text


def test_me_with_cognito_unreachable_is_503(client: TestClient, user: LoggedInUser) -> None:
    with inject([aws.client("cognito-idp")], Fault(unreachable=True)):
        response = client.get("/auth/me", headers=user.headers)
    _assert_unavailable(response)


def test_register_with_cognito_unavailable_is_503_and_creates_no_user(
    client: TestClient,
) -> None:
    email = unique_email("down")
    fault = Fault(code="InternalErrorException", status=500, operations=frozenset({"SignUp"}))
    with inject([aws.client("cognito-idp")], fault):
        response = client.post(
            "/auth/register", json={"email": email, "password": PASSWORD, "name": "N"}
        )
    _assert_unavailable(response)
    assert (
        client.post("/auth/login", json={"email": email, "password": PASSWORD}).status_code == 401
    )


@pytest.fixture
def cold_jwks(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Replace the process's key cache with a cold one fetching from a given URL."""

    def use(url: str) -> None:
        cache = security.JwksCache(url, timeout=0.5, refetch_interval=30)
        monkeypatch.setattr(security, "get_jwks_cache", lambda: cache)

    return use


def test_private_route_with_jwks_unreachable_fails_closed(
    client: TestClient, user: LoggedInUser, cold_jwks: Callable[[str], None]
) -> None:
    cold_jwks("http://127.0.0.1:9/jwks.json")  # the discard port: connection refused
    response = client.get("/auth/me", headers=user.headers)
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert "userId" not in response.text


def test_private_route_with_jwks_garbage_fails_closed(
    client: TestClient, user: LoggedInUser, moto_url: str, cold_jwks: Callable[[str], None]
) -> None:
    cold_jwks(f"{moto_url}/not-a-jwks-document")
    response = client.get("/assets", headers=user.headers)
    assert response.status_code in (401, 503)
    assert "items" not in response.text


@pytest.fixture
def jwks_down_after_warmup(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LoggedInUser]:
    """A warm key cache whose endpoint then goes away."""
    url = get_settings().jwks_url
    cache = security.JwksCache(url, timeout=0.5, refetch_interval=0)
    monkeypatch.setattr(security, "get_jwks_cache", lambda: cache)
    assert client.get("/assets", headers=user.headers).status_code == 200
    monkeypatch.setattr(cache, "_url", "http://127.0.0.1:9/jwks.json")
    yield user


def test_private_route_with_warm_keys_survives_jwks_outage(
    client: TestClient, jwks_down_after_warmup: LoggedInUser
) -> None:
    user = jwks_down_after_warmup
    assert client.get("/assets", headers=user.headers).status_code == 200
    # A token naming an unknown key forces a refetch, which fails: that caller gets 401, not 500
    header = base64.urlsafe_b64encode(b'{"alg":"RS256","kid":"rotated","typ":"JWT"}').rstrip(b"=")
    rotated = ".".join([header.decode(), *user.access_token.split(".")[1:]])
    response = client.get("/assets", headers={"Authorization": f"Bearer {rotated}"})
    assert response.status_code == 401
    assert client.get("/assets", headers=user.headers).status_code == 200


def _transaction_app() -> Any:
    """The real app plus a route that writes two counters in one transaction."""
    from app.main import create_app

    app = create_app()

    def write_pair(key: str) -> dict[str, str]:
        table = get_settings().table_name("counters")
        aws.client("dynamodb").transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"counterKey": {"S": f"{key}-{i}"}}}}
                for i in (1, 2)
            ]
        )
        return {"ok": key}

    app.add_api_route("/pair/{key}", write_pair, methods=["POST"])
    return app


@pytest.mark.parametrize(
    ("reasons", "status"),
    [
        (["None", "ThrottlingError"], 503),
        (["TransactionConflict", "None"], 503),
        (["None", "ConditionalCheckFailed"], 500),
    ],
    ids=["throttled", "conflict", "condition-unmapped"],
)
def test_cancelled_transaction_maps_by_reason_and_writes_nothing(
    local_aws: object, reasons: list[str], status: int
) -> None:
    key = f"tx-{uuid.uuid4().hex}"
    fault = Fault(
        code="TransactionCanceledException",
        operations=frozenset({"TransactWriteItems"}),
        extra={"CancellationReasons": [{"Code": code} for code in reasons]},
    )
    with inject([aws.client("dynamodb")], fault):
        response = TestClient(_transaction_app(), raise_server_exceptions=False).post(
            f"/pair/{key}"
        )
    assert response.status_code == status
    if status == 503:
        assert response.headers["retry-after"]
    assert "injected" not in response.text
    table = aws.table("counters")
    assert [table.get_item(Key={"counterKey": f"{key}-{i}"}).get("Item") for i in (1, 2)] == [
        None,
        None,
    ]


def test_register_when_auto_confirm_fails_is_retryable(client: TestClient) -> None:
    body = {"email": unique_email(), "password": PASSWORD, "name": "Retry"}
    # Given Cognito fails the confirmation step right after the sign-up succeeded
    fault = Fault(
        code="InternalErrorException", status=500, operations=frozenset({"AdminConfirmSignUp"})
    )
    with inject([aws.client("cognito-idp")], fault):
        first = client.post("/auth/register", json=body)
    assert first.status_code == 503
    # When the client retries, the half-made account is gone and registration succeeds
    retry = client.post("/auth/register", json=body)
    assert retry.status_code == 201, retry.text
    login = client.post("/auth/login", json={"email": body["email"], "password": PASSWORD})
    assert login.status_code == 200
