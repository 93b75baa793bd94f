"""Finding 9: the function's role grants exactly the AWS actions its code calls.

The calls are recorded for the whole pytest session (tests/infra/aws_actions.py, installed by
tests/conftest.py) and checked by a test that runs last. Recording the real suite, rather than
a separate tour of every code path, means a new call is noticed as soon as a test covers it. A
partial run can still prove that every call is granted; the other half (no grant without a
call) needs the whole suite and is skipped, with the reason, otherwise.
"""

from __future__ import annotations

import uuid
from typing import Any

import botocore.session
import pytest

from app.local.aws_emulator import LocalAws
from tests.infra import aws_actions
from tests.infra.terraform_model import Terraform, first_block, granted_actions, load_terraform

# Granted, but no code of ours calls them: AWS calls them with the function's role.
NEEDED_WITHOUT_A_CALL = {
    "logs:CreateLogStream": "the Lambda runtime writes the function's logs",
    "logs:PutLogEvents": "the Lambda runtime writes the function's logs",
    "xray:PutTraceSegments": "the Lambda X-Ray daemon sends the tracer's segments",
    "xray:PutTelemetryRecords": "the Lambda X-Ray daemon reports its telemetry",
    "sqs:ReceiveMessage": "the event source mapping polls the jobs queue as the function",
    "sqs:DeleteMessage": "the event source mapping deletes the batch's processed messages",
    "sqs:GetQueueAttributes": "the event source mapping reads the queue's attributes",
    "kms:Decrypt": "services decrypt the stack key's data keys for the caller",
    "kms:GenerateDataKey": "S3 and SQS encrypt uploads and messages with the stack key",
    "kms:DescribeKey": "services look up the stack key for the caller",
    "s3:ListBucket": "HEAD of a missing object answers 404, not 403, only with ListBucket",
}
NEVER_USED = {
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "bedrock:InvokeModelWithResponseStream",
    "ses:SendRawEmail",
    # Found by the check below: the event source mapping does not need it, and no code calls it.
    "sqs:ChangeMessageVisibility",
}


@pytest.fixture(scope="module")
def tf() -> Terraform:
    return load_terraform()


def _service(name: str) -> Any:
    return botocore.session.get_session().get_service_model(name)


def test_finding_09_unused_grants_and_the_put_cors_method_are_removed(tf: Terraform) -> None:
    granted = granted_actions(tf, "lambda")
    cors = first_block(tf.resource("aws_s3_bucket_cors_configuration", "assets")["cors_rule"])

    assert granted & NEVER_USED == set()
    assert sorted(cors["allowed_methods"]) == ["GET", "POST"]


def test_iam_actions_maps_each_call_to_the_action_that_authorises_it() -> None:
    transaction: dict[str, Any] = {"TransactItems": [{"Put": {}}, {"Update": {}}, {"Put": {}}, {"Delete": {}}]}

    assert aws_actions.iam_actions(_service("bedrock-runtime"), "Converse", {}) == {
        "bedrock:InvokeModel"
    }
    assert aws_actions.iam_actions(_service("s3"), "HeadObject", {}) == {"s3:GetObject"}
    assert aws_actions.iam_actions(_service("dynamodb"), "TransactWriteItems", transaction) == {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    }
    assert aws_actions.iam_actions(_service("sqs"), "SendMessage", {}) == {"sqs:SendMessage"}
    assert aws_actions.iam_actions(_service("ses"), "SendEmail", {}) == {"ses:SendEmail"}
    # Cognito's public flows are not signed, so no grant authorises them
    assert aws_actions.iam_actions(_service("cognito-idp"), "InitiateAuth", {}) == set()
    assert aws_actions.iam_actions(_service("cognito-idp"), "AdminGetUser", {}) == {
        "cognito-idp:AdminGetUser"
    }


def test_lambda_caller_is_the_innermost_repository_frame_in_app_outside_app_local() -> None:
    root = aws_actions.ROOT
    library = str(root / ".venv/lib/python3.11/site-packages/botocore/client.py")

    def caller(*files: str) -> str | None:
        return aws_actions.lambda_caller([library, "/usr/lib/python3.11/threading.py", *files])

    assert caller(str(root / "app/core/jobs.py"), str(root / "tests/x.py")) == "app/core/jobs.py"
    assert caller(str(root / "tests/conftest.py"), str(root / "app/core/aws.py")) is None
    assert caller(str(root / "app/local/poller.py"), str(root / "app/handler.py")) is None
    assert caller(str(root / "scripts/redrive.py")) is None
    assert caller() is None


def test_recorder_counts_app_calls_and_ignores_the_tests_own(local_aws: LocalAws) -> None:
    from app.assets import storage
    from app.core import aws

    # When app code asks S3 about an object, and the test itself lists the buckets
    assert storage.head(f"users/nobody/assets/{uuid.uuid4().hex}") is None
    aws.client("s3").list_buckets()
    # Then only the app's call is recorded, with where it came from
    assert aws_actions.recorded["s3:GetObject"] == "app/assets/storage.py"
    assert "s3:ListAllMyBuckets" not in aws_actions.recorded


@pytest.mark.last
def test_finding_09_iam_grants_exactly_the_actions_the_code_calls(
    tf: Terraform, request: pytest.FixtureRequest
) -> None:
    granted = granted_actions(tf, "lambda")
    called = dict(aws_actions.recorded)
    # Every action the code called in this run is granted (true of any part of the suite)
    assert {a: where for a, where in called.items() if a not in granted} == {}
    assert set(NEEDED_WITHOUT_A_CALL) <= granted
    assert set(NEEDED_WITHOUT_A_CALL) & set(called) == set(), "no longer an exception"
    if not aws_actions.whole_suite:
        pytest.skip("grants without a call are checked only when the whole suite runs")
    # And nothing is granted that no code called, beyond the documented exceptions
    failed = request.session.testsfailed
    unused = granted - set(called) - set(NEEDED_WITHOUT_A_CALL)
    assert unused == set(), f"granted, never called ({failed} failed tests may hide calls)"
