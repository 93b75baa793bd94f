"""The registry of domains: adding a domain is one line here plus its own `domain.py`.

`main.py` mounts the routers, the worker imports the job modules, and the local emulator, the
offline Terraform plan and the Terraform consistency test create or check the tables, all from
this list.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from fastapi import APIRouter

from app.core.registry import Domain, resolve
from app.core.tables import CORE_TABLES, TableSpec

DOMAIN_MODULES: tuple[str, ...] = (
    "app.auth.domain",
    "app.projects.domain",
    "app.requirements.domain",
    "app.goals.domain",
    "app.waitlist.domain",
    "app.assets.domain",
    "app.ai.domain",
    "app.templates.domain",
    "app.risks.domain",
    "app.sessions.domain",
)


@lru_cache(maxsize=1)
def domains() -> tuple[Domain, ...]:
    """Return every registered domain's declaration."""
    return tuple(importlib.import_module(name).DOMAIN for name in DOMAIN_MODULES)


def routers(kind: str) -> list[APIRouter]:
    """Return every domain's routers of a kind: "public", "private" or "admin"."""
    return [resolve(ref) for domain in domains() for ref in getattr(domain, f"{kind}_routers")]


def job_modules() -> tuple[str, ...]:
    """Return the modules whose import registers every job handler and AI kind."""
    return tuple(module for domain in domains() for module in domain.job_modules)


def ai_kinds() -> tuple[str, ...]:
    """Return every domain's AI kind references ("module:attribute")."""
    return tuple(kind for domain in domains() for kind in domain.ai_kinds)


def all_tables() -> tuple[TableSpec, ...]:
    """Return the core tables and every domain's, each once."""
    return (*CORE_TABLES, *(spec for domain in domains() for spec in domain.tables))
