"""The envelope, request ids, body limit, CORS and the last-resort 500, on a small test app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.errors import NotFound
from app.core.exception_handlers import install_exception_handlers
from app.core.middleware import RequestContextMiddleware
from app.main import create_app


def _test_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware, max_body_bytes=1024)
    install_exception_handlers(app)
    router = APIRouter()

    @router.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret table name planforge-prod-projects and a traceback")

    @router.get("/missing")
    def missing() -> None:
        raise NotFound("No such thing.")

    @router.post("/echo")
    def echo(body: dict[str, str]) -> dict[str, str]:
        return body

    app.include_router(router)
    return app


def test_unhandled_exception_answers_generic_500_without_details() -> None:
    client = TestClient(_test_app(), raise_server_exceptions=False)
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert body["error"]["requestId"] == response.headers["x-request-id"]


def test_domain_error_renders_envelope() -> None:
    response = TestClient(_test_app()).get("/missing")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "No such thing.",
        "details": [],
        "requestId": response.headers["x-request-id"],
    }


def test_body_over_limit_is_413_by_declared_length() -> None:
    response = TestClient(_test_app()).post("/echo", json={"a": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_body_over_limit_is_413_when_streamed_without_length() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"a": "'
        yield b"x" * 2000
        yield b'"}'

    response = TestClient(_test_app()).post(
        "/echo", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_body_under_limit_is_served() -> None:
    response = TestClient(_test_app()).post("/echo", json={"a": "b"})
    assert response.status_code == 200 and response.json() == {"a": "b"}


def test_client_request_id_is_echoed_when_well_formed() -> None:
    client = TestClient(_test_app())
    assert (
        client.get("/missing", headers={"X-Request-Id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    hostile = client.get("/missing", headers={"X-Request-Id": "a\tb<script>"}).headers[
        "x-request-id"
    ]
    assert hostile != "a\tb<script>"


def test_malformed_json_is_422_envelope() -> None:
    response = TestClient(_test_app()).post(
        "/echo", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_responses_carry_no_store_and_nosniff() -> None:
    response = TestClient(_test_app()).get("/missing")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_cors_allows_only_configured_origins() -> None:
    app = create_app(Settings(cors_origins=["https://app.example"]))
    client = TestClient(app)
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = client.options("/auth/login", headers={"Origin": "https://app.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    denied = client.options("/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in denied.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        # PUT is served (session feedback); TRACE never is
        {"Origin": "https://app.example", "Access-Control-Request-Method": "TRACE"},
        {
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-Evil",
        },
    ],
    ids=["origin", "method", "header"],
)
def test_finding_11_cors_preflight_refusal_uses_error_envelope(headers: dict[str, str]) -> None:
    client = TestClient(create_app(Settings(cors_origins=["https://app.example"])))
    denied = client.options("/auth/login", headers={**headers, "X-Request-Id": "pre-1"})
    assert denied.status_code == 400
    assert denied.headers["content-type"] == "application/json"
    error = denied.json()["error"]
    assert error["code"] == "bad_request" and error["message"].startswith("Disallowed CORS")
    assert error["requestId"] == denied.headers["x-request-id"] == "pre-1"
    if headers["Origin"] == "https://evil.example":
        assert "access-control-allow-origin" not in denied.headers


def test_cors_preflight_allows_every_method_the_api_serves() -> None:
    app = create_app(Settings(cors_origins=["https://app.example"]))
    served = {method for route in app.routes for method in getattr(route, "methods", None) or ()}
    client = TestClient(app)
    for method in sorted(served - {"HEAD"}):
        preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": method}
        allowed = client.options("/sessions/s-1/messages/m-1/feedback", headers=preflight)
        assert allowed.status_code == 200, method
        assert method in allowed.headers["access-control-allow-methods"]


def test_docs_are_off_in_prod() -> None:
    prod = Settings(
        environment="prod",
        cognito_user_pool_id="us-east-1_AbC",
        jobs_queue_url="https://sqs.example/q",
        cursor_secret_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor",
        cognito_auto_confirm=False,
    )
    client = TestClient(create_app(prod))
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404
    local = TestClient(create_app(Settings()))
    assert local.get("/openapi.json").status_code == 200


def test_method_not_allowed_uses_envelope() -> None:
    response = TestClient(create_app(Settings())).delete("/health")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
