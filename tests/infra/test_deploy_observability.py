"""The canary wiring, the stages, the alarms (with their thresholds) and the dashboard in infra/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.infra.terraform_model import _OPTIONS, INFRA, Terraform, first_block, load_terraform

TF = load_terraform()
ALARMS = TF.resources["aws_cloudwatch_metric_alarm"]


def _resolve(value: Any, tf: Terraform = TF) -> Any:
    """Resolve "${var.x}" to the variable's default and the timeout product to a number."""
    if isinstance(value, str) and (match := re.fullmatch(r"\$\{var\.(\w+)\}", value)):
        return tf.variables[match.group(1)]["default"]
    if value == "${local.lambda_timeout_seconds * 1000 * 0.8}":
        return tf.locals["lambda_timeout_seconds"] * 1000 * 0.8
    return value


def _metrics(alarm: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the (namespace, metric) pairs an alarm watches, directly or through math."""
    if "metric_name" in alarm:
        return {(alarm["namespace"], alarm["metric_name"])}
    return {
        (first_block(q["metric"])["namespace"], first_block(q["metric"])["metric_name"])
        for q in alarm["metric_query"]
        if "metric" in q
    }


# name -> (watched metric, statistic or expression, threshold, period in seconds)
EXPECTED = {
    "api_latency_p90": ({("AWS/ApiGateway", "Latency")}, 1000, 60),
    "errors_per_minute": ({("AWS/Lambda", "Errors")}, 10, 60),
    "dynamodb_throttles": (
        {("AWS/DynamoDB", "ReadThrottleEvents"), ("AWS/DynamoDB", "WriteThrottleEvents")},
        0,
        None,
    ),
    "dlq_depth": ({("AWS/SQS", "ApproximateNumberOfMessagesVisible")}, 0, 300),
    "ai_failure_rate": ({("Planforge", "AiJobsFailed"), ("Planforge", "AiJobsFinished")}, 20, None),
    "ses_bounce_rate": ({("AWS/SES", "Reputation.BounceRate")}, 0.05, 3600),
    "duration_near_timeout": ({("AWS/Lambda", "Duration")}, 48000.0, 60),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_alarm_exists_with_its_threshold_and_notifies_the_topic(name: str) -> None:
    metrics, threshold, period = EXPECTED[name]
    alarm = TF.resource("aws_cloudwatch_metric_alarm", name)
    assert _metrics(alarm) == metrics
    assert _resolve(alarm["threshold"]) == threshold
    assert alarm["comparison_operator"] == "GreaterThanThreshold"
    assert alarm["alarm_actions"] == "${local.alarm_actions}"
    if period is not None:
        assert alarm["period"] == period


def test_latency_alarm_is_on_p90_and_errors_are_per_minute() -> None:
    assert ALARMS["api_latency_p90"]["extended_statistic"] == "p90"
    assert ALARMS["errors_per_minute"]["statistic"] == "Sum"
    assert ALARMS["dynamodb_throttles"]["for_each"] == "${local.table_names}"


def test_alarm_topic_has_an_optional_email_subscription() -> None:
    subscription = TF.resource("aws_sns_topic_subscription", "alarm_email")
    assert subscription["protocol"] == "email"
    assert subscription["count"] == '${var.alarm_email == "" ? 0 : 1}'


def test_dashboard_shows_every_panel_the_runbook_names() -> None:
    text = (INFRA / "observability.tf").read_text()
    for metric in (
        '"Latency"', '"4xx"', '"5xx"', '"Duration"', '"Throttles"', '"ConcurrentExecutions"',
        "ReadThrottleEvents", "ApproximateAgeOfOldestMessage", "AiJobFailures", "AiFailovers",
        '"Bounce"', '"Complaint"', '"Send"', "RouteLatency", "ColdStart",
    ):  # fmt: skip
        assert metric in text, metric
    assert "aws_cloudwatch_dashboard" in TF.resources


def test_traffic_reaches_only_the_live_alias() -> None:
    function = TF.resource("aws_lambda_function", "api")
    assert function["publish"] is True
    alias = TF.resource("aws_lambda_alias", "live")
    assert alias["name"] == "live"
    assert first_block(alias["lifecycle"])["ignore_changes"] == [
        "function_version",
        "routing_config",
    ]
    live = "aws_lambda_alias.live[0]"
    assert TF.resource("aws_apigatewayv2_integration", "lambda")["integration_uri"] == (
        f"${{{live}.invoke_arn}}"
    )
    assert TF.resource("aws_lambda_event_source_mapping", "jobs")["function_name"] == (
        f"${{{live}.arn}}"
    )
    for permission in ("api", "outbox_sweep", "warmer"):
        assert TF.resource("aws_lambda_permission", permission)["qualifier"] == f"${{{live}.name}}"


def test_codedeploy_shifts_gradually_and_rolls_back_on_alarm() -> None:
    group = TF.resource("aws_codedeploy_deployment_group", "api")
    assert first_block(group["deployment_style"]) == {
        "deployment_type": "BLUE_GREEN",
        "deployment_option": "WITH_TRAFFIC_CONTROL",
    }
    rollback = first_block(group["auto_rollback_configuration"])
    assert rollback["enabled"] is True
    assert "DEPLOYMENT_STOP_ON_ALARM" in rollback["events"]
    assert first_block(group["alarm_configuration"])["alarms"] == "${local.canary_alarms}"
    canary_alarms = " ".join(TF.locals["canary_alarms"])
    for name in ("errors_per_minute", "api_latency_p90", "api_5xx", "duration_near_timeout"):
        assert f"aws_cloudwatch_metric_alarm.{name}." in canary_alarms
    default = TF.variables["canary_deployment_config"]["default"]
    assert default == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    app = TF.resource("aws_codedeploy_app", "api")
    assert app["compute_platform"] == "Lambda"


def _tfvars(stage: str) -> dict[str, Any]:
    with (INFRA / "env" / f"{stage}.tfvars").open() as handle:
        return dict(hcl2.load(handle, serialization_options=_OPTIONS))


def test_stages_differ_only_in_variables_and_state_keys() -> None:
    staging, production = _tfvars("staging"), _tfvars("production")
    assert (staging["stage"], staging["log_retention_days"]) == ("staging", 7)
    assert (production["stage"], production["log_retention_days"]) == ("production", 30)
    assert production["canary_deployment_config"].startswith("CodeDeployDefault.LambdaCanary")
    assert staging["warmer_enabled"] is False and production["warmer_enabled"] is False
    for stage in ("staging", "production"):
        backend = (INFRA / "env" / f"{stage}.backend.hcl").read_text()
        assert f'key          = "planforge/{stage}.tfstate"' in backend


def test_warmer_and_provisioned_concurrency_are_off_by_default() -> None:
    assert TF.variables["warmer_enabled"]["default"] is False
    assert TF.variables["provisioned_concurrency"]["default"] == 0
    rule = TF.resource("aws_cloudwatch_event_rule", "warmer")
    assert "var.warmer_enabled" in rule["count"]
    target = TF.resource("aws_cloudwatch_event_target", "warmer")
    assert target["input"] == '${jsonencode({"warmer": true})}' or "warmer" in target["input"]


def test_workflow_applies_the_saved_plan_after_the_gate() -> None:
    stage = (Path(INFRA).parent / ".github" / "workflows" / "stage.yml").read_text()
    plan_at, gate_at = stage.index("terraform plan -input=false"), stage.index("environment:")
    assert plan_at < gate_at
    assert 'terraform apply -input=false "${STAGE}.tfplan"' in stage
    assert "-auto-approve" not in stage
    assert "GITHUB_STEP_SUMMARY" in stage[:gate_at]
