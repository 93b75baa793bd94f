"""Events several domains act on: every subscriber runs, and a failure brings the event back."""

from __future__ import annotations

import uuid

import pytest

from app.core import jobs
from app.core.jobs import JobContext, JobMessage

CONTEXT = JobContext(message_id="m-1")


def _event_type() -> str:
    return f"test.event-{uuid.uuid4().hex[:8]}"


def _body(message_type: str) -> str:
    return jobs.build_message(message_type, {"n": 1}, event_id="e-1")


def test_dispatch_runs_every_subscriber_of_an_event() -> None:
    # Given two subscribers of one event
    event, seen = _event_type(), []

    @jobs.subscribe(event)
    def first(message: JobMessage, _context: JobContext) -> None:
        seen.append(("first", message.id))

    @jobs.subscribe(event)
    def second(message: JobMessage, _context: JobContext) -> None:
        seen.append(("second", message.id))

    # When the event is dispatched once
    jobs.dispatch(_body(event), CONTEXT)
    # Then each ran once, in the order they subscribed
    assert seen == [("first", "e-1"), ("second", "e-1")]
    assert jobs.subscribers(event) == (first, second)


def test_failing_subscriber_does_not_stop_the_others_and_is_raised() -> None:
    # Given a failing subscriber before a working one
    event, seen = _event_type(), []

    @jobs.subscribe(event)
    def broken(_message: JobMessage, _context: JobContext) -> None:
        raise LookupError("not yet")

    @jobs.subscribe(event)
    def working(message: JobMessage, _context: JobContext) -> None:
        seen.append(message.id)

    # When the event is dispatched, then the failure surfaces (so the event is redelivered)
    with pytest.raises(LookupError, match="not yet"):
        jobs.dispatch(_body(event), CONTEXT)
    # And the working subscriber ran anyway
    assert seen == ["e-1"]


def test_subscribing_the_same_handler_twice_runs_it_once() -> None:
    event, seen = _event_type(), []

    def handler(message: JobMessage, _context: JobContext) -> None:
        seen.append(message.id)

    jobs.subscribe(event)(handler)
    jobs.subscribe(event)(handler)
    jobs.dispatch(_body(event), CONTEXT)
    assert seen == ["e-1"]


def test_registered_and_subscribed_handlers_do_not_mix() -> None:
    def handler(_message: JobMessage, _context: JobContext) -> None:
        return None

    registered, subscribed = _event_type(), _event_type()
    jobs.register(registered)(handler)
    jobs.subscribe(subscribed)(handler)
    with pytest.raises(RuntimeError, match="takes no subscribers"):
        jobs.subscribe(registered)(handler)
    with pytest.raises(RuntimeError, match="registered twice"):
        jobs.register(subscribed)(handler)
