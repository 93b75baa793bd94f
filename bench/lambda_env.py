"""What a deployed function sees: its environment (infra/lambda.tf) and API Gateway events."""

from __future__ import annotations

import os
from typing import Any

REGION = "us-east-1"
USER_POOL_ID = f"{REGION}_BenchPool1"
CLIENT_ID = "benchclient0000000000000000"

# The variables infra/lambda.tf gives the function, with prod-like values that pass the prod
# settings checks, plus what the Lambda runtime itself sets. No AWS_ENDPOINT_URL: nothing is
# emulated, and a cold GET /health must make no AWS call at all.
LAMBDA_ENV: dict[str, str] = {
    "AWS_LAMBDA_FUNCTION_NAME": "planforge-prod-api",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/planforge-prod-api",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "ASIABENCHBENCHBENCH0",
    "AWS_SECRET_ACCESS_KEY": "bench-secret-not-real",
    "AWS_SESSION_TOKEN": "bench-session-not-real",
    "TZ": ":UTC",
    "LANG": "en_US.UTF-8",
    "ENVIRONMENT": "prod",
    "APP_VERSION": "bench",
    "LOG_LEVEL": "INFO",
    "TABLE_PREFIX": "planforge-prod",
    "JOBS_QUEUE_URL": f"https://sqs.{REGION}.amazonaws.com/123456789012/planforge-prod-jobs",
    "ASSETS_BUCKET": "planforge-prod-assets",
    "COGNITO_USER_POOL_ID": USER_POOL_ID,
    "COGNITO_CLIENT_ID": CLIENT_ID,
    "COGNITO_AUTO_CONFIRM": "false",
    "CORS_ORIGINS": "https://app.example.com",
    # A secret's name works wherever its ARN does; the mock gives ARNs a random suffix.
    "CURSOR_SECRET_ARN": "planforge-prod/cursor-secret",
    "SES_SENDER": "no-reply@example.com",
    "APP_URL": "https://app.example.com",
    "ASSET_TTL_DAYS": "30",
    "BEDROCK_MODEL_ID": "anthropic.claude-3-haiku-20240307-v1:0",
    "GEMINI_MODEL": "gemini-2.0-flash",
    "GEMINI_API_KEY_SECRET_ARN": (
        f"arn:aws:secretsmanager:{REGION}:123456789012:secret:planforge-prod-gemini"
    ),
}


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return a clean environment for a child process: PATH and HOME, then the Lambda set."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "PYTHONPATH") if key in os.environ}
    return {**base, **LAMBDA_ENV, **(extra or {})}


def http_v2_event(
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    query: str = "",
    body: str | None = None,
) -> dict[str, Any]:
    """Return an HTTP API (payload 2.0) event on the $default stage, as API Gateway sends it."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "cookies": [],
        "headers": {
            "host": "api.example.com",
            "user-agent": "bench",
            "accept": "application/json",
            **(headers or {}),
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "bench",
            "domainName": "api.example.com",
            "domainPrefix": "api",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "bench",
            },
            "requestId": "bench-request",
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2026:00:00:00 +0000",
            "timeEpoch": 1767225600000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


class LambdaContext:
    """The few attributes of the Lambda context object the app reads."""

    function_name = "planforge-prod-api"
    memory_limit_in_mb = 1024
    invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:planforge-prod-api"

    def __init__(self, request_id: str = "bench-request") -> None:
        self.aws_request_id = request_id

    def get_remaining_time_in_millis(self) -> int:
        """Return a fixed, generous remaining time."""
        return 30_000
