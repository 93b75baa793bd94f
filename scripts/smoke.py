"""Smoke-test a deployed (or local) Planforge through the wiring each route depends on.

    python scripts/smoke.py --base-url https://api.example.com --secret-id planforge-production/smoke
    python scripts/smoke.py --base-url http://127.0.0.1:8000 --register   # against `make dev`

The smoke user logs in (Cognito), creates, reads and deletes a project (DynamoDB), creates an
asset and checks the presigned POST's signing fields (S3), and submits a small AI job that must
leave `queued` (SQS and the worker). Credentials: --email/--password, SMOKE_EMAIL/SMOKE_PASSWORD,
or a Secrets Manager secret holding {"email": ..., "password": ...}. Exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

SIGNING_FIELDS = ("key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-signature")


class SmokeError(Exception):
    """One check failed."""


def _expect(response: httpx.Response, status: int, what: str) -> Any:
    if response.status_code != status:
        raise SmokeError(f"{what}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


def credentials(args: argparse.Namespace) -> tuple[str, str]:
    """Return the smoke user's email and password from args, env or Secrets Manager."""
    email = args.email or os.environ.get("SMOKE_EMAIL", "")
    password = args.password or os.environ.get("SMOKE_PASSWORD", "")
    if args.secret_id:
        import boto3

        secret = boto3.client("secretsmanager").get_secret_value(SecretId=args.secret_id)
        stored = json.loads(secret["SecretString"])
        email, password = stored["email"], stored["password"]
    if not email or not password:
        raise SmokeError("no smoke credentials: --email/--password, SMOKE_* or --secret-id")
    return email, password


def login(client: httpx.Client, email: str, password: str, register: bool) -> None:
    """Log in (registering first when asked) and keep the bearer token on the client."""
    if register:
        body = {"email": email, "password": password, "name": "Smoke"}
        answer = client.post("/auth/register", json=body)
        if answer.status_code not in (201, 409):
            raise SmokeError(f"register: {answer.status_code} {answer.text[:300]}")
    tokens = _expect(
        client.post("/auth/login", json={"email": email, "password": password}), 200, "login"
    )
    client.headers["Authorization"] = f"Bearer {tokens['accessToken']}"


def check_project(client: httpx.Client) -> None:
    """Create, read and delete a project."""
    name = f"smoke {uuid.uuid4().hex[:8]}"
    created = _expect(client.post("/projects", json={"name": name}), 201, "create project")
    project_id = created["projectId"]
    try:
        read = _expect(client.get(f"/projects/{project_id}"), 200, "read project")
        if read["name"] != name:
            raise SmokeError(f"read project: name {read['name']!r}, want {name!r}")
    finally:
        _expect(client.delete(f"/projects/{project_id}"), 204, "delete project")
    _expect(client.get(f"/projects/{project_id}"), 404, "read deleted project")


def check_asset(client: httpx.Client) -> None:
    """Create an asset and check the presigned POST carries a signed policy; delete it."""
    body = {"fileName": "smoke.txt", "contentType": "text/plain", "size": 5}
    created = _expect(client.post("/assets", json=body), 201, "create asset")
    asset_id = created["asset"]["assetId"]
    try:
        upload = created["upload"]
        fields = {name.lower() for name in upload["fields"]}
        missing = [name for name in SIGNING_FIELDS if name not in fields]
        if upload["method"] != "POST" or missing or not upload["url"].startswith("http"):
            raise SmokeError(f"asset upload is not a signed POST (missing {missing}): {upload}")
    finally:
        _expect(client.delete(f"/assets/{asset_id}"), 204, "delete asset")


def check_ai_job(client: httpx.Client, timeout: float) -> str:
    """Submit a small AI job and wait for it to leave `queued`; return its status."""
    body = {"prompt": "Reply with the word ok.", "maxTokens": 16}
    job = _expect(client.post("/ai/generate", json=body), 202, "submit AI job")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status: str = _expect(client.get(f"/ai/jobs/{job['jobId']}"), 200, "read job")["status"]
        if status != "queued":
            return status
        time.sleep(0.5)
    raise SmokeError(f"AI job {job['jobId']} still queued after {timeout:.0f} s")


def run(args: argparse.Namespace, out: Callable[[str], None] = print) -> int:
    """Run every check in order; print one line each; return the exit code."""
    base = args.base_url.rstrip("/")
    with httpx.Client(base_url=base, timeout=15) as client:
        try:
            email, password = credentials(args)
            login(client, email, password, args.register)
            out("ok   login")
            check_project(client)
            out("ok   project create/read/delete")
            check_asset(client)
            out("ok   asset presigned POST")
            out(f"ok   AI job left queued ({check_ai_job(client, args.job_timeout)})")
        except (SmokeError, httpx.HTTPError, KeyError) as exc:
            out(f"FAIL {type(exc).__name__}: {exc}")
            return 1
    out(f"smoke: all checks passed against {base}")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--email", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--secret-id", default="", help="Secrets Manager id of {email, password}")
    parser.add_argument("--register", action="store_true", help="register the user first (local)")
    parser.add_argument("--job-timeout", type=float, default=60.0)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Parse options and run."""
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
