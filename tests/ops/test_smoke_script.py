"""scripts/smoke.py passes against a real local dev server and fails when a check breaks."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_scripts_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


smoke = _load("smoke")


@pytest.fixture(scope="module")
def dev_server() -> Iterator[str]:
    """A `python -m app.local serve` on free loopback ports, as `make dev` runs it."""
    with _load("load_test")._dev_server(startup_timeout=90) as base_url:
        yield base_url


def _run(argv: list[str], lines: list[str]) -> int:
    return int(smoke.run(smoke.parse_args(argv), lines.append))


def test_smoke_passes_against_the_dev_server(dev_server: str) -> None:
    lines: list[str] = []
    argv = ["--base-url", dev_server, "--register", "--email", "smoke@example.com"]
    code = _run([*argv, "--password", "Smoke-Passw0rd!"], lines)
    assert code == 0, lines
    assert lines[-1].startswith("smoke: all checks passed")
    assert any(line.startswith("ok   AI job left queued") for line in lines), lines


def test_smoke_fails_on_bad_credentials(dev_server: str) -> None:
    lines: list[str] = []
    argv = ["--base-url", dev_server, "--email", "nobody@example.com", "--password", "Wr0ng-pass!"]
    assert _run(argv, lines) == 1
    assert lines[-1].startswith("FAIL SmokeError: login: 4"), lines
