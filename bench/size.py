"""The runtime dependency set of the image: `pip install --no-deps --no-compile --target` of the
lock the Dockerfile installs (requirements/image.lock), sized like `du -sm`.

The floor is the subset the bare stack needs: FastAPI, Mangum and boto3 with their dependencies,
measured in the same install. runtime.lock, which image.lock prunes, is installed beside it to
show what the pruning saves.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Row, SectionResult, section_main

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.image_lock import IMAGE_LOCK, LEFT_OUT, RUNTIME_LOCK  # noqa: E402

AWS_SDK = {"boto3", "botocore"}
FLOOR = {
    "fastapi", "starlette", "pydantic", "pydantic_core", "annotated_types", "annotated_doc",
    "typing_extensions", "typing_inspection", "anyio", "idna", "sniffio", "mangum",
    "boto3", "botocore", "s3transfer", "jmespath", "python_dateutil", "six", "urllib3",
}  # fmt: skip
GOAL_MB = 110
MIB = 1024 * 1024
# Why the large ones are in the set, for the report.
WHY = {
    "numpy": "required by langchain-aws's metadata (its embeddings); left out of the image",
    "zstandard": "langsmith's optional trace compression; left out of the image",
    "botocore": "every AWS call; service models ship gzip-compressed",
    "cryptography": "RS256 verification of Cognito tokens (python-jose backend)",
    "langsmith": "a hard dependency of langchain-core; tracing stays off",
    "aws_lambda_powertools": "logging, metrics, SQS batch processing and idempotency",
    "pydantic_core": "pydantic's compiled validators",
    "langchain_core": "Bedrock Converse through langchain-aws (AI jobs only)",
}


def _disk_usage(paths: list[Path]) -> int:
    """Return the bytes of disk the files use, like du (blocks), each inode once."""
    seen: set[tuple[int, int]] = set()
    blocks = 0
    for path in paths:
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            blocks += info.st_blocks
    return blocks * 512


def _tree(target: Path) -> list[Path]:
    return [Path(root) / name for root, dirs, files in os.walk(target) for name in [*dirs, *files]]


def _distribution_usage(target: Path) -> dict[str, int]:
    """Return each distribution's disk usage, from the files its RECORD lists."""
    sizes: dict[str, int] = {}
    for record in target.glob("*.dist-info/RECORD"):
        name = record.parent.name.split("-")[0].lower().replace("-", "_")
        with record.open() as handle:
            files = [target / row[0] for row in csv.reader(handle) if row]
        sizes[name] = _disk_usage([path for path in files if path.is_file()])
    return sizes


def _install(lock: Path, target: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
         "--require-hashes", "--disable-pip-version-check", "--target", str(target),
         "-r", str(lock)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"pip install -r {lock.name} failed: {done.stderr[-1500:]}")


def run(result: SectionResult, quick: bool) -> None:  # noqa: ARG001 - one install either way
    """Install the image lock (and runtime.lock beside it) into scratch dirs and report sizes."""
    with tempfile.TemporaryDirectory(prefix="planforge-size-") as scratch:
        image, runtime = Path(scratch) / "image", Path(scratch) / "runtime"
        _install(IMAGE_LOCK, image)
        _install(RUNTIME_LOCK, runtime)
        sizes = _distribution_usage(image)
        total = _disk_usage(_tree(image))
        full_sizes = _distribution_usage(runtime)
        full = _disk_usage(_tree(runtime))
    floor = sum(size for name, size in sizes.items() if name in FLOOR)
    sdk = sum(sizes.get(name, 0) for name in AWS_SDK)
    result.add(
        Row(
            section="size",
            name=f"runtime dependency set: image.lock ({len(sizes)} distributions), du",
            unit="MiB",
            values=[total / MIB],
            floor=[floor / MIB],
            floor_name="FastAPI + Mangum + boto3 and their dependencies",
            goal=f"<= {GOAL_MB} MiB (du -sm)",
            goal_max=GOAL_MB,
            goal_on="value",
        )
    )
    result.add(
        Row(
            section="size",
            name="runtime dependency set without boto3/botocore",
            unit="MiB",
            values=[(total - sdk) / MIB],
            floor=[(floor - sdk) / MIB],
            floor_name="floor without boto3/botocore",
        )
    )
    result.add(
        Row(
            section="size",
            name=f"runtime.lock before pruning ({len(full_sizes)} distributions), du",
            unit="MiB",
            values=[full / MIB],
            floor=[total / MIB],
            floor_name="image.lock",
        )
    )
    pruned = ", ".join(
        f"{name} {full_sizes.get(name.replace('-', '_'), 0) / MIB:.1f} MiB" for name in LEFT_OUT
    )
    result.detail(f"left out of the image (scripts/image_lock.py says why): {pruned}")
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:10]
    result.detail("largest ten distributions of the image set (MiB, share of the set):")
    for name, size in largest:
        why = f" - {WHY[name]}" if name in WHY else ""
        result.detail(f"  {name} {size / MIB:.1f} MiB ({size / total:.0%}){why}")
    result.detail(
        "everything the code imports is present: scripts/image_smoke.py runs every domain, the "
        "chat and structured AI paths and the Gemini fallback on exactly this set"
    )


if __name__ == "__main__":
    section_main("size", run)
