"""Terraform agrees with the app: tables, keys, GSIs, TTLs, the queue and the settings."""

from __future__ import annotations

import dataclasses
import re
import typing

import pytest

from app.assets.naming import object_key
from app.core.config import Environment
from app.core.queues import ALL_QUEUES, JOBS, QueueSpec
from app.core.tables import Index
from app.domains import all_tables
from app.goals.domain import GOALS
from app.projects.domain import PROJECTS
from tests.infra.terraform_model import (
    Terraform,
    check_environment,
    compare_queue,
    compare_tables,
    dynamic_block,
    first_block,
    lambda_environment,
    load_terraform,
)

REQUIRED_IN_CLOUD = {
    "ENVIRONMENT",
    "TABLE_PREFIX",
    "JOBS_QUEUE_URL",
    "ASSETS_BUCKET",
    "COGNITO_USER_POOL_ID",
    "COGNITO_CLIENT_ID",
    "CURSOR_SECRET_ARN",
}


@pytest.fixture(scope="module")
def tf() -> Terraform:
    return load_terraform()


def test_compare_tables_reports_nothing_when_infra_mirrors_specs(tf: Terraform) -> None:
    # Given the table map Terraform builds every table from
    tables = tf.locals["tables"]
    # When it is compared with the tables the app declares
    problems = compare_tables(all_tables(), tables)
    # Then every table, key, GSI, TTL attribute and data flag matches
    assert problems == []
    assert len(tables) == len(all_tables())


def test_compare_tables_reports_drift_when_spec_gains_index(tf: Terraform) -> None:
    drifted = dataclasses.replace(
        GOALS, indexes=(*GOALS.indexes, Index("byOwnerDue", "ownerId", "dueDate"))
    )
    specs = [drifted if s is GOALS else s for s in all_tables()]

    problems = compare_tables(specs, tf.locals["tables"])

    assert len(problems) == 1
    assert problems[0].startswith("table goals: indexes is ")
    assert "byOwnerDue" in problems[0]


def test_compare_tables_reports_drift_when_ttl_or_keys_change(tf: Terraform) -> None:
    drifted = dataclasses.replace(PROJECTS, range_key="createdAt", ttl_attribute="expiresAt")
    specs = [drifted if s is PROJECTS else s for s in all_tables()]

    problems = compare_tables(specs, tf.locals["tables"])

    assert "table projects: range_key is None, the app has 'createdAt'" in problems
    assert "table projects: ttl_attribute is None, the app has 'expiresAt'" in problems


def test_compare_tables_reports_missing_table_when_spec_is_added(tf: Terraform) -> None:
    extra = dataclasses.replace(PROJECTS, name="reminders")

    problems = compare_tables([*all_tables(), extra], tf.locals["tables"])

    assert problems == ["table reminders is declared by the app (app/domains.py) but not in infra"]


def test_table_resources_build_every_key_gsi_and_ttl_from_the_map(tf: Terraform) -> None:
    for kind in ("data", "rebuildable"):
        table = tf.resource("aws_dynamodb_table", kind)
        assert table["name"] == "${local.table_prefix}-${each.key}"
        assert table["billing_mode"] == "PAY_PER_REQUEST"
        assert table["hash_key"] == "${each.value.hash_key}"
        assert table["range_key"] == "${each.value.range_key}"
        attribute = dynamic_block(table, "attribute")
        assert attribute["for_each"] == "${local.table_key_attributes[each.key]}"
        assert first_block(attribute["content"])["type"] == "S"
        gsi = dynamic_block(table, "global_secondary_index")
        assert gsi["for_each"] == "${each.value.indexes}"
        assert first_block(gsi["content"])["projection_type"] == "ALL"
        ttl = dynamic_block(table, "ttl")
        assert "each.value.ttl_attribute" in ttl["for_each"]
        assert first_block(table["point_in_time_recovery"])["enabled"] is True
        assert first_block(table["server_side_encryption"])["enabled"] is True


