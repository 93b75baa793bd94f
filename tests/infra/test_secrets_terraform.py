"""Finding 8: Terraform creates the secrets, the function gets their ARNs, no value is in state."""

from __future__ import annotations

import pytest

from tests.infra.terraform_model import (
    Terraform,
    lambda_environment,
    load_terraform,
    policy_statements,
)

CURSOR_ARN = "${aws_secretsmanager_secret.cursor.arn}"
GEMINI_ARN = "${aws_secretsmanager_secret.gemini_api_key.arn}"


@pytest.fixture(scope="module")
def tf() -> Terraform:
    return load_terraform()


def test_finding_08_function_gets_secret_arns_never_values(tf: Terraform) -> None:
    environment = lambda_environment(tf)

    assert environment["CURSOR_SECRET_ARN"] == CURSOR_ARN
    assert environment["GEMINI_API_KEY_SECRET_ARN"] == GEMINI_ARN
    assert not [name for name in environment if name in ("CURSOR_SECRET", "GEMINI_API_KEY")]
    assert not [value for value in environment.values() if "secret_version" in str(value)]


def test_finding_08_terraform_writes_no_value_of_the_app_secrets(tf: Terraform) -> None:
    secrets = tf.resources["aws_secretsmanager_secret"]
    versions = tf.resources.get("aws_secretsmanager_secret_version", {})
    drawn = tf.data.get("aws_secretsmanager_random_password", {})

    assert {"cursor", "gemini_api_key"} <= set(secrets)
    # Only the smoke user's login, which Terraform itself sets on the user, has a version here
    assert set(versions) == {"smoke"}
    assert versions["smoke"]["secret_id"] == "${aws_secretsmanager_secret.smoke.id}"
    assert set(drawn) == {"smoke"}


def test_finding_08_function_may_read_exactly_the_two_secrets(tf: Terraform) -> None:
    readers = [
        statement
        for statement in policy_statements(tf, "lambda")
        if any(action.startswith("secretsmanager:") for action in statement["actions"])
    ]

    assert [r["actions"] for r in readers] == [["secretsmanager:GetSecretValue"]]
    assert sorted(readers[0]["resources"]) == sorted([CURSOR_ARN, GEMINI_ARN])
