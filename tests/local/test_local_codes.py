"""The local Cognito checks confirmation and reset codes, and the mailbox holds them."""

from __future__ import annotations

import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from app.local import mailbox
from app.local.aws_emulator import LocalAws
from tests.conftest import PASSWORD


def test_finding_10_local_codes_are_checked(local_aws: LocalAws) -> None:
    cognito = boto3.client(
        "cognito-idp", endpoint_url=local_aws.endpoint_url, region_name=local_aws.region
    )
    email = f"codes-{uuid.uuid4().hex[:10]}@example.com"
    client_id = local_aws.client_id
    cognito.sign_up(
        ClientId=client_id,
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    code = mailbox.latest_code("confirmation", email)
    assert code is not None and len(code) == 6

    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ClientError) as mismatch:
        cognito.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode=wrong)
    assert mismatch.value.response["Error"]["Code"] == "CodeMismatchException"
    user = cognito.admin_get_user(UserPoolId=local_aws.user_pool_id, Username=email)
    assert user["UserStatus"] == "UNCONFIRMED"

    cognito.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode=code)
    user = cognito.admin_get_user(UserPoolId=local_aws.user_pool_id, Username=email)
    assert user["UserStatus"] == "CONFIRMED"

    cognito.forgot_password(ClientId=client_id, Username=email)
    reset = mailbox.latest_code("password_reset", email)
    assert reset is not None
    with pytest.raises(ClientError) as bad_reset:
        cognito.confirm_forgot_password(
            ClientId=client_id, Username=email, ConfirmationCode="123456", Password="Other-Pass-77"
        )
    assert bad_reset.value.response["Error"]["Code"] == "CodeMismatchException"
    cognito.confirm_forgot_password(
        ClientId=client_id, Username=email, ConfirmationCode=reset, Password="Other-Pass-77"
    )
    tokens = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": "Other-Pass-77"},
    )
    assert tokens["AuthenticationResult"]["AccessToken"]
    kinds = [m["kind"] for m in mailbox.messages() if m["to"] == [email]]
    assert kinds.count("confirmation") == 1 and kinds.count("password_reset") == 1


@pytest.mark.parametrize("env", ["test", "dev", "prod"])
def test_mailbox_route_is_not_mounted_outside_local(
    local_aws: LocalAws, monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    from fastapi.testclient import TestClient

    from app.core.config import get_settings
    from app.main import create_app

    monkeypatch.setenv("ENVIRONMENT", env)
    monkeypatch.setenv("CURSOR_SECRET_ARN", local_aws.cursor_secret_arn)
    monkeypatch.setenv("COGNITO_AUTO_CONFIRM", "false")
    get_settings.cache_clear()
    try:
        client = TestClient(create_app())
        for path in ("/_local/mail", "/_local/mail.json"):
            assert client.get(path).status_code == 404
        assert client.get("/health").status_code == 200
    finally:
        get_settings.cache_clear()


def test_mailbox_route_shows_codes_when_local(
    local_aws: LocalAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from app.core.config import get_settings
    from app.main import create_app

    mailbox.record_code("confirmation", "page@example.com", "424242")
    monkeypatch.setenv("ENVIRONMENT", "local")
    get_settings.cache_clear()
    try:
        client = TestClient(create_app())
        listed = client.get("/_local/mail.json").json()["messages"]
        assert {"kind": "confirmation", "code": "424242"}.items() <= next(
            m for m in listed if m["to"] == ["page@example.com"]
        ).items()
        page = client.get("/_local/mail")
        assert page.status_code == 200 and "424242" in page.text
    finally:
        get_settings.cache_clear()


def test_mailbox_holds_emails_sent_through_local_ses(local_aws: LocalAws) -> None:
    ses = boto3.client("ses", endpoint_url=local_aws.endpoint_url, region_name=local_aws.region)
    sender = "noreply@example.com"
    ses.verify_email_identity(EmailAddress=sender)
    to = f"mail-{uuid.uuid4().hex[:8]}@example.com"
    ses.send_email(
        Source=sender,
        Destination={"ToAddresses": [to]},
        Message={"Subject": {"Data": "Welcome aboard"}, "Body": {"Text": {"Data": "Hello there"}}},
    )
    sent = [m for m in mailbox.messages() if m["to"] == [to]]
    assert len(sent) == 1
    assert sent[0]["subject"] == "Welcome aboard" and "Hello there" in str(sent[0]["body"])
