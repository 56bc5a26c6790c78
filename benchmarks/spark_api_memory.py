"""The API process's peak memory while a served bank computes analyses on a Spark standalone cluster
(issue 18: "the API process's peak memory during a 50M-row analysis on Spark < 500 MB").

    PYTHONPATH=src python benchmarks/spark_api_memory.py --rows 10000000 50000000
    PYTHONPATH=src python benchmarks/spark_api_memory.py --prepare-only --rows 50000000   # publish, no serve
    PYTHONPATH=src python benchmarks/spark_api_memory.py --scale-workdir /tmp/scobank-bench-scale --rows 50000000
    options: --workdir /tmp/scobank-bench-spark   --analyses overview,substitution,opportunities
             --engine spark|duckdb (duckdb: the embedded engine in the API process, for comparison)
             --scale-workdir DIR: serve the BACI-shaped banks benchmarks/scale_rows.py published there
             (DIR/home_<rows>, dataset baci-scale) instead of publishing panels here

Input: the first N rows of the seeded 50M BACI-shaped panel of `trade_panels.bilateral_panel` (220
countries, 10 of them the SCO members, 5,000 HS6 codes, year 2023; generated once into --workdir, 597 MB
of Parquet), published through ingest (`scobank ingest --kind table`, every row validated) into a bank of
its own per size, with a public policy. Kept in --workdir and reused.

Per size: a standalone Spark cluster (a master and two workers, each a JVM of its own with one core and
2 GB for its executor, tests/spark_cluster.py) and `scobank serve` with SCOBANK_ENGINE=spark
and SCOBANK_SPARK_MASTER=spark://127.0.0.1:PORT; the analytics cache is off, so every request computes.
Each analysis is asked over HTTP with limit=50. A thread samples every 0.2 s /proc/PID/status of the API
process (the Python process of `scobank serve`: VmRSS, and VmHWM, its peak since it started) and the
resident memory of its descendants (the Spark driver JVM that pyspark launches; the executors are
children of the workers, not of the API). Reported: VmHWM after start-up (before any analysis) and after
each analysis, the largest VmRSS seen during each analysis, the driver JVM's largest RSS, the peak RSS of each executor JVM
(scale_rows.JvmPeaks: the executors are children of this benchmark's workers), wall time of each analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from load_test import _free_port, wait_until_up  # noqa: E402
from scale_rows import JvmPeaks  # noqa: E402

FULL_ROWS = 50_000_000
ROW_GROUP = 1_000_000
SCALE_SLUG = "baci-scale"


def full_panel(workdir: Path) -> Path:
    """The seeded 50M-row panel (generated once: about 3.5 min and 3.4 GB of memory)."""
    path = workdir / f"flows_{FULL_ROWS}.parquet"
    if not path.exists():
        import pyarrow.parquet as pq
        from trade_panels import bilateral_panel

        pq.write_table(bilateral_panel(rows=FULL_ROWS), path.with_suffix(".part"), row_group_size=ROW_GROUP)
        path.with_suffix(".part").replace(path)
    return path


def panel_file(workdir: Path, rows: int) -> Path:
    """The first `rows` rows of the 50M panel, streamed batch by batch."""
    import pyarrow.parquet as pq

    full = full_panel(workdir)
    if rows == FULL_ROWS:
        return full
    path = workdir / f"flows_{rows}.parquet"
    if not path.exists():
        source = pq.ParquetFile(full)
        with pq.ParquetWriter(path.with_suffix(".part"), source.schema_arrow) as out:
            left = rows
            for batch in source.iter_batches(batch_size=ROW_GROUP):
                out.write_batch(batch.slice(0, left))
                left -= min(left, batch.num_rows)
                if not left:
                    break
        path.with_suffix(".part").replace(path)
    return path


def scobank(home: Path, *args: str) -> str:
    env = {**os.environ, "SCOBANK_HOME": str(home), "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-m", "scobank", *args], env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"scobank {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def publish(workdir: Path, rows: int) -> tuple[Path, str]:
    """(the bank's home, the dataset slug): the panel published through ingest, once per size."""
    home, slug = workdir / f"home-{rows}", f"flows-{rows // 1_000_000}m"
    marker = home / "published.json"
    if not marker.exists():
        source = panel_file(workdir, rows)
        home.mkdir(parents=True, exist_ok=True)
        scobank(home, "init")
        scobank(home, "orgs", "create", "bench", "--party", "KAZ", "--name", "Benchmark")
        start = time.monotonic()
        report = scobank(home, "ingest", str(source), "--org", "bench", "--dataset", slug, "--kind", "table")
        seconds = time.monotonic() - start
        scobank(home, "policy", "set", slug, "--audience", "public")
        marker.write_text(json.dumps({"rows": rows, "ingest_seconds": round(seconds, 1), "report": report}))
    return home, slug


def served_copy(workdir: Path, scale_workdir: Path, rows: int) -> tuple[Path, str]:
    """(a bank home, the slug) serving the panel scale_rows.py published in `scale_workdir` without a
    second ingest: a consistent copy of its metadata database and keys, its lake linked (the Parquet
    files are content-addressed and read-only), and the dataset made public in the copy only, so the
    benchmark's anonymous requests pass the gate and the original bank is left as it was."""
    import shutil
    import sqlite3

    source, home = scale_workdir / f"home_{rows}", workdir / f"served-{rows}"
    if not (source / "published").exists():
        raise SystemExit(f"{source} is not published yet (scale_rows.py writes {source / 'published'} when done)")
    if not (home / "bank.db").exists():
        home.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source / "bank.db") as src, sqlite3.connect(home / "bank.db") as dst:
            src.backup(dst)
        shutil.copytree(source / "keys", home / "keys", dirs_exist_ok=True)
        for name in ("secret.key",):
            if (source / name).exists():
                shutil.copy2(source / name, home / name)
        (home / "lake").symlink_to((source / "lake").resolve())
        scobank(home, "policy", "set", SCALE_SLUG, "--audience", "public")
    return home, SCALE_SLUG


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process in MiB (empty when it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) // 1024 for k, v in (line.split(":", 1) for line in lines) if k in ("VmRSS", "VmHWM")}


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Sampler(threading.Thread):
    """The API process's VmRSS/VmHWM and its descendants' RSS, every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop, self.rss, self.children = pid, threading.Event(), 0, 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.rss = max(self.rss, _status(self.pid).get("VmRSS", 0))
            self.children = max(self.children, sum(_status(c).get("VmRSS", 0) for c in _descendants(self.pid)))
            time.sleep(0.2)

    def hwm(self) -> int:
        return _status(self.pid).get("VmHWM", 0)


def serve(home: Path, engine: str, master: str | None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "SCOBANK_HOME": str(home), "PYTHONPATH": str(REPO / "src"), "SCOBANK_ENGINE": engine,
           "SCOBANK_ANALYTICS_CACHE_SIZE": "0", "SCOBANK_ANALYTICS_CACHE_DISK": "false",
           "SCOBANK_RATE_PER_CLIENT": "0"}
    if master:
        env.update(SCOBANK_SPARK_MASTER=master, SCOBANK_SPARK_EXECUTOR_MEMORY="2g", SCOBANK_SPARK_EXECUTOR_CORES="1")
    log = (home / f"serve-{engine}.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "scobank", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(server, base, tries=600)
    return server, base


def measure(home: Path, slug: str, rows: int, engine: str, master: str | None, analyses: list[str]) -> list[str]:
    server, base = serve(home, engine, master)
    sampler = Sampler(server.pid)
    sampler.start()
    lines = []
    try:
        started = sampler.hwm()
        for analysis in analyses:
            sampler.rss = sampler.children = 0  # the maxima of this analysis (VmHWM is the process's since start)
            t0 = time.monotonic()
            with JvmPeaks() as jvms:
                reply = httpx.get(f"{base}/api/v1/analytics/{analysis}", params={"dataset": slug, "limit": 50},
                                  timeout=4 * 3600)
            seconds = time.monotonic() - t0
            body = reply.json()
            sizes = {name: table["rows_total"] for name, table in body.get("tables", {}).items()}
            load = os.getloadavg()[0]
            lines.append(f"| {rows:,} | {engine} | {analysis} | {reply.status_code} {sizes or body.get('message')} | "
                         f"{seconds:.1f} | {started} | {sampler.hwm()} | {sampler.rss} | {sampler.children} | "
                         f"{jvms.summary().get('executor', '-')} | {load:.1f} |")
            print(lines[-1], flush=True)
    finally:
        sampler.stop.set()
        server.terminate()
        server.wait(timeout=120)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000_000, FULL_ROWS])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/scobank-bench-spark"))
    parser.add_argument("--analyses", default="overview,substitution")
    parser.add_argument("--engine", default="spark", choices=["spark", "duckdb"])
    parser.add_argument("--scale-workdir", type=Path, help="serve scale_rows.py's banks (DIR/home_<rows>)")
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()}, {os.cpu_count()} cores", flush=True)
    if args.scale_workdir:
        banks = {rows: served_copy(args.workdir, args.scale_workdir, rows) for rows in args.rows}
    else:
        banks = {rows: publish(args.workdir, rows) for rows in args.rows}
        for rows, (home, _) in banks.items():
            print(f"{rows:,} rows: {(home / 'published.json').read_text()[:300]}", flush=True)
    if args.prepare_only:
        return
    print("| rows | engine | analysis | answer | s | API VmHWM after start-up MiB | API VmHWM after MiB | "
          "API max VmRSS during it MiB | driver JVM max RSS MiB | executor JVMs peak RSS MiB | load |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|", flush=True)
    if args.engine == "duckdb":
        for rows, (home, slug) in banks.items():
            measure(home, slug, rows, "duckdb", None, args.analyses.split(","))
        return
    from spark_cluster import standalone_cluster

    logs = args.workdir / "cluster-logs"
    logs.mkdir(exist_ok=True)
    with standalone_cluster(logs, memory="2g") as master:
        for rows, (home, slug) in banks.items():
            measure(home, slug, rows, "spark", master, args.analyses.split(","))


if __name__ == "__main__":
    main()
