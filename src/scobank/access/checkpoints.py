"""A ledger nobody can rewrite quietly: a Merkle tree over its entries and signed checkpoints.

The hash chain (scobank.access.ledger) catches a single edit, but whoever can write the database can
recompute every hash after a change. So the bank also publishes checkpoints: signed notes in the C2SP
tlog-checkpoint format (origin, tree size, RFC 6962 root; Ed25519, key name = origin) over a Merkle
tree whose leaf i is the canonical bytes of entry i+1 (`ledger.canonical`). The signing key lives in
$SCOBANK_HOME/keys/ledger.pem (encrypted with the installation's secret key), not in the database.

Each party and any witness keeps the checkpoints it has seen (`scobank ledger checkpoint --save`,
GET /api/v1/ledger/checkpoints). `verify_heads` proves with RFC 9162 consistency proofs that today's
ledger extends every kept head: a rewritten, deleted, renumbered, forged or cut entry, or a wiped
ledger, changes the tree at the head's size and the proof fails. A party gets an inclusion proof for
its own entries (`inclusion`) without seeing anyone else's: the proof holds only sibling hashes.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access import merkle, notes
from scobank.access.ledger import HASHED, _rows, append_pending, canonical_values, entry_dict
from scobank.access.models import LedgerCheckpoint, LedgerEntry
from scobank.access.reader import Reader
from scobank.access.secret_key import secret_key, write_private
from scobank.config import get_settings
from scobank.errors import Conflict, NotFound


def _key_path():
    path = get_settings().home / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path / "ledger.pem"


@cache
def _load(path: str, secret: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=secret)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def signing_key() -> Ed25519PrivateKey:
    """The bank's ledger key, made on first use (never printed, logged or stored in the database)."""
    path = _key_path()
    if not path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret_key()))
        try:
            write_private(path, pem)
        except FileExistsError:
            pass  # made by a concurrent process: use theirs
    return _load(str(path), secret_key())


def origin() -> str:
    return get_settings().ledger_origin


def verifier_key() -> str:
    """The checkpoints' verifier key (C2SP vkey): what a party keeps to check them."""
    return notes.vkey(origin(), signing_key().public_key())


def leaf_hashes(session: Session) -> list[bytes]:
    """The Merkle leaf hash of every entry, in sequence order."""
    leaf = merkle.leaf_hash
    return [leaf(canonical_values(row[3:])) for row in _rows(session)]


@dataclass(frozen=True)
class HeadCheck:
    """One kept head checked against today's ledger."""

    size: int
    ok: bool
    message: str

    def to_dict(self) -> dict:
        return {"size": self.size, "ok": self.ok, "message": self.message}


def check_head(note: str, leaves: list[bytes], verifier: notes.Verifier) -> HeadCheck:
    """Is the checkpoint `note` signed by `verifier`, and does the ledger (`leaves`) extend it?"""
    try:
        head = notes.Checkpoint.parse(notes.verify(note, verifier))
    except Exception as exc:  # a malformed or forged note: say so, keep checking the others
        return HeadCheck(-1, False, f"not a valid checkpoint of this bank: {getattr(exc, 'message', exc)}")
    n = len(leaves)
    if head.origin != verifier.name:
        return HeadCheck(head.size, False, f"checkpoint of another log ({head.origin})")
    if head.size > n:
        return HeadCheck(head.size, False, f"the ledger has {n} entries but a kept checkpoint saw {head.size}: "
                                           "entries were removed (cut or wiped)")
    proof = merkle.consistency_proof(head.size, leaves, n)
    if not merkle.verify_consistency(first=head.size, second=n, first_hash=head.root,
                                     second_hash=merkle.root(leaves), proof=proof):
        return HeadCheck(head.size, False, f"the first {head.size} entries are not those the checkpoint of size "
                                           f"{head.size} signed: the ledger was rewritten")
    return HeadCheck(head.size, True, f"consistent with the checkpoint of size {head.size}")


def verify_heads(session: Session, heads: list[str], *, key: str | None = None) -> list[HeadCheck]:
    """Check every kept checkpoint (signed notes) against today's ledger; `key` is the verifier key the
    party kept (default: this bank's own)."""
    verifier = notes.Verifier.parse(key or verifier_key())
    leaves = leaf_hashes(session)
    return [check_head(note, leaves, verifier) for note in heads]


def stored_notes(session: Session) -> list[str]:
    return list(session.scalars(select(LedgerCheckpoint.note).order_by(LedgerCheckpoint.id)))


