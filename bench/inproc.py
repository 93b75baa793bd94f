"""In-process setup for the warm benchmarks: Lambda env, moto tables, a JWKS endpoint, tokens."""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.lambda_env import CLIENT_ID, LAMBDA_ENV, USER_POOL_ID, LambdaContext, http_v2_event

KID = "dummy"  # the kid moto's Cognito signs with; its key ships inside the moto package


def private_jwk() -> dict[str, Any]:
    """Return moto's Cognito signing key, so tokens are the ones the emulator would issue."""
    import moto

    path = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    key: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return key


def public_jwks() -> dict[str, Any]:
    """Return the JWKS document for moto's signing key."""
    public = {k: v for k, v in private_jwk().items() if k in ("kty", "n", "e")}
    return {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}


def start_jwks_server() -> str:
    """Serve the JWKS on loopback (the verifier fetches keys over HTTP) and return its URL."""
    body = json.dumps(public_jwks()).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # noqa: ARG002 - silence
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/{USER_POOL_ID}/.well-known/jwks.json"


def lambda_environment(jwks_url: str) -> None:
    """Make this process look like the deployed function, with keys fetched from jwks_url."""
    for key in list(os.environ):
        if key.startswith(("AWS_", "COGNITO_")) or key in ("ENVIRONMENT", "TABLE_PREFIX"):
            del os.environ[key]
    os.environ.update(LAMBDA_ENV)
    os.environ["COGNITO_JWKS_URL"] = jwks_url
    os.environ["LOG_LEVEL"] = "WARNING"  # per-request INFO lines would time the log sink


def mint_access_token(sub: str | None = None, groups: list[str] | None = None) -> str:
    """Return a Cognito-shaped RS256 access token for the configured pool and client."""
    from jose import jwt

    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub or str(uuid.uuid4()),
        "iss": f"https://cognito-idp.{LAMBDA_ENV['AWS_REGION']}.amazonaws.com/{USER_POOL_ID}",
        "client_id": CLIENT_ID,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "username": "bench-user",
        "iat": now,
        "exp": now + 3600,
        "jti": str(uuid.uuid4()),
        "auth_time": now,
        "origin_jti": str(uuid.uuid4()),
        "event_id": str(uuid.uuid4()),
    }
    if groups:
        claims["cognito:groups"] = groups
    token: str = jwt.encode(claims, private_jwk(), algorithm="RS256", headers={"kid": KID})
    return token


def create_tables(names: tuple[str, ...] | None = None, prefix: str | None = None) -> None:
    """Create the app's tables (all, or the named logical ones) in the active moto mock."""
    import boto3

    from app.domains import all_tables

    prefix = prefix or LAMBDA_ENV["TABLE_PREFIX"]
    client = boto3.client("dynamodb", region_name=LAMBDA_ENV["AWS_REGION"])
    for spec in all_tables():
        if names is not None and spec.name not in names:
            continue
        keys = [{"AttributeName": spec.hash_key, "KeyType": "HASH"}]
        if spec.range_key:
            keys.append({"AttributeName": spec.range_key, "KeyType": "RANGE"})
        request: dict[str, Any] = {
            "TableName": f"{prefix}-{spec.name}",
            "KeySchema": keys,
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in spec.key_attributes()
            ],
            "BillingMode": "PAY_PER_REQUEST",
        }
        if spec.indexes:
            request["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": [{"AttributeName": index.hash_key, "KeyType": "HASH"}]
                    + (
                        [{"AttributeName": index.range_key, "KeyType": "RANGE"}]
                        if index.range_key
                        else []
                    ),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for index in spec.indexes
            ]
        client.create_table(**request)


def call(
    handler: Any,
    method: str,
    path: str,
    *,
    token: str | None = None,
    query: str = "",
    body: Any = None,
) -> dict[str, Any]:
    """Send one HTTP API v2 event to a Lambda handler and return its response."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["content-type"] = "application/json"
    event = http_v2_event(
        method,
        path,
        headers=headers,
        query=query,
        body=None if body is None else json.dumps(body),
    )
    response: dict[str, Any] = handler(event, LambdaContext(str(uuid.uuid4())))
    return response


def expect(response: dict[str, Any], status: int) -> dict[str, Any]:
    """Return the JSON body of a response, or fail loudly if the status is not the expected one."""
    if response["statusCode"] != status:
        raise RuntimeError(
            f"expected {status}, got {response['statusCode']}: {response['body'][:500]}"
        )
    body: dict[str, Any] = json.loads(response["body"]) if response.get("body") else {}
    return body


PROJECT_BODY: dict[str, Any] = {
    "name": "Bench project",
    "description": "A representative project: a few phases, sprints and team members.",
    "requirementsSummary": "Users plan projects, track goals and generate plans.",
    "constraints": "Serverless; one Lambda function.",
    "disciplines": ["backend", "frontend", "qa"],
    "team": [
        {"name": "Ada", "role": "lead"},
        {"name": "Grace", "role": "backend"},
        {"name": "Linus", "role": "frontend"},
    ],
    "phases": [
        {
            "name": f"Phase {p}",
            "description": "Build and ship the next slice.",
            "sprints": [{"name": f"Sprint {p}.{s}", "goal": "Ship it"} for s in range(1, 3)],
        }
        for p in range(1, 3)
    ],
}

GOAL_BODY: dict[str, Any] = {
    "title": "Run a half marathon",
    "description": "Train three times a week.",
    "category": "fitness",
    "targetValue": 21,
    "unit": "km",
}
