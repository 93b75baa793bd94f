"""AI providers behind one interface, and the failover chain that orders them."""

from __future__ import annotations

from app.ai.providers import bedrock, gemini
from app.ai.providers.base import Provider
from app.ai.providers.chain import ProviderChain


def default_chain() -> ProviderChain:
    """Return Bedrock, then Gemini when a key is configured, as one chain."""
    providers: list[Provider] = [bedrock.BedrockProvider()]
    if gemini.is_configured():
        providers.append(gemini.GeminiProvider())
    return ProviderChain(providers)


def reset_providers() -> None:
    """Forget cached clients and keys, e.g. after settings change in tests."""
    bedrock.reset()
    gemini.reset()
