"""Access benchmarks, each side by side with a peer measured in the same run:

1. the gate: authorize() latency (p50/p95) for owners, members under a policy, agreement holders and
   a hidden dataset, and visible_datasets() in a listing of N datasets; peer: fetching the dataset row
   by primary key (the least any access check costs);
2. ledger appends per second on SQLite, one transaction (commit) each, one writer and four threads;
   peer: a plain INSERT of the same row into an unchained table, one transaction each;
3. `ledger verify` over a chain of N entries (default 1,000,000); peer: reading the same rows only.

    PYTHONPATH=src python benchmarks/access.py [--datasets 2000] [--checks 2000] [--appends 5000]
                                               [--entries 1000000]

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
    from scobank.access import policies, requests, users
    from scobank.access.gate import OPERATOR
    from scobank.catalog.models import Dataset, Organisation
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
                policies.set_dataset_policy(s, dataset=ds, document=kinds[i % len(kinds)], actor=None)
        for email, org, role in (("kz@x.org", "org-kaz", "viewer"), ("ru@x.org", "org-rus", "viewer"),
                                 ("mn@x.org", "org-mng", "viewer")):
            users.create_user(s, email=email, organisation=org, role=role)
        for i in range(0, n_datasets, 50):
            requests.grant_agreement(s, reader=OPERATOR, slug=f"ds-{i:05d}", user_email="mn@x.org",
                                     terms=requests.Terms("statistics", utcnow().date() + timedelta(days=30)))


def bench_gate(n_datasets: int, checks: int) -> list[str]:
    from sqlalchemy import func, select

    from scobank.access.gate import Action, authorize, visible_datasets
    from scobank.access.users import find_user, reader_for
    from scobank.catalog.models import Dataset
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
                authorize(s, reader=reader, dataset=ds, action=Action.QUERY)
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


def bench_appends(n: int) -> list[str]:
    from sqlalchemy import text

    from scobank.access import ledger
    from scobank.access.gate import Reader
    from scobank.db import get_engine, session_scope

    actor = Reader(user_id=1, email="ru@x.org", organisation_id=2, party="RUS", role="viewer")
    with get_engine().begin() as conn:
        conn.execute(text("CREATE TABLE plain_log (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT, "
                          "dataset_id INTEGER, rows INTEGER, detail TEXT)"))

    def chained(count: int) -> None:
        for i in range(count):
            with session_scope() as s:
                ledger.record(s, actor=actor, action="query", dataset_id=i % 100, rows=i, cells=3 * i,
                              query_fingerprint="f" * 16, detail={"i": i})

    def plain(count: int) -> None:
        for i in range(count):
            with session_scope() as s:
                s.execute(text("INSERT INTO plain_log (at, actor, action, dataset_id, rows, detail) "
                               "VALUES (:at, :actor, 'query', :d, :r, :detail)"),
                          {"at": "2026-01-01T00:00:00.000000Z", "actor": "ru@x.org", "d": i % 100, "r": i,
                           "detail": '{"i":1}'})

    lines = []
    for label, fn in (("chained ledger.record", chained), ("peer: plain INSERT", plain)):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(n)
        one, one_cpu = n / (time.perf_counter() - t0), n / (time.process_time() - c0)
        threads = [threading.Thread(target=fn, args=(n // 4,)) for _ in range(4)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        four = (n // 4 * 4) / (time.perf_counter() - t0)
        lines.append(f"{label}: {one:,.0f}/s one writer ({one_cpu:,.0f}/s of CPU time), {four:,.0f}/s four threads "
                     f"(a transaction each, SQLite WAL synchronous=NORMAL)")
    with session_scope() as s:
        result = ledger.verify(s)
    lines.append(f"after the concurrent appends: {result.message}")
    return lines


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup(Path(tmp) / "home")
        for line in bench_gate(args.datasets, args.checks) + bench_appends(args.appends) + bench_verify(args.entries):
            print(line, flush=True)


if __name__ == "__main__":
    main()
