"""kill -9, again and again (issue 17): a server killed while it publishes and answers, and the
ingest command killed mid-run, ten times each (a kill counts only if it landed while the command ran);
afterwards no half version (every version row has its Parquet file, whose sha256 is its content hash)
and a ledger that verifies."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import httpx
from sqlalchemy import select

from tests.access.conftest import publish
from tests.access.test_admission import _serve
from tests.conftest import REPO

KILLS = 10


def _csv(i: int) -> bytes:
    return ("region,year,tonnes\n" + "".join(f"R{j},{2000 + j % 20},{i * 1000 + j}\n" for j in range(400))).encode()


def _keep_busy(url: str, headers: dict, stop: threading.Event) -> None:
    """Publish new versions and query, as fast as the server answers, until killed."""
    i = 0
    with httpx.Client(base_url=url, timeout=30, headers=headers) as c:
        while not stop.is_set():
            i += 1
            try:
                c.post("/api/v1/datasets/kz-killed/versions", files={"file": (f"v{i}.csv", _csv(i), "text/csv")})
                c.get("/api/v1/datasets/kz-killed/rows", params={"limit": 50})
            except httpx.HTTPError:
                return  # the server is gone


def _ingest(tmp_path, env: dict, i: int) -> subprocess.Popen:
    source = tmp_path / f"ingest{i}.csv"
    source.write_bytes(_csv(1000 + i))
    return subprocess.Popen([sys.executable, "-m", "scobank", "ingest", str(source), "--org", "kz-stat",
                             "--dataset", "kz-killed"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _ingest_kills(tmp_path, env: dict, rng: random.Random) -> int:
    """Kills of `scobank ingest` that landed while it ran (a run that ended first is not counted), at a
    random point of a whole run's duration, measured here first; at most 3 x KILLS tries."""
    start = time.monotonic()
    assert _ingest(tmp_path, env, 0).wait() == 0
    whole = time.monotonic() - start
    kills = 0
    for i in range(1, 3 * KILLS + 1):
        child = _ingest(tmp_path, env, i)
        time.sleep(rng.uniform(0.3, 0.95) * whole)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += child.wait() == -signal.SIGKILL
        child.wait()
        if kills == KILLS:
            break
    return kills


def _no_half_versions(bank) -> int:
    from scobank.catalog.models import DatasetVersion
    from scobank.lake.store import path_for, sha256_of

    with bank.session() as s:
        hashes = list(s.scalars(select(DatasetVersion.content_hash)))
    for content_hash in hashes:
        path = path_for(content_hash)
        assert path.exists() and sha256_of(path) == content_hash, content_hash
    return len(hashes)


def test_ten_kills_of_the_server_and_ten_of_ingest_leave_whole_versions_and_a_valid_ledger(bank, world, tmp_path):
    publish(bank, tmp_path, "kz-killed", "kz-stat")
    rng = random.Random(17)
    for _ in range(KILLS):
        server, url = _serve(bank, SCOBANK_RATE_PER_CLIENT="0")
        stop = threading.Event()
        busy = threading.Thread(target=_keep_busy, args=(url, world.headers("kz_editor"), stop))
        busy.start()
        time.sleep(rng.uniform(0.5, 2.5))
        assert server.poll() is None  # still serving: the kill lands
        server.send_signal(signal.SIGKILL)
        assert server.wait() == -signal.SIGKILL
        stop.set()
        busy.join()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SCOBANK_HOME": str(bank.home),
           "SCOBANK_DATABASE_URL": bank.url}
    assert _ingest_kills(tmp_path, env, rng) == KILLS
    assert _no_half_versions(bank) >= 2
    verify = bank.cli("ledger", "verify")
    assert verify.exit_code == 0, verify.stderr
    (tmp_path / "after.csv").write_bytes(_csv(99_999))
    after = bank.cli("ingest", str(tmp_path / "after.csv"), "--org", "kz-stat", "--dataset", "kz-killed")
    assert after.exit_code == 0, after.stderr  # the bank works on after the kills
    assert bank.cli("ledger", "verify").exit_code == 0