def checkpoint(session: Session) -> LedgerCheckpoint:
    """Sign a checkpoint of the ledger as it is now, in the caller's transaction (the newest one again
    when nothing was appended). Refuses (Conflict) to sign a tree inconsistent with the newest
    checkpoint it signed before: a log never signs two histories."""
    leaves = leaf_hashes(session)
    latest = session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.id.desc()).limit(1)).first()
    root = merkle.root(leaves)
    if latest is not None:
        check = check_head(latest.note, leaves, notes.Verifier.parse(verifier_key()))
        if not check.ok:
            raise Conflict(f"will not sign the ledger: {check.message}")
        if latest.size == len(leaves):
            return latest
    text = notes.Checkpoint(origin(), len(leaves), root).text()
    row = LedgerCheckpoint(size=len(leaves), root_hash=root.hex(),
                           note=notes.sign(text, name=origin(), private=signing_key()))
    session.add(row)
    session.flush()
    return row


def checkpoint_dict(row: LedgerCheckpoint) -> dict:
    return {"size": row.size, "root_hash": base64.b64encode(bytes.fromhex(row.root_hash)).decode(),
            "note": row.note, "at": row.created_at.isoformat() + "Z"}


def published(session: Session, *, limit: int = 20) -> dict:
    """The newest checkpoints and the key that verifies them (GET /api/v1/ledger/checkpoints)."""
    rows = session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.id.desc())
                           .limit(max(1, min(limit, 1000))))
    return {"origin": origin(), "verifier_key": verifier_key(), "checkpoints": [checkpoint_dict(r) for r in rows]}


def consistency(session: Session, *, first: int, second: int | None = None) -> dict:
    """The RFC 9162 consistency proof between two tree sizes (default second: the newest checkpoint)."""
    leaves = leaf_hashes(session)
    if second is None:
        second = session.scalar(select(func.max(LedgerCheckpoint.size))) or len(leaves)
    if not 0 <= first <= second <= len(leaves):
        raise NotFound(f"no consistency proof from size {first} to {second}: the ledger has {len(leaves)} entries")
    proof = merkle.consistency_proof(first, leaves, second)
    return {"first": first, "second": second, "second_root": _b64(merkle.root(leaves, second)),
            "proof": [_b64(p) for p in proof]}


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _own(reader: Reader, entry: LedgerEntry) -> bool:
    """The reader's own entry; a steward or admin also sees those of their organisation's users."""
    if reader.is_operator or (reader.user_id is not None and entry.user_id == reader.user_id):
        return True
    return (reader.role in ("steward", "admin") and reader.organisation_id is not None
            and entry.organisation_id == reader.organisation_id)


def inclusion(session: Session, *, reader: Reader, seq: int) -> dict:
    """Entry `seq` (the reader's own, or their organisation's for its steward), the newest checkpoint that
    covers it (made now when none does) and the audit path from its leaf to that checkpoint's root.
    Anyone else's entry is NotFound: a proof shows no other entry, only sibling hashes."""
    append_pending(session)
    entry = session.get(LedgerEntry, seq)
    if entry is None or not _own(reader, entry):
        raise NotFound(f"no ledger entry {seq} of yours")
    index = session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.seq < seq))
    head = session.scalars(select(LedgerCheckpoint).where(LedgerCheckpoint.size > index)
                           .order_by(LedgerCheckpoint.id.desc()).limit(1)).first() or checkpoint(session)
    leaves = leaf_hashes(session)
    return {"entry": entry_dict(entry), "leaf_index": index, "tree_size": head.size, "checkpoint": head.note,
            "verifier_key": verifier_key(),
            "proof": [_b64(p) for p in merkle.inclusion_proof(index, leaves, head.size)]}


def check_inclusion(doc: dict, *, key: str) -> bool:
    """What a party runs on an inclusion proof: the checkpoint is signed by `key` and the entry's leaf
    (recomputed from its fields) hashes up to the checkpoint's root."""
    head = notes.Checkpoint.parse(notes.verify(doc["checkpoint"], notes.Verifier.parse(key)))
    entry = doc["entry"]
    detail = entry["detail"]
    values = {**entry, "detail": None if detail is None else _canonical_json(detail)}
    leaf = merkle.leaf_hash(canonical_values(values.get(name) for name in HASHED))
    return merkle.verify_inclusion(index=doc["leaf_index"], size=head.size, leaf=leaf, root_hash=head.root,
                                   proof=[base64.b64decode(p) for p in doc["proof"]])


def _canonical_json(value) -> str:
    import json

    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def publish_every(seconds: float, stop) -> None:
    """The server's publisher (a thread): a checkpoint every `seconds` while the ledger grows, until
    `stop` (a threading.Event) is set. A refusal (a rewritten ledger) is logged, never hidden."""
    import logging

    from scobank.db import session_scope

    log = logging.getLogger("scobank.ledger")
    while not stop.wait(seconds):
        try:
            with session_scope() as session:
                row = checkpoint(session)
            log.info("ledger checkpoint: size %s", row.size)
        except Conflict as exc:
            log.error("ledger checkpoint refused: %s", exc.message)
        except Exception:  # the database is away for a moment: try again at the next interval
            log.exception("ledger checkpoint failed")
