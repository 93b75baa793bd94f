"""Email through SES: plain-text and HTML bodies rendered from the templates in the repo."""

from __future__ import annotations

import html
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from string import Template

from botocore.exceptions import BotoCoreError, ClientError

from app.core import aws
from app.core.config import get_settings
from app.core.dynamo import is_conditional_failure
from app.core.observability import logger, mask_email
from app.core.tables import IDEMPOTENCY

TEMPLATE_PACKAGE = "app.email_templates"
SUBJECT_PREFIX = "Subject:"
# A claim older than this is taken to belong to a sender that crashed before finishing.
SEND_LEASE_SECONDS = 120
MARKER_TTL_SECONDS = 30 * 24 * 3600
_MARKER_TTL = IDEMPOTENCY.ttl_attribute or "expiration"
_SENDING = "sending"
_SENT = "sent"


@dataclass(frozen=True)
class RenderedEmail:
    """A subject with its text and HTML bodies."""

    subject: str
    text: str
    html: str


class EmailInProgress(Exception):
    """Another delivery of the same event is sending this email right now; retry later."""


@lru_cache(maxsize=32)
def _load(name: str) -> str:
    return resources.files(TEMPLATE_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def render(template: str, values: Mapping[str, str]) -> RenderedEmail:
    """Render a template's subject, text and HTML; values are HTML-escaped in the HTML body."""
    subject_line, _, text_body = _load(f"{template}.txt").partition("\n")
    if not subject_line.startswith(SUBJECT_PREFIX):
        raise ValueError(f"{template}.txt must start with '{SUBJECT_PREFIX}'")
    subject = Template(subject_line.removeprefix(SUBJECT_PREFIX).strip()).substitute(values)
    escaped = {key: html.escape(value, quote=True) for key, value in values.items()}
    return RenderedEmail(
        # A subject is one header line: user-supplied text must not break it.
        subject=" ".join(subject.split())[:200],
        text=Template(text_body).substitute(values),
        html=Template(_load(f"{template}.html")).substitute(escaped),
    )


def send(*, to: str, template: str, values: Mapping[str, str]) -> str:
    """Send one templated email from the configured sender and return SES's message id."""
    rendered = render(template, values)
    response = aws.client("ses").send_email(
        Source=get_settings().ses_sender,
        Destination={"ToAddresses": [to]},
        Message={
            "Subject": {"Data": rendered.subject, "Charset": "UTF-8"},
            "Body": {
                "Text": {"Data": rendered.text, "Charset": "UTF-8"},
                "Html": {"Data": rendered.html, "Charset": "UTF-8"},
            },
        },
    )
    message_id: str = response["MessageId"]
    logger.info("email sent", extra={"template": template, "to": mask_email(to)})
    return message_id


def send_once(*, dedupe_key: str, to: str, template: str, values: Mapping[str, str]) -> bool:
    """Send an email unless one was already sent for this key; return whether this call sent it.

    A marker is claimed before sending and marked sent after, so redeliveries of the same event
    send nothing. Only a crash between SES accepting the email and the marker update can repeat
    it, once the claim's lease has run out.
    """
    key = {"id": f"email#{dedupe_key}"}
    if not _claim(key):
        return False
    try:
        message_id = send(to=to, template=template, values=values)
    except Exception:
        _release(key)
        raise
    aws.table(IDEMPOTENCY.name).update_item(
        Key=key,
        UpdateExpression="SET emailStatus = :sent, sesMessageId = :message_id",
        ExpressionAttributeValues={":sent": _SENT, ":message_id": message_id},
    )
    return True


def _claim(key: dict[str, str]) -> bool:
    now = int(time.time())
    table = aws.table(IDEMPOTENCY.name)
    try:
        table.update_item(
            Key=key,
            UpdateExpression="SET emailStatus = :sending, leaseUntil = :lease, #ttl = :expires",
            ConditionExpression=(
                "attribute_not_exists(#id) OR (emailStatus = :sending AND leaseUntil < :now)"
            ),
            ExpressionAttributeNames={"#id": "id", "#ttl": _MARKER_TTL},
            ExpressionAttributeValues={
                ":sending": _SENDING,
                ":lease": now + SEND_LEASE_SECONDS,
                ":expires": now + MARKER_TTL_SECONDS,
                ":now": now,
            },
        )
    except ClientError as exc:
        if not is_conditional_failure(exc):
            raise
        current = table.get_item(Key=key, ConsistentRead=True).get("Item") or {}
        if current.get("emailStatus") == _SENT:
            return False
        raise EmailInProgress(key["id"]) from exc
    return True


def _release(key: dict[str, str]) -> None:
    try:
        aws.table(IDEMPOTENCY.name).delete_item(
            Key=key,
            ConditionExpression="emailStatus = :sending",
            ExpressionAttributeValues={":sending": _SENDING},
        )
    except (ClientError, BotoCoreError):
        # The lease runs out on its own; the retry then claims the marker again.
        logger.warning("email claim not released", extra={"marker": key["id"]})
