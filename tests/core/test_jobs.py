"""The jobs envelope parser: our messages, and AWS notifications typed for a domain to handle."""

from __future__ import annotations

import json

import pytest

from app.core import jobs
from app.core.jobs import InvalidJobMessage, JobContext, JobMessage, parse_record_body

_handled: list[JobMessage] = []


@jobs.register("aws:test-service")
def _record_handler(message: JobMessage, context: JobContext) -> None:  # noqa: ARG001
    _handled.append(message)


def test_parse_notification_records_typed_by_event_source() -> None:
    # Given a notification body with two records of a service
    records = [{"eventSource": "aws:s3", "eventName": "ObjectRemoved:Delete", "n": n} for n in "ab"]
    # When it is parsed
    messages = list(parse_record_body(json.dumps({"Records": records}), "m-1"))
    # Then each record is a message of the source's type, carrying the record untouched
    assert [(m.type, m.id, m.payload) for m in messages] == [
        ("aws:s3", "m-1:0", records[0]),
        ("aws:s3", "m-1:1", records[1]),
    ]


def test_parse_service_test_event_typed_by_its_event() -> None:
    body = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"}
    messages = list(parse_record_body(json.dumps(body), "m-2"))
    assert [(m.type, m.id, m.payload) for m in messages] == [("s3:TestEvent", "m-2", body)]


def test_parse_job_envelope_unchanged() -> None:
    body = jobs.build_message("goal.completed", {"goalId": "g"}, event_id="e-1")
    assert list(parse_record_body(body, "m-3")) == [
        JobMessage(type="goal.completed", id="e-1", payload={"goalId": "g"})
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"Records": ["not a record"]},
        {"Records": [{"eventName": "no source"}]},
        {"Records": [{"eventSource": 7}]},
        {"Records": [{"eventSource": "x" * 65}]},
        {"Event": ["not", "a", "name"]},
        {"type": "t", "id": "1", "Event": "s3:TestEvent"},
    ],
    ids=["not-a-dict", "no-source", "source-number", "source-too-long", "event-list", "mixed"],
)
def test_parse_malformed_notification_raises_invalid(body: dict[str, object]) -> None:
    with pytest.raises(InvalidJobMessage):
        list(parse_record_body(json.dumps(body), "m-4"))


def test_dispatch_notification_record_to_handler_registered_for_source() -> None:
    record = {"eventSource": "aws:test-service", "detail": "x"}
    jobs.dispatch(json.dumps({"Records": [record]}), JobContext(message_id="m-5"))
    assert _handled[-1] == JobMessage(type="aws:test-service", id="m-5:0", payload=record)


def test_dispatch_notification_from_unregistered_source_raises() -> None:
    body = json.dumps({"Records": [{"eventSource": "aws:nobody-handles-this"}]})
    with pytest.raises(jobs.UnknownJobType):
        jobs.dispatch(body, JobContext(message_id="m-6"))
