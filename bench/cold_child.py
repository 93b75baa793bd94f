"""One cold start: import the handler (app or floor), serve one GET /health, report timings.

Run by bench/cold.py in a fresh interpreter as `python bench/cold_child.py app|floor`;
with BENCH_PATH and BENCH_AUTHORIZATION set it serves that authenticated GET instead.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.append(str(Path(__file__).resolve().parent.parent))  # for bench.*; app comes first

from bench.lambda_env import LambdaContext, http_v2_event  # noqa: E402


def main() -> None:
    """Import, serve one request, print one JSON line."""
    which = sys.argv[1]
    # A read (bench/cold.py sets these) is an authenticated GET of one seeded project.
    path = os.environ.get("BENCH_PATH", "/health")
    headers = {"authorization": os.environ["BENCH_AUTHORIZATION"]} if path != "/health" else {}
    imported_at = time.monotonic()
    if which == "app":
        from app.handler import handler
    else:
        from bench.floor_app import build

        handler = build(with_read=path != "/health")
    ready = time.monotonic()
    response = handler(http_v2_event("GET", path, headers=headers), LambdaContext())
    done = time.monotonic()
    heavy = sorted(
        name
        for name in sys.modules
        if name.split(".")[0] in ("numpy", "httpx") or name.startswith("langchain")
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "done": done,
                "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
                "boto3": "boto3" in sys.modules,
                "import_ms": (ready - imported_at) * 1000,
                "request_ms": (done - ready) * 1000,
                "in_process_ms": (done - STARTED) * 1000,
                "status": response["statusCode"],
                "modules": len(sys.modules),
                "heavy": heavy,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
