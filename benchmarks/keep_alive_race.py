"""The keep-alive race behind a dropped flood connection (issue 17; docs/security-checks.md).

N connections, each idle 4.9-5.1 s between requests (httpx's default keepalive_expiry is 5 s), against
uvicorn with --timeout-keep-alive 5 (uvicorn's default) and 75 (`scobank serve`). With equal timers the
server sometimes closes a connection just as the client reuses it; with the server's timer longer, the
client always closes first.

    PYTHONPATH=src python benchmarks/keep_alive_race.py [--connections 60] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from load_test import REPO, _free_port, prepare, wait_until_up


def serve(home: Path, url: str, keep_alive: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "SCOBANK_HOME": str(home), "SCOBANK_DATABASE_URL": url, "PYTHONPATH": str(REPO / "src"),
           "SCOBANK_RATE_PER_CLIENT": "0"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "scobank.api.app:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--timeout-keep-alive", str(keep_alive)], env=env)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(server, base, tries=600)
    return server, base


async def idle_clients(base: str, connections: int, rounds: int) -> tuple[int, list[str]]:
    ok, failed = 0, []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=5.0)

    async def one(i: int) -> None:
        nonlocal ok
        rng = random.Random(i)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            for _ in range(rounds):
                try:
                    await client.get("/api/v1/health")
                    ok += 1
                except httpx.HTTPError as exc:
                    failed.append(type(exc).__name__)
                await asyncio.sleep(rng.uniform(4.9, 5.1))

    await asyncio.gather(*[one(i) for i in range(connections)])
    return ok, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="scobank-keepalive-"))
    url = f"sqlite:///{home / 'bank.db'}"
    prepare(home, url, 1)
    for keep_alive in (5, 75):
        server, base = serve(home, url, keep_alive)
        try:
            ok, failed = asyncio.run(idle_clients(base, args.connections, args.rounds))
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"server keep-alive {keep_alive} s, client 5 s, {args.connections} connections x {args.rounds} "
              f"requests idle 4.9-5.1 s apart: {ok} answered, {len(failed)} failed {sorted(set(failed))}",
              flush=True)


if __name__ == "__main__":
    main()
