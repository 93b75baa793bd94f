"""Local tools: `serve` (the dev server), `invoke EVENT.json`, `make-admin EMAIL`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

# Anchored to the checkout, so make-admin and mail work from any directory of it.
STATE_FILE = Path(__file__).resolve().parents[2] / ".local" / "state.json"
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
    # The Gemini key is in the emulated Secrets Manager (aws_emulator.LOCAL_GEMINI_KEY).
    env = {"BEDROCK_ENDPOINT_URL": url, "GEMINI_BASE_URL": url}
    return emulator, env


# uvicorn trusts X-Forwarded-For from 127.0.0.1 by default, which would let any caller of an
# exposed dev server pick its own IP for the per-IP limits.
NO_PROXY_HEADERS: dict[str, Any] = {"proxy_headers": False, "forwarded_allow_ips": ""}


def uvicorn_config(app: Any, *, host: str, port: int, factory: bool = False) -> Any:
    """Return the dev server's uvicorn config: the socket peer is the client, never a header."""
    import uvicorn

    return uvicorn.Config(
        app, factory=factory, host=host, port=port, log_level="info", **NO_PROXY_HEADERS
    )


def serve(args: argparse.Namespace) -> int:
    """Start both emulators, the queue poller and uvicorn; Ctrl-C stops everything."""
    import uvicorn

    from app.local.aws_emulator import apply_environment, start_local_aws
    from app.local.preflight import quiet_emulator_logs, taken_ports

    problems = taken_ports(
        {
            "PORT": (args.host, args.port),
            "LOCAL_AWS_PORT": ("127.0.0.1", args.aws_port),
            "LOCAL_AI_PORT": ("127.0.0.1", args.ai_port),
        }
    )
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    quiet_emulator_logs()
    STATE_FILE.unlink(missing_ok=True)

    ai, ai_env = _start_ai_emulator(args.ai_port)
    server, local = start_local_aws(port=args.aws_port, extra_env={**_local_defaults(), **ai_env})
    STATE_FILE.parent.mkdir(exist_ok=True)
    base = f"http://{args.host}:{args.port}"
    state = {**local.environment(), **ai_env, "API_URL": base}
    _write_state_when_serving(base, state)
    apply_environment({})
    print(
        f"\n  API       {base}\n  Docs      {base}/docs\n  AWS       {local.endpoint_url} (moto)\n"
        f"  AI        {ai_env['BEDROCK_ENDPOINT_URL']} (Bedrock + Gemini emulator)\n"
        f"  Mailbox   {base}/_local/mail  (or: python -m app.local mail)\n"
        f"  Admin     python -m app.local make-admin EMAIL   (then log in again)\n",
        flush=True,
    )
    # The emulators stay in this process; uvicorn's worker (and its queue poller, see
    # app/local/dev_app.py) restarts on every change under app/, inheriting the environment.
    app_dir = str(Path(__file__).resolve().parents[1])
    try:
        uvicorn.run(
            "app.local.dev_app:create_dev_app",
            factory=True,
            host=args.host,
            port=args.port,
            log_level="info",
            reload=not args.no_reload,
            reload_dirs=[app_dir],
            **NO_PROXY_HEADERS,
        )
    finally:
        STATE_FILE.unlink(missing_ok=True)
        server.stop()
        ai.stop()
    return 0


def _write_state_when_serving(base: str, state: dict[str, str]) -> None:
    """Write .local/state.json once the API answers /health, so a state file means "all up"."""
    import threading

    import httpx

    def wait_and_write() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=2).is_success:
                    STATE_FILE.write_text(json.dumps(state, indent=2))
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)

    threading.Thread(target=wait_and_write, name="state-file", daemon=True).start()


def _reuse_dev_server() -> bool:
    """Point this process at a running `make dev`'s emulators, if one answers; else False."""
    import socket
    from urllib.parse import urlsplit

    if not STATE_FILE.exists():
        return False
    state = json.loads(STATE_FILE.read_text())
    endpoint = urlsplit(state["AWS_ENDPOINT_URL"])
    try:
        socket.create_connection((endpoint.hostname, endpoint.port), timeout=1).close()
    except OSError:
        return False
    from app.local.aws_emulator import apply_environment

    apply_environment({**_local_defaults(), **{k: v for k, v in state.items() if k != "API_URL"}})
    return True


def invoke(args: argparse.Namespace) -> int:
    """Run the Lambda handler once on an event file; print only its response on stdout."""
    from app.local.aws_emulator import start_local_aws

    event = json.loads(Path(args.event).read_text())
    reused = _reuse_dev_server()
    if reused:
        ai = server = None
    else:
        ai, ai_env = _start_ai_emulator(0)
        server, _ = start_local_aws(extra_env={**_local_defaults(), **ai_env})
    try:
        from app.handler import handler
        from app.local.poller import LocalContext

        response = handler(event, LocalContext())
    finally:
        if server is not None and ai is not None:
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


def _mail(args: argparse.Namespace) -> int:
    from app.local.mail_cli import show_mail

    return show_mail(args, STATE_FILE)


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
    serve_parser.add_argument("--no-reload", action="store_true", help="do not reload on edits")
    serve_parser.set_defaults(run=serve)
    invoke_parser = commands.add_parser("invoke", help="run app.handler.handler on an event file")
    invoke_parser.add_argument("event")
    invoke_parser.set_defaults(run=invoke)
    admin_parser = commands.add_parser(
        "make-admin", help="add a dev-server user to the admin group"
    )
    admin_parser.add_argument("email")
    admin_parser.set_defaults(run=make_admin)
    from app.local.events import add_parser as add_generate_event

    add_generate_event(commands)
    mail_parser = commands.add_parser("mail", help="print the dev server's local mailbox")
    mail_parser.add_argument("--json", action="store_true", help="print raw JSON")
    mail_parser.set_defaults(run=_mail)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