def test_data_tables_are_protected_and_rebuildable_ones_are_not(tf: Terraform) -> None:
    data = tf.resource("aws_dynamodb_table", "data")
    rebuildable = tf.resource("aws_dynamodb_table", "rebuildable")

    assert data["for_each"].endswith("if t.holds_user_data}}")
    assert rebuildable["for_each"].endswith("if !t.holds_user_data}}")
    assert first_block(data["lifecycle"])["prevent_destroy"] is True
    assert data["deletion_protection_enabled"] == "${var.deletion_protection}"
    assert "lifecycle" not in rebuildable


def test_key_attributes_cover_table_and_index_keys(tf: Terraform) -> None:
    # The attribute list is derived in HCL; check the expression uses every key source.
    expression = tf.locals["table_key_attributes"]
    for source in ("t.hash_key", "t.range_key", "i.hash_key", "i.range_key", "distinct"):
        assert source in expression


@pytest.mark.parametrize("spec", ALL_QUEUES, ids=lambda s: s.name)
def test_compare_queue_reports_nothing_when_infra_mirrors_spec(
    spec: QueueSpec, tf: Terraform
) -> None:
    assert compare_queue(spec, tf) == []


def test_compare_queue_reports_drift_when_spec_changes(tf: Terraform) -> None:
    drifted = dataclasses.replace(JOBS, visibility_timeout_seconds=900, max_receive_count=3)

    problems = compare_queue(drifted, tf)

    assert problems == [
        "queue jobs: visibility_timeout_seconds is 360, the app has 900",
        "queue jobs: maxReceiveCount is 5, the app has 3",
    ]


def test_queue_settings_meet_the_function_timeout(tf: Terraform) -> None:
    timeout = tf.locals["lambda_timeout_seconds"]
    jobs = tf.resource("aws_sqs_queue", "jobs")
    dlq = tf.resource("aws_sqs_queue", "jobs_dlq")

    assert tf.resource("aws_lambda_function", "api")["timeout"] == (
        "${local.lambda_timeout_seconds}"
    )
    assert jobs["visibility_timeout_seconds"] >= 6 * timeout
    assert JOBS.max_receive_count >= 5
    assert dlq["message_retention_seconds"] > jobs["message_retention_seconds"]


def test_jobs_queue_feeds_the_function_with_partial_batch_failures(tf: Terraform) -> None:
    mapping = tf.resource("aws_lambda_event_source_mapping", "jobs")

    assert mapping["event_source_arn"] == "${aws_sqs_queue.jobs.arn}"
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]


def test_bucket_notifies_jobs_queue_for_asset_keys(tf: Terraform) -> None:
    queue = first_block(tf.resource("aws_s3_bucket_notification", "assets")["queue"])

    assert queue["queue_arn"] == "${aws_sqs_queue.jobs.arn}"
    assert queue["events"] == ["s3:ObjectCreated:*"]
    assert object_key("owner-1", "asset-1").startswith(queue["filter_prefix"])


def test_lambda_environment_names_are_settings_fields(tf: Terraform) -> None:
    names = set(lambda_environment(tf))

    assert check_environment(names) == []
    assert names >= REQUIRED_IN_CLOUD
    # The Gemini key reaches the function as a Secrets Manager ARN, never as a value.
    assert "GEMINI_API_KEY" not in names
    assert "GEMINI_API_KEY_SECRET_ARN" in names


def test_check_environment_reports_unknown_and_reserved_names() -> None:
    problems = check_environment({"TABLE_PREFIX", "TABLES_PREFIX", "AWS_REGION"})

    assert problems == ["TABLES_PREFIX is not a Settings field", "AWS_REGION is reserved by Lambda"]


def test_lambda_table_prefix_is_the_one_tables_are_named_with(tf: Terraform) -> None:
    assert lambda_environment(tf)["TABLE_PREFIX"] == "${local.table_prefix}"


def test_environment_variable_allows_only_app_environments(tf: Terraform) -> None:
    condition = first_block(tf.variables["environment"]["validation"])["condition"]
    allowed = set(re.findall(r'"([a-z]+)"', condition)) or set(
        re.findall(r"\b(dev|prod|local|test)\b", condition)
    )

    assert allowed
    assert allowed <= set(typing.get_args(Environment))
