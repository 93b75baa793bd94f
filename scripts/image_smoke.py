"""Build the function's task root as the Dockerfile does and serve GET /health from it in isolation.

Run: .venv/bin/python scripts/image_smoke.py   (part of `make infra-check`)

The runtime set is `pip install --target` of requirements/runtime.lock, cached under
.cache/ by the lock's hash. A throwaway task root (hard links to that set, plus a copy of
app/ without what .dockerignore leaves out) is imported by `python -I -S` with only the task
root and the standard library on sys.path, like Lambda's bootstrap.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess  # noqa: S404 - runs pip and a child interpreter, no shell
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "runtime.lock"
# An API Gateway HTTP API (payload 2.0) request, shared with the CI image job.
HEALTH_EVENT = ROOT / "tests" / "infra" / "health_event.json"
CACHE = ROOT / ".cache"
# What .dockerignore keeps out of the image (checked by tests/infra/test_image_files.py).
APP_EXCLUDES = ("local", "__pycache__", "*.pyc")
# Development tools that must never reach the function.
DEV_ONLY = (
    "moto",
    "pytest",
    "_pytest",
    "mypy",
    "ruff",
    "uvicorn",
    "schemathesis",
    "hypothesis",
    "hcl2",
    "bandit",
    "checkov",
    "mypy_boto3_s3",
    "flask",
    "werkzeug",
)
# Present in the Lambda base image already; reported separately.
BASE_IMAGE_PACKAGES = ("boto3", "botocore")

SMOKE_ENV = {
    "ENVIRONMENT": "prod",
    "APP_VERSION": "smoke",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "smoke-not-a-key",
    "AWS_SECRET_ACCESS_KEY": "smoke-not-a-secret",  # noqa: S105 - fake, nothing is called
    "TABLE_PREFIX": "planforge-prod",
    "JOBS_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/planforge-prod-jobs",
    "ASSETS_BUCKET": "planforge-prod-assets-123456789012",
    "COGNITO_USER_POOL_ID": "us-east-1_Smoke1234",
    "COGNITO_CLIENT_ID": "smokeclient",
    "CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:planforge-prod/cursor",
    "CORS_ORIGINS": "https://app.example.com",
}

CHILD = r"""
import importlib.util, json, sys, time
root = sys.argv[1]
sys.path.insert(0, root)
leaks = [p for p in sys.path if "site-packages" in p or "dist-packages" in p]
present = [m for m in sys.argv[2].split(",") if importlib.util.find_spec(m) is not None]
started = time.perf_counter()
import app.handler
import_ms = (time.perf_counter() - started) * 1000

class Context:
    function_name = "planforge-prod-api"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:planforge-prod-api"
    memory_limit_in_mb = 1024
    aws_request_id = "smoke-request"
    log_group_name = "/aws/lambda/planforge-prod-api"
    log_stream_name = "smoke"
    def get_remaining_time_in_millis(self):
        return 60000

