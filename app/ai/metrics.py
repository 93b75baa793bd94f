"""AI metrics as CloudWatch EMF (Powertools), one metric per line with its own dimensions."""

from __future__ import annotations

from app.core.observability import METRICS_NAMESPACE, emit_metric

NAMESPACE = METRICS_NAMESPACE


def emit(name: str, value: float = 1, *, unit: str = "Count", **dimensions: str) -> None:
    """Emit one AI metric now (EMF); metrics never break a request or a job."""
    emit_metric(name, value, unit=unit, **dimensions)


def job_requested(kind: str) -> None:
    """Count a job accepted by a route."""
    emit("AiJobsRequested", kind=kind)


def quota_rejected() -> None:
    """Count a job refused by the daily quota."""
    emit("AiQuotaRejected")


def provider_request(engine: str, outcome: str, latency_ms: float) -> None:
    """Count one provider call per engine and outcome, and its latency."""
    emit("AiRequests", engine=engine, outcome=outcome)
    emit("AiLatency", latency_ms, unit="Milliseconds", engine=engine)


def failover(from_engine: str) -> None:
    """Count a fallback away from an engine."""
    emit("AiFailovers", engine=from_engine)


def cache_hit(kind: str) -> None:
    """Count a job answered from the cache."""
    emit("AiCacheHits", kind=kind)


def job_finished(kind: str, status: str, code: str | None, duration_ms: float) -> None:
    """Count a finished job (failures by code) and its duration."""
    # Dimensionless totals: the failure-rate alarm (infra/observability.tf) divides these two.
    emit("AiJobsFinished")
    if status == "failed":
        emit("AiJobsFailed")
        emit("AiJobFailures", kind=kind, code=code or "unknown")
    emit("AiJobDuration", duration_ms, unit="Milliseconds", kind=kind, status=status)
