"""Provider setup on a process's first AI job: only what the job uses is built."""

from __future__ import annotations

from app.ai.outputs import CodeOutput
from app.ai.providers import bedrock, reset_providers
from app.ai.providers.base import GenerationRequest
from app.local.ai_emulator import AiEmulator

TEXT = GenerationRequest(system="rules", prompt="Name a risk.", max_tokens=64, temperature=0.2)


def test_bedrock_answers_without_building_the_control_plane_client(
    ai_emulator: AiEmulator,
) -> None:
    # Given a process whose clients are not built yet
    reset_providers()

    # When a chat reply and a structured answer go through ChatBedrockConverse
    text = bedrock.BedrockProvider().generate(TEXT, timeout=30)
    structured = bedrock.BedrockProvider().generate(
        GenerationRequest(
            system="rules",
            prompt="Code it.",
            max_tokens=256,
            temperature=0,
            output_model=CodeOutput,
        ),
        timeout=30,
    )

    # Then both are answered and the bedrock control-plane client was never built
    assert text.text and isinstance(structured.data, CodeOutput)
    assert ai_emulator.calls["bedrock"] == 2
    assert bedrock._control_client.cache_info().currsize == 0


def test_lazy_control_client_builds_the_shared_client_on_first_use() -> None:
    reset_providers()
    lazy = bedrock._LazyControlClient()

    assert lazy.meta.service_model.service_name == "bedrock"
    assert bedrock._control_client.cache_info().currsize == 1
    assert lazy.meta is bedrock._control_client().meta
