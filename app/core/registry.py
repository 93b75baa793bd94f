"""What a domain plugs into the app, declared once in the domain's own `domain.py`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from app.core.tables import TableSpec


@dataclass(frozen=True)
class Domain:
    """A domain's routers, queued work and tables; `app/domains.py` lists every domain.

    Routers and AI kinds are "module:attribute" references, so declaring a domain imports
    nothing heavy. The worker imports `job_modules` (importing them registers the domain's job
    handlers with `app.core.jobs.register`) and registers every `ai_kinds` entry (an
    `app.ai.service.AiKind`), so that it can run every job the API can queue.
    """

    name: str
    public_routers: tuple[str, ...] = ()
    private_routers: tuple[str, ...] = ()
    admin_routers: tuple[str, ...] = ()
    job_modules: tuple[str, ...] = ()
    ai_kinds: tuple[str, ...] = ()
    tables: tuple[TableSpec, ...] = ()


def resolve(reference: str) -> Any:
    """Import "package.module:attribute" and return the attribute."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)
