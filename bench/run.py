"""`make bench`: every benchmark beside its floor, a child process per section.

Usage: python bench/run.py [--quick] [--only cold,warm,...] [--output PATH]
A full run (no --only) writes BENCHMARKS.md at the repository root, or to --output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import SectionResult, fmt, format_row, load, spread  # noqa: E402

# (module, title, time limit in seconds) in running order.
SECTIONS = (
    ("cold", "Cold start", 180),
    ("warm", "Warm requests through the Lambda handler", 180),
    ("jwt_verify", "Token verification", 60),
    ("scale", "Lists at scale", 240),
    ("ai_first", "First AI job in a fresh process", 240),
    ("size", "Dependency set", 240),
    ("devserver", "Local dev server", 240),
)

METHOD = """\
## Method
- Every figure is sampled beside its floor, interleaved A B A B ... (at least 10 counted pairs
  after a warm-up pair, except the one-shot size and module counts), in child processes of
  `bench/run.py`. A row shows the median and (min-max) of each series and the median of the
  pairwise ratios A/floor. The machine is shared: quote medians and ratios, not single runs.
- **Cold start**: a fresh interpreter (`bench/cold_child.py`) imports `app.handler` and serves one
  `GET /health` HTTP API v2 event; timed from spawn to the response (interpreter start included,
  teardown not). Floor: the same with a bare FastAPI app (one route), Mangum(lifespan="off") and
  a boto3 DynamoDB `Table` object (`bench/floor_app.py`). The environment is the deployed
  function's (`bench/lambda_env.py`): the variables infra/lambda.tf sets, with ENVIRONMENT=prod and
  values that pass the prod settings checks, plus the Lambda runtime's own (AWS_REGION,
  AWS_LAMBDA_FUNCTION_NAME, credentials...); no AWS_ENDPOINT_URL, no network use.
- **Warm**: the same process serves event after event through `app.handler.handler`, DynamoDB on
  in-process moto (`mock_aws`), a real RS256 token checked against a JWKS fetched once from
  loopback. Floor: the bare app behind stock Mangum, whose `GET /projects/{id}` does the same
  consistent GetItem with no middleware, auth or validation.
- **Token**: `verify_access_token` with a warm JWKS cache; floor: the RSA-SHA256 signature check
  alone (cryptography), the part no verifier can skip.
- **Scale**: one caller owns 10 or 10,000 projects and goals (one table world each, switched
  between samples); `GET /projects?limit=10` and `GET /goals?limit=10`. moto walks the whole
  table for every Query, so the goal is judged on the app's own time (request minus the time
  inside DynamoDB calls, botocore before-call to after-call); end-to-end and moto's bare Query are
  shown beside it. DynamoDB calls per route are counted with the same hooks.
- **Import plus first request**: the same children, timed inside the process from its first
  line to the response (imports, the app build and the request; interpreter start excluded).
- **Modules at cold start**: `sys.modules` of each cold child after import and the first
  `GET /health`, with the deployed settings; any langchain*, numpy or httpx module counts.
- **Size**: `pip install --no-deps --no-compile --target` of requirements/image.lock (what the
  Dockerfile installs) into a scratch dir, disk usage like `du -sm`, per distribution from its
  RECORD; runtime.lock, which image.lock prunes (scripts/image_lock.py), beside it.
- **First AI job**: a fresh child imports the app (untimed, as a started function), then its
  first generation through `BedrockProvider` (langchain imported and ChatBedrockConverse built
  on that call) against the AI emulator on loopback, timed to the answer. Floor: the same
  Converse call through a bare boto3 client in the same state.
- **Dev server**: `make dev` on free loopback ports, timed from spawn to the first `/health` 200.
  Throughput: 16 keep-alive clients share a fixed number of `GET /auth/me` requests. Floor
  (`bench/floor_dev.py`): the same moto bootstrap and uvicorn settings, a bare FastAPI route making
  the same Cognito GetUser call and nothing else.
