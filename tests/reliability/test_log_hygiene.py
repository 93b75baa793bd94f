"""Logs never carry passwords, tokens, codes or keys, and emails in them are masked."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from app.core.observability import logger, mask_email
from tests.conftest import PASSWORD
from tests.reliability.logs import LogCapture


def test_full_auth_flow_logs_no_secret_and_masks_email(
    client: TestClient, captured_logs: LogCapture
) -> None:
    # Given an address typed with capitals, as people do
    typed = f"Log.Hygiene-{uuid.uuid4().hex[:10]}@Example.com"
    email = typed.lower()
    new_password = f"New-{uuid.uuid4().hex[:12]}-Pw9"
    confirm_code = f"Confirm{uuid.uuid4().hex[:10]}"
    reset_code = f"Reset{uuid.uuid4().hex[:10]}"

    # When the whole account lifecycle runs, including failures that get logged
    registered = client.post(
        "/auth/register", json={"email": typed, "password": PASSWORD, "name": "Hy Giene"}
    )
    assert registered.status_code == 201, registered.text
    client.post("/auth/confirm", json={"email": typed, "code": confirm_code})
    login = client.post("/auth/login", json={"email": typed, "password": PASSWORD}).json()
    bad = client.post("/auth/login", json={"email": typed, "password": "Wrong-Password-9"})
    assert bad.status_code == 401
    headers = {"Authorization": f"Bearer {login['accessToken']}"}
    refreshed = client.post("/auth/refresh", json={"refreshToken": login["refreshToken"]}).json()
    assert client.get("/auth/me", headers=headers).status_code == 200
    assert client.post("/auth/password/forgot", json={"email": typed}).status_code == 202
    # The local Cognito checks codes: use the one the mailbox received (the test still logs it).
    from app.local import mailbox

    reset_code = mailbox.latest_code("password_reset", email) or reset_code
    reset = client.post(
        "/auth/password/reset",
        json={"email": typed, "code": reset_code, "newPassword": new_password},
    )
    assert reset.status_code == 204, reset.text
    relogin = client.post("/auth/login", json={"email": email, "password": new_password}).json()
    relogin_headers = {"Authorization": f"Bearer {relogin['accessToken']}"}
    assert client.post("/auth/logout", headers=relogin_headers).status_code == 204
    revoked = client.post("/auth/refresh", json={"refreshToken": relogin["refreshToken"]})
    assert revoked.status_code == 401
    client.get("/auth/me", headers={"Authorization": f"Bearer {login['idToken']}"})

    # Then the logs say what happened without any secret or plain address
    assert captured_logs.text, "the flow logged nothing at all: the capture is broken"
    captured_logs.assert_free_of(
        PASSWORD,
        new_password,
        "Wrong-Password-9",
        confirm_code,
        reset_code,
        login["accessToken"],
        login["idToken"],
        login["refreshToken"],
        refreshed["accessToken"],
        refreshed["idToken"],
        relogin["accessToken"],
        relogin["refreshToken"],
        *_gemini_key(),
    )
    assert email not in captured_logs.text and typed not in captured_logs.text
    assert mask_email(email) in captured_logs.text


def _gemini_key() -> list[str]:
    from app.ai.providers import gemini

    return [gemini.api_key()] if gemini.is_configured() else []


def test_capture_sees_a_logged_secret(captured_logs: LogCapture) -> None:
    # The check itself must be able to fail.
    logger.debug("oops", extra={"token": "aaa.bbbbbbbbbbbb.cccccccccccc"})
    with pytest.raises(AssertionError, match="secrets in logs"):
        captured_logs.assert_free_of("zzz.bbbbbbbbbbbb.yyyyyyyyyyyy")
