"""One process's first AI generation: provider import and setup plus one call to the emulator.

Run by bench/ai_first.py as `python bench/ai_first_child.py chat|structured|floor`, with
BEDROCK_ENDPOINT_URL pointing at the AI emulator. The app is imported first, untimed, as in a
function that has just started; the clock runs from the provider's first use to its answer.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # for bench.*; app comes first


def main() -> None:
    """Import the app, run one generation, print one JSON line."""
    which = sys.argv[1]
    import app.handler  # noqa: F401 - the state of a started function
    from app.ai.outputs import CodeOutput
    from app.ai.providers.base import GenerationRequest

    before = set(sys.modules)
    started = time.perf_counter()
    if which == "floor":
        import boto3

        client = boto3.session.Session(region_name=os.environ["AWS_REGION"]).client(
            "bedrock-runtime", endpoint_url=os.environ["BEDROCK_ENDPOINT_URL"]
        )
        answer = client.converse(
            modelId=os.environ["BEDROCK_MODEL_ID"],
            system=[{"text": "rules"}],
            messages=[{"role": "user", "content": [{"text": "Name three risks."}]}],
            inferenceConfig={"maxTokens": 256, "temperature": 0.2},
        )
        ok = bool(answer["output"]["message"]["content"])
    else:
        from app.ai.providers.bedrock import BedrockProvider

        output = CodeOutput if which == "structured" else None
        request = GenerationRequest(
            system="rules", prompt="Name three risks.", max_tokens=256, temperature=0.2,
            output_model=output,
        )  # fmt: skip
        generation = BedrockProvider().generate(request, timeout=30)
        ok = bool(generation.text or generation.data)
    elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps({"ms": elapsed, "ok": ok, "modules": len(set(sys.modules) - before)}))


if __name__ == "__main__":
    main()
