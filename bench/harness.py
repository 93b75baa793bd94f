"""Interleaved A/B sampling, the summary of a pair of series, and the section result file."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Sample = Callable[[], float]


def interleave(
    a: Sample, b: Sample, *, pairs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run a and b alternately (A B A B ...) and return both series; warm-up pairs are dropped."""
    for _ in range(warmup):
        a()
        b()
    first: list[float] = []
    second: list[float] = []
    for _ in range(pairs):
        first.append(a())
        second.append(b())
    return first, second


def per_call(fn: Callable[[], Any], calls: int, clock: Callable[[], float]) -> float:
    """Return the mean time of one call, in the clock's unit, over a batch of calls."""
    started = clock()
    for _ in range(calls):
        fn()
    return (clock() - started) / calls


@dataclass
class Row:
    """One benchmark figure: a series, optionally its floor, and the goal on their ratio."""

    section: str
    name: str
    unit: str
    values: list[float]
    floor: list[float] | None = None
    floor_name: str = ""
    goal: str = ""
    goal_max: float | None = None
    goal_min: float | None = None
    note: str = ""
    ratios: list[float] = field(default_factory=list)
    # "ratio": the goal bounds the median ratio to the floor; "value": the median itself.
    goal_on: str = "ratio"

    def __post_init__(self) -> None:
        if self.floor is not None and not self.ratios:
            self.ratios = [a / b for a, b in zip(self.values, self.floor, strict=True) if b]

    @property
    def ratio(self) -> float | None:
        """Return the median of the pairwise ratios A/floor."""
        return statistics.median(self.ratios) if self.ratios else None

    @property
    def met(self) -> bool | None:
        """Return whether the goal is met, or None when there is no goal."""
        use_ratio = self.floor is not None and self.goal_on == "ratio"
        subject = self.ratio if use_ratio else statistics.median(self.values)
        if subject is None or (self.goal_max is None and self.goal_min is None):
            return None
        if self.goal_max is not None and subject > self.goal_max:
            return False
        return not (self.goal_min is not None and subject < self.goal_min)


@dataclass
class SectionResult:
    """Everything a section reports: rows for the table and lines of detail."""

    section: str
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    error: str = ""

    def add(self, row: Row) -> Row:
        """Add a row and print it at once, so a long run shows progress."""
        self.rows.append(row)
        print(f"  {format_row(row)}", flush=True)
        return row

    def detail(self, line: str) -> None:
        """Add a line of detail and print it."""
        self.details.append(line)
        print(f"  {line}", flush=True)

    def write(self, path: Path) -> None:
        """Write the result as JSON."""
        path.write_text(json.dumps({**asdict(self), "rows": [asdict(r) for r in self.rows]}))


def load(path: Path) -> SectionResult:
    """Read a section result written by write()."""
    data = json.loads(path.read_text())
    rows = [Row(**row) for row in data.pop("rows")]
    return SectionResult(rows=rows, **data)


def fmt(value: float | None, unit: str = "") -> str:
    """Format a figure with three significant digits."""
    if value is None:
        return "-"
    text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def spread(values: list[float] | None) -> str:
    """Return 'median (min-max)' of a series."""
    if not values:
        return "-"
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def format_row(row: Row) -> str:
    """Format a row for the console."""
    parts = [f"{row.name} [{row.unit}]: {spread(row.values)}"]
    if row.floor is not None:
        parts.append(f"floor {spread(row.floor)}, ratio {fmt(row.ratio)}")
    if row.goal:
        verdict = {True: "met", False: "NOT met", None: ""}[row.met]
        parts.append(f"goal {row.goal} {verdict}".strip())
    return "; ".join(parts)


def section_main(section: str, body: Callable[[SectionResult, bool], None]) -> None:
    """Run a section from the command line: `python -m bench.X OUT.json [--quick]`."""
    out = Path(sys.argv[1])
    quick = "--quick" in sys.argv[2:]
    result = SectionResult(section=section)
    try:
        body(result, quick)
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        result.write(out)
        raise
    result.write(out)
