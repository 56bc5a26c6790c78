"""The ledger: append-only, hash-chained record of every use of data.

Each entry's `hash` is sha256 over its canonical serialisation (every field in a fixed order, each
length-prefixed, so no two different entries serialise alike) followed by the previous entry's hash.
The first entry's `prev_hash` is 64 zeros. `ledger_head` holds the last sequence number and hash; an
append locks that row first (an UPDATE: a row lock on PostgreSQL, the write lock on SQLite), so
concurrent writers form one chain. `verify` walks the chain and names the first entry that was edited,
deleted, inserted or moved.

The entry is written in the caller's transaction: a rolled-back use leaves no entry, and a committed
one cannot exist without its entry. `record` keeps the entry with the session and appends it when the
transaction commits (SQLAlchemy's `before_commit`), so the head row is locked for the commit only, not
for the read, export or analysis the request goes on to do: readers no longer queue behind each other's
DuckDB work. An entry recorded inside a savepoint that rolls back is dropped with it. Functions here
that read the ledger append the session's own pending entries first, so a transaction sees what it
recorded.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import event, func, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.util import find_tables

from scobank.access.models import LedgerEntry, LedgerHead
from scobank.access.reader import Reader

GENESIS = "0" * 64
# The hashed fields, in order. `seq` is not hashed: order is carried by prev_hash.
HASHED = ("at", "actor", "user_id", "organisation_id", "party", "action", "dataset_id", "version_id",
          "purpose", "agreement_id", "query_fingerprint", "rows", "cells", "detail")


def canonical_values(values) -> bytes:
    """The bytes that are hashed: each field as `<len>:<text>;` (None as `-;`), in HASHED order."""
    return "".join(["-;" if v is None else f"{len(t := str(v))}:{t};" for v in values]).encode()


def canonical(entry: dict) -> bytes:
    return canonical_values(entry.get(name) for name in HASHED)


def entry_hash(entry: dict, prev_hash: str) -> str:
    return hashlib.sha256(canonical(entry) + prev_hash.encode()).hexdigest()


# Fixed statements with bound parameters (the hot path: plain Core text, compiled once).
_NEXT = text("UPDATE ledger_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
_INSERT = LedgerEntry.__table__.insert()
_ADVANCE = text("UPDATE ledger_head SET hash = :hash WHERE id = 1")
# The same three statements compiled once for SQLite, run on its driver cursor: SQLAlchemy's
# per-statement work was a third of an append's CPU there. Same connection, same transaction.
_SQLITE_NEXT, _SQLITE_INSERT, _SQLITE_ADVANCE = (stmt.compile(dialect=sqlite.dialect())
                                                 for stmt in (_NEXT, _INSERT, _ADVANCE))


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _actor_name(actor: Reader) -> str:
    if actor.email:
        return actor.email
    return actor.role  # "anonymous" | "operator"


def record(session: Session, *, actor: Reader, action: str, dataset_id: int | None = None,
           version_id: int | None = None, purpose: str | None = None, agreement_id: int | None = None,
           query_fingerprint: str | None = None, rows: int | None = None, cells: int | None = None,
           detail: dict | None = None) -> None:
    """Record one entry in the caller's transaction; it is appended to the chain when that commits.

    `detail` must be JSON-serialisable; it is stored as canonical JSON (sorted keys).
    """
    entry = {
        "at": _now_iso(),
        "actor": _actor_name(actor),
        "user_id": actor.user_id,
        "organisation_id": actor.organisation_id,
        "party": actor.party,
        "action": str(action),
        "dataset_id": dataset_id,
        "version_id": version_id,
        "purpose": purpose if purpose is not None else actor.purpose,
        "agreement_id": agreement_id,
        "query_fingerprint": query_fingerprint,
        "rows": rows,
        "cells": cells,
        "detail": json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                             default=str) if detail is not None else None,
    }
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_PENDING, []).append((transaction, entry))


_PENDING = "scobank.ledger.pending"  # session.info key: [(the transaction that recorded it, entry)]
_LEDGER_TABLES = {LedgerEntry.__table__, LedgerHead.__table__}


def append_pending(session: Session) -> None:
    """Append the entries this session recorded and has not appended yet, in the order recorded.

    Takes the next number and the previous hash in one write: it locks the head row (PostgreSQL) or
    the database (SQLite) until the caller commits, so no other writer can slip in between.
    """
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    conn = session.connection()
    for _, entry in pending:
        if conn.dialect.name == "sqlite":
            _append_sqlite(conn.connection.driver_connection, entry)
            continue
        seq, prev = conn.execute(_NEXT).one()
        digest = entry_hash(entry, prev)
        conn.execute(_INSERT, {"seq": seq, "prev_hash": prev, "hash": digest, **entry})
        conn.execute(_ADVANCE, {"hash": digest})


@event.listens_for(Session, "before_commit")
def _append_at_commit(session: Session) -> None:
    append_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _append_before_reading_the_ledger(state) -> None:
    """A query of the ledger's tables in a session with entries still to append sees them appended."""
    if state.session.info.get(_PENDING) and _LEDGER_TABLES & set(find_tables(state.statement, include_crud=True)):
        append_pending(state.session)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rolled-back transaction or savepoint takes the entries recorded inside it along."""
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [(tx, entry) for tx, entry in pending if not _inside(tx, previous_transaction)]


def _inside(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _append_sqlite(driver_connection: sqlite3.Connection, entry: dict) -> int:
    """`record`'s three statements on the sqlite3 connection of the caller's session.

    The driver opens the transaction at the first UPDATE, as it does under SQLAlchemy, and the
    session's commit or rollback ends it: the entry still lives and dies with the caller's work.
    """
    cursor = driver_connection.cursor()
    try:
        seq, prev = cursor.execute(_SQLITE_NEXT.string).fetchone()
        row = {"seq": seq, "prev_hash": prev, "hash": entry_hash(entry, prev), **entry}
        cursor.execute(_SQLITE_INSERT.string, [row[name] for name in _SQLITE_INSERT.positiontup])
        cursor.execute(_SQLITE_ADVANCE.string, (row["hash"],))
    finally:
        cursor.close()
    return seq


@dataclass(frozen=True)
class VerifyResult:
    """`ok` or the first problem: its kind (edited | deleted | inserted | reordered) and entry."""

    ok: bool
    entries: int
    kind: str | None = None
    seq: int | None = None
    message: str = "the ledger is intact"

    def to_dict(self) -> dict:
        return {"ok": self.ok, "entries": self.entries, "kind": self.kind, "seq": self.seq,
                "message": self.message}


_COLUMNS = [LedgerEntry.seq, LedgerEntry.prev_hash, LedgerEntry.hash,
            *[getattr(LedgerEntry, name) for name in HASHED]]


def _rows(session: Session, *, after: int = 0) -> Iterator[tuple]:
    """(seq, prev_hash, hash, *HASHED) in sequence order, streamed."""
    append_pending(session)
    stmt = select(*_COLUMNS).where(LedgerEntry.seq > after).order_by(LedgerEntry.seq)
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # the driver's cursor directly: half the time per row
        cursor = conn.connection.driver_connection.cursor()
        compiled = stmt.compile(conn)
        cursor.execute(str(compiled), [compiled.params[k] for k in compiled.positiontup])
        while batch := cursor.fetchmany(20_000):
            yield from batch
        cursor.close()
        return
    yield from conn.execute(stmt.execution_options(yield_per=20_000))


@dataclass
class _Walk:
    """How far `verify` has walked: the last good entry, its hash and the one before it."""

    prev_hash: str = GENESIS
    prev2_hash: str | None = None
    prev_seq: int = 0
    count: int = 0


def verify(session: Session) -> VerifyResult:
    """Walk the whole chain in sequence order; stop at the first broken link and say what broke it.

    Safe while the bank is serving: when the head has moved past the walked chain (entries appended
    since the walk read them), the walk goes on from there before it calls anything missing deleted.
    """
    append_pending(session)
    walk = _Walk()
    problem = _walk(session, walk, after=0)
    while problem is None:
        head_seq, head_hash = session.execute(select(LedgerHead.seq, LedgerHead.hash)).one()
        if head_hash == walk.prev_hash:
            return VerifyResult(True, walk.count, message=f"the ledger is intact: {walk.count} entries")
        if head_seq <= walk.prev_seq:
            return VerifyResult(False, walk.count, "inserted", walk.prev_seq,
                                f"entry {walk.prev_seq} was inserted after the last recorded entry {head_seq}")
        walked = walk.count
        problem = _walk(session, walk, after=walk.prev_seq)
        if problem is None and walk.count == walked:
            return VerifyResult(False, walk.count, "deleted", walk.prev_seq + 1,
                                f"entry {walk.prev_seq + 1} was deleted: the chain ends at {walk.prev_seq}, "
                                f"its head says {head_seq}")
    return problem


def _walk(session: Session, walk: _Walk, *, after: int) -> VerifyResult | None:
    """Check the entries after `after` against `walk` and advance it; the first problem, if any."""
    prev_hash, prev2_hash, prev_seq, count = walk.prev_hash, walk.prev2_hash, walk.prev_seq, walk.count
    sha = hashlib.sha256
    for row in _rows(session, after=after):
        seq, stored_prev, stored_hash = row[0], row[1], row[2]
        intact = sha(canonical_values(row[3:]) + stored_prev.encode()).hexdigest() == stored_hash
        if intact and stored_prev == prev_hash:
            prev2_hash, prev_hash, prev_seq, count = prev_hash, stored_hash, seq, count + 1
            continue
        if not intact and stored_prev == prev_hash:
            return VerifyResult(False, count, "edited", seq,
                                f"entry {seq} was edited: its content no longer matches its hash")
        return _diagnose(session, count=count, seq=seq, prev_seq=prev_seq, expected_prev=prev_hash,
                         prev2_hash=prev2_hash, stored_prev=stored_prev)
    walk.prev_hash, walk.prev2_hash, walk.prev_seq, walk.count = prev_hash, prev2_hash, prev_seq, count
    return None


def _diagnose(session: Session, *, count: int, seq: int, prev_seq: int, expected_prev: str,
              prev2_hash: str | None, stored_prev: str) -> VerifyResult:
    """Entry `seq` does not follow entry `prev_seq`: was something moved, inserted or deleted?"""
    later = session.execute(select(LedgerEntry.seq).where(LedgerEntry.seq > seq,
                                                          LedgerEntry.hash == stored_prev)).scalar()
    if later is not None:
        return VerifyResult(False, count, "reordered", seq,
                            f"entry {seq} is out of order: it belongs after entry {later}")
    if prev2_hash is not None and stored_prev == prev2_hash:
        return VerifyResult(False, count - 1, "inserted", prev_seq,
                            f"entry {prev_seq} was inserted: entry {seq} follows the entry before it")
    following = session.execute(select(LedgerEntry.seq, LedgerEntry.prev_hash).where(LedgerEntry.seq > seq)
                                .order_by(LedgerEntry.seq).limit(1)).first()
    if following is not None and following.prev_hash == expected_prev:
        return VerifyResult(False, count, "inserted", seq,
                            f"entry {seq} was inserted: entry {following.seq} follows entry {prev_seq}")
    if seq - prev_seq == 2:
        missing = f"entry {prev_seq + 1} was"
    elif seq - prev_seq > 2:
        missing = f"entries {prev_seq + 1}-{seq - 1} were"
    else:
        missing = f"an entry between {prev_seq} and {seq} was"
    return VerifyResult(False, count, "deleted", prev_seq + 1,
                        f"{missing} deleted: entry {seq} does not follow entry {prev_seq}")


@dataclass(frozen=True)
class LedgerFilter:
    dataset_ids: list[int] | None = None  # None = every dataset
    actor: str | None = None
    action: str | None = None
    party: str | None = None
    since: str | None = None  # ISO date or time, inclusive
    until: str | None = None  # ISO date or time, exclusive
    limit: int = 100
    before_seq: int | None = None  # cursor: entries older than this


def _matching(stmt, where: LedgerFilter, *, paging: bool = True):
    if where.dataset_ids is not None:
        stmt = stmt.where(LedgerEntry.dataset_id.in_(where.dataset_ids))
    if where.actor:
        stmt = stmt.where(LedgerEntry.actor == where.actor)
    if where.action:
        stmt = stmt.where(LedgerEntry.action == where.action)
    if where.party:
        stmt = stmt.where(LedgerEntry.party == where.party.upper())
    if where.since:
        stmt = stmt.where(LedgerEntry.at >= where.since)
    if where.until:
        stmt = stmt.where(LedgerEntry.at < where.until)
    if paging and where.before_seq:
        stmt = stmt.where(LedgerEntry.seq < where.before_seq)
    return stmt


def entries(session: Session, *, where: LedgerFilter) -> list[LedgerEntry]:
    """Entries matching `where`, newest first (at most `limit`)."""
    append_pending(session)
    stmt = select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(max(1, min(where.limit, 1000)))
    return list(session.scalars(_matching(stmt, where)))


def count(session: Session, *, where: LedgerFilter) -> int:
    """How many entries match `where` over all pages (its `limit` and `before_seq` aside)."""
    append_pending(session)
    return int(session.scalar(_matching(select(func.count(LedgerEntry.seq)), where, paging=False)) or 0)


def entry_dict(entry: LedgerEntry, *, slugs: dict[int, str] | None = None) -> dict:
    """The public shape of one entry (what `ledger show --json` and the API return)."""
    return {
        "seq": entry.seq, "at": entry.at, "actor": entry.actor, "user_id": entry.user_id,
        "organisation_id": entry.organisation_id, "party": entry.party, "action": entry.action,
        "dataset_id": entry.dataset_id,
        "dataset": (slugs or {}).get(entry.dataset_id) if entry.dataset_id is not None else None,
        "version_id": entry.version_id, "purpose": entry.purpose, "agreement_id": entry.agreement_id,
        "query_fingerprint": entry.query_fingerprint, "rows": entry.rows, "cells": entry.cells,
        "detail": json.loads(entry.detail) if entry.detail else None,
        "prev_hash": entry.prev_hash, "hash": entry.hash,
    }
