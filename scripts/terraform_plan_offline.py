"""Plan infra/ against a fake account offline and check the planned tables, queue and function.

Run: .venv/bin/python scripts/terraform_plan_offline.py   (part of `make infra-check`)

`terraform validate` checks references and types; a plan also evaluates every expression,
for_each, dynamic block and precondition with real values. The few data sources that call
AWS (STS, Secrets Manager) are answered by an in-process moto server; nothing is applied.
Three plans run in parallel: phase 1, phase 2, and phase 2 without an image tag (must fail).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess  # noqa: S404 - runs terraform, no shell
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.queues import ALL_QUEUES  # noqa: E402
from app.domains import all_tables  # noqa: E402

WORK = ROOT / ".cache" / "plan"
PREFIX = "planforge-prod"
OVERRIDE = """
terraform {
  backend "local" {}
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    sts            = "%(url)s"
    secretsmanager = "%(url)s"
  }
}
"""
PLANS: dict[str, list[str]] = {
    "phase1": ["-var", "deploy_lambda=false"],
    "phase2": ["-var", "deploy_lambda=true", "-var", "image_tag=offline-check"],
    "no-tag": ["-var", "deploy_lambda=true"],
    # Both deploy stages, from their own variable files, as the deploy workflow plans them.
    "staging": [
        "-var-file=env/staging.tfvars",
        "-var",
        "deploy_lambda=true",
        "-var",
        "image_tag=offline-check",
    ],
    "production": [
        "-var-file=env/production.tfvars",
        "-var",
        "deploy_lambda=true",
        "-var",
        "image_tag=offline-check",
    ],
}
STAGE_RETENTION = {"staging": 7, "production": 30}


def _terraform(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv
        ["terraform", f"-chdir={WORK}", *args],  # noqa: S607 - terraform from PATH
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def prepare(url: str) -> dict[str, str]:
    """Copy infra/ with an offline override into the cache and init it."""
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    for path in [*(ROOT / "infra").glob("*.tf"), ROOT / "infra" / ".terraform.lock.hcl"]:
        if path.exists():
            shutil.copy(path, WORK / path.name)
    shutil.copytree(ROOT / "infra" / "env", WORK / "env")
    (WORK / "zz_offline_override.tf").write_text(OVERRIDE % {"url": url})
    env = {**os.environ, "TF_DATA_DIR": str(WORK / ".terraform"), "TF_IN_AUTOMATION": "1"}
    cli_config = env.get("TF_CLI_CONFIG_FILE")
    if cli_config and not Path(cli_config).is_file():
        del env["TF_CLI_CONFIG_FILE"]  # a path to nothing only adds a warning to every command
    plugin_dir = os.environ.get("TF_PLUGIN_DIR", "/opt/tf-plugins")
    extra = [f"-plugin-dir={plugin_dir}"] if Path(plugin_dir).is_dir() else []
    init = _terraform("init", "-input=false", "-no-color", *extra, env=env)
    if init.returncode != 0:
        raise SystemExit(f"offline plan: init failed\n{init.stderr}")
    return env


def plan(name: str, env: dict[str, str]) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Run one plan without touching state; return its name and the finished process."""
    out = f"{name}.tfplan"
    args = ["plan", "-input=false", "-refresh=false", "-lock=false", "-no-color", "-out", out]
    return name, _terraform(*args, *PLANS[name], env=env)


