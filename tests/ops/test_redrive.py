"""scripts/redrive.py moves dead-lettered jobs back to the jobs queue on the local emulator."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.local.aws_emulator import LocalAws

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "redrive.py"
_spec = importlib.util.spec_from_file_location("_scripts_redrive", SCRIPT)
assert _spec is not None and _spec.loader is not None
redrive = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = redrive
_spec.loader.exec_module(redrive)


def _drain(sqs: Any, url: str) -> list[str]:
    bodies: list[str] = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return bodies
        for message in got:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_redrive_moves_every_message_and_empties_the_dlq(
    local_aws: LocalAws, capsys: pytest.CaptureFixture[str]
) -> None:
    sqs = boto3.client("sqs", endpoint_url=local_aws.endpoint_url, region_name=local_aws.region)
    _drain(sqs, local_aws.jobs_dlq_url)
    bodies = [json.dumps({"type": "redrive-test", "n": n}) for n in range(13)]
    for body in bodies:
        sqs.send_message(QueueUrl=local_aws.jobs_dlq_url, MessageBody=body)
    argv = ["--queue-url", local_aws.jobs_queue_url, "--dlq-url", local_aws.jobs_dlq_url]
    argv += ["--endpoint-url", local_aws.endpoint_url, "--region", local_aws.region]

    assert redrive.main([*argv, "--dry-run"]) == 0
    assert "13 message(s)" in capsys.readouterr().out
    assert redrive.main(argv) == 0
    assert "moved 13 message(s)" in capsys.readouterr().out

    assert _drain(sqs, local_aws.jobs_dlq_url) == []
    assert sorted(_drain(sqs, local_aws.jobs_queue_url)) == sorted(bodies)


def test_redrive_stops_at_the_limit(local_aws: LocalAws) -> None:
    sqs = boto3.client("sqs", endpoint_url=local_aws.endpoint_url, region_name=local_aws.region)
    for n in range(4):
        sqs.send_message(QueueUrl=local_aws.jobs_dlq_url, MessageBody=f"m{n}")
    moved = redrive.redrive(sqs, local_aws.jobs_queue_url, local_aws.jobs_dlq_url, limit=3)
    assert moved == 3
    assert len(_drain(sqs, local_aws.jobs_dlq_url)) == 1
    assert len(_drain(sqs, local_aws.jobs_queue_url)) == 3