"""


def _run_section(module: str, quick: bool, limit: int, scratch: Path) -> SectionResult:
    out = scratch / f"{module}.json"
    command = [sys.executable, "-m", f"bench.{module}", str(out)] + (["--quick"] if quick else [])
    timed_out = False
    try:
        failed = subprocess.run(command, cwd=ROOT, timeout=limit, check=False).returncode != 0
    except subprocess.TimeoutExpired:
        failed = timed_out = True
    reason = f"timed out after {limit} s" if timed_out else "failed; see its output above"
    if out.exists():
        result = load(out)
        if failed and not result.error:
            result.error = f"the section {reason}"
        return result
    return SectionResult(section=module, error=f"the section {reason} before reporting")


def _nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(os.cpu_count())


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def _verdict(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[met]


def render(results: list[tuple[str, SectionResult]], seconds: float) -> str:
    """Return BENCHMARKS.md."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); every figure is printed, none is asserted.",
        "",
        f"- Date: {now}; commit {_commit()} (plus the working tree at the time of the run)",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, nproc {_nproc()}",
        f"- Run time: {seconds:.0f} s",
        "",
        "| Benchmark | Unit | Median (min-max) | Floor | Floor median (min-max) "
        "| Ratio | Goal | Met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for title, result in results:
        lines.append(f"| **{title}** | | | | | | | |")
        for row in result.rows:
            floor = spread(row.floor) if row.floor is not None else "-"
            lines.append(
                f"| {row.name} | {row.unit} | {spread(row.values)} | {row.floor_name or '-'} "
                f"| {floor} | {fmt(row.ratio)} | {row.goal or '-'} | {_verdict(row.met)} |"
            )
        if result.error:
            lines.append(f"| {title}: not measured | | {result.error} | | | | | |")
    goals = [(title, row) for title, result in results for row in result.rows if row.goal]
    lines += ["", "## Goals", ""]
    for title, row in goals:
        subject = "ratio" if row.floor is not None and row.goal_on == "ratio" else "median"
        value = row.ratio if subject == "ratio" else statistics.median(row.values)
        verdict = "met" if row.met else "**not met**"
        lines.append(f"- {title}, {row.name}: {subject} {fmt(value)}, goal {row.goal}: {verdict}")
    lines += ["", "## Details", ""]
    for title, result in results:
        lines.append(f"### {title}")
        lines += [f"- {line.strip()}" if not line.startswith("  ") else f"  - {line.strip()}"
                  for line in result.details] or ["- (none)"]  # fmt: skip
        if result.error:
            lines.append(f"- Not measured: {result.error}")
        lines.append("")
    return "\n".join(lines) + "\n" + METHOD


def main() -> int:
    """Run the sections, print the table, write BENCHMARKS.md."""
    parser = argparse.ArgumentParser(prog="bench/run.py")
    parser.add_argument("--quick", action="store_true", help="fewer pairs: a smoke run")
    parser.add_argument("--only", default="", help="comma-separated section modules")
    parser.add_argument("--output", default=None, help="where to write the report")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    started = time.monotonic()
    results: list[tuple[str, SectionResult]] = []
    with tempfile.TemporaryDirectory(prefix="planforge-bench-") as scratch:
        for module, title, limit in SECTIONS:
            if only and module not in only:
                continue
            print(f"\n== {title} ==", flush=True)
            results.append((title, _run_section(module, args.quick, limit, Path(scratch))))
    seconds = time.monotonic() - started
    print("\n== Summary ==")
    for title, result in results:
        print(title)
        for row in result.rows:
            print(f"  {format_row(row)}")
        if result.error:
            print(f"  NOT MEASURED: {result.error}")
    output = args.output or (None if only else str(ROOT / "BENCHMARKS.md"))
    if output:
        Path(output).write_text(render(results, seconds))
        print(f"\nwrote {output} ({seconds:.0f} s)")
    return 1 if any(result.error for _, result in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
