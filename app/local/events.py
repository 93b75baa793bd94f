"""`python -m app.local generate-event`: realistic Lambda events to feed to `invoke`."""

from __future__ import annotations

import argparse
import json
import time
import uuid
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
API_HOST = "abc123.execute-api.us-east-1.amazonaws.com"


def _headers(token: str | None, body: str | None) -> dict[str, str]:
    headers = {"host": API_HOST, "user-agent": "app.local", "accept": "application/json"}
    if body is not None:
        headers["content-type"] = "application/json"
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


def http_v2(method: str, path: str, body: str | None, token: str | None) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) request."""
    now = time.time()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": _headers(token, body),
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "domainName": API_HOST,
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "app.local",
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "body": body,
        "isBase64Encoded": False,
    }


def rest_v1(method: str, path: str, body: str | None, token: str | None) -> dict[str, Any]:
    """An API Gateway REST API (payload 1.0) proxy request on the prod stage."""
    headers = {key.title(): value for key, value in _headers(token, body).items()}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {key: [value] for key, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "resourcePath": "/{proxy+}",
            "httpMethod": method,
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "app.local"},
            "protocol": "HTTP/1.1",
        },
        "body": body,
        "isBase64Encoded": False,
    }


def sqs(body: str) -> dict[str, Any]:
    """An SQS event with one job message."""
    now = str(int(time.time() * 1000))
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": uuid.uuid4().hex,
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": now,
                    "SenderId": ACCOUNT,
                    "ApproximateFirstReceiveTimestamp": now,
                },
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:planforge-jobs",
                "awsRegion": REGION,
            }
        ]
    }


def s3_put(bucket: str, key: str, size: int) -> dict[str, Any]:
    """An S3 ObjectCreated:Put notification."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:EXAMPLE"},
                "requestParameters": {"sourceIPAddress": "203.0.113.9"},
                "responseElements": {"x-amz-request-id": uuid.uuid4().hex[:16].upper()},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "planforge-assets",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "EXAMPLE"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {"key": key, "size": size, "sequencer": uuid.uuid4().hex[:18]},
                },
            }
        ]
    }


def generate(args: argparse.Namespace) -> dict[str, Any]:
    """Build the event the command line asked for."""
    if args.kind in {"http", "rest"}:
        build = http_v2 if args.kind == "http" else rest_v1
        return build(args.method.upper(), args.path, args.body, args.token)
    if args.kind == "sqs":
        return sqs(args.body or json.dumps({"jobId": str(uuid.uuid4()), "kind": "text"}))
    return s3_put(args.bucket, args.key, args.size)


def add_parser(commands: Any) -> None:
    """Register `generate-event` on the app.local command line."""
    parser = commands.add_parser("generate-event", help="print a Lambda event for `invoke`")
    parser.add_argument("kind", choices=["http", "rest", "sqs", "s3"])
    parser.add_argument("--method", default="GET")
    parser.add_argument("--path", default="/health")
    parser.add_argument("--body", default=None, help="JSON request body / SQS message body")
    parser.add_argument("--token", default=None, help="an access token for Authorization")
    parser.add_argument("--bucket", default="planforge-assets")
    parser.add_argument("--key", default="users/example/asset.png")
    parser.add_argument("--size", type=int, default=1024)

    def run(args: argparse.Namespace) -> int:
        print(json.dumps(generate(args), indent=2))
        return 0

    parser.set_defaults(run=run)
