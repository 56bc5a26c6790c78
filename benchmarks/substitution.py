"""Import substitution for all members x all HS6 products of one year, on DuckDB, as the panel grows.

    PYTHONPATH=src python benchmarks/substitution.py                       # 1M, 10M, 50M rows
    PYTHONPATH=src python benchmarks/substitution.py --allocated --rows 50000000 --rounds 2
        # the allocated measure (with the upper bound, as the bank runs it) against the upper bound alone
        # (the measure before the allocation), alternating in one run
    options: --rows 1000000 10000000 50000000 --workdir /tmp/scobank-bench-substitution
             --peer-max 10000000 (largest size the pandas peer runs at) --spark (also time Spark at 1M)

Input: `trade_panels.bilateral_panel` (BACI-like: 220 countries of which the 10 SCO members, 5,000 HS6
codes, Zipf-like traders, log-normal values; seeded), written to Parquet. Files are kept in --workdir and
reused (the 50M file is 597 MB; generating it takes about 3.5 min and 3.4 GB of memory). The bloc is the members on
31 December 2023 from a fresh bank's party history (9 members: BLR joins in 2024).

Timed, each size in its own subprocess (peak memory from /usr/bin/time -v); wall seconds and CPU
seconds (all threads of the process; the team machine is shared, so CPU time is the steadier figure):
- lake path: DuckDB reads the Parquet file and runs the one Ibis expression `import_substitution`
  (sum duplicates, RCA of every exporter, extra-bloc imports, suppliers and their room, ranking) to an
  Arrow table — what the bank does for a dataset version in the lake.
- file path: the `substitution` command's path: read + check the file with pyarrow, then the same
  expression on DuckDB over the in-memory table.
- peer: the same measure written directly in pandas (groupby/merge), single process; its numbers are
  compared with ours (max |difference| of substitutable_value, and equal row sets).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
YEAR = 2023


def bloc_2023() -> list[str]:
    """Members on 31 Dec 2023 from a throwaway bank's reference data (the real party history)."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["SCOBANK_HOME"] = home
        os.environ.pop("SCOBANK_DATABASE_URL", None)
        from scobank.bank import init_bank
        from scobank.db import session_scope
        from scobank.reference.lookup import bloc_members

        init_bank()
        with session_scope() as session:
            return bloc_members(session, YEAR)


def job_lake(src: Path, members: list[str], out: Path) -> dict:
    import ibis
    import pyarrow.parquet as pq

    from scobank.analytics.substitution import bloc_table, import_substitution

    start, cpu = time.perf_counter(), time.process_time()
    con = ibis.duckdb.connect(autoinstall_known_extensions=False, autoload_known_extensions=False)
    flows = con.read_parquet(src)
    result = con.to_pyarrow(import_substitution(flows, bloc_table({YEAR: members})))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    pq.write_table(result.select(["year", "importer", "product", "substitutable_value"]), out)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_out": result.num_rows}


def job_upper(src: Path, members: list[str], out: Path) -> dict:
    """The lake path with the per-importer upper bound alone (the measure before the allocation)."""
    return _lake(src, members, allocate=False)


def job_allocated(src: Path, members: list[str], out: Path) -> dict:
    """The lake path with the allocated measure beside the upper bound (what the bank runs)."""
    return _lake(src, members, allocate=True)


def _lake(src: Path, members: list[str], *, allocate: bool) -> dict:
    import ibis

    from scobank.analytics.substitution import bloc_table, import_substitution

    start, cpu = time.perf_counter(), time.process_time()
    con = ibis.duckdb.connect(autoinstall_known_extensions=False, autoload_known_extensions=False)
    result = con.to_pyarrow(import_substitution(con.read_parquet(src), bloc_table({YEAR: members}),
                                                allocate=allocate))
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
            "rows_out": result.num_rows}


def job_file(src: Path, members: list[str], out: Path) -> dict:
    from scobank.analytics.execution import run, table_of
    from scobank.analytics.panel import BILATERAL_COLUMNS, read_panel
    from scobank.analytics.substitution import bloc_table, import_substitution

    start, cpu = time.perf_counter(), time.process_time()
    flows = read_panel(src, columns=BILATERAL_COLUMNS)
    result = run(import_substitution(table_of(flows), bloc_table({YEAR: members})))
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu,
            "rows_out": result.num_rows}


def job_pandas(src: Path, members: list[str], out: Path) -> dict:
    """The same measure in plain pandas (the peer)."""
    import numpy as np
    import pandas as pd

    df = pd.read_parquet(src)
    start, cpu = time.perf_counter(), time.process_time()
    f = df.groupby(["year", "exporter", "importer", "product"], as_index=False, observed=True).value.sum()
    x = f.groupby(["exporter", "product"], as_index=False).value.sum()
    x["rca"] = (x.value / x.groupby("exporter").value.transform("sum")) / (
        x.groupby("product").value.transform("sum") / x.value.sum())
    sup = x[(x.rca >= 1) & x.exporter.isin(members)].rename(columns={"exporter": "supplier", "value": "total"})
    inside = f[f.importer.isin(members)]
    extra = (inside[~inside.exporter.isin(members)].groupby(["importer", "product"], as_index=False).value.sum()
             .rename(columns={"value": "extra_bloc_imports"}))
    pairs = extra.merge(sup[["supplier", "product", "total"]], on="product")
    pairs = pairs[pairs.supplier != pairs.importer]
    sold = f[["exporter", "importer", "product", "value"]].rename(columns={"exporter": "supplier"})
    pairs = pairs.merge(sold, on=["supplier", "importer", "product"], how="left")
    pairs["room"] = pairs.total - pairs.value.fillna(0)
    room = pairs.groupby(["importer", "product"], as_index=False).room.sum()
    extra = extra.merge(room, on=["importer", "product"], how="left").fillna({"room": 0})
    extra["substitutable_value"] = np.minimum(extra.extra_bloc_imports, extra.room)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    extra.assign(year=YEAR)[["year", "importer", "product", "substitutable_value"]].to_parquet(out)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_out": len(extra)}


