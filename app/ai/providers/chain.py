"""Try providers in order: fall back only on throttling, unavailability, timeouts and 5xx."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from app.ai import metrics
from app.ai.providers.base import (
    AllProvidersUnavailable,
    Generation,
    GenerationRequest,
    Provider,
    ProviderError,
)
from app.core.observability import logger

# A provider is not started with less than this left: it could not answer in time anyway.
MIN_ATTEMPT_SECONDS = 2.0


class Deadline:
    """A point in monotonic time that a job's provider calls must finish by."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        """Return the seconds left, never negative."""
        return max(0.0, self._end - self._clock())


class ProviderChain:
    """Ordered providers with the fallback rules of the AI contract."""

    def __init__(self, providers: Sequence[Provider]) -> None:
        if not providers:
            raise ValueError("a chain needs at least one provider")
        self.providers = list(providers)

    def generate(
        self, request: GenerationRequest, *, deadline: Deadline, job_id: str = "-"
    ) -> Generation:
        """Return the first provider's answer; raise the first error that forbids fallback.

        Raises AllProvidersUnavailable when every provider failed over or time ran out.
        """
        failures: list[ProviderError] = []
        for provider in self.providers:
            remaining = deadline.remaining()
            if remaining < MIN_ATTEMPT_SECONDS:
                logger.warning("ai time budget spent", extra={"job_id": job_id})
                break
            started = time.perf_counter()
            try:
                answer = provider.generate(request, timeout=remaining)
            except ProviderError as exc:
                elapsed = (time.perf_counter() - started) * 1000
                metrics.provider_request(provider.name, type(exc).__name__, elapsed)
                logger.warning(
                    "ai provider failed",
                    extra={
                        "job_id": job_id,
                        "provider": provider.name,
                        "error": type(exc).__name__,
                        "reason": exc.reason[:200],
                        "elapsed_ms": round(elapsed, 1),
                    },
                )
                if not exc.fallback:
                    raise
                failures.append(exc)
                if provider is not self.providers[-1]:
                    metrics.failover(provider.name)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            metrics.provider_request(answer.engine, "ok", elapsed)
            return answer
        reasons = "; ".join(str(f) for f in failures) or "time budget spent"
        raise AllProvidersUnavailable("chain", reasons)
