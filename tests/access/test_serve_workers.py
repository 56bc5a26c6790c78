"""`scobank serve --workers 2`: two server processes on one port answer correctly, both take requests,
and every gated read lands once in one intact ledger (SQLite in WAL mode here; PostgreSQL in `make test`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from scobank.access.ledger import verify
from tests.access.conftest import publish
from tests.access.test_admission import REPO, _free_port

pytestmark = pytest.mark.db
REQUESTS = 120


def _start(bank, port: int, *, rate: str = "0", burst: str = "200") -> subprocess.Popen:
    env = {**os.environ, "SCOBANK_HOME": str(bank.home), "SCOBANK_DATABASE_URL": bank.url,
           "PYTHONPATH": str(REPO / "src"), "SCOBANK_PASSWORD_HASHING": "fast", "SCOBANK_RATE_PER_CLIENT": rate,
           "SCOBANK_RATE_BURST": burst}
    command = [str(Path(sys.executable).parent / "scobank"), "serve", "--workers", "2", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode()[-2000:]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    os.killpg(server.pid, 9)
    raise AssertionError("the server did not start within 120 s")


def _workers(server: subprocess.Popen) -> list[int]:
    """The pids of the server's worker processes (its children running Python)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid and "resource_tracker" not in Path(stat.parent, "cmdline").read_text():
            pids.append(int(stat.parent.name))
    return pids


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _read(url: str, headers: dict, n: int) -> tuple[int, list]:
    # a new connection per request, so the kernel hands them to either worker
    reply = httpx.get(f"{url}/api/v1/datasets/two-workers/rows?limit=5", headers=headers, timeout=60)
    return reply.status_code, reply.json().get("rows") if reply.status_code == 200 else reply.text


def test_two_workers_answer_alike_and_the_ledger_stays_one_intact_chain(bank, world, tmp_path):
    publish(bank, tmp_path, "two-workers", "kz-stat")
    with bank.session() as s:
        before = verify(s)
    port = _free_port()
    server = _start(bank, port)
    try:
        workers = _workers(server)
        assert len(workers) == 2, workers
        ticks = {pid: _cpu_ticks(pid) for pid in workers}
        url, headers = f"http://127.0.0.1:{port}", world.headers("kz_steward")
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda n: _read(url, headers, n), range(REQUESTS)))
        busy = {pid: _cpu_ticks(pid) - ticks[pid] for pid in workers}
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert {status for status, _ in answers} == {200}, answers[:3]
    first = answers[0][1]
    assert len(first) == 5 and all(rows == first for _, rows in answers)
    assert all(ticks > 5 for ticks in busy.values()), busy  # both processes served requests
    with bank.session() as s:
        after = verify(s)
    assert after.ok, after.message
    assert after.entries - before.entries >= REQUESTS  # every read recorded once, none lost
