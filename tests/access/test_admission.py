"""No freeze under load (issue 17, item 1): bounded concurrency, a fair queue, per-client rate limits.

A live server (uvicorn, one worker) on 127.0.0.1 is flooded by more clients than the old 15-connection
pool and 40 threads could hold (the server froze at ~45); every answer must be a real one or a
deliberate 503/429, and another user's request must be served within a second during the flood.
These tests talk HTTP only, so they run against any version of the server (they failed on the one
before scobank.api.admission); the queue's and the buckets' own rules are in test_admission_queue.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from scobank.config import reset_settings
from tests.access.conftest import publish

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(bank, **env_extra: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "SCOBANK_HOME": str(bank.home), "SCOBANK_DATABASE_URL": bank.url,
           "PYTHONPATH": str(REPO / "src"), "SCOBANK_PASSWORD_HASHING": "fast", **env_extra}
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "scobank.api.app:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--timeout-keep-alive", "75"],  # as `scobank serve` runs it
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a loaded CI machine has taken over 60 s to import and start the app
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()[-2000:]
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError(f"the server did not start within 120 s: {server.communicate()[1].decode()[-2000:]}")


async def _flood(url: str, *, clients: int, seconds: float) -> dict:
    """`clients` anonymous connections asking without pause for `seconds`; answers counted by status."""
    statuses: dict[int, int] = {}
    dropped: list[str] = []
    stop = time.monotonic() + seconds
    paths = ["/api/v1/datasets", "/api/v1/datasets/load-open/rows?limit=5", "/api/v1/datasets/load-open"]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one(c: httpx.AsyncClient, n: int) -> None:
        while time.monotonic() < stop:
            try:
                status = (await c.get(paths[n % len(paths)])).status_code
            except httpx.HTTPError as error:  # named, so a failure says what dropped
                status = 0
                dropped.append(f"{type(error).__name__}: {error}")
            statuses[status] = statuses.get(status, 0) + 1
            n += 1

    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as c:
        await asyncio.gather(*[one(c, i) for i in range(clients)])
    if dropped:
        statuses["dropped"] = dropped[:5]
    return statuses


def _probe(url: str, headers: dict, *, seconds: float) -> list[tuple[int, float]]:
    """Another user's request every 0.5 s (its own connection): (status, seconds to the answer)."""
    probes = []
    stop = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=60, headers=headers) as c:
        while time.monotonic() < stop:
            start = time.monotonic()
            status = c.get("/api/v1/datasets/load-open").status_code
            probes.append((status, time.monotonic() - start))
            time.sleep(0.5)
    return probes


def test_sixty_clients_do_not_freeze_the_server_and_another_user_is_served_within_a_second(
        bank, world, tmp_path):
    publish(bank, tmp_path, "load-open", "kz-stat")
    assert bank.cli("policy", "set", "load-open", "--audience", "public").exit_code == 0
    server, url = _serve(bank, SCOBANK_RATE_PER_CLIENT="0")
    try:
        with ThreadPoolExecutor(1) as pool:
            flood = pool.submit(asyncio.run, _flood(url, clients=60, seconds=10))
            time.sleep(2)  # the flood is on
            probes = _probe(url, world.headers("ru_steward"), seconds=6)
            statuses = flood.result()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "dropped" not in statuses, statuses  # no connection dropped or timed out
    assert not {s for s in statuses if s >= 500 and s != 503}, statuses
    assert statuses.get(200, 0) >= 30, statuses  # the machine is shared: the figures are in RESULTS.md
    assert len(probes) >= 3 and all(status == 200 for status, _ in probes), probes
    times = sorted(seconds for _, seconds in probes)
    # Under 1 s (the median; the machine is shared by other work, so one slow answer may take longer);
    # the frozen server of issue 17 took 30 s and more.
    assert times[len(times) // 2] < 1.0 and times[-1] < 5.0, probes


def test_one_client_over_its_rate_gets_429_with_retry_after_while_others_are_served(
        bank, world, client, monkeypatch):
    monkeypatch.setenv("SCOBANK_RATE_PER_CLIENT", "0.01")  # slow refill: the test is not timing-bound
    monkeypatch.setenv("SCOBANK_RATE_BURST", "5")
    reset_settings()
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    with TestClient(create_app()) as limited:
        flooder = [limited.get("/api/v1/datasets", headers=world.headers("kz_viewer")) for _ in range(8)]
        other = limited.get("/api/v1/datasets", headers=world.headers("ru_viewer"))
    assert [r.status_code for r in flooder] == [200] * 5 + [429] * 3
    assert flooder[-1].json()["code"] == "rate-limited" and int(flooder[-1].headers["retry-after"]) >= 1
    assert flooder[-1].headers["server-timing"].startswith("admit;dur=")  # what the load test reads
    assert other.status_code == 200
