"""Events from `generate-event` are accepted by the Lambda handler."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.local import events
from app.local.aws_emulator import LocalAws
from app.local.poller import LocalContext


@pytest.mark.parametrize("build", [events.http_v2, events.rest_v1])
def test_generated_api_events_reach_the_app(local_aws: LocalAws, build: Any) -> None:
    from app.handler import handler

    health = handler(build("GET", "/health", None, None), LocalContext())
    assert health["statusCode"] == 200 and json.loads(health["body"])["status"] == "ok"
    anonymous = handler(build("GET", "/projects", None, "not-a-token"), LocalContext())
    assert anonymous["statusCode"] == 401


def test_generated_sqs_and_s3_events_have_the_aws_shape() -> None:
    record = events.sqs('{"jobId": "x"}')["Records"][0]
    assert record["eventSource"] == "aws:sqs" and record["body"] == '{"jobId": "x"}'
    s3 = events.s3_put("bucket", "users/u/a.png", 10)["Records"][0]
    assert s3["eventName"] == "ObjectCreated:Put" and s3["s3"]["object"]["key"] == "users/u/a.png"
