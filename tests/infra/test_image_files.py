"""The Dockerfile installs the very set the image smoke check imports, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path

from scripts import image_smoke

ROOT = Path(__file__).resolve().parents[2]


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text()
    logical = re.sub(r"\\\n\s*", " ", text)
    lines = [line.strip() for line in logical.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile_uses_lambda_python_311_base_image() -> None:
    froms = [arg for op, arg in _instructions() if op == "FROM"]

    assert froms == ["public.ecr.aws/lambda/python:3.11"]


def test_dockerfile_installs_image_lock_alone_into_task_root_then_copies_app_last() -> None:
    steps = _instructions()
    runs = [arg for op, arg in steps if op == "RUN"]
    install = next(run for run in runs if "pip install" in run)

    assert '--target "${LAMBDA_TASK_ROOT}"' in install
    assert "-r /tmp/image.lock" in install
    # Exactly the listed set: no dependency resolution could bring a left-out package back.
    assert "--no-deps" in install
    assert "--require-hashes" in install
    assert ("COPY", "requirements/image.lock /tmp/image.lock") in steps
    assert not any(
        "dev.lock" in arg or "tools.lock" in arg or "runtime.lock" in arg for _, arg in steps
    )
    copies = [i for i, (op, _) in enumerate(steps) if op == "COPY"]
    app_copy = next(
        i for i, (op, arg) in enumerate(steps) if op == "COPY" and arg.startswith("app/")
    )
    assert app_copy == copies[-1]
    assert any("compileall" in arg for op, arg in steps[app_copy:] if op == "RUN")


def test_dockerfile_cmd_is_the_one_handler() -> None:
    cmds = [arg for op, arg in _instructions() if op == "CMD"]

    assert [json.loads(cmd) for cmd in cmds] == [["app.handler.handler"]]


def test_dockerignore_admits_only_app_and_image_lock() -> None:
    rules = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert rules[0] == "*"
    assert {r for r in rules if r.startswith("!")} == {"!requirements/image.lock", "!app/"}
    # The smoke check leaves out of its task root what the image leaves out.
    assert "app/local/" in rules
    assert "local" in image_smoke.APP_EXCLUDES


def test_image_smoke_installs_the_lock_the_dockerfile_installs() -> None:
    assert image_smoke.LOCK == ROOT / "requirements" / "image.lock"
    assert {"moto", "pytest", "mypy", "ruff", "checkov"} <= set(image_smoke.DEV_ONLY)
