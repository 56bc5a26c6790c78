"""Gated reads per second with 1, 4 and 8 API workers on PostgreSQL (issue 18: "a ledger that does not
serialise the bank").

A fresh bank on a throwaway PostgreSQL (one small public dataset, CLIENTS viewers with their own
tokens, rate limits off) is served by `scobank serve --workers N`. CLIENTS concurrent clients ask
for rows of the dataset without pause for SECONDS: each answer is a DuckDB read through the gate and
one ledger entry appended to the hash chain (its head row locked until the request commits). Reported
per worker count: gated reads/s, p50/p95/p99, statuses, entries the ledger grew by (must equal the
reads answered), and `scobank ledger verify` on the chain after the run.

    bash scripts/with-postgres.sh env PYTHONPATH=src python benchmarks/ledger_workers.py \
        [--workers 1,4,8] [--clients 64] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import REPO, _free_port, flood, prepare, wait_until_up  # noqa: E402

ROWS = "/api/v1/datasets/load/rows?limit=20"


def _env(home: Path, url: str) -> dict:
    return {**os.environ, "SCOBANK_HOME": str(home), "SCOBANK_DATABASE_URL": url, "PYTHONPATH": str(REPO / "src"),
            "SCOBANK_RATE_PER_CLIENT": "0", "SCOBANK_MAX_CONCURRENT_REQUESTS": "16"}


def serve(home: Path, url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "scobank", "serve", "--port", str(port), "--workers",
                               str(workers)], env=_env(home, url), stdout=subprocess.DEVNULL,
                              stderr=(home / f"serve-{workers}.log").open("w"))  # kept: a 5xx is explained there
    base = f"http://127.0.0.1:{port}"
    wait_until_up(server, base, tries=600)
    return server, base


def ledger(home: Path, url: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "scobank", "ledger", *args], env=_env(home, url),
                          capture_output=True, text=True, timeout=600)
    return (done.stdout or done.stderr).strip().splitlines()[0]


def entries(home: Path, url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT seq FROM ledger_head WHERE id = 1")).scalar()
    finally:
        engine.dispose()


class LockSampler(threading.Thread):
    """Samples pg_stat_activity every 0.1 s: how many of the bank's sessions are running a statement,
    and how many of them wait on a lock (the ledger head's row lock shows as `Lock/transactionid`).
    If the head lock were the limit, most active sessions would be waiting on it."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.samples = url, threading.Event(), []

    def run(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        query = text("SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()")
        with engine.connect() as conn:
            while not self.stop.wait(0.1):
                self.samples.append(tuple(conn.execute(query).one()))
                conn.rollback()
        engine.dispose()

    def summary(self) -> str:
        if not self.samples:
            return "-"
        waiting = statistics.mean(s[0] for s in self.samples)
        active = statistics.mean(s[1] for s in self.samples)
        return f"{waiting:.1f} / {active:.1f}"


def run(home: Path, url: str, tokens: list[str], workers: int, seconds: float) -> str:
    server, base = serve(home, url, workers)
    try:
        asyncio.run(_warm(base, tokens[0]))
        before = entries(home, url)
        sampler = LockSampler(url)
        sampler.start()
        statuses, latencies = asyncio.run(flood_rows(base, tokens, seconds))
        sampler.stop.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=60)
    grown = entries(home, url) - before  # after a graceful stop: every answered request has committed
    verdict = ledger(home, url, "verify")
    ok = statuses.get(200, 0)
    q = statistics.quantiles(latencies, n=100)
    return (f"| {workers} | {len(tokens)} | {ok / seconds:.1f} | {q[49] * 1000:.0f} | {q[94] * 1000:.0f} | "
            f"{q[98] * 1000:.0f} | {dict(sorted(statuses.items(), key=str))} | {grown} | {sampler.summary()} | {verdict} |")


async def _warm(base: str, token: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        for _ in range(20):
            await c.get(ROWS, headers={"Authorization": f"Bearer {token}"})


async def flood_rows(base: str, tokens: list[str], seconds: float):
    import load_test

    load_test.PATHS = (ROWS,)  # gated reads only: every answer is a ledger entry
    return await flood(base, tokens, seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,4,8")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    from sqlalchemy import create_engine, text

    admin = os.environ["SCOBANK_TEST_POSTGRES_URL"]
    name = f"ledger_{uuid.uuid4().hex[:8]}"
    with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    home = Path(tempfile.mkdtemp(prefix="scobank-ledger-"))
    tokens = prepare(home, url, args.clients)
    print(f"PostgreSQL, {args.clients} clients with their own tokens, {args.seconds:g} s per run, "
          f"load before: {os.getloadavg()[0]:.1f}")
    print("| workers | clients | gated reads/s | p50 ms | p95 ms | p99 ms | statuses | ledger grew by | "
          "sessions waiting on a lock / active (mean of samples) | ledger verify after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for workers in (int(w) for w in args.workers.split(",")):
        print(run(home, url, tokens, workers, args.seconds), flush=True)
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
