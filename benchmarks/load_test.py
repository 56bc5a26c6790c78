"""Loopback load test of the API server (issue 17 item 1): does it keep answering under a flood?

A fresh bank (one small public dataset, N+1 users with their own tokens) is served by uvicorn with
--workers N (default 1; the admission limits of scobank.api.admission at their defaults). The attack of the report:
for each connection count (default 1, 45, 200), one anonymous client (one address) asks without
pause on that many connections for DURATION seconds, cycling over a listing, a dataset page and a
query of rows (DuckDB + a ledger entry); a client answered 429/503 waits 0.2 s. Meanwhile another user
(its own token, its own process) asks for a dataset page every 0.5 s: "another user during the
flood". Then capacity: 45 and 200 distinct users with tokens of their own, asking the same way.

Reported per phase: answers per second, p50/p95/p99 of all answers, statuses (5xx other than a
deliberate 503 would be a failure), and the other user's p50/max.

    PYTHONPATH=src python benchmarks/load_test.py [--seconds 20] [--clients 1,45,200] [--workers 1]
    scripts/with-postgres.sh env PYTHONPATH=src python benchmarks/load_test.py --postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
CSV = "region,year,tonnes\n" + "".join(f"R{i % 40},{2000 + i % 20},{i * 7 % 1000}\n" for i in range(2000))
PATHS = ("/api/v1/datasets", "/api/v1/datasets/load", "/api/v1/datasets/load/rows?limit=20")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(home: Path, url: str, users: int) -> list[str]:
    """A bank with the dataset `load` (public) and `users` viewers; their tokens."""
    os.environ.update(SCOBANK_HOME=str(home), SCOBANK_DATABASE_URL=url, SCOBANK_PASSWORD_HASHING="fast")
    from scobank.access import tokens
    from scobank.access import users as accounts
    from scobank.bank import init_bank
    from scobank.catalog.models import Organisation
    from scobank.db import session_scope

    init_bank()
    with session_scope() as s:
        if s.query(Organisation).filter_by(slug="load-org").first() is None:
            s.add(Organisation(slug="load-org", party="KAZ", names={"en": "Load test"}))
    (home / "load.csv").write_text(CSV, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    for args in (["ingest", str(home / "load.csv"), "--org", "load-org", "--dataset", "load"],
                 ["policy", "set", "load", "--audience", "public"]):
        subprocess.run([sys.executable, "-m", "scobank", *args], env=env, check=True, capture_output=True)
    secrets = []
    with session_scope() as s:
        for i in range(users):
            user = accounts.create_user(s, email=f"load{i}@example.org", organisation="load-org", role="viewer",
                                        password="load test password")
            secrets.append(tokens.create_token(s, user=user, scope="read").token)
    return secrets


def keep_alive() -> int:
    """The server's idle-connection timeout, as `scobank serve` sets it."""
    from scobank.config import get_settings

    return int(get_settings().keep_alive_seconds)


def serve(home: Path, url: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "SCOBANK_HOME": str(home), "SCOBANK_DATABASE_URL": url, "PYTHONPATH": str(REPO / "src")}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "scobank.api.app:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--workers", str(workers), "--timeout-keep-alive", str(keep_alive())], env=env)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(server, base, tries=300)
    return server, base


def wait_until_up(server: subprocess.Popen, base: str, *, tries: int) -> None:
    """Poll the health route until it answers; kill the server and raise if it never does."""
    for _ in range(tries):
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


async def flood(base: str, tokens: list[str | None], seconds: float) -> tuple[dict, list[float]]:
    statuses: dict[int | str, int] = {}
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    # a client keeps idle connections 60 s, as browsers and proxies do (the server keeps them longer)
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=len(tokens), keepalive_expiry=60)

    async def one(c: httpx.AsyncClient, token: str | None, n: int) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                status = (await c.get(PATHS[n % len(PATHS)], headers=headers)).status_code
            except httpx.HTTPError as exc:  # counted by its kind: a dropped connection is a failure too
                status = type(exc).__name__
            latencies.append(time.monotonic() - start)
            statuses[status] = statuses.get(status, 0) + 1
            if status in (429, 503):
                await asyncio.sleep(0.2)  # a polite client backs off
            n += 1

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as c:
        await asyncio.gather(*[one(c, t, i) for i, t in enumerate(tokens)])
    return statuses, latencies


PROBE = """
import sys, time, json, httpx
base, token, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
out, stop = [], time.monotonic() + seconds
with httpx.Client(base_url=base, timeout=120, headers={"Authorization": "Bearer " + token}) as c:
    while time.monotonic() < stop:
        start = time.monotonic()
        status = c.get("/api/v1/datasets/load").status_code
        out.append((status, time.monotonic() - start))
        time.sleep(0.5)
print(json.dumps(out))
"""


def phase(base: str, name: str, tokens: list[str], other: str, seconds: float) -> str:
    """The flood from this process; the other user from a process of its own (its own interpreter, so
    the flood's client work does not delay it)."""
    prober = subprocess.Popen([sys.executable, "-c", PROBE, base, other, str(seconds - 1)], stdout=subprocess.PIPE)
    statuses, latencies = asyncio.run(flood(base, tokens, seconds))
    answers = json.loads(prober.communicate(timeout=300)[0])
    probes = [seconds for status, seconds in answers if status == 200]
    unserved = len(answers) - len(probes)
    ok = statuses.get(200, 0)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    bad = sum(v for k, v in statuses.items() if isinstance(k, str) or (k >= 500 and k != 503))
    return (f"| {name} | {ok / seconds:.1f} | {q[49] * 1000:.0f} | {q[94] * 1000:.0f} | {q[98] * 1000:.0f} | "
            f"{dict(sorted(statuses.items(), key=str))} | {bad} | {statistics.median(probes) * 1000:.0f} / "
            f"{max(probes) * 1000:.0f} ({len(probes)} served, {unserved} not) |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", default="1,45,200")
    parser.add_argument("--postgres", action="store_true", help="use SCOBANK_TEST_POSTGRES_URL (with-postgres.sh)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    home = Path(tempfile.mkdtemp(prefix="scobank-load-"))
    if args.postgres:
        from sqlalchemy import create_engine, text

        admin = os.environ["SCOBANK_TEST_POSTGRES_URL"]
        name = f"load_{uuid.uuid4().hex[:8]}"
        with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{home / 'bank.db'}"
    tokens = prepare(home, url, max(counts) + 1)
    server, base = serve(home, url, args.workers)
    from scobank.config import get_settings

    s = get_settings()
    print(f"database {url.split(':')[0]}, {args.workers} uvicorn worker(s), keep-alive {keep_alive()} s, admission {s.max_concurrent_requests} concurrent, "
          f"queue {s.max_queued_requests} (wait <= {s.queue_wait_seconds:g} s), {s.rate_per_client:g} req/s per "
          f"client (burst {s.rate_burst:g}); {args.seconds:g} s per phase; load before: {os.getloadavg()[0]:.1f}")
    print("| clients | answers 200/s | p50 ms | p95 ms | p99 ms | statuses | 5xx (not 503) or dropped | "
          "other user p50 / max ms |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        for n in counts:  # the attack of the report: one anonymous address, n connections
            print(phase(base, f"anonymous flood, {n} connections", [None] * n, tokens[-1], args.seconds), flush=True)
        for n in counts[1:]:  # capacity: n users with tokens of their own
            print(phase(base, f"{n} distinct users", tokens[:n], tokens[-1], args.seconds), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
