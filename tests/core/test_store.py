"""The core data-access pattern against the embedded DynamoDB: conditions become domain errors."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from app.core.errors import Conflict, NotFound, VersionConflict, WriteContention
from app.core.expressions import Changes
from app.core.store import DynamoStore
from app.core.tables import TableSpec

# The requirements table's shape (hash + range) is reused: items here never look like requirements.
SPEC = TableSpec(name="requirements", hash_key="projectId", range_key="requirementId")


@dataclass(frozen=True)
class Note:
    """A throwaway record for the tests."""

    part: str
    note_id: str
    owner_id: str
    text: str
    version: int = 1
    count: int = 0
    tags: tuple[str, ...] = ()


def _to_item(note: Note) -> dict[str, Any]:
    return {
        "projectId": note.part,
        "requirementId": note.note_id,
        "ownerId": note.owner_id,
        "text": note.text,
        "version": note.version,
        "count": note.count,
        "tags": list(note.tags),
    }


def _from_item(item: dict[str, Any]) -> Note:
    return Note(
        part=item["projectId"],
        note_id=item["requirementId"],
        owner_id=item["ownerId"],
        text=item["text"],
        version=int(item["version"]),
        count=int(item.get("count", 0)),
        tags=tuple(item.get("tags", [])),
    )


@pytest.fixture
def store(local_aws: Any) -> DynamoStore[Note]:
    return DynamoStore(SPEC, to_item=_to_item, from_item=_from_item)


def _note(part: str, owner: str = "alice", text: str = "hello") -> Note:
    return Note(part=part, note_id=str(uuid.uuid4()), owner_id=owner, text=text)


def _key(note: Note) -> dict[str, str]:
    return {"projectId": note.part, "requirementId": note.note_id}


def test_put_new_twice_raises_conflict(store: DynamoStore[Note]) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put_new(note)
    with pytest.raises(Conflict):
        store.put_new(note)
    assert store.get(_key(note), owner="alice", consistent=True) == note


def test_get_other_owner_returns_none(store: DynamoStore[Note]) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put_new(note)
    assert store.get(_key(note), owner="mallory", consistent=True) is None


def test_update_stale_version_raises_version_conflict_with_current(
    store: DynamoStore[Note],
) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put_new(note)
    updated = store.update(
        _key(note), Changes(set={"text": "two"}), owner="alice", expected_version=1
    )
    assert (updated.text, updated.version) == ("two", 2)
    with pytest.raises(VersionConflict) as raised:
        store.update(_key(note), Changes(set={"text": "x"}), owner="alice", expected_version=1)
    assert raised.value.details == [{"currentVersion": 2}]


def test_update_other_owner_or_missing_raises_not_found(store: DynamoStore[Note]) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put_new(note)
    with pytest.raises(NotFound):
        store.update(_key(note), Changes(set={"text": "x"}), owner="mallory", expected_version=1)
    missing = {"projectId": note.part, "requirementId": "nope"}
    with pytest.raises(NotFound):
        store.update(missing, Changes(set={"text": "x"}), owner="alice", expected_version=1)
    assert store.get(_key(note), consistent=True) == note


def test_update_expired_item_failing_condition_raises_not_found(
    store: DynamoStore[Note],
) -> None:
    # Given a note past its TTL that DynamoDB has not deleted yet, in a table with a TTL
    from boto3.dynamodb.conditions import Attr

    expiring = DynamoStore(
        replace(SPEC, ttl_attribute="expiresAt"), to_item=_to_item, from_item=_from_item
    )
    note = _note(f"p-{uuid.uuid4()}")
    store.table.put_item(Item={**_to_item(note), "expiresAt": int(time.time()) - 60})
    # When an owner's update at its version fails a liveness condition, or a stale version
    live = Attr("expiresAt").gt(int(time.time()))
    changes = Changes(set={"text": "x"})
    # Then the item counts as gone (as for get), not as a version conflict
    with pytest.raises(NotFound):
        expiring.update(_key(note), changes, owner="alice", expected_version=1, condition=live)
    with pytest.raises(NotFound):
        expiring.update(_key(note), changes, owner="alice", expected_version=7)
    assert expiring.try_update(_key(note), changes, condition=live) is None
    # While the same failure on a table without a TTL is still a version conflict
    with pytest.raises(VersionConflict):
        store.update(_key(note), changes, owner="alice", expected_version=1, condition=live)


def test_update_add_and_document_path(store: DynamoStore[Note]) -> None:
    note = replace(_note(f"p-{uuid.uuid4()}"), tags=("a", "b"))
    store.put_new(note)
    after = store.update(_key(note), Changes(set={"tags[1]": "z"}, add={"count": 3}), owner="alice")
    assert (after.tags, after.count, after.version) == (("a", "z"), 3, 2)


def test_try_upsert_creates_then_counts_while_condition_holds(store: DynamoStore[Note]) -> None:
    # Given no item yet, and a counter capped at 2
    from boto3.dynamodb.conditions import Attr

    note = _note(f"p-{uuid.uuid4()}")
    below_cap = Attr("count").not_exists() | Attr("count").lt(2)
    count = Changes(
        set={"ownerId": "alice", "text": "t", "version": 1}, add={"count": 1}, bump_version=False
    )
    # When it is upserted three times
    results = [store.try_upsert(_key(note), count, condition=below_cap) for _ in range(3)]
    # Then the first call creates it, the second counts, the third writes nothing
    assert [r.count if r else None for r in results] == [1, 2, None]
    assert store.get(_key(note), consistent=True) == replace(note, text="t", count=2)


def test_put_overwrites_existing_record(store: DynamoStore[Note]) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put(note)
    store.put(replace(note, text="second", version=5))
    assert store.get(_key(note), consistent=True) == replace(note, text="second", version=5)


def test_replace_and_delete_check_version(store: DynamoStore[Note]) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put_new(note)
    store.replace(replace(note, text="new", version=2), expected_version=1, owner="alice")
    with pytest.raises(VersionConflict):
        store.replace(replace(note, version=3), expected_version=1, owner="alice")
    with pytest.raises(VersionConflict):
        store.delete(_key(note), owner="alice", expected_version=1)
    store.delete(_key(note), owner="alice", expected_version=2)
    assert store.get(_key(note), consistent=True) is None
    with pytest.raises(NotFound):
        store.delete(_key(note), owner="alice")


def test_query_pages_and_bounded_partition_delete(store: DynamoStore[Note]) -> None:
    part = f"p-{uuid.uuid4()}"
    for _ in range(5):
        store.put_new(_note(part))
    first = store.query(part, limit=3, owner="alice")
    assert len(first.items) == 3 and first.last_key is not None
    rest = store.query(part, limit=3, start_key=first.last_key)
    assert len(rest.items) == 2
    assert {n.note_id for n in first.items}.isdisjoint(n.note_id for n in rest.items)
    deleted, more = store.delete_partition(part, max_items=3)
    assert (deleted, more) == (3, True)
    deleted, _ = store.delete_partition(part, max_items=3)
    assert deleted == 2
    assert store.query(part, limit=10).items == []


def test_delete_page_resumes_and_spares_other_owners(store: DynamoStore[Note]) -> None:
    # Given a partition of alice's notes with one of mallory's in it
    part = f"p-{uuid.uuid4()}"
    alices = [_note(part) for _ in range(4)]
    mallorys = _note(part, owner="mallory")
    for note in [*alices, mallorys]:
        store.put_new(note)
    # When alice's notes are deleted two keys at a time, resuming from each page's key
    deleted: list[dict[str, Any]] = []
    start: dict[str, Any] | None = None
    for _ in range(10):
        page = store.delete_page(part, limit=2, start_key=start, owner="alice", consistent=True)
        deleted += page.items
        start = page.last_key
        if start is None:
            break
    # Then every one of alice's went, and only those
    assert start is None
    assert sorted(key["requirementId"] for key in deleted) == sorted(n.note_id for n in alices)
    assert store.query(part, limit=10).items == [mallorys]


def test_put_many_stores_every_record(store: DynamoStore[Note]) -> None:
    part = f"p-{uuid.uuid4()}"
    notes = [replace(_note(part), count=i) for i in range(30)]
    store.put_many(notes)
    stored = store.query(part, limit=50).items
    assert sorted(stored, key=lambda n: n.count) == notes


def _client_error(code: str, reasons: list[str] | None = None) -> ClientError:
    response: dict[str, Any] = {"Error": {"Code": code, "Message": code}}
    if reasons is not None:
        response["CancellationReasons"] = [{"Code": reason} for reason in reasons]
    return ClientError(response, "TransactWriteItems")  # type: ignore[arg-type]


def test_transaction_clash_raises_write_contention(
    store: DynamoStore[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given DynamoDB cancelling a transaction because another one held an item
    def clash(*_args: Any) -> None:
        raise _client_error("TransactionCanceledException", ["None", "TransactionConflict"])

    monkeypatch.setattr("app.core.store_base.transact", clash)
    note = _note(f"p-{uuid.uuid4()}")
    # Then the store says "retry" (503) instead of leaking the ClientError
    with pytest.raises(WriteContention) as raised:
        store.transact([store.put_new_op(note)], guard=(_key(note), "alice"))
    assert raised.value.status_code == 503


def test_single_write_during_transaction_raises_write_contention(
    store: DynamoStore[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    note = _note(f"p-{uuid.uuid4()}")
    store.put_new(note)

    class Busy:
        def put_item(self, **_kwargs: Any) -> None:
            raise _client_error("TransactionConflictException")

    monkeypatch.setattr("app.core.store_base.aws.table", lambda _name: Busy())
    with pytest.raises(WriteContention):
        store.replace(replace(note, version=2), expected_version=1, owner="alice")


def test_query_range_from_reads_only_sort_keys_at_or_above(store: DynamoStore[Note]) -> None:
    # Given notes whose sort keys are 01..05
    part = f"p-{uuid.uuid4()}"
    for number in range(1, 6):
        store.put_new(replace(_note(part), note_id=f"{number:02d}"))
    # When the partition is read from 03, highest first
    page = store.query(part, limit=10, range_from="03")
    # Then only 05, 04 and 03 come back, in that order
    assert [note.note_id for note in page.items] == ["05", "04", "03"]
    with pytest.raises(ValueError, match="one sort-key condition"):
        store.query(part, limit=10, range_from="03", range_prefix="0")


def test_query_where_narrows_the_page_and_combines_with_owner(store: DynamoStore[Note]) -> None:
    from boto3.dynamodb.conditions import Attr

    # Given alice's tagged and untagged notes, and bob's tagged one, in one partition
    part = f"p-{uuid.uuid4()}"
    tagged = replace(_note(part), tags=("red",))
    store.put_new(tagged)
    store.put_new(_note(part))
    store.put_new(replace(_note(part, owner="bob"), tags=("red",)))
    # When the partition is read for red notes, then for alice's red notes
    red = store.query(part, limit=10, where=Attr("tags").contains("red"))
    mine = store.query(part, limit=10, where=Attr("tags").contains("red"), owner="alice")
    # Then the filter applies, and with an owner both conditions must hold
    assert {note.owner_id for note in red.items} == {"alice", "bob"}
    assert mine.items == [tagged]
    # And a filter applies after the Limit: a short page still says where to go on from
    short = store.query(part, limit=1, newest_first=False, where=Attr("tags").contains("blue"))
    assert short.items == [] and short.last_key is not None


def test_try_transact_writes_all_or_nothing_when_any_condition_fails(
    store: DynamoStore[Note],
) -> None:
    from boto3.dynamodb.conditions import Attr

    # Given a stored note and a fresh one to add beside it
    part = f"p-{uuid.uuid4()}"
    kept, fresh = _note(part), _note(part)
    store.put_new(kept)
    stale = Attr("version").eq(7)
    bump = Changes(set={"text": "changed"})
    # When the second operation's condition fails
    ok = store.try_transact(
        [store.put_new_op(fresh), store.update_op(_key(kept), bump, condition=stale)]
    )
    # Then nothing is written and the answer is False
    assert ok is False
    assert store.get(_key(fresh), consistent=True) is None
    assert store.get(_key(kept), consistent=True) == kept
    # And when every condition holds, both operations land
    current = Attr("version").eq(1)
    ok = store.try_transact(
        [store.put_new_op(fresh), store.update_op(_key(kept), bump, condition=current)]
    )
    assert ok is True
    assert store.get(_key(fresh), consistent=True) == fresh
    after = store.get(_key(kept), consistent=True)
    assert after is not None and (after.text, after.version) == ("changed", 2)


def test_query_consistent_asks_for_a_strong_read(
    store: DynamoStore[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a note and a spy on the Query parameters
    part = f"p-{uuid.uuid4()}"
    note = _note(part)
    store.put_new(note)
    table = store.table
    seen: list[dict[str, Any]] = []

    class Spy:
        def query(self, **kwargs: Any) -> Any:
            seen.append(kwargs)
            return table.query(**kwargs)

    monkeypatch.setattr(DynamoStore, "table", property(lambda _self: Spy()))
    # When the partition is read with and without consistent
    strong = store.query(part, limit=5, newest_first=False, consistent=True)
    weak = store.query(part, limit=5)
    # Then only the first asks DynamoDB for a consistent read, and both find the note
    assert [call.get("ConsistentRead") for call in seen] == [True, None]
    assert strong.items == weak.items == [note]


def test_try_transact_clash_with_another_transaction_raises_write_contention(
    store: DynamoStore[Note], monkeypatch: pytest.MonkeyPatch
) -> None:
    def clash(*_args: Any) -> None:
        raise _client_error("TransactionCanceledException", ["None", "TransactionConflict"])

    monkeypatch.setattr("app.core.store_base.transact", clash)
    with pytest.raises(WriteContention):
        store.try_transact([store.put_new_op(_note(f"p-{uuid.uuid4()}"))])
