"""Rate limits hold across worker processes (issue 17): with `scobank serve --workers 2` one client
gets its burst once in all, not once per worker, because the buckets are in the database."""

from __future__ import annotations

import os
import time

import httpx
import pytest

from scobank.access.rate_limits import take_token, rates_engine
from tests.access.test_admission import _free_port
from tests.access.test_serve_workers import _cpu_ticks, _start, _workers

pytestmark = pytest.mark.db
BURST = 10


def test_the_bucket_refills_at_its_rate_and_says_how_long_to_wait(bank):
    with rates_engine(bank.url).begin() as conn:
        taken = [take_token(conn, client="c:a", rate=2.0, burst=3, now=1000.0) for _ in range(4)]
        later = take_token(conn, client="c:a", rate=2.0, burst=3, now=1000.5)  # one token back
        other = take_token(conn, client="c:b", rate=2.0, burst=3, now=1000.5)
    assert taken == [0.0, 0.0, 0.0, 0.5] and later == 0.0 and other == 0.0


def _steady_workers(server) -> list[int]:
    """The two workers once their set holds still (a loaded machine's supervisor may restart a worker
    that was slow to start)."""
    for _ in range(40):
        seen = sorted(_workers(server))
        time.sleep(3)
        if len(seen) == 2 and sorted(_workers(server)) == seen:
            return seen
    raise AssertionError("the two workers did not settle")


def test_two_workers_share_one_clients_bucket(bank, world):
    port = _free_port()
    server = _start(bank, port, rate="0.01", burst=str(BURST))  # slow refill: the test is not timing-bound
    try:
        workers = _steady_workers(server)
        ticks = {pid: _cpu_ticks(pid) for pid in workers}
        url, headers = f"http://127.0.0.1:{port}", world.headers("kz_viewer")
        statuses = []
        for _ in range(6 * BURST):  # a new connection each time, so either worker takes it
            statuses.append(httpx.get(f"{url}/api/v1/datasets", headers=headers, timeout=60).status_code)
        other = httpx.get(f"{url}/api/v1/datasets", headers=world.headers("ru_viewer"), timeout=60).status_code
        busy = {pid: _cpu_ticks(pid) - ticks[pid] for pid in workers}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert all(t > 0 for t in busy.values()), busy  # both processes took requests
    assert statuses.count(200) == BURST and statuses.count(429) == 5 * BURST, statuses
    assert statuses[:BURST] == [200] * BURST
    assert other == 200  # another client has its own bucket
