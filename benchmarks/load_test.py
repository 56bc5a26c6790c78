"""Loopback load test of the API server (issue 17 item 1): does it keep answering under a flood?

A fresh bank (one small public dataset, N+1 users with their own tokens) is served by uvicorn with
--workers N (default 1; the admission limits of scobank.api.admission at their defaults). The attack of the report:
for each connection count (default 1, 45, 200), one anonymous client (one address) asks without
pause on that many connections for DURATION seconds, cycling over a listing, a dataset page and a
query of rows (DuckDB + a ledger entry); a client answered 429/503 waits 0.2 s. Meanwhile another user
(its own token, its own process) asks for a dataset page every 0.5 s: "another user during the
flood". Then capacity: 45 and 200 distinct users with tokens of their own, asking the same way.

Each connection is a client of its own (one httpx pool of one connection): httpx's shared pool scans
every connection for every queued request, which at 200 connections cost the generator ~40 ms of CPU a
request and capped the old run at ~21 requests/s whatever the server could do.

Reported per phase: answers per second (200s, and all answers), p50/p95/p99 as the clients saw them
and as the server timed them (its `Server-Timing` header: admission + app), statuses (5xx other than
a deliberate 503, or a dropped connection, is a failure), the other user's p50/max, and who was the
limit: the CPU used by the load generator (one event loop: 100 % of a core is its ceiling), by the
server process(es), and by the rest of the machine in the same seconds, from /proc (Linux).

    PYTHONPATH=src python benchmarks/load_test.py [--seconds 20] [--clients 1,45,200] [--workers 1]
    scripts/with-postgres.sh env PYTHONPATH=src python benchmarks/load_test.py --postgres
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from scobank.config import get_settings

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


@dataclass
class Flood:
    statuses: dict = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)  # seconds, as the clients saw them
    server_ms: list[float] = field(default_factory=list)  # as the server timed them (Server-Timing)


def server_ms(header: str | None) -> float | None:
    """The sum of the `dur` of a Server-Timing header (`admit;dur=0.2, app;dur=11.9`), in ms."""
    if not header:
        return None
    parts = [p.split("=", 1)[1] for metric in header.split(",") for p in metric.split(";")[1:]
             if p.strip().startswith("dur=")]
    return sum(float(p) for p in parts) if parts else None


async def flood(base: str, tokens: list[str | None], seconds: float) -> Flood:
    """One client per connection, asking without pause for `seconds`."""
    out = Flood()
    stop = time.monotonic() + seconds
    # a client keeps idle connections 60 s, as browsers and proxies do (the server keeps them longer)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=60)
    tls = ssl.create_default_context()  # unused on http://, but httpx would build one per client
    clients = [httpx.AsyncClient(base_url=base, timeout=120, limits=limits, verify=tls,
                                 headers={"Authorization": f"Bearer {t}"} if t else {}) for t in tokens]

    async def one(c: httpx.AsyncClient, n: int) -> None:
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                answer = await c.get(PATHS[n % len(PATHS)])
                status, timed = answer.status_code, server_ms(answer.headers.get("server-timing"))
            except httpx.HTTPError as exc:  # counted by its kind: a dropped connection is a failure too
                status, timed = type(exc).__name__, None
            out.latencies.append(time.monotonic() - start)
            if timed is not None:
                out.server_ms.append(timed)
            out.statuses[status] = out.statuses.get(status, 0) + 1
            if status in (429, 503):
                await asyncio.sleep(0.2)  # a polite client backs off
            n += 1

    try:
        await asyncio.gather(*[one(c, i) for i, c in enumerate(clients)])
    finally:
        await asyncio.gather(*[c.aclose() for c in clients])
    return out


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children (uvicorn's workers), from /proc."""
    def own(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    children = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        children += [int(c) for c in task.read_text().split()]
    return own(pid) + sum(own(c) for c in children)


def machine_cpu_seconds() -> float:
    """CPU seconds all processes of the machine used so far (every core, idle and iowait excluded)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def quantiles(values: list[float]) -> list[float]:
    if not values:
        return [float("nan")] * 99
    return statistics.quantiles(values, n=100) if len(values) > 1 else values * 99


def limit(flood_: Flood, cpu: dict[str, float], seconds: float, rate: float) -> str:
    """What held the phase's throughput, from what was measured in it."""
    ok, refused = flood_.statuses.get(200, 0) / seconds, flood_.statuses.get(429, 0)
    if cpu["generator"] >= 0.85:
        return "load generator (its one core)"
    if refused and ok >= 0.8 * rate:
        return f"rate limit ({rate:g}/s per client)"
    if cpu["server"] >= 0.85:
        return "server CPU"
    if cpu["machine"] >= 0.9 * (os.cpu_count() or 1):
        return "machine's cores (shared)"
    return "waits (queue, locks), not CPU"


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


def phase(base: str, server: subprocess.Popen, name: str, tokens: list, other: str, seconds: float) -> str:
    """The flood from this process; the other user from a process of its own (its own interpreter, so
    the flood's client work does not delay it)."""
    prober = subprocess.Popen([sys.executable, "-c", PROBE, base, other, str(seconds - 1)], stdout=subprocess.PIPE)
    before = time.monotonic(), time.process_time(), cpu_seconds(server.pid), machine_cpu_seconds()
    result = asyncio.run(flood(base, tokens, seconds))
    after = time.monotonic(), time.process_time(), cpu_seconds(server.pid), machine_cpu_seconds()
    wall = after[0] - before[0]
    cpu = {"generator": (after[1] - before[1]) / wall, "server": (after[2] - before[2]) / wall,
           "machine": (after[3] - before[3]) / wall}
    cpu["other processes"] = max(0.0, cpu["machine"] - cpu["generator"] - cpu["server"])
    answers = json.loads(prober.communicate(timeout=300)[0])
    probes = [seconds for status, seconds in answers if status == 200]
    statuses, ok = result.statuses, result.statuses.get(200, 0)
    q, sq = quantiles(result.latencies), quantiles(result.server_ms)
    bad = sum(v for k, v in statuses.items() if isinstance(k, str) or (k >= 500 and k != 503))
    return (f"| {name} | {ok / seconds:.1f} / {sum(statuses.values()) / seconds:.0f} | "
            f"{q[49] * 1000:.0f} / {q[94] * 1000:.0f} / {q[98] * 1000:.0f} | "
            f"{sq[49]:.0f} / {sq[94]:.0f} / {sq[98]:.0f} | {dict(sorted(statuses.items(), key=str))} | {bad} | "
            f"{statistics.median(probes) * 1000:.0f} / {max(probes) * 1000:.0f} ({len(probes)} served, "
            f"{len(answers) - len(probes)} not) | "
            f"{cpu['generator']:.2f} / {cpu['server']:.2f} / {cpu['other processes']:.2f} | "
            f"{limit(result, cpu, seconds, get_settings().rate_per_client)} |")


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
    s = get_settings()
    print(f"database {url.split(':')[0]}, {args.workers} uvicorn worker(s), keep-alive {keep_alive()} s, admission {s.max_concurrent_requests} concurrent, "
          f"queue {s.max_queued_requests} (wait <= {s.queue_wait_seconds:g} s), {s.rate_per_client:g} req/s per "
          f"client (burst {s.rate_burst:g}); {args.seconds:g} s per phase; load before: {os.getloadavg()[0]:.1f}")
    print(f"CPU columns: cores busy during the phase (this machine has {os.cpu_count()}); the generator is one "
          "event loop, so 1.00 is its ceiling. 'server ms' is the server's own time (Server-Timing: admission "
          "+ app); client ms far above it is time spent outside the app (the generator, or the server's "
          "event loop before the request reaches the app).")
    print("| phase | answers/s 200 / all | client ms p50 / p95 / p99 | server ms p50 / p95 / p99 | statuses | "
          "5xx (not 503) or dropped | other user p50 / max ms | CPU generator / server / other | limit |")
    print("|---|---|---|---|---|---|---|---|---|")
    try:
        for n in counts:  # the attack of the report: one anonymous address, n connections
            print(phase(base, server, f"anonymous flood, {n} connections", [None] * n, tokens[-1], args.seconds),
                  flush=True)
        for n in counts[1:]:  # capacity: n users with tokens of their own
            print(phase(base, server, f"{n} distinct users", tokens[:n], tokens[-1], args.seconds), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