def planned(name: str, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Return the planned resources of a saved plan by address."""
    shown = _terraform("show", "-json", f"{name}.tfplan", env=env)
    changes = json.loads(shown.stdout)["resource_changes"]
    return {c["address"]: c["change"]["after"] for c in changes}


def check_tables(resources: dict[str, dict[str, Any]]) -> list[str]:
    """Return every planned table that differs from the tables the app declares (app/domains.py)."""
    problems: list[str] = []
    tables = {r["name"]: r for a, r in resources.items() if a.startswith("aws_dynamodb_table.")}
    for spec in all_tables():
        table = tables.pop(f"{PREFIX}-{spec.name}", None)
        if table is None:
            problems.append(f"table {spec.name} is not planned")
            continue
        indexes = {
            (g["name"], g["hash_key"], g["range_key"] or None, g["projection_type"])
            for g in table["global_secondary_index"]
        }
        ttl = [t["attribute_name"] for t in table.get("ttl") or [] if t.get("enabled")]
        attributes = {(a["name"], a["type"]) for a in table["attribute"]}
        expected = {
            "hash_key": spec.hash_key,
            "range_key": spec.range_key,
            "indexes": {(i.name, i.hash_key, i.range_key, "ALL") for i in spec.indexes},
            "ttl": [spec.ttl_attribute] if spec.ttl_attribute else [],
            "attributes": {(name, "S") for name in spec.key_attributes()},
            "deletion_protection_enabled": spec.holds_user_data,
        }
        actual = {
            "hash_key": table["hash_key"],
            "range_key": table.get("range_key") or None,
            "indexes": indexes,
            "ttl": ttl,
            "attributes": attributes,
            "deletion_protection_enabled": table["deletion_protection_enabled"],
        }
        problems += [
            f"table {spec.name}: {key} planned {actual[key]!r}, the app has {want!r}"
            for key, want in expected.items()
            if actual[key] != want
        ]
    problems += [f"table {name} is planned but not in the app" for name in sorted(tables)]
    return problems


def check_queues(resources: dict[str, dict[str, Any]]) -> list[str]:
    """Return every planned queue setting that differs from app/core/queues.py."""
    problems: list[str] = []
    queues = {r["name"]: r for a, r in resources.items() if a.startswith("aws_sqs_queue.")}
    for spec in ALL_QUEUES:
        queue, dlq = queues.get(f"{PREFIX}-{spec.name}"), queues.get(f"{PREFIX}-{spec.dlq_name}")
        if queue is None or dlq is None:
            problems.append(f"queue {spec.name} or its DLQ is not planned")
            continue
        if queue["visibility_timeout_seconds"] != spec.visibility_timeout_seconds:
            problems.append(f"queue {spec.name}: visibility differs from the app")
        if dlq["message_retention_seconds"] != spec.dlq_retention_seconds:
            problems.append(f"queue {spec.dlq_name}: retention differs from the app")
    return problems


def check_stage(stage: str, resources: dict[str, dict[str, Any]], days: int) -> list[str]:
    """Return what is wrong with one stage's plan: names, retention, alias wiring."""
    problems: list[str] = []
    function = resources.get("aws_lambda_function.api[0]") or {}
    if function.get("function_name") != f"planforge-{stage}-api":
        problems.append(f"{stage}: the function is not named for the stage")
    if function.get("publish") is not True:
        problems.append(f"{stage}: the function does not publish versions")
    if resources.get("aws_lambda_alias.live[0]", {}).get("name") != "live":
        problems.append(f"{stage}: no live alias is planned")
    retention = resources.get("aws_cloudwatch_log_group.lambda", {}).get("retention_in_days")
    if retention != days:
        problems.append(f"{stage}: log retention {retention}, want {days}")
    if "aws_codedeploy_deployment_group.api" not in resources:
        problems.append(f"{stage}: no CodeDeploy deployment group is planned")
    return problems


def main() -> int:
    """Plan both phases and the refused one; exit 1 on any difference."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        env = prepare(f"http://{host}:{port}")
        with ThreadPoolExecutor(max_workers=len(PLANS)) as pool:
            results = dict(pool.map(lambda name: plan(name, env), PLANS))
        problems: list[str] = []
        for name in ("phase1", "phase2", "staging", "production"):
            if results[name].returncode != 0:
                problems.append(f"{name} plan failed:\n{results[name].stderr}")
        if "needs image_tag" not in results["no-tag"].stderr:
            problems.append("phase 2 without image_tag was not refused by the precondition")
        if not problems:
            phase1, phase2 = planned("phase1", env), planned("phase2", env)
            if "aws_lambda_function.api[0]" in phase1:
                problems.append("phase 1 plans the function, whose image is not pushed yet")
            for address in ("aws_lambda_function.api[0]", "aws_apigatewayv2_route.default[0]"):
                if address not in phase2:
                    problems.append(f"phase 2 does not plan {address}")
            problems += check_tables(phase2) + check_queues(phase2)
            for stage, days in STAGE_RETENTION.items():
                problems += check_stage(stage, planned(stage, env), days)
            print(
                f"offline plan: phase 1 plans {len(phase1)} changes, phase 2 {len(phase2)}; "
                "staging and production plan with their own names and retention; "
                f"tables and queue match the app's specs; phase 2 without a tag is refused"
            )
    finally:
        server.stop()
    for problem in problems:
        print(f"offline plan: FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
