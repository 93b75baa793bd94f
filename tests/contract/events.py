"""Lambda events from the AWS payload formats (v1, v2, Function URL, ALB, SQS), and a context."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from mangum.types import LambdaCognitoIdentity, LambdaMobileClientContext

from app.local.poller import LocalContext


@dataclass
class LambdaContext(LocalContext):
    """The local context with every attribute of the context protocol Mangum declares."""

    function_version: str = "$LATEST"
    log_group_name: str = "/aws/lambda/planforge-local"
    log_stream_name: str = "local"
    identity: LambdaCognitoIdentity | None = None
    client_context: LambdaMobileClientContext | None = None


def _body(body: Any) -> tuple[str | None, bool]:
    if body is None:
        return None, False
    return json.dumps(body), False


def rest_v1(
    method: str,
    path: str,
    *,
    stage: str = "prod",
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    body: Any = None,
    base64_body: bool = False,
) -> dict[str, Any]:
    """An API Gateway REST API (payload 1.0) proxy event on the execute-api host."""
    headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", **(headers or {})}
    text, _ = _body(body)
    if base64_body and text is not None:
        text = base64.b64encode(text.encode()).decode()
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": 1700000000000,
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "pytest"},
            "protocol": "HTTP/1.1",
        },
        "body": text,
        "isBase64Encoded": base64_body,
    }


def http_v2(
    method: str,
    path: str,
    *,
    stage: str = "$default",
    headers: dict[str, str] | None = None,
    query: str = "",
    body: Any = None,
    domain: str = "abc123.execute-api.us-east-1.amazonaws.com",
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event; a named stage appears in rawPath, as AWS sends it."""
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    text, _ = _body(body)
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": query,
        "cookies": [],
        "headers": {"host": domain, "user-agent": "pytest", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": domain.split(".")[0],
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "pytest",
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": stage,
            "time": "14/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1700000000000,
        },
        "body": text,
        "isBase64Encoded": False,
    }


def function_url(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    """A Lambda Function URL event: the 2.0 shape on a lambda-url host."""
    event = http_v2(method, path, domain="abcdefghij.lambda-url.us-east-1.on.aws", **kwargs)
    event["requestContext"]["authorizer"] = {"iam": None}
    return event


def alb(
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: Any = None,
    multi_value: bool = False,
) -> dict[str, Any]:
    """An ALB target-group event, with single- or multi-value headers."""
    headers = {"host": "planforge-alb-123.us-east-1.elb.amazonaws.com", **(headers or {})}
    text, _ = _body(body)
    event: dict[str, Any] = {
        "requestContext": {
            "elb": {
                "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                "targetgroup/planforge/0123456789abcdef"
            }
        },
        "httpMethod": method,
        "path": path,
        "body": text or "",
        "isBase64Encoded": False,
    }
    if multi_value:
        event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
        event["multiValueQueryStringParameters"] = {}
    else:
        event["headers"] = headers
        event["queryStringParameters"] = {}
    return event


def sqs_record(body: str, *, message_id: str | None = None) -> dict[str, Any]:
    """One SQS record as the event source mapping delivers it."""
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": "AQEB" + uuid.uuid4().hex,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1700000000000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1700000000001",
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:planforge-jobs",
        "awsRegion": "us-east-1",
    }


def sqs(*bodies: str) -> dict[str, Any]:
    """An SQS batch event."""
    return {"Records": [sqs_record(body) for body in bodies]}
