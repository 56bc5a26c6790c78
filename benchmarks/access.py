"""Access benchmarks, each side by side with a peer measured in the same run:

1. the gate: authorize() latency (p50/p95) for owners, members under a policy, agreement holders and
   a hidden dataset, and visible_datasets() in a listing of N datasets; peer: fetching the dataset row
   by primary key (the least any access check costs);
2. ledger appends per second on SQLite, `record` + a commit per entry (what a request pays), one
   writer and four threads; peers: a plain INSERT of a row of the same size into an unchained table
   with the same indexes, a commit each, on the driver cursor and through SQLAlchemy Core;
3. `ledger verify` over a chain of N entries (default 1,000,000); peer: reading the same rows only.

    PYTHONPATH=src python benchmarks/access.py [--datasets 2000] [--checks 2000] [--appends 5000]
                                               [--rounds 3] [--entries 1000000] [--only appends ...]

Builds a throwaway bank (SQLite, WAL) in a temp folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path


def _setup(home: Path) -> None:
    os.environ["SCOBANK_HOME"] = str(home)
    os.environ.pop("SCOBANK_DATABASE_URL", None)
    os.environ["SCOBANK_PASSWORD_HASHING"] = "fast"
    from scobank.bank import init_bank
    from scobank.config import reset_settings
    from scobank.db import reset_engines

    reset_settings()
    reset_engines()
    init_bank()


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def _world(n_datasets: int):
    """kz-stat publishes n datasets with mixed policies; users of KAZ, RUS and MNG."""
    from scobank.access import policies, users
    from scobank.access.reader import OPERATOR
    from scobank.catalog.models import Dataset, Organisation
    from scobank.catalog.refs import ref_of
    from scobank.stewardship import requests
    from scobank.db import session_scope, utcnow

    kinds = [{"audience": "public"}, {"audience": "members"}, {"audience": "owner"},
             {"audience": "parties", "parties": ["MNG"]}, {"audience": "members", "aggregates_only_k": 5}]
    with session_scope() as s:
        orgs = {p: Organisation(slug=f"org-{p.lower()}", party=p, names={"en": p}) for p in ("KAZ", "RUS", "MNG")}
        s.add_all(orgs.values())
        s.flush()
        for i in range(n_datasets):
            s.add(Dataset(slug=f"ds-{i:05d}", organisation_id=orgs["KAZ"].id, title={"en": f"d{i}"}))
        s.flush()
        for i, ds in enumerate(s.query(Dataset).order_by(Dataset.id)):
            if i % 7:  # most have a policy of their own; the rest follow the built-in default
                policies.set_dataset_policy(s, dataset=ref_of(s, ds), document=kinds[i % len(kinds)], actor=None)
        for email, org, role in (("kz@x.org", "org-kaz", "viewer"), ("ru@x.org", "org-rus", "viewer"),
                                 ("mn@x.org", "org-mng", "viewer")):
            users.create_user(s, email=email, organisation=org, role=role)
        for i in range(0, n_datasets, 50):
            requests.grant_agreement(s, reader=OPERATOR, slug=f"ds-{i:05d}", user_email="mn@x.org",
                                     terms=requests.Terms("statistics", utcnow().date() + timedelta(days=30)))


def bench_gate(n_datasets: int, checks: int) -> list[str]:
    from sqlalchemy import func, select

    from scobank.access.gate import authorize
    from scobank.access.reader import Action
    from scobank.access.users import find_user, reader_for
    from scobank.catalog.models import Dataset
    from scobank.catalog.refs import ref_of
    from scobank.catalog.visibility import visible_datasets
    from scobank.db import session_scope
    from scobank.errors import AccessDenied, NotFound

    _world(n_datasets)
    lines = []
    with session_scope() as s:
        readers = {e: reader_for(s, find_user(s, e), via="token") for e in ("kz@x.org", "ru@x.org", "mn@x.org")}
        ids = list(s.scalars(select(Dataset.id).order_by(Dataset.id)))
        gate_ms, peer_ms, cpu_ms = [], [], []
        for i in range(checks):
            reader = list(readers.values())[i % 3]
            ds_id = ids[(i * 37) % len(ids)]
            s.expunge_all()  # each check starts cold, as in a new request
            t0 = time.perf_counter()
            ds = s.get(Dataset, ds_id)
            t1, c1 = time.perf_counter(), time.process_time()
            try:
                authorize(s, reader=reader, dataset=ref_of(s, ds), action=Action.QUERY)
            except (NotFound, AccessDenied):
                pass
            t2 = time.perf_counter()
            cpu_ms.append((time.process_time() - c1) * 1000)
            peer_ms.append((t1 - t0) * 1000)
            gate_ms.append((t2 - t1) * 1000)
        lines.append(f"authorize (QUERY), {checks} checks over {n_datasets} datasets, 3 readers: "
                     f"p50 {statistics.median(gate_ms):.3f} ms, p95 {_pct(gate_ms, 0.95):.3f} ms; "
                     f"peer (dataset row by key) p50 {statistics.median(peer_ms):.3f} ms, "
                     f"p95 {_pct(peer_ms, 0.95):.3f} ms; ratio p95 {_pct(gate_ms, .95) / _pct(peer_ms, .95):.1f}x; "
                     f"CPU per check p50 {statistics.median(cpu_ms):.3f} ms, p95 {_pct(cpu_ms, .95):.3f} ms")
        list_ms, plain_ms = [], []
        for i in range(60):
            reader = list(readers.values())[i % 3]
            t0 = time.perf_counter()
            s.scalar(select(func.count(Dataset.id)).where(visible_datasets(s, reader)))
            t1 = time.perf_counter()
            s.scalar(select(func.count(Dataset.id)))
            t2 = time.perf_counter()
            list_ms.append((t1 - t0) * 1000)
            plain_ms.append((t2 - t1) * 1000)
        lines.append(f"count of visible datasets ({n_datasets}): p50 {statistics.median(list_ms):.2f} ms, "
                     f"p95 {_pct(list_ms, .95):.2f} ms; peer (count of all) p50 {statistics.median(plain_ms):.2f} ms; "
                     f"ratio p50 {statistics.median(list_ms) / statistics.median(plain_ms):.1f}x")
    return lines


def _peer_table():
    """An unchained copy of ledger_entries: same columns and indexes, an ordinary integer key."""
    from sqlalchemy import Column, Integer, MetaData, Table

    from scobank.access.models import LedgerEntry

    columns = [Column(c.name, c.type, index=c.index) for c in LedgerEntry.__table__.columns if c.name != "seq"]
    return Table("plain_entries", MetaData(), Column("id", Integer, primary_key=True), *columns)


def _rate(fn, n: int, threads: int = 1) -> tuple[float, float]:
    """(calls per second of wall time, per second of this process's CPU time) of fn(n) split over threads."""
    workers = [threading.Thread(target=fn, args=(n // threads,)) for _ in range(threads)]
    t0, c0 = time.perf_counter(), time.process_time()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    done = n // threads * threads
    return done / (time.perf_counter() - t0), done / (time.process_time() - c0)


def bench_appends(n: int, rounds: int) -> list[str]:
    """What a request pays for its ledger entry: `record` + the request's commit, one entry each.

    Peers in the same run, same session_scope per row: a plain INSERT of a row of the same size into
    an unchained table with the same indexes, (a) on the driver's cursor, as `record` writes on
    SQLite (the least one durable row costs on this path) and (b) through SQLAlchemy Core. Each
    measure runs `rounds` times interleaved with the others; the median is reported.
    """
    from sqlalchemy import insert
    from sqlalchemy.dialects import sqlite

    from scobank.access import ledger
    from scobank.access.reader import Reader
    from scobank.db import get_engine, session_scope

    actor = Reader(user_id=1, email="ru@x.org", organisation_id=2, party="RUS", role="viewer")
    peer = _peer_table()
    peer.create(get_engine())
    peer_insert = insert(peer)
    compiled = peer_insert.compile(dialect=sqlite.dialect())

    def row(i: int) -> dict:
        return {"at": ledger._now_iso(), "actor": actor.email, "user_id": 1, "organisation_id": 2, "party": "RUS",
                "action": "query", "dataset_id": i % 100, "version_id": None, "purpose": None, "agreement_id": None,
                "query_fingerprint": "f" * 16, "rows": i, "cells": 3 * i, "detail": f'{{"i":{i}}}',
                "prev_hash": "0" * 64, "hash": "1" * 64}

    def chained(count: int) -> None:
        for i in range(count):
            with session_scope() as s:
                ledger.record(s, actor=actor, action="query", dataset_id=i % 100, rows=i, cells=3 * i,
                              query_fingerprint="f" * 16, detail={"i": i})

    def plain_cursor(count: int) -> None:
        for i in range(count):
            with session_scope() as s:
                values = row(i)
                s.connection().connection.driver_connection.execute(
                    compiled.string, [values.get(k) for k in compiled.positiontup])

    def plain_core(count: int) -> None:
        for i in range(count):
            with session_scope() as s:
                s.execute(peer_insert, row(i))

    def chained_one_transaction(count: int) -> None:
        with session_scope() as s:
            for i in range(count):
                ledger.record(s, actor=actor, action="query", dataset_id=i % 100, rows=i, cells=3 * i,
                              query_fingerprint="f" * 16, detail={"i": i})

    measures = {"chained": (chained, 1), "cursor": (plain_cursor, 1), "core": (plain_core, 1),
                "chained4": (chained, 4), "cursor4": (plain_cursor, 4), "batch": (chained_one_transaction, 1)}
    chained(200)  # warm up the pool, the statement caches and the WAL
    plain_cursor(200)
    plain_core(200)
    wall: dict[str, list[float]] = {k: [] for k in measures}
    cpu: dict[str, list[float]] = {k: [] for k in measures}
    for _ in range(rounds):
        for key, (fn, threads) in measures.items():
            w, c = _rate(fn, n, threads)
            wall[key].append(w)
            cpu[key].append(c)
    med = {k: statistics.median(v) for k, v in wall.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu.items()}
    with session_scope() as s:
        result = ledger.verify(s)
    return [
        f"ledger.record + commit, one entry per transaction, one writer: {med['chained']:,.0f}/s "
        f"({cpu_med['chained']:,.0f}/s of CPU time; median of {rounds} rounds of {n:,}: "
        f"{', '.join(f'{x:,.0f}' for x in wall['chained'])})",
        f"peer: plain INSERT of the same row + commit on the driver cursor: {med['cursor']:,.0f}/s "
        f"({cpu_med['cursor']:,.0f}/s CPU); ratio ledger/peer {med['chained'] / med['cursor']:.2f} "
        f"(CPU {cpu_med['chained'] / cpu_med['cursor']:.2f})",
        f"peer: plain INSERT of the same row + commit through SQLAlchemy Core: {med['core']:,.0f}/s "
        f"({cpu_med['core']:,.0f}/s CPU); ratio ledger/peer {med['chained'] / med['core']:.2f} "
        f"(CPU {cpu_med['chained'] / cpu_med['core']:.2f})",
        f"four threads, a transaction each: ledger {med['chained4']:,.0f}/s, plain INSERT (cursor) "
        f"{med['cursor4']:,.0f}/s; ratio {med['chained4'] / med['cursor4']:.2f}",
        f"reference, not a commit per entry: {n:,} ledger.record in one transaction {med['batch']:,.0f}/s",
        f"after the appends: {result.message} (SQLite WAL, synchronous=NORMAL, the app's engine)",
    ]


def bench_verify(n: int) -> list[str]:
    from sqlalchemy import insert, select, update

    from scobank.access import ledger
    from scobank.access.models import LedgerEntry, LedgerHead
    from scobank.db import session_scope

    with session_scope() as s:
        seq, prev = s.execute(select(LedgerHead.seq, LedgerHead.hash)).one()
    t0 = time.perf_counter()
    batch = []
    for i in range(n):
        entry = {name: None for name in ledger.HASHED}
        entry.update(at=f"2026-01-01T00:00:{i % 60:02d}.{i % 1_000_000:06d}Z", actor=f"user{i % 500}@x.org",
                     user_id=i % 500, organisation_id=i % 40, party="KAZ", action="query", dataset_id=i % 2000,
                     version_id=i % 5000, purpose="statistics", query_fingerprint=f"{i:016x}", rows=i % 1000,
                     cells=i % 9000, detail='{"page":1}')
        digest = ledger.entry_hash(entry, prev)
        seq += 1
        batch.append({"seq": seq, "prev_hash": prev, "hash": digest, **entry})
        prev = digest
        if len(batch) == 50_000 or i == n - 1:
            with session_scope() as s:
                s.execute(insert(LedgerEntry), batch)
            batch = []
    with session_scope() as s:
        s.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=seq, hash=prev))
    built = time.perf_counter() - t0
    with session_scope() as s:
        t0 = time.perf_counter()
        count = sum(1 for _ in ledger._rows(s))
        read = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        result = ledger.verify(s)
        verified, verified_cpu = time.perf_counter() - t0, time.process_time() - c0
    return [f"verify of {result.entries:,} entries: {verified:.1f} s wall, {verified_cpu:.1f} s CPU ({result.message}); "
            f"peer (reading the same {count:,} rows) {read:.1f} s; ratio {verified / read:.1f}x "
            f"(building the chain took {built:.0f} s)"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=2000)
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--appends", type=int, default=5000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="append rounds (median reported)")
    parser.add_argument("--only", choices=["gate", "appends", "verify"], action="append",
                        help="run only these parts (repeatable); default all")
    args = parser.parse_args()
    parts = args.only or ["gate", "appends", "verify"]
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp) / "home")
        print(f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
        if "gate" in parts:
            _print(bench_gate(args.datasets, args.checks))
        if "appends" in parts:
            _print(bench_appends(args.appends, args.rounds))
        if "verify" in parts:
            _print(bench_verify(args.entries))
        print(f"load average at end: {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line, flush=True)


if __name__ == "__main__":
    main()
