"""A ledger nobody can rewrite quietly (issue 17, item 3).

An attacker who can write the database recomputes every hash after a change, so the chain alone
(`ledger verify`) still says intact. A party that kept a signed checkpoint catches each attack with
`ledger verify --against HEADS`: rewrite and recompute, delete and renumber, cut the tail, forge an
entry, forge a checkpoint, wipe. The attacker also deletes the bank's own stored checkpoints.
"""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import delete, insert, select, update

from scobank.access import checkpoints, ledger, merkle, notes
from scobank.access.models import LedgerCheckpoint, LedgerEntry, LedgerHead
from scobank.access.reader import Reader

ALICE = Reader(user_id=7, email="alice@example.org", organisation_id=3, party="KAZ", role="viewer")
BOB = Reader(user_id=8, email="bob@example.org", organisation_id=4, party="RUS", role="viewer")


def _append(bank, n: int, who: Reader = ALICE) -> None:
    with bank.session() as s:
        for i in range(n):
            ledger.record(s, actor=who, action="query", dataset_id=1, version_id=2, purpose="statistics",
                          query_fingerprint=f"q{i}", rows=10 + i, cells=30 + i, detail={"i": i})


def _recompute_chain(s, *, cover_tracks: bool = True) -> None:
    """What an attacker with write access does after a change: renumber, rehash, move the head."""
    rows = s.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)).all()
    prev = ledger.GENESIS
    for i, row in enumerate(rows, start=1):
        values = {name: getattr(row, name) for name in ledger.HASHED}
        digest = ledger.entry_hash(values, prev)
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == row.seq).values(seq=i, prev_hash=prev, hash=digest))
        prev = digest
    s.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=len(rows), hash=prev))
    if cover_tracks:
        s.execute(delete(LedgerCheckpoint))  # the bank's own checkpoints would show it


def _rewrite(s) -> None:
    s.execute(update(LedgerEntry).where(LedgerEntry.seq == 3).values(actor="someone-else@example.org"))


def _delete_and_renumber(s) -> None:
    s.execute(delete(LedgerEntry).where(LedgerEntry.seq == 2))
    for seq in range(3, 7):
        s.execute(update(LedgerEntry).where(LedgerEntry.seq == seq).values(seq=seq - 1))


def _cut_tail(s) -> None:
    s.execute(delete(LedgerEntry).where(LedgerEntry.seq > 4))


def _forge(s) -> None:  # an invented entry slipped in before the last one
    table = LedgerEntry.__table__
    values = dict(s.execute(select(table).where(table.c.seq == 6)).mappings().one())
    s.execute(update(table).where(table.c.seq == 6).values(seq=7))
    s.execute(insert(table).values(**{**values, "seq": 6, "actor": "nobody@example.org", "rows": 0}))


def _wipe(s) -> None:
    s.execute(delete(LedgerEntry))


ATTACKS = {"rewrite": _rewrite, "delete-and-renumber": _delete_and_renumber, "cut-tail": _cut_tail,
           "forge": _forge, "wipe": _wipe}


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_attack_that_passes_the_chain_is_caught_against_the_kept_checkpoint(bank, tmp_path, attack):
    heads = tmp_path / "heads.txt"
    _append(bank, 3)
    assert bank.cli("ledger", "checkpoint", "--save", heads).exit_code == 0
    _append(bank, 3, BOB)
    assert bank.cli("ledger", "checkpoint", "--save", heads).exit_code == 0
    assert bank.cli("ledger", "verify", "--against", heads).exit_code == 0
    with bank.session() as s:
        ATTACKS[attack](s)
        _recompute_chain(s)
    quiet = bank.cli("ledger", "verify")
    assert quiet.exit_code == 0, quiet.stderr  # the hash chain alone cannot see it: that was the hole
    caught = bank.cli("ledger", "verify", "--against", heads, "--json")
    assert caught.exit_code == 14
    report = json.loads(caught.stdout)
    assert report["ok"] is False
    assert [(h["size"], h["ok"]) for h in report["checkpoints"]] == [(3, KEPT[attack][0]), (6, KEPT[attack][1])]
    reasons = [h["message"] for h in report["checkpoints"] if not h["ok"]]
    assert len(reasons) == len(REASON[attack]), reasons
    assert all(r in m for r, m in zip(REASON[attack], reasons, strict=True)), reasons


