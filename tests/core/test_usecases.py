"""The service helpers every domain shares: pages, idempotent creates, versions, retries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.core.errors import BadRequest, Conflict, VersionConflict
from app.core.records import Page as RecordPage
from app.core.schemas import PatchModel, RequestModel, ResponseModel
from app.core.usecases import idempotent_create, paginate, require_version, retry_on_conflict


class Made(ResponseModel):
    """An answer to a create."""

    made_id: str
    label: str


class MakeBody(RequestModel):
    """A create request."""

    label: str


class Edit(PatchModel):
    """A partial update with one field that may not be null."""

    not_null = ("label",)

    version: int | None = None
    label: str | None = None
    note: str | None = None


def test_paginate_binds_the_cursor_to_owner_and_scope() -> None:
    seen: list[dict[str, Any] | None] = []

    def fetch(start: dict[str, Any] | None) -> RecordPage[int]:
        seen.append(start)
        return RecordPage(items=[1, 2], last_key={"id": "k2"})

    first = paginate(owner="u1", scope="things", cursor=None, fetch=fetch, convert=str)
    assert first.items == ["1", "2"]
    assert first.next_cursor is not None
    paginate(owner="u1", scope="things", cursor=first.next_cursor, fetch=fetch, convert=str)
    assert seen == [None, {"id": "k2"}]
    with pytest.raises(BadRequest):
        paginate(owner="u2", scope="things", cursor=first.next_cursor, fetch=fetch, convert=str)
    with pytest.raises(BadRequest):
        paginate(owner="u1", scope="other", cursor=first.next_cursor, fetch=fetch, convert=str)


def test_paginate_last_page_has_no_cursor() -> None:
    page = paginate(
        owner="u1",
        scope="things",
        cursor=None,
        fetch=lambda _start: RecordPage(items=[], last_key=None),
        convert=str,
    )
    assert page.items == []
    assert page.next_cursor is None


def test_idempotent_create_replays_the_first_answer(local_aws: Any) -> None:
    calls: list[str] = []

    def create() -> Made:
        calls.append("x")
        return Made(made_id=str(uuid.uuid4()), label="a")

    key = uuid.uuid4().hex
    body = MakeBody(label="a")
    first = idempotent_create(scope="t", owner="u1", key=key, body=body, create=create, answer=Made)
    again = idempotent_create(scope="t", owner="u1", key=key, body=body, create=create, answer=Made)
    assert again == first
    assert len(calls) == 1
    with pytest.raises(Conflict):
        idempotent_create(
            scope="t", owner="u1", key=key, body=MakeBody(label="b"), create=create, answer=Made
        )
    other = idempotent_create(scope="t", owner="u2", key=key, body=body, create=create, answer=Made)
    assert other.made_id != first.made_id


def test_without_a_key_every_create_runs(local_aws: Any) -> None:
    answers = {
        idempotent_create(
            scope="t",
            owner="u1",
            key=None,
            body=MakeBody(label="a"),
            create=lambda: Made(made_id=str(uuid.uuid4()), label="a"),
            answer=Made,
        ).made_id
        for _ in range(2)
    }
    assert len(answers) == 2


def test_require_version_reports_the_current_version() -> None:
    require_version(3, 3)
    with pytest.raises(VersionConflict) as caught:
        require_version(4, 3)
    assert caught.value.details == [{"currentVersion": 4}]


def test_retry_on_conflict_retries_then_gives_up() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise VersionConflict()
        return "landed"

    assert retry_on_conflict(flaky) == "landed"
    assert len(attempts) == 3

    def always() -> str:
        raise VersionConflict()

    with pytest.raises(VersionConflict):
        retry_on_conflict(always, attempts=2)


def test_patch_model_refuses_null_only_where_declared() -> None:
    assert Edit.model_validate({"note": None}).changes() == {"note": None}
    assert Edit.model_validate({"version": 2, "label": "x"}).changes() == {"label": "x"}
    with pytest.raises(ValueError, match="label may be omitted but not null"):
        Edit.model_validate({"label": None})
