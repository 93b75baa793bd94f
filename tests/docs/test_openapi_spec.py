"""operationIds are unique camelCase, and the committed openapi.json matches the app."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
CAMEL = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]+)*$")


def _exporter() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "export_openapi", ROOT / "scripts/export_openapi.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _operation_ids(spec: dict[str, Any]) -> list[str]:
    return [op["operationId"] for path in spec["paths"].values() for op in path.values()]


def test_operation_ids_are_unique_and_camel_case(client: TestClient) -> None:
    ids = _operation_ids(client.get("/openapi.json").json())
    assert len(ids) > 30
    duplicates = [name for name, count in Counter(ids).items() if count > 1]
    assert not duplicates
    assert [name for name in ids if not CAMEL.match(name)] == []
    assert {"createProject", "listProjects", "getHealth", "registerUser"} <= set(ids)


def test_committed_openapi_matches_the_app() -> None:
    committed = (ROOT / "openapi.json").read_text(encoding="utf-8")
    generated = _exporter().render()
    assert json.loads(committed) == json.loads(generated), "openapi.json is stale: `make openapi`"
    assert committed == generated, "openapi.json formatting differs: run `make openapi`"
