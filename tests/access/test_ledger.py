"""The ledger is a hash chain: every append links to the one before, and `verify` names the first
entry that was edited, deleted, inserted or moved."""

from __future__ import annotations

import threading

from sqlalchemy import delete, insert, select, update

from scobank.access import ledger
from scobank.access.reader import OPERATOR, Reader
from scobank.access.models import LedgerEntry, LedgerHead

ALICE = Reader(user_id=7, email="alice@example.org", organisation_id=3, party="KAZ", role="viewer")


def _append(bank, n: int) -> None:
    with bank.session() as s:
        for i in range(n):
            ledger.record(s, actor=ALICE, action="query", dataset_id=1, version_id=2, purpose="statistics",
                          query_fingerprint=f"q{i}", rows=10 + i, cells=30 + i, detail={"i": i, "city": "Астана"})


def _verify(bank) -> ledger.VerifyResult:
    with bank.session() as s:
        return ledger.verify(s)


def test_entries_chain_each_to_the_one_before(bank):
    _append(bank, 3)
    with bank.session() as s:
        rows = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)).all()
        assert [r.seq for r in rows] == [1, 2, 3]
        assert rows[0].prev_hash == ledger.GENESIS
        assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
        assert (rows[2].actor, rows[2].party, rows[2].organisation_id, rows[2].rows) == (
            "alice@example.org", "KAZ", 3, 12)
        assert '"city":"Астана"' in rows[2].detail
    result = _verify(bank)
    assert result.ok and result.entries == 3


def test_an_empty_ledger_verifies(bank):
    assert _verify(bank).ok


def test_a_rolled_back_use_leaves_no_entry(bank):
    try:
        with bank.session() as s:
            ledger.record(s, actor=OPERATOR, action="export", dataset_id=1)
            raise RuntimeError("the export failed")
    except RuntimeError:
        pass
    _append(bank, 1)
    with bank.session() as s:
        assert s.scalars(select(LedgerEntry.actor)).all() == ["alice@example.org"]
    assert _verify(bank).ok


def test_an_edited_entry_is_named(bank):
    _append(bank, 5)
    with bank.session() as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 3).values(rows=1))
    result = _verify(bank)
    assert (result.ok, result.kind, result.seq) == (False, "edited", 3)
    assert "entry 3 was edited" in result.message


def test_an_edited_time_is_detected_too(bank):
    _append(bank, 2)
    with bank.session() as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 1).values(at="2020-01-01T00:00:00.000000Z"))
    assert (_verify(bank).kind, _verify(bank).seq) == ("edited", 1)


def test_a_deleted_entry_is_named(bank):
    _append(bank, 5)
    with bank.session() as s:
        s.execute(delete(LedgerEntry).where(LedgerEntry.seq == 3))
    result = _verify(bank)
    assert (result.ok, result.kind, result.seq) == (False, "deleted", 3)
    assert "entry 3 was deleted" in result.message


def test_deleting_the_last_entry_is_detected_by_the_head(bank):
    _append(bank, 4)
    with bank.session() as s:
        s.execute(delete(LedgerEntry).where(LedgerEntry.seq == 4))
    result = _verify(bank)
    assert (result.kind, result.seq) == ("deleted", 4)


def test_a_deleted_entry_with_the_rest_renumbered_is_still_found(bank):
    _append(bank, 5)
    with bank.session() as s:
        s.execute(delete(LedgerEntry).where(LedgerEntry.seq == 3))
        for seq in (4, 5):
            s.execute(update(LedgerEntry).where(LedgerEntry.seq == seq).values(seq=seq - 1))
    result = _verify(bank)
    assert (result.kind, result.seq) == ("deleted", 3)


def _forge(s, *, seq: int, prev_hash: str) -> None:
    entry = {name: None for name in ledger.HASHED}
    entry.update(at="2026-01-01T00:00:00.000000Z", actor="mallory@example.org", action="query")
    s.add(LedgerEntry(seq=seq, prev_hash=prev_hash, hash=ledger.entry_hash(entry, prev_hash), **entry))


def test_an_inserted_entry_is_named(bank):
    _append(bank, 4)
    with bank.session() as s:
        # Make room after entry 2 and insert a well-formed entry that links to entry 2.
        for seq in (4, 3):
            s.execute(update(LedgerEntry).where(LedgerEntry.seq == seq).values(seq=seq + 1))
        prev = s.scalar(select(LedgerEntry.hash).where(LedgerEntry.seq == 2))
        _forge(s, seq=3, prev_hash=prev)
    result = _verify(bank)
    assert (result.ok, result.kind, result.seq) == (False, "inserted", 3)
    assert "entry 3 was inserted" in result.message


def test_an_entry_appended_behind_the_ledgers_back_is_named(bank):
    _append(bank, 2)
    with bank.session() as s:
        _forge(s, seq=3, prev_hash=s.scalar(select(LedgerEntry.hash).where(LedgerEntry.seq == 2)))
    result = _verify(bank)
    assert (result.kind, result.seq) == ("inserted", 3)


def test_reordered_entries_are_named(bank):
    _append(bank, 5)
    with bank.session() as s:  # swap entries 2 and 3
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 2).values(seq=-2))
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 3).values(seq=2))
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == -2).values(seq=3))
    result = _verify(bank)
    assert (result.ok, result.kind, result.seq) == (False, "reordered", 2)
    assert "out of order" in result.message


def test_concurrent_writers_form_one_chain(bank):
    errors: list[Exception] = []

    def work() -> None:
        try:
            for _ in range(25):
                _append(bank, 1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = _verify(bank)
    assert result.ok and result.entries == 100


def _long_chain(bank, n: int) -> None:
    """n well-formed entries written in one go (as a long-running bank would have them)."""
    prev, rows = ledger.GENESIS, []
    for i in range(n):
        entry = {name: None for name in ledger.HASHED}
        entry.update(at="2026-01-01T00:00:00.000000Z", actor="alice@example.org", action="query", rows=i)
        digest = ledger.entry_hash(entry, prev)
        rows.append({"seq": i + 1, "prev_hash": prev, "hash": digest, **entry})
        prev = digest
    with bank.session() as s:
        s.execute(insert(LedgerEntry), rows)
        s.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=n, hash=prev))


def test_verify_on_a_serving_bank_does_not_call_new_entries_deleted(bank):
    # Entries committed while verify walks the chain move the head past the walked end; verify goes on
    # walking instead of reporting the difference as deleted entries.
    _long_chain(bank, 20_000)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            _append(bank, 1)

    writer = threading.Thread(target=serve)
    writer.start()
    try:
        results = [_verify(bank) for _ in range(3)]
    finally:
        stop.set()
        writer.join()
    assert [r.message for r in results if not r.ok] == []
    assert results[0].entries >= 20_000 and results[-1].entries > results[0].entries
    assert _verify(bank).ok


def test_ledger_verify_command_reports_tampering_with_its_own_exit_code(bank):
    _append(bank, 3)
    assert bank.cli("ledger", "verify").exit_code == 0
    with bank.session() as s:
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == 2).values(purpose="commercial"))
    result = bank.cli("ledger", "verify")
    assert result.exit_code == 14
    assert "entry 2 was edited" in result.stderr
