"""Local tools: `serve` (the dev server), `invoke EVENT.json`, `make-admin EMAIL`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

STATE_FILE = Path(".local/state.json")
LOCAL_DEFAULTS = {
    "ENVIRONMENT": "local",
    "COGNITO_AUTO_CONFIRM": "true",
    "CORS_ORIGINS": "http://127.0.0.1:8000,http://localhost:8000,http://localhost:3000",
}


def _local_defaults() -> dict[str, str]:
    return {key: os.environ.get(key, value) for key, value in LOCAL_DEFAULTS.items()}


def _start_ai_emulator(port: int) -> tuple[Any, dict[str, str]]:
    from app.local.ai_emulator import AiEmulator

    emulator = AiEmulator(port=port)
    url = emulator.start()
    env = {"BEDROCK_ENDPOINT_URL": url, "GEMINI_BASE_URL": url, "GEMINI_API_KEY": "local-emulator"}
    return emulator, env


def uvicorn_config(app: Any, *, host: str, port: int, factory: bool = False) -> Any:
    """Return the dev server's uvicorn config: the socket peer is the client, never a header."""
    import uvicorn

    # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default, which would let any caller of
    # an exposed dev server pick its own IP for the per-IP limits.
    return uvicorn.Config(
        app,
        factory=factory,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
        forwarded_allow_ips="",
    )


def serve(args: argparse.Namespace) -> int:
    """Start both emulators, the queue poller and uvicorn; Ctrl-C stops everything."""
    import uvicorn

    from app.handler import handler
    from app.local.aws_emulator import apply_environment, start_local_aws
    from app.local.poller import QueuePoller

    ai, ai_env = _start_ai_emulator(args.ai_port)
    server, local = start_local_aws(port=args.aws_port, extra_env={**_local_defaults(), **ai_env})
    STATE_FILE.parent.mkdir(exist_ok=True)
    STATE_FILE.write_text(json.dumps({**local.environment(), **ai_env}, indent=2))
    apply_environment({})
    poller = QueuePoller(local.jobs_queue_url, handler)
    poller.start()
    base = f"http://{args.host}:{args.port}"
    print(
        f"\n  API       {base}\n  Docs      {base}/docs\n  AWS       {local.endpoint_url} (moto)\n"
        f"  AI        {ai_env['BEDROCK_ENDPOINT_URL']} (Bedrock + Gemini emulator)\n"
        f"  Admin     python -m app.local make-admin EMAIL   (then log in again)\n",
        flush=True,
    )
    config = uvicorn_config("app.main:create_app", host=args.host, port=args.port, factory=True)
    try:
        uvicorn.Server(config).run()
    finally:
        poller.stop()
        server.stop()
        ai.stop()
    return 0


def invoke(args: argparse.Namespace) -> int:
    """Run the Lambda handler once on an event file; print only its response on stdout."""
    from app.local.aws_emulator import start_local_aws

    event = json.loads(Path(args.event).read_text())
    ai, ai_env = _start_ai_emulator(0)
    server, _ = start_local_aws(extra_env={**_local_defaults(), **ai_env})
    try:
        from app.handler import handler
        from app.local.poller import LocalContext

        response = handler(event, LocalContext())
    finally:
        server.stop()
        ai.stop()
    sys.stdout.write(json.dumps(response) + "\n")
    return 0


def make_admin(args: argparse.Namespace) -> int:
    """Add a user of the running dev server to the admin group."""
    import boto3

    if not STATE_FILE.exists():
        print("No dev server state; start it with `make dev` first.", file=sys.stderr)
        return 1
    state = json.loads(STATE_FILE.read_text())
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=state["AWS_ENDPOINT_URL"],
        region_name=state["AWS_REGION"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's placeholder
    )
    cognito.admin_add_user_to_group(
        UserPoolId=state["COGNITO_USER_POOL_ID"], Username=args.email.lower(), GroupName="admin"
    )
    print(f"{args.email} is now an admin; log in again to get a token with the group.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a command."""
    parser = argparse.ArgumentParser(prog="python -m app.local")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the local dev server")
    serve_parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve_parser.add_argument(
        "--aws-port", type=int, default=int(os.environ.get("LOCAL_AWS_PORT", "4566"))
    )
    serve_parser.add_argument(
        "--ai-port", type=int, default=int(os.environ.get("LOCAL_AI_PORT", "4567"))
    )
    serve_parser.set_defaults(run=serve)
    invoke_parser = commands.add_parser("invoke", help="run app.handler.handler on an event file")
    invoke_parser.add_argument("event")
    invoke_parser.set_defaults(run=invoke)
    admin_parser = commands.add_parser(
        "make-admin", help="add a dev-server user to the admin group"
    )
    admin_parser.add_argument("email")
    admin_parser.set_defaults(run=make_admin)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
