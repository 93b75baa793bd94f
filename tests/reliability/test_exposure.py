"""What the API exposes: docs only outside prod, no error text on 500s, safe headers everywhere."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError
from fastapi import FastAPI
from fastapi.testclient import TestClient
from mangum import Mangum

from app.core.config import get_settings
from app.main import create_app
from tests.conftest import LoggedInUser
from tests.contract import events

DOC_PATHS = (
    "/docs",
    "/redoc",
    "/openapi.json",
    "/docs/oauth2-redirect",
    "/docs-assets/swagger-ui.css",
)
SECRET = "planforge-prod-projects arn:aws:dynamodb:us-east-1:123456789012 token=abc.def.ghi"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Let a test set ENVIRONMENT (and what prod requires) and rebuild settings from it."""
    monkeypatch.setenv("COGNITO_USER_POOL_ID", "us-east-1_AbCdEf123")
    monkeypatch.setenv("JOBS_QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/1/q")
    monkeypatch.setenv("CURSOR_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:cursor")
    monkeypatch.setenv("COGNITO_AUTO_CONFIRM", "false")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize(("env", "served"), [("local", True), ("dev", True), ("prod", False)])
def test_docs_follow_environment_setting(
    environment: pytest.MonkeyPatch, env: str, served: bool
) -> None:
    environment.setenv("ENVIRONMENT", env)
    get_settings.cache_clear()
    client = TestClient(create_app())
    statuses = {path: client.get(path).status_code for path in DOC_PATHS}
    expected = 200 if served else 404
    assert statuses == dict.fromkeys(DOC_PATHS, expected)
    if not served:
        assert client.get("/openapi.json").json()["error"]["code"] == "not_found"
    assert client.get("/health").status_code == 200


def _boom_app() -> FastAPI:
    app = create_app()

    def crash() -> None:
        raise RuntimeError(SECRET)

    def aws_crash() -> None:
        raise ClientError({"Error": {"Code": "ValidationException", "Message": SECRET}}, "PutItem")

    app.add_api_route("/boom", crash)
    app.add_api_route("/aws-boom", aws_crash)
    return app


@pytest.mark.parametrize("path", ["/boom", "/aws-boom"])
def test_unexpected_error_in_real_app_is_generic_500(local_aws: object, path: str) -> None:
    response = TestClient(_boom_app(), raise_server_exceptions=False).get(path)
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert body["error"]["message"] == "Internal server error."
    assert body["error"]["requestId"] == response.headers["x-request-id"]
    for fragment in ("planforge-prod", "arn:aws", "abc.def", "RuntimeError", "Traceback", "File "):
        assert fragment not in response.text
    assert response.headers["cache-control"] == "no-store"


def test_unexpected_error_through_lambda_is_generic_500(local_aws: object) -> None:
    adapter = Mangum(_boom_app(), lifespan="off")
    response = adapter(events.http_v2("GET", "/boom"), events.LambdaContext())
    assert response["statusCode"] == 500
    assert json.loads(response["body"])["error"]["code"] == "internal_error"
    assert "planforge-prod" not in response["body"] and "Traceback" not in response["body"]


def test_authenticated_json_responses_carry_no_store_and_nosniff(
    client: TestClient, user: LoggedInUser
) -> None:
    for response in (
        client.get("/auth/me", headers=user.headers),
        client.get("/auth/me"),
        client.get("/auth/me", headers={"Authorization": "Bearer not.a.token"}),
    ):
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_undecodable_body_is_422_envelope(client: TestClient) -> None:
    response = client.post(
        "/auth/login", content=b"\xff\xfe\x00{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
