"""Filter + group-by over a 10-million-row trade version: p50 must stay under 200 ms.

    PYTHONPATH=src python benchmarks/query_10m.py [--rows 10000000] [--runs 30] [--home DIR]

What it does, in one run on one machine:
1. Generates a BACI-layout CSV (t,i,j,k,v,q) of `--rows` rows, deterministic, with a unique key
   (year, exporter, importer, product): row n has year 2012 + n % 10, and its exporter, importer and
   HS 2017 product are picked from the reference area's lists (BACI codes of the bank's countries,
   HS 2017 six-digit codes) by the digits of n // 10 (a pair of countries gets products spread over
   the whole nomenclature); values are pseudo-random from hash(n). Rows are sorted like BACI's own
   files (year, exporter, importer, product).
2. Publishes it as a trade dataset through the real path (`publish_version`: ingest, lake, catalog).
3. Times two filter + group-by queries through `query_dataset` (gate, engine, ledger: what the API
   calls) and, side by side, the same questions in pandas on a DataFrame already in memory (the peer;
   its load time is not counted): p50 and p95 of `--runs` runs after two warm-up runs each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def generate_baci_csv(path: Path, *, rows: int, countries: list[int], products: list[str]) -> None:
    """The deterministic BACI-layout file described in the module docstring: `countries` are BACI
    codes (one per country), `products` 6-digit HS codes."""
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.register("c_src", pa.table({"code": countries}))
    con.register("p_src", pa.table({"code": products}))
    con.execute("CREATE TABLE c AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, code FROM c_src")
    con.execute("CREATE TABLE p AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, code FROM p_src")
    nc, npr = len(countries), len(products)
    con.execute("CREATE TABLE g AS SELECT 2012 + r % 10 AS t, r // 10 AS m, hash(r) AS h FROM range($rows) AS s(r)",
                {"rows": rows})
    relation = con.sql(f"""
        SELECT g.t, ce.code AS i, ci.code AS j, CAST(p.code AS INTEGER) AS k,
               round((g.h % 10000000) / 1000.0, 3) AS v,
               CASE WHEN g.h % 7 = 0 THEN NULL ELSE round((g.h // 7 % 100000) / 100.0, 3) END AS q
        FROM g
        JOIN c AS ce ON ce.n = g.m % {nc}
        JOIN c AS ci ON ci.n = (g.m % {nc} + 1 + (g.m // {nc}) % ({nc} - 1)) % {nc}
        JOIN p ON p.n = ((g.m // ({nc} * ({nc} - 1))) * 283 + g.m % ({nc} * ({nc} - 1))) % {npr}
        ORDER BY t, i, j, k""")  # noqa: S608 - integers computed here
    relation.write_csv(str(path), header=True)


def code_lists() -> tuple[list[int], list[str]]:
    """BACI codes of the bank's countries and the HS 2017 six-digit codes (reference area)."""
    from scobank.db import session_scope
    from scobank.reference.lookup import country_table, hs_table

    with session_scope() as session:
        countries = [c for c in country_table(session).column("baci_code").to_pylist() if c is not None]
        hs = hs_table(session, "HS17").to_pylist()
    return sorted(set(countries)), [r["code"] for r in hs if r["level"] == 6]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_runs(fn, runs: int) -> list[float]:
    for _ in range(2):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--home", type=Path, default=None, help="bank folder (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="--home already holds the published version")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="scobank-bench-"))
    os.environ["SCOBANK_HOME"] = str(home)
    os.environ.pop("SCOBANK_DATABASE_URL", None)

    from scobank.bank import init_bank

    init_bank()
    if not args.reuse:
        publish_generated(home, args.rows)
    run_queries(args.runs)


def publish_generated(home: Path, rows: int) -> None:
    from scobank.access.reader import OPERATOR
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import DatasetCreate, OrganisationCreate
    from scobank.catalog.publish import publish_version
    from scobank.db import session_scope

    csv = home / f"baci_{rows}.csv"
    start = time.perf_counter()
    countries, products = code_lists()
    generate_baci_csv(csv, rows=rows, countries=countries, products=products)
    print(f"generated {rows:,} rows, {csv.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s")

    with session_scope() as session:
        create_organisation(session, data=OrganisationCreate(slug="bench", party="KAZ", names={"en": "Bench"}),
                            actor=OPERATOR)
        start = time.perf_counter()
        result = publish_version(session, dataset="trade-10m", source=csv, actor=OPERATOR, kind="trade",
                                 hs_revision="HS17", source_name=csv.name, new_dataset=DatasetCreate(
                                     slug="trade-10m", organisation="bench", kind="trade", classification="HS17",
                                     title={"en": "Generated trade, 10M rows (labelled: generated)"}))
        print(f"published version {result.version.number}: {result.version.row_count:,} rows "
              f"in {time.perf_counter() - start:.1f} s")
    csv.unlink()


def run_queries(runs: int) -> None:
    from scobank.access.reader import OPERATOR
    from scobank.catalog.datasets import find_dataset
    from scobank.catalog.query import query_dataset
    from scobank.catalog.versions import find_version
    from scobank.db import session_scope
    from scobank.lake.query import QuerySpec
    from scobank.lake.store import path_for

    queries = {
        "one exporter's exports by importer (sum)": QuerySpec.parse(
            filters=["exporter:eq:KAZ"], group_by=["importer"], aggregates=["value_usd:sum", "count"],
            sort=["-value_usd_sum"], limit=100),
        "steel (HS 72) 2019-2021 by exporter and year": QuerySpec.parse(
            filters=["product:prefix:72", "year:range:2019,2021"], group_by=["exporter", "year"],
            aggregates=["value_usd:sum", "quantity:sum"], limit=1000),
    }
    import pandas as pd

    with session_scope() as session:
        version = find_version(session, find_dataset(session, "trade-10m"))
        frame = pd.read_parquet(path_for(version.content_hash))
    peers = {
        "one exporter's exports by importer (sum)": lambda: frame[frame.exporter == "KAZ"].groupby("importer")
        .agg(value_usd_sum=("value_usd", "sum"), count=("value_usd", "size")).sort_values("value_usd_sum"),
        "steel (HS 72) 2019-2021 by exporter and year": lambda: frame[
            frame["product"].str.startswith("72") & frame.year.between(2019, 2021)]
        .groupby(["exporter", "year"]).agg(value_usd_sum=("value_usd", "sum"), quantity_sum=("quantity", "sum")),
    }
    print(f"\n{'query':48} {'scobank p50':>12} {'p95':>8} {'pandas p50':>11} {'ratio':>7}")
    for name, spec in queries.items():
        def ours(spec=spec):
            with session_scope() as session:
                return query_dataset(session, slug="trade-10m", reader=OPERATOR, spec=spec)
        rows = len(ours().rows)
        mine = time_runs(ours, runs)
        theirs = time_runs(peers[name], max(5, runs // 3))
        p50, peer50 = statistics.median(mine), statistics.median(theirs)
        print(f"{name:48} {p50:10.1f}ms {percentile(mine, 0.95):6.1f}ms {peer50:9.1f}ms {peer50 / p50:6.1f}x"
              f"   ({rows} groups)")


if __name__ == "__main__":
    main()
