"""The image smoke journey's world: the embedded AWS and AI emulators, and the isolated child.

This process (the dev venv) runs moto, bootstrapped from the app's own specs, the AI emulator,
a Gemini key in Secrets Manager and a UDP sink for X-Ray segments, all on loopback. The child
sees only the task root and the standard library (scripts/image_smoke_journey.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess  # noqa: S404 - runs a child interpreter, no shell
import sys
from pathlib import Path
from typing import Any

JOURNEY = Path(__file__).resolve().with_name("image_smoke_journey.py")


def _xray_sink() -> socket.socket:
    """Bind a loopback UDP socket where the X-Ray SDK sends its segments."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    sink.setblocking(False)
    return sink


def _segments(sink: socket.socket) -> int:
    count = 0
    while True:
        try:
            sink.recv(65536)
        except BlockingIOError:
            return count
        count += 1


def run_journey(task_root: Path, base_env: dict[str, str]) -> dict[str, Any]:
    """Start the emulators, run the journey child on the task root, return its report."""
    from app.local.ai_emulator import AiEmulator
    from app.local.aws_emulator import start_local_aws
    from app.local.preflight import quiet_emulator_logs

    quiet_emulator_logs()
    ai = AiEmulator(port=0)
    ai_url = ai.start()
    # The tables, queue and bucket get the deployed names.
    os.environ["TABLE_PREFIX"] = base_env["TABLE_PREFIX"]
    server, local = start_local_aws()
    sink = _xray_sink()
    try:
        import boto3

        secret_arn = boto3.client(
            "secretsmanager", endpoint_url=local.endpoint_url, region_name=local.region
        ).create_secret(Name="planforge-prod-gemini", SecretString='{"apiKey": "smoke"}')["ARN"]
        env = {
            **base_env,
            **local.environment(),
            "TABLE_PREFIX": base_env["TABLE_PREFIX"],
            "LAMBDA_TASK_ROOT": str(task_root),
            "BEDROCK_ENDPOINT_URL": ai_url,
            "GEMINI_BASE_URL": ai_url,
            "GEMINI_API_KEY_SECRET_ARN": secret_arn,
            "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{sink.getsockname()[1]}",
        }
        result = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "-I", "-S", "-B", str(JOURNEY), str(task_root), ai_url],
            cwd=task_root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"image smoke: the journey failed\n{result.stderr[-6000:]}")
        report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        report["xray_segments"] = _segments(sink)
        return report
    finally:
        sink.close()
        server.stop()
        ai.stop()


def check_journey(report: dict[str, Any]) -> list[str]:
    """Return every problem with the journey's report."""
    problems: list[str] = []
    if report["not_covered"]:
        problems.append(f"no request of these domains in the journey: {report['not_covered']}")
    if report["uncompiled"]:
        problems.append(f"modules loaded without precompiled bytecode: {report['uncompiled']}")
    if not {"langchain_aws", "langchain_core"} <= set(report["loaded"]):
        problems.append(f"the AI jobs did not go through langchain-aws: {report['loaded']}")
    if not report["xray_loaded"]:
        problems.append("the X-Ray tracer was not set up, as it is in Lambda")
    if not report["httpx_loaded"]:
        problems.append("the Gemini fallback did not go through httpx")
    return problems
