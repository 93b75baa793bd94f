"""The domain registry is the one list main.py, the worker and the infra checks read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.domains import DOMAIN_MODULES, all_tables, domains, routers
from app.main import create_app

APP = Path(__file__).resolve().parents[2] / "app"

_REGISTERED = """
import json, sys
from app.ai import kinds
from app.core import jobs
{load}
subscribers = {{
    event: sorted(f"{{h.__module__}}.{{h.__qualname__}}" for h in jobs.subscribers(event))
    for event in sorted(jobs._subscribers)
}}
print(json.dumps({{
    "jobs": sorted(jobs._registry), "kinds": sorted(kinds._kinds), "subscribers": subscribers
}}))
"""
_WORKER_PATH = "from app.worker import load_job_handlers; load_job_handlers()"
# Every module of app/ imported, and every AiKind any module defines registered.
_EVERYTHING = """
import importlib, pkgutil, app
from app.ai.kinds import AiKind
for info in pkgutil.walk_packages(app.__path__, "app."):
    if not info.name.startswith(("app.local", "app.handler")):
        module = importlib.import_module(info.name)
        for value in list(vars(module).values()):
            if isinstance(value, AiKind):
                kinds.register(value)
"""


def _registered(load: str) -> dict[str, Any]:
    code = _REGISTERED.format(load=load)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_every_job_type_and_ai_kind_is_reachable_from_the_worker() -> None:
    # Given what the Lambda worker path registers, and what importing all of app/ registers
    worker, everything = _registered(_WORKER_PATH), _registered(_EVERYTHING)
    # Then the worker path knows every job type, event subscriber and AI kind that exists
    assert worker == everything
    assert "ai.job" in worker["jobs"]
    assert {"text", "code", "phase_plan", "goal_plan"} <= set(worker["kinds"])


def test_every_domain_package_is_registered() -> None:
    packages = {path.parent.name for path in APP.glob("*/router.py")}
    registered = {name.split(".")[1] for name in DOMAIN_MODULES}
    assert packages == registered
    assert {domain.name for domain in domains()} == registered


def test_tables_are_declared_once() -> None:
    names = [spec.name for spec in all_tables()]
    assert len(names) == len(set(names))


def test_every_registered_router_is_mounted() -> None:
    paths = set(create_app().openapi()["paths"])
    for kind in ("public", "private", "admin"):
        for router in routers(kind):
            for route in router.routes:
                assert getattr(route, "path", "") in paths, (kind, route)
