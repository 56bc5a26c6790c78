"""Ingest benchmark: a 10-million-row BACI-like trade CSV through full validation, beside pandas.

What it measures (one run, same file, same machine):
  * scobank  `stage_file(kind="trade")`: read, map BACI codes to ISO3, check every HS code against the
    HS17 nomenclature, years, non-negative values, duplicate keys, and write deterministic Parquet.
  * duckdb   DuckDB's own `read_csv` -> `COPY ... TO parquet` of the same file, same threads and memory
    limit as ingestion (no validation): the peer the target names (validated ingest >= 0.6x its speed).
  * pandas   `read_csv` + `to_parquet` of the same file (no validation at all).
  * dialect  with --detect-gb: the file repeated for more years up to about that size (1 GB), ingested
    in full; the time detection takes (`sniff_text`: encoding, delimiter, header, notes) is reported as
    a share of that ingest (target: under 2%).
Each runs in its own child process, so peak RSS (VmHWM of that child) belongs to it alone.

The generated file (documented in `generate`): columns t,i,j,k,v,q exactly as CEPII ships BACI;
one year; exporters and importers drawn from the real BACI country list with a Zipf-like skew
(a few big traders, a long tail), products from the real HS17 list (k written without its leading
zero, as BACI does), values log-normal in thousand USD with 3 decimals (median ~20, long right tail),
quantities in tons with ~3% missing. Keys (i, j, k) are unique, like BACI. 10M rows are ~400 MB.

    PYTHONPATH=src /work/main/.venv/bin/python benchmarks/ingest_10m.py [--rows 10000000] [--keep]

Files go under /tmp (never the repo). Results: benchmarks/RESULTS.md, heading "Ingest".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

YEAR = 2020


def _codes(data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """Real BACI country codes (with an ISO3) and real HS17 six-digit codes, from SCOBANK_DATA_DIR."""
    countries = pacsv.read_csv(
        data_dir / "countries" / "baci_country_codes_V202201.csv",
        read_options=pacsv.ReadOptions(encoding="latin-1"),
        convert_options=pacsv.ConvertOptions(column_types={"iso_3digit_alpha": pa.string()}),
    )
    first_code: dict[str, int] = {}  # one code per country, as a BACI release has (no old aliases)
    for code, iso in zip(countries["country_code"].to_pylist(), countries["iso_3digit_alpha"].to_pylist(),
                         strict=True):
        if iso and iso != "N/A":
            first_code.setdefault(iso, code)
    codes = sorted(first_code.values())
    hs = pacsv.read_csv(
        data_dir / "hs-nomenclature" / "baci_hs17_product_codes_with_bec.csv",
        convert_options=pacsv.ConvertOptions(column_types={"code": pa.string()}),
    )
    # 9999xx "not specified" codes are not HS subheadings (the reference leaves them out).
    products = np.array([int(c) for c in hs["code"].to_pylist() if not c.startswith("9999")], dtype=np.int64)
    return np.array(codes, dtype=np.int64), products


def generate(path: Path, *, rows: int, data_dir: Path, seed: int = 7) -> Path:
    """Write a BACI-like CSV of `rows` unique (i, j, k) flows for one year; see the module docstring.

    Exporters and importers are drawn with weight 1/rank^0.8 (a few big traders, a long tail); keys
    are de-duplicated and written sorted by (i, j, k), as BACI ships them.
    """
    rng = np.random.default_rng(seed)
    countries, products = _codes(data_dir)
    n_c, n_k = len(countries), len(products)
    weights = rng.permutation(1.0 / np.arange(1, n_c + 1) ** 0.8)
    weights /= weights.sum()
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < rows:
        n = 2 * (rows - len(keys)) + 100_000  # oversample: skewed draws repeat keys
        e = rng.choice(n_c, size=n, p=weights)
        m = rng.choice(n_c, size=n, p=weights)
        k = rng.integers(0, n_k, size=n)
        new = ((e * n_c + m) * n_k + k)[e != m]  # no country trades with itself in BACI
        keys = np.unique(np.concatenate([keys, new]))
    keys = np.sort(rng.choice(keys, size=rows, replace=False))
    with path.open("wb") as out:
        out.write(b"t,i,j,k,v,q\n")
        for lo in range(0, rows, 1_000_000):
            part = keys[lo : lo + 1_000_000]
            n = len(part)
            v = np.round(rng.lognormal(mean=3.0, sigma=2.2, size=n) + 0.001, 3)
            q = np.round(v * rng.lognormal(mean=-1.0, sigma=1.5, size=n), 3)
            table = pa.table(
                {
                    "t": pa.array(np.full(n, YEAR, dtype=np.int32)),
                    "i": pa.array(countries[part // (n_c * n_k)]),
                    "j": pa.array(countries[(part // n_k) % n_c]),
                    "k": pa.array(products[part % n_k]),
                    "v": pa.array(v),
                    "q": pa.array(q, mask=rng.random(n) < 0.03),
                }
            )
            pacsv.write_csv(table, out, write_options=pacsv.WriteOptions(include_header=False))
    return path


def _peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: Linux keeps that across exec, so a child
    started by the generating parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_scobank(path: str, home: str) -> dict:
    os.environ["SCOBANK_HOME"] = home
    from scobank.bank import init_bank
    from scobank.db import session_scope
    from scobank.ingest.pipeline import stage_file

    init_bank()
    import pandas  # noqa: F401  (pyarrow imports it on first use: an import, not work, as the peer's duckdb)

    with session_scope() as session:
        cpu0 = _cpu_seconds()
        t0 = time.perf_counter()
        staged = stage_file(session, source=Path(path), kind="trade", hs_revision="HS17")
        seconds = time.perf_counter() - t0
    return {
        "rows": staged.row_count,
        "seconds": seconds,
        "problems": staged.report.problems_total,
        "parquet_mib": staged.parquet_path.stat().st_size / 2**20,
        "peak_rss_mib": _peak_rss_mib(),
        "cpu_seconds": _cpu_seconds() - cpu0,
    }


def _run_duckdb(path: str, out: str) -> dict:
    import duckdb

    from scobank.ingest.duck import MEMORY_LIMIT, THREADS

    conn = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    conn.read_csv(path).write_parquet(out, compression="zstd")
    seconds = time.perf_counter() - t0
    rows = conn.execute("SELECT count(*) FROM read_parquet($out)", {"out": out}).fetchall()[0][0]
    return {"rows": rows, "seconds": seconds, "peak_rss_mib": _peak_rss_mib(), "cpu_seconds": _cpu_seconds() - cpu0}


def _run_detection(path: str, home: str) -> dict:
    """Ingest the big file in full, and time detection alone on it (median of 5)."""
    os.environ["SCOBANK_HOME"] = home
    from scobank.config import get_settings
    from scobank.ingest.sniff import sniff_text

    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        sniff_text(Path(path), name=Path(path).name, max_line=get_settings().max_line_bytes)
        times.append(time.perf_counter() - t0)
    result = _run_scobank(path, home)
    result["detect_seconds"] = sorted(times)[2]
    return result


def repeat_years(source: Path, target: Path, *, gb: float) -> Path:
    """`source` (one year) written again for the following years until the file is about `gb` GB:
    keys stay unique, since the year is part of the key."""
    data = source.read_bytes()
    header, _, body = data.partition(b"\n")
    with target.open("wb") as out:
        out.write(header + b"\n")
        year = YEAR
        while out.tell() < gb * 1e9 - len(body) / 2:
            prefix = str(year).encode() + b","
            out.write(body if year == YEAR else (b"\n" + body).replace(b"\n" + str(YEAR).encode() + b",",
                                                                        b"\n" + prefix)[1:])
            year += 1
    return target


def _run_pandas(path: str, out: str) -> dict:
    import pandas as pd

    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    frame.to_parquet(out)
    seconds = time.perf_counter() - t0
    return {"rows": len(frame), "seconds": seconds, "peak_rss_mib": _peak_rss_mib(),
            "cpu_seconds": _cpu_seconds() - cpu0}


def _child(which: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", which, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{which} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV in /tmp")
    parser.add_argument("--csv", type=Path, help="use this generated CSV instead of writing a new one")
    parser.add_argument("--no-pandas", action="store_true", help="leave out the pandas peer")
    parser.add_argument("--detect-gb", type=float, help="also measure detection on a file of about this many GB")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        which, *rest = args.child
        runs = {"scobank": _run_scobank, "duckdb": _run_duckdb, "pandas": _run_pandas, "detect": _run_detection}
        result = runs[which](*rest)
        print(json.dumps(result))
        return

    from scobank.config import get_settings

    data_dir = get_settings().resolved_data_dir
    if data_dir is None:
        raise SystemExit("needs SCOBANK_DATA_DIR (the real BACI country and HS17 lists)")
    work = Path(tempfile.mkdtemp(prefix="scobank-bench-", dir="/tmp"))
    csv_path = args.csv or work / f"baci_hs17_like_{args.rows}.csv"
    if args.csv is None:
        t0 = time.perf_counter()
        generate(csv_path, rows=args.rows, data_dir=data_dir)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s: {csv_path}", flush=True)
    print(f"file: {csv_path.stat().st_size / 2**20:,.0f} MiB; load average before: {os.getloadavg()[0]:.1f}",
          flush=True)
    ours = _child("scobank", str(csv_path), str(work / "home"))
    duck = _child("duckdb", str(csv_path), str(work / "duckdb.parquet"))
    runs = [("scobank stage_file (full validation)", ours), ("duckdb read_csv -> parquet", duck)]
    if not args.no_pandas:
        runs.append(("pandas read_csv + to_parquet", _child("pandas", str(csv_path), str(work / "pandas.parquet"))))
    for label, r in runs:
        print(f"{label:38s} {r['rows']:,} rows in {r['seconds']:.1f} s wall = {r['rows'] / r['seconds'] / 1e6:.2f} "
              f"M rows/s; {r['cpu_seconds']:.1f} CPU-s; peak RSS {r['peak_rss_mib']:,.0f} MiB")
    print(f"scobank: {ours['problems']} problems, Parquet {ours['parquet_mib']:,.0f} MiB; "
          f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"ratio: scobank is {duck['seconds'] / ours['seconds']:.2f}x DuckDB's speed (wall), "
          f"{duck['cpu_seconds'] / ours['cpu_seconds']:.2f}x (CPU), with {ours['peak_rss_mib']:,.0f} MiB peak RSS")
    if args.detect_gb:
        big = repeat_years(csv_path, work / "baci_big.csv", gb=args.detect_gb)
        print(f"big file: {big.stat().st_size / 1e9:.2f} GB; load average: {os.getloadavg()[0]:.1f}", flush=True)
        r = _child("detect", str(big), str(work / "home_big"))
        print(f"dialect detection {r['detect_seconds'] * 1000:.1f} ms of a {r['seconds']:.1f} s ingest of "
              f"{r['rows']:,} rows = {100 * r['detect_seconds'] / r['seconds']:.3f}% (peak RSS "
              f"{r['peak_rss_mib']:,.0f} MiB); load average after: {os.getloadavg()[0]:.1f}")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
