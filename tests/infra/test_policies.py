"""Review rules that no linter enforces: justified checkov skips and locked-down workflows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
SKIP = re.compile(r"checkov:skip=")
JUSTIFIED_SKIP = re.compile(r"^\s*#checkov:skip=CKV2?_AWS_\d+:(?P<reason>\S.{29,})$")
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _skip_lines() -> list[tuple[str, str]]:
    return [
        (f"{path.name}:{number}", line)
        for path in sorted((ROOT / "infra").glob("*.tf"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SKIP.search(line)
    ]


def _workflow(name: str) -> dict[Any, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(loaded, dict)
    return loaded


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict)
    return triggers


def _uses(workflow: dict[Any, Any]) -> list[str]:
    return [
        step["uses"]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]


def test_checkov_skips_are_inline_with_a_reason() -> None:
    skips = _skip_lines()

    assert skips, "expected the documented skips in infra/"
    unjustified = [where for where, line in skips if not JUSTIFIED_SKIP.match(line)]
    assert unjustified == []


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml", "stage.yml", "rollback.yml"])
def test_workflow_actions_are_pinned_to_commit_shas(name: str) -> None:
    uses = _uses(_workflow(name))

    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []


@pytest.mark.parametrize("name", ["ci.yml", "deploy.yml", "stage.yml", "rollback.yml"])
def test_workflow_default_permissions_are_read_only(name: str) -> None:
    assert _workflow(name)["permissions"] == {"contents": "read"}


def test_deploy_runs_only_after_make_test_passed_for_the_same_commit() -> None:
    ci = _workflow("ci.yml")
    deploy = ci["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert deploy["uses"] == "./.github/workflows/deploy.yml"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert list(_triggers(_workflow("deploy.yml"))) == ["workflow_call"]


def test_deploy_builds_once_then_staging_then_production_with_one_digest() -> None:
    jobs = _workflow("deploy.yml")["jobs"]
    assert jobs["staging"]["needs"] == "build"
    assert jobs["production"]["needs"] == ["build", "staging"]
    for stage in ("staging", "production"):
        assert jobs[stage]["uses"] == "./.github/workflows/stage.yml"
        assert jobs[stage]["with"]["stage"] == stage
        assert jobs[stage]["with"]["digest"] == "${{ needs.build.outputs.digest }}"
        assert jobs[stage]["permissions"] == {"contents": "read", "id-token": "write"}
    text = (WORKFLOWS / "deploy.yml").read_text() + (WORKFLOWS / "stage.yml").read_text()
    assert text.count("docker build") == 1
    assert "aws-access-key-id" not in text
    assert "secrets.AWS_SECRET_ACCESS_KEY" not in text


def test_stage_plans_before_the_gate_and_applies_that_plan_then_canary_and_smoke() -> None:
    jobs = _workflow("stage.yml")["jobs"]
    assert "environment" not in jobs["plan"]
    assert jobs["apply"]["needs"] == "plan"
    assert jobs["apply"]["environment"]["name"] == "${{ inputs.stage }}"
    plan_steps = [s.get("name", s.get("uses", "")) for s in jobs["plan"]["steps"]]
    assert "terraform plan -out" in plan_steps
    assert any(u.startswith("actions/upload-artifact@") for u in plan_steps)
    steps = [s.get("name", s.get("uses", "")) for s in jobs["apply"]["steps"]]
    order = [
        "terraform apply the saved plan",
        "shift live (CodeDeploy canary, alarm rollback)",
        "smoke test through the live alias",
        "roll live back after a failed smoke test",
    ]
    assert [s for s in steps if s in order] == order
    apply = next(s for s in jobs["apply"]["steps"] if s.get("name") == order[0])
    assert apply["run"] == 'terraform apply -input=false "${STAGE}.tfplan"'


def test_rollback_only_moves_the_alias() -> None:
    workflow = _workflow("rollback.yml")
    assert set(_triggers(workflow)["workflow_dispatch"]["inputs"]) == {"stage", "version"}
    text = (WORKFLOWS / "rollback.yml").read_text()
    assert "aws lambda update-alias" in text
    assert "terraform" not in text