def job_spark(src: Path, members: list[str], out: Path) -> dict:
    import ibis

    from scobank.analytics.substitution import bloc_table, import_substitution
    from scobank.lake.engines.spark import local_spark_session

    session = local_spark_session()
    con = ibis.pyspark.connect(session)
    start = time.perf_counter()
    flows = con.read_parquet(str(src))
    result = con.to_pyarrow(import_substitution(flows, bloc_table({YEAR: members})))
    return {"seconds": time.perf_counter() - start, "rows_out": result.num_rows}


JOBS = {"lake": job_lake, "file": job_file, "pandas": job_pandas, "spark": job_spark, "upper": job_upper,
        "allocated": job_allocated}


def run_job(name: str, src: Path, members: list[str], out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    cmd = ["/usr/bin/time", "-v", sys.executable, str(Path(__file__).resolve()), "--job", name, "--src", str(src),
           "--out", str(out), "--members", ",".join(members)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"job {name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["peak_mb"] = round(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1]) / 1024)
    return result


def same_numbers(ours: Path, peer: Path) -> dict:
    import pandas as pd

    a, b = pd.read_parquet(ours), pd.read_parquet(peer)
    m = a.merge(b, on=["year", "importer", "product"], how="outer", suffixes=("", "_peer"), indicator=True)
    return {"rows": len(a), "rows_peer": len(b), "unmatched": int((m._merge != "both").sum()),
            "max_abs_diff": float((m.substitutable_value - m.substitutable_value_peer).abs().max()),
            "max_rel_diff": float(((m.substitutable_value - m.substitutable_value_peer).abs()
                                   / m.substitutable_value_peer.clip(lower=1e-9)).max())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--job")
    ap.add_argument("--src", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--members", default="")
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000, 50_000_000])
    ap.add_argument("--peer-max", type=int, default=10_000_000)
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/scobank-bench-substitution"))
    ap.add_argument("--allocated", action="store_true", help="time the allocated measure against the upper bound")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if args.job:
        print(json.dumps(JOBS[args.job](args.src, args.members.split(","), args.out)))
        return
    if args.allocated:
        compare_allocated(args)
        return
    sys.path.insert(0, str(HERE))
    import pyarrow.parquet as pq
    from trade_panels import bilateral_panel

    members = bloc_2023()
    print(f"bloc on 31 Dec {YEAR}: {', '.join(members)}")
    w = args.workdir
    w.mkdir(parents=True, exist_ok=True)
    results = {}
    for rows in args.rows:
        src = w / f"flows_{rows}.parquet"
        if not src.exists():
            pq.write_table(bilateral_panel(rows=rows, year=YEAR), src)
        res = {"lake": run_job("lake", src, members, w / "ours.parquet"),
               "file": run_job("file", src, members, w / "file.parquet")}
        if rows <= args.peer_max:
            res["pandas"] = run_job("pandas", src, members, w / "peer.parquet")
            res["numbers"] = same_numbers(w / "ours.parquet", w / "peer.parquet")
            res["ratio_pandas_over_lake"] = round(res["pandas"]["seconds"] / res["lake"]["seconds"], 1)
            res["cpu_ratio_pandas_over_lake"] = round(res["pandas"]["cpu_seconds"] / res["lake"]["cpu_seconds"], 1)
        if args.spark and rows == min(args.rows):
            res["spark"] = run_job("spark", src, members, w / "spark.parquet")
        results[rows] = res
        print(json.dumps({rows: res}), flush=True)


def compare_allocated(args) -> None:
    """Upper bound alone vs allocated + upper bound, alternating, each in its own process; the load average."""
    sys.path.insert(0, str(HERE))
    import pyarrow.parquet as pq
    from trade_panels import bilateral_panel

    members = bloc_2023()
    for rows in args.rows:
        src = args.workdir / f"flows_{rows}.parquet"
        if not src.exists():
            args.workdir.mkdir(parents=True, exist_ok=True)
            pq.write_table(bilateral_panel(rows=rows, year=YEAR), src)
        for n in range(args.rounds):
            res = {name: run_job(name, src, members, args.workdir / f"{name}.parquet") for name in ("upper", "allocated")}
            res["ratio_wall"] = round(res["allocated"]["seconds"] / res["upper"]["seconds"], 2)
            res["ratio_cpu"] = round(res["allocated"]["cpu_seconds"] / res["upper"]["cpu_seconds"], 2)
            res["load"] = os.getloadavg()
            print(json.dumps({"rows": rows, "round": n + 1, **res}), flush=True)


if __name__ == "__main__":
    main()
