"""Count and time every DynamoDB call through botocore's before-call / after-call events."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One DynamoDB API call as the client made it."""

    operation: str
    table: str
    index: str | None
    limit: int | None
    seconds: float = 0.0
    count: int | None = None
    scanned: int | None = None


@dataclass
class Recorder:
    """Every DynamoDB call made since the last reset()."""

    calls: list[Call] = field(default_factory=list)

    def reset(self) -> list[Call]:
        """Return the calls so far and start again."""
        calls, self.calls = self.calls, []
        return calls

    def before(self, model: Any, params: Any, context: Any, **_: Any) -> None:
        """Record the operation, table, index and Limit of a request."""
        body = params.get("body") or b"{}"
        request = json.loads(body) if isinstance(body, bytes | str) else {}
        call = Call(
            operation=model.name,
            table=str(request.get("TableName", "")),
            index=request.get("IndexName"),
            limit=request.get("Limit"),
        )
        context["bench_call"] = (call, time.perf_counter())

    def after(self, parsed: Any, context: Any, **_: Any) -> None:
        """Record how long the service took and how many items it read."""
        pending = context.pop("bench_call", None)
        if pending is None:
            return
        call, started = pending
        call.seconds = time.perf_counter() - started
        if isinstance(parsed, dict):
            call.count = parsed.get("Count")
            call.scanned = parsed.get("ScannedCount")
        self.calls.append(call)

    def dynamo_seconds(self) -> float:
        """Return the time spent inside DynamoDB calls since the last reset()."""
        return sum(call.seconds for call in self.calls)


def install() -> Recorder:
    """Hook every botocore session created from now on (as moto hooks its own stub)."""
    from botocore.handlers import BUILTIN_HANDLERS

    recorder = Recorder()
    BUILTIN_HANDLERS.append(("before-call.dynamodb", recorder.before))
    BUILTIN_HANDLERS.append(("after-call.dynamodb", recorder.after))
    return recorder


def _logical(table: str) -> str:
    from app.domains import all_tables

    names = sorted((spec.name for spec in all_tables()), key=len, reverse=True)
    return next((name for name in names if table.endswith(f"-{name}")), table)


def describe(calls: list[Call]) -> str:
    """Summarise calls as 'Query(byOwner, Limit 10) read 10'."""
    if not calls:
        return "no DynamoDB call"
    parts = []
    for call in calls:
        where = ", ".join(
            p for p in (call.index, f"Limit {call.limit}" if call.limit else None) if p
        )
        read = (
            f" read {call.scanned if call.scanned is not None else call.count}"
            if (call.count is not None or call.scanned is not None)
            else ""
        )
        table = _logical(call.table)
        parts.append(f"{call.operation} {table}({where}){read}")
    return "; ".join(parts)
