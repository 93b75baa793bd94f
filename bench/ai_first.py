"""The first AI job of a fresh process: provider import and setup, and one Bedrock Converse call.

Each sample is a child (bench/ai_first_child.py) that imports the app untimed, then times its
first generation through BedrockProvider (ChatBedrockConverse, langchain imported on that
call) against the AI emulator on loopback. Floor: the same Converse call through a bare boto3
client in the same state.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.harness import Row, SectionResult, interleave, section_main
from bench.lambda_env import child_environment

CHILD = Path(__file__).with_name("ai_first_child.py")
# The chat reply's ratio to this floor before issue 20's changes (main at ed76327): that tree's
# children and this floor's, interleaved in one run (8 pairs). The goal is half of it.
TODAY_RATIO = 6.9


def _spawn(which: str, env: dict[str, str], modules: dict[str, int]) -> float:
    done = subprocess.run(
        [sys.executable, str(CHILD), which], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"first AI job ({which}) failed: {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not report["ok"]:
        raise RuntimeError(f"first AI job ({which}) got no answer")
    modules[which] = int(report["modules"])
    return float(report["ms"])


def run(result: SectionResult, quick: bool) -> None:
    """Time the first chat and structured generations against the bare boto3 call."""
    from app.local.ai_emulator import AiEmulator

    emulator = AiEmulator(port=0)
    env = child_environment({"BEDROCK_ENDPOINT_URL": emulator.start()})
    modules: dict[str, int] = {}
    pairs = 4 if quick else 10
    try:
        for which, label in (("chat", "chat reply"), ("structured", "structured answer")):
            values, floor = interleave(
                lambda w=which: _spawn(w, env, modules),  # type: ignore[misc]
                lambda: _spawn("floor", env, modules),
                pairs=pairs,
            )
            goal = {} if which != "chat" else {
                "goal": f"ratio <= {TODAY_RATIO / 2:.2f} (half of {TODAY_RATIO:.2f}, before)",
                "goal_max": TODAY_RATIO / 2,
            }  # fmt: skip
            result.add(
                Row(
                    section="first AI job",
                    name=f"first AI job in a fresh process, {label}: provider import, setup, call",
                    unit="ms",
                    values=values,
                    floor=floor,
                    floor_name="bare boto3 Converse call, same process state",
                    **goal,  # type: ignore[arg-type]
                )
            )
    finally:
        emulator.stop()
    result.detail(
        f"modules loaded by the first generation: chat {modules.get('chat')}, "
        f"structured {modules.get('structured')}, floor {modules.get('floor')}"
    )


if __name__ == "__main__":
    section_main("first AI job", run)
