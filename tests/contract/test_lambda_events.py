"""Every event shape the function can receive goes through app.handler.handler correctly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app import handler as handler_module
from app.core import jobs
from app.core.config import get_settings
from app.local.poller import LocalContext
from tests.contract import events


@pytest.fixture(autouse=True)
def _emulated(local_aws: object) -> None:
    """The handler runs against the emulated stack's settings."""


def _invoke(event: dict[str, Any]) -> dict[str, Any]:
    return handler_module.handler(event, LocalContext())


def _json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


@pytest.mark.parametrize(
    "make_event",
    [
        lambda: events.rest_v1("GET", "/health"),
        lambda: events.http_v2("GET", "/health"),
        lambda: events.function_url("GET", "/health"),
        lambda: events.alb("GET", "/health"),
        lambda: events.alb("GET", "/health", multi_value=True),
    ],
    ids=["rest-v1", "http-v2", "function-url", "alb", "alb-multi-value"],
)
def test_handler_serves_health_for_every_http_event(
    make_event: Callable[[], dict[str, Any]],
) -> None:
    response = _invoke(make_event())
    assert response["statusCode"] == 200
    assert _json(response)["status"] == "ok"


def test_handler_uses_lambda_request_id_as_x_request_id() -> None:
    context = LocalContext()
    response = handler_module.handler(events.http_v2("GET", "/health"), context)
    assert response["headers"]["x-request-id"] == context.aws_request_id


@pytest.mark.parametrize(
    "make_event",
    [
        lambda: events.rest_v1("GET", "/auth/me"),
        lambda: events.http_v2("GET", "/auth/me"),
        lambda: events.function_url("GET", "/auth/me"),
        lambda: events.alb("GET", "/auth/me"),
    ],
    ids=["rest-v1", "http-v2", "function-url", "alb"],
)
def test_handler_refuses_unauthenticated_request_with_envelope(
    make_event: Callable[[], dict[str, Any]],
) -> None:
    response = _invoke(make_event())
    assert response["statusCode"] == 401
    assert _json(response)["error"]["code"] == "unauthorized"


def test_handler_decodes_base64_body_of_rest_event() -> None:
    event = events.rest_v1("POST", "/auth/login", body={"email": "not-an-email"}, base64_body=True)
    response = _invoke(event)
    assert response["statusCode"] == 422
    assert _json(response)["error"]["code"] == "validation_error"


def test_handler_answers_unknown_path_with_404_envelope() -> None:
    response = _invoke(events.http_v2("GET", "/no/such/path"))
    assert response["statusCode"] == 404
    assert _json(response)["error"]["code"] == "not_found"


@pytest.fixture
def named_stage() -> Iterator[None]:
    """Configure the function for an HTTP API on the named stage `Prod`."""
    import os

    os.environ["API_BASE_PATH"] = "Prod"
    get_settings.cache_clear()
    handler_module._http_adapter.cache_clear()
    yield
    del os.environ["API_BASE_PATH"]
    get_settings.cache_clear()
    handler_module._http_adapter.cache_clear()


def test_handler_strips_named_stage_when_configured(named_stage: None) -> None:
    response = _invoke(events.http_v2("GET", "/health", stage="Prod"))
    assert response["statusCode"] == 200


def test_handler_without_base_path_does_not_match_stage_prefix() -> None:
    response = _invoke(events.http_v2("GET", "/health", stage="Prod"))
    assert response["statusCode"] == 404


_seen: list[str] = []


@jobs.register("test.contract_echo")
def _echo(message: jobs.JobMessage, context: jobs.JobContext) -> None:
    _seen.append(message.payload["value"])


def test_handler_reports_exactly_the_bad_sqs_record() -> None:
    # Given a batch with two good records around one that is not a job message
    good = jobs.build_message("test.contract_echo", {"value": "a"})
    bad = "this is not json"
    also_good = jobs.build_message("test.contract_echo", {"value": "b"})
    event = events.sqs(good, bad, also_good)
    # When the handler processes it
    response = _invoke(event)
    # Then only the bad record is reported, and the good ones ran
    bad_id = event["Records"][1]["messageId"]
    assert response == {"batchItemFailures": [{"itemIdentifier": bad_id}]}
    assert _seen[-2:] == ["a", "b"]


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"type": "no.such.job", "id": "1", "payload": {}}),
        json.dumps({"type": "test.contract_echo", "id": "1", "payload": {}, "extra": 1}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"Records": [{"eventSource": "aws:dynamodb"}]}),
    ],
    ids=["unknown-type", "extra-field", "array", "foreign-records"],
)
def test_handler_reports_unknown_or_invalid_message_as_failure(body: str) -> None:
    event = events.sqs(body)
    response = _invoke(event)
    assert response["batchItemFailures"] == [{"itemIdentifier": event["Records"][0]["messageId"]}]


def test_handler_acknowledges_s3_test_event() -> None:
    body = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"})
    assert _invoke(events.sqs(body)) == {"batchItemFailures": []}