# Whether each kept checkpoint (sizes 3 and 6) still holds after the attack, and why not.
KEPT = {"rewrite": (False, False), "delete-and-renumber": (False, False), "cut-tail": (True, False),
        "forge": (True, False), "wipe": (False, False)}
REWRITTEN, REMOVED = "the ledger was rewritten", "entries were removed"
REASON = {"rewrite": (REWRITTEN, REWRITTEN), "delete-and-renumber": (REWRITTEN, REMOVED), "cut-tail": (REMOVED,),
          "forge": (REWRITTEN,), "wipe": (REMOVED, REMOVED)}  # the reason of each checkpoint that fails


def test_a_checkpoint_signed_by_another_key_is_refused(bank, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _append(bank, 2)
    with bank.session() as s:
        leaves = checkpoints.leaf_hashes(s)
    text = notes.Checkpoint(checkpoints.origin(), 2, merkle.root(leaves)).text()
    forged = notes.sign(text, name=checkpoints.origin(), private=Ed25519PrivateKey.generate())
    (tmp_path / "heads.txt").write_text(forged, encoding="utf-8")
    result = bank.cli("ledger", "verify", "--against", tmp_path / "heads.txt")
    assert result.exit_code == 14 and "not a valid checkpoint of this bank" in result.stderr


def test_the_bank_refuses_to_sign_a_history_inconsistent_with_its_own_checkpoints(bank):
    _append(bank, 4)
    assert bank.cli("ledger", "checkpoint").exit_code == 0
    with bank.session() as s:
        _rewrite(s)
        _recompute_chain(s, cover_tracks=False)
    _append(bank, 1)
    refused = bank.cli("ledger", "checkpoint")
    assert refused.exit_code == 7 and "will not sign the ledger" in refused.stderr
    verify = bank.cli("ledger", "verify")  # its own stored checkpoints are checked too
    assert verify.exit_code == 14 and "the ledger was rewritten" in verify.stderr


def test_checkpoints_and_proofs_over_the_api_verify_with_the_published_key(bank, world, client):
    from scobank.access import users

    _append(bank, 5)
    with bank.session() as s:
        viewer = users.find_user(s, world.emails["kz_viewer"])
        kz = Reader(user_id=viewer.id, email=viewer.email, organisation_id=viewer.organisation_id, role="viewer")
    _append(bank, 2, kz)
    assert bank.cli("ledger", "checkpoint").exit_code == 0
    published = client.get("/api/v1/ledger/checkpoints").json()
    key = notes.Verifier.parse(published["verifier_key"])
    head = notes.Checkpoint.parse(notes.verify(published["checkpoints"][0]["note"], key))
    size = head.size
    _append(bank, 3)
    assert bank.cli("ledger", "checkpoint").exit_code == 0
    answer = client.get("/api/v1/ledger/consistency", params={"first": size}).json()
    assert answer["second"] == size + 3
    assert merkle.verify_consistency(first=size, second=size + 3, first_hash=head.root,
                                     second_hash=base64.b64decode(answer["second_root"]),
                                     proof=[base64.b64decode(p) for p in answer["proof"]])
    mine = client.get("/api/v1/ledger/proof", params={"seq": size}, headers=world.headers("kz_viewer"))
    assert mine.status_code == 200, mine.text
    doc = mine.json()
    assert doc["entry"]["actor"] == world.emails["kz_viewer"] and doc["tree_size"] == size + 3
    assert checkpoints.check_inclusion(doc, key=published["verifier_key"])
    doc["entry"]["rows"] += 1  # a changed entry no longer hashes to the signed root
    assert not checkpoints.check_inclusion(doc, key=published["verifier_key"])
    others = client.get("/api/v1/ledger/proof", params={"seq": size}, headers=world.headers("ru_viewer"))
    assert others.status_code == 404


def test_the_server_publishes_a_checkpoint_at_its_interval(bank):
    import threading

    _append(bank, 4)
    stop = threading.Event()
    publisher = threading.Thread(target=checkpoints.publish_every, args=(0.2, stop))
    publisher.start()
    try:
        for _ in range(50):
            with bank.session() as s:
                if s.scalar(select(LedgerCheckpoint.size)) == 4:
                    break
            stop.wait(0.1)
    finally:
        stop.set()
        publisher.join()
    with bank.session() as s:
        assert s.scalars(select(LedgerCheckpoint.size)).all() == [4]  # one, however many intervals passed
