"""The runtime dependency set of the image: `pip install --target` of requirements/runtime.lock.

Sizes are the installed files (bytecode included, as pip writes it), per distribution from its
RECORD. The floor is the subset the bare stack needs: FastAPI, Mangum and boto3 with their
dependencies, measured in the same install.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Row, SectionResult, section_main

LOCK = Path(__file__).resolve().parent.parent / "requirements" / "runtime.lock"
AWS_SDK = {"boto3", "botocore"}
FLOOR = {
    "fastapi", "starlette", "pydantic", "pydantic_core", "annotated_types", "annotated_doc",
    "typing_extensions", "typing_inspection", "anyio", "idna", "sniffio", "mangum",
    "boto3", "botocore", "s3transfer", "jmespath", "python_dateutil", "six", "urllib3",
}  # fmt: skip
# Why the large ones are in the set, for the report.
WHY = {
    "numpy": "required by langchain-aws's metadata (its embeddings)",
    "zstandard": "langsmith's (langchain-core's) compression; imported with langchain-core",
    "botocore": "every AWS call; service models ship gzip-compressed",
    "cryptography": "RS256 verification of Cognito tokens (python-jose backend)",
    "langsmith": "a hard dependency of langchain-core; tracing stays off",
    "aws_lambda_powertools": "logging, metrics, SQS batch processing and idempotency",
    "pydantic_core": "pydantic's compiled validators",
    "langchain_core": "Bedrock Converse through langchain-aws (AI jobs only)",
}


def _distribution_sizes(target: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for record in target.glob("*.dist-info/RECORD"):
        name = record.parent.name.split("-")[0].lower().replace("-", "_")
        total = 0
        with record.open() as handle:
            for row in csv.reader(handle):
                path = target / row[0]
                if row and path.is_file():
                    total += path.stat().st_size
        sizes[name] = total
    return sizes


def _tree_size(target: Path) -> int:
    return sum(
        (Path(root) / name).stat().st_size for root, _, names in os.walk(target) for name in names
    )


def _loaded_by_bedrock_path() -> set[str]:
    code = (
        "import sys; from langchain_aws import ChatBedrockConverse; import app.handler, jose.jwt; "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    names = set(done.stdout.split())
    # Import names differ from distribution names for a few.
    aliases = {"yaml": "pyyaml", "_cffi_backend": "cffi", "dateutil": "python_dateutil"}
    return names | {aliases[n] for n in names if n in aliases}


def run(result: SectionResult, quick: bool) -> None:  # noqa: ARG001 - one install either way
    """Install the lock into a scratch directory and report sizes."""
    with tempfile.TemporaryDirectory(prefix="planforge-size-") as scratch:
        target = Path(scratch) / "task"
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
             "--disable-pip-version-check", "--target", str(target), "-r", str(LOCK)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"pip install failed: {done.stderr[-1500:]}")
        sizes = _distribution_sizes(target)
        total = _tree_size(target)
    mb = 1e6
    without_sdk = total - sum(sizes.get(name, 0) for name in AWS_SDK)
    floor = sum(size for name, size in sizes.items() if name in FLOOR)
    result.add(
        Row(
            section="size",
            name=f"runtime dependency set ({len(sizes)} distributions)",
            unit="MB",
            values=[total / mb],
            floor=[floor / mb],
            floor_name="FastAPI + Mangum + boto3 and their dependencies",
        )
    )
    result.add(
        Row(
            section="size",
            name="runtime dependency set without boto3/botocore",
            unit="MB",
            values=[without_sdk / mb],
            floor=[(floor - sum(sizes.get(n, 0) for n in AWS_SDK)) / mb],
            floor_name="floor without boto3/botocore",
        )
    )
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:10]
    result.detail("largest ten distributions (MB, share of the set):")
    for name, size in largest:
        why = f" - {WHY[name]}" if name in WHY else ""
        result.detail(f"  {name} {size / mb:.1f} MB ({size / total:.0%}){why}")
    loaded = _loaded_by_bedrock_path()
    result.detail(
        "of those, the app with its token verifier and Bedrock path (ChatBedrockConverse) loads: "
        + (", ".join(name for name, _ in largest if name in loaded) or "none")
        + "; never loaded: "
        + (", ".join(name for name, _ in largest if name not in loaded) or "none")
    )
    top, top_size = largest[0]
    if top_size > 0.25 * total:
        result.detail(
            f"{top} dominates ({top_size / total:.0%} of the set): {WHY.get(top, 'see above')}"
        )


if __name__ == "__main__":
    section_main("size", run)
