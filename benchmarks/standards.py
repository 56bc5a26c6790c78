"""The standards' surfaces at scale, in one run on one machine:

1. CKAN `package_search` (full CKAN package dicts, resources included) against the bank's own
   `/api/v1/search` service over N generated datasets (en/ru/zh metadata, catalog_search.py's
   generator), the same queries: p50/p95 and the ratio (the issue's limit: within 1.5x);
2. SQL for analysts: an aggregate over a 10M-row trade version (query_10m.py's generator, published
   through ingest): p50/p95 of `run_sql` (limit: p50 < 500 ms), beside the same query straight in
   DuckDB over the same Parquet file (the floor: no gate, no ledger, no sandbox).

    PYTHONPATH=src python benchmarks/standards.py [--datasets 100000] [--rows 10000000] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import catalog_search  # noqa: E402  (the generator of the catalog benchmark)
import query_10m  # noqa: E402


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _pct(values: list[float], q: float) -> float:
    return catalog_search.percentile(values, q)


def bench_ckan(n: int, count: int) -> None:
    from sqlalchemy import select

    from scobank.access.policies import set_party_default
    from scobank.access.reader import ANONYMOUS
    from scobank.catalog import ckan
    from scobank.catalog.models import Dataset
    from scobank.catalog.search import index_datasets, search_datasets
    from scobank.db import session_scope

    rng = random.Random(7)
    with session_scope() as s:
        catalog_search.generate(s, n, rng)
    with session_scope() as s:
        index_datasets(s, s.scalars(select(Dataset).execution_options(yield_per=5000)), batch=5000)
        for party in catalog_search.PARTIES:
            set_party_default(s, party=party, document={"audience": "public"}, actor="benchmark")
    ours, theirs = [], []
    with session_scope() as s:
        search_datasets(s, reader=ANONYMOUS, q="steel")  # builds the facet table once
        for q, filters in catalog_search.queries(rng, count):
            fq = " ".join(f"{k}:{v}" for k, v in filters.items() if k == "party")
            request = ckan.parse_search({"q": q, "fq": fq, "rows": 20})
            plain = {k: v for k, v in filters.items() if k == "party"}
            ours.append(_ms(lambda q=q, plain=plain: search_datasets(s, reader=ANONYMOUS, q=q, limit=20, **plain)))
            theirs.append(_ms(lambda request=request: ckan.package_search(
                s, reader=ANONYMOUS, request=request, base="http://bank", lang="en")))
    p95, c95 = _pct(ours, 95), _pct(theirs, 95)
    print(f"search over {n:,} datasets, {count} queries (20 results, facets): /api/v1/search service "
          f"p50 {statistics.median(ours):.1f} ms p95 {p95:.1f} ms; CKAN package_search p50 "
          f"{statistics.median(theirs):.1f} ms p95 {c95:.1f} ms; ratio p95 {c95 / p95:.2f}x (limit 1.5x)")


def bench_sql(home: Path, rows: int, runs: int) -> None:
    import duckdb

    from scobank.access.reader import OPERATOR
    from scobank.catalog.datasets import find_dataset
    from scobank.catalog.sql import run_sql
    from scobank.catalog.versions import find_version
    from scobank.db import session_scope
    from scobank.lake.store import path_for

    query_10m.publish_generated(home, rows)
    sql = ('SELECT exporter, sum(value_usd) AS value, count(*) AS n FROM "trade-10m" '
           "WHERE year BETWEEN 2019 AND 2021 GROUP BY exporter ORDER BY value DESC")
    with session_scope() as s:
        path = path_for(find_version(s, find_dataset(s, "trade-10m")).content_hash)

    def ours():
        with session_scope() as s:
            return run_sql(s, sql=sql, reader=OPERATOR)
    con = duckdb.connect()
    raw = sql.replace('"trade-10m"', f"read_parquet('{path}')")
    groups = ours().row_count
    mine = [_ms(ours) for _ in range(runs)]
    floor = [_ms(lambda: con.execute(raw).fetchall()) for _ in range(max(5, runs // 3))]
    print(f"SQL aggregate over {rows:,} rows ({groups} groups): run_sql p50 {statistics.median(mine):.0f} ms "
          f"p95 {_pct(mine, 95):.0f} ms (limit p50 < 500 ms); plain DuckDB on the same file p50 "
          f"{statistics.median(floor):.0f} ms; overhead {statistics.median(mine) / statistics.median(floor):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", choices=("ckan", "sql"), help="Run one of the two parts.")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="scobank-standards-bench-"))
    os.environ["SCOBANK_HOME"] = str(home)
    os.environ.pop("SCOBANK_DATABASE_URL", None)
    from scobank.bank import init_bank

    init_bank()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    if args.only != "sql":
        bench_ckan(args.datasets, args.queries)
    if args.only != "ckan":
        bench_sql(home, args.rows, args.runs)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
