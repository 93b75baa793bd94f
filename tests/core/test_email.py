"""Email: templates shipped in the package, HTML escaping, one send per dedupe key."""

from __future__ import annotations

import uuid
from importlib import resources

import pytest
from botocore.exceptions import ClientError

from app.core import aws, email
from tests.core.mailbox import sent_to

pytestmark = pytest.mark.usefixtures("local_aws")

TEMPLATES = {
    "welcome": {"name": "Ada", "app_url": "https://app.example"},
    "invitation": {"name": "Ada", "signup_url": "https://app.example/signup"},
    "milestone": {"goal_title": "Run", "progress": "10 of 10 km", "app_url": "https://x"},
}


def test_render_fills_every_template_from_package_data() -> None:
    files = {entry.name for entry in resources.files(email.TEMPLATE_PACKAGE).iterdir()}
    for name, values in TEMPLATES.items():
        assert {f"{name}.txt", f"{name}.html"} <= files
        rendered = email.render(name, values)
        assert rendered.subject and "$" not in rendered.subject
        assert "$" not in rendered.text and "$" not in rendered.html
        assert rendered.html.lstrip().startswith("<!DOCTYPE html>")


def test_render_escapes_html_but_not_text_and_flattens_subject() -> None:
    values = {**TEMPLATES["milestone"], "goal_title": 'Tom & "Jerry"\n<b>Bcc: x</b>'}
    rendered = email.render("milestone", values)
    assert "Tom &amp; &quot;Jerry&quot;" in rendered.html and "<b>" not in rendered.html
    assert 'Tom & "Jerry"' in rendered.text
    assert "\n" not in rendered.subject and rendered.subject.startswith("Goal reached: Tom")


def test_render_refuses_missing_value() -> None:
    with pytest.raises(KeyError):
        email.render("welcome", {"name": "Ada"})


def _address() -> str:
    return f"mail-{uuid.uuid4().hex[:12]}@example.com"


def test_send_once_sends_one_email_per_key() -> None:
    to, key = _address(), str(uuid.uuid4())
    first = email.send_once(dedupe_key=key, to=to, template="welcome", values=TEMPLATES["welcome"])
    again = email.send_once(dedupe_key=key, to=to, template="welcome", values=TEMPLATES["welcome"])
    assert (first, again) == (True, False)
    assert len(sent_to(to)) == 1


def test_send_once_after_ses_failure_sends_on_retry() -> None:
    # Given SES refusing the first attempt
    to, key = _address(), str(uuid.uuid4())
    calls: list[int] = []

    def refuse_once(**_: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ClientError(
                {"Error": {"Code": "Throttling", "Message": "slow down"}}, "SendEmail"
            )

    events = aws.client("ses").meta.events
    events.register("before-parameter-build.ses.SendEmail", refuse_once)
    try:
        with pytest.raises(ClientError):
            email.send_once(dedupe_key=key, to=to, template="welcome", values=TEMPLATES["welcome"])
        # When the job is retried
        retried = email.send_once(
            dedupe_key=key, to=to, template="welcome", values=TEMPLATES["welcome"]
        )
    finally:
        events.unregister("before-parameter-build.ses.SendEmail", refuse_once)
    # Then the claim was released and the retry sent the one email
    assert retried is True and len(sent_to(to)) == 1