event = json.loads(sys.argv[3])
response = app.handler.handler(event, Context())
import boto3
print(json.dumps({
    "response": response,
    "leaks": leaks,
    "dev_tools_present": present,
    "boto3_file": boto3.__file__,
    "import_ms": round(import_ms),
}))
"""


def _lock_digest() -> str:
    tag = f"{sys.implementation.cache_tag}-{sys.platform}"
    return hashlib.sha256(LOCK.read_bytes() + tag.encode()).hexdigest()[:16]


def build_runtime_set() -> Path:
    """Return the cached `pip install --target` of the runtime lock, installing it if needed."""
    target = CACHE / f"runtime-{_lock_digest()}"
    if (target / ".complete").exists():
        return target
    CACHE.mkdir(exist_ok=True)
    # Keeps the cache out of git without touching the repository's .gitignore.
    (CACHE / ".gitignore").write_text("*\n")
    for stale in CACHE.glob("runtime-*"):
        shutil.rmtree(stale, ignore_errors=True)
    partial = Path(f"{target}.partial")
    # The same flags as the Dockerfile's RUN pip install.
    subprocess.run(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            # Twice: errors only (this machine's pip config warns about absent local indexes).
            "--quiet",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(partial),
            "-r",
            str(LOCK),
        ],
        check=True,
    )
    (partial / ".complete").touch()
    partial.rename(target)
    return target


def stage_task_root(runtime: Path, dest: Path) -> Path:
    """Lay out a task root in dest: hard links to the runtime set, then a copy of app/."""
    root = dest / "task"
    shutil.copytree(runtime, root, copy_function=os.link)
    (root / ".complete").unlink()
    shutil.copytree(ROOT / "app", root / "app", ignore=shutil.ignore_patterns(*APP_EXCLUDES))
    return root


def disk_usage_kib(paths: list[Path]) -> int:
    """Return the disk usage of the paths in KiB, like `du -sk`, counting each inode once."""
    seen: set[tuple[int, int]] = set()
    blocks = 0
    for top in paths:
        for dirpath, _dirs, files in os.walk(top):
            for name in [".", *files]:
                info = os.lstat(os.path.join(dirpath, name))
                if (info.st_dev, info.st_ino) not in seen:
                    seen.add((info.st_dev, info.st_ino))
                    blocks += info.st_blocks
    return blocks * 512 // 1024


def base_image_paths(runtime: Path) -> list[Path]:
    """Return the runtime set's boto3/botocore packages and their dist-info folders."""
    return [
        p
        for p in runtime.iterdir()
        if p.name.split("-", 1)[0].lower() in BASE_IMAGE_PACKAGES
        or p.name.lower() in BASE_IMAGE_PACKAGES
    ]


def serve_health(task_root: Path) -> dict[str, object]:
    """Import app.handler from the task root alone and return what the child reported."""
    env = {**SMOKE_ENV, "LAMBDA_TASK_ROOT": str(task_root), "HOME": str(task_root.parent)}
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            CHILD,
            str(task_root),
            ",".join(DEV_ONLY),
            HEALTH_EVENT.read_text(),
        ],
        cwd=task_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"image smoke: the handler failed\n{result.stderr}")
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def check(report: dict[str, object], task_root: Path) -> list[str]:
    """Return every problem with the child's report."""
    problems: list[str] = []
    if report["leaks"]:
        problems.append(f"site-packages leaked onto sys.path: {report['leaks']}")
    if report["dev_tools_present"]:
        problems.append(f"dev tools in the runtime set: {report['dev_tools_present']}")
    if not str(report["boto3_file"]).startswith(str(task_root)):
        problems.append(f"boto3 came from outside the task root: {report['boto3_file']}")
    response = report["response"]
    if not isinstance(response, dict) or response.get("statusCode") != 200:
        problems.append(f"GET /health did not answer 200: {response}")
    else:
        body = json.loads(str(response.get("body", "")))
        if body != {"status": "ok", "version": SMOKE_ENV["APP_VERSION"]}:
            problems.append(f"unexpected /health body: {body}")
    return problems


def main() -> int:
    """Build, stage, serve /health and print the sizes; exit 1 on any problem."""
    started = time.perf_counter()
    runtime = build_runtime_set()
    built = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="image-smoke-") as tmp:
        task_root = stage_task_root(runtime, Path(tmp))
        report = serve_health(task_root)
        problems = check(report, task_root)
    total = disk_usage_kib([runtime])
    base = disk_usage_kib(base_image_paths(runtime))
    print(
        f"image smoke: runtime set {total / 1024:.1f} MiB, "
        f"{(total - base) / 1024:.1f} MiB without boto3/botocore (in the base image); "
        f"cold import of app.handler {report['import_ms']} ms; "
        f"set ready in {built - started:.1f} s, total {time.perf_counter() - started:.1f} s"
    )
    for problem in problems:
        print(f"image smoke: FAIL {problem}", file=sys.stderr)
    if not problems:
        print("image smoke: GET /health -> 200 from the task root alone; no dev tools present")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
