"""kill -9 in the middle of staging a big file leaves nothing that counts as data: the staging folder
holds only temporary names (never a finished-looking Parquet), the lake is untouched, and the next
`stage_file` removes what the dead process left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from scobank.ingest.pipeline import stage_file
from scobank.ingest.staging import TEMP_SUFFIX
from tests.conftest import REPO, TESTDATA

ROWS = 4_000_000
STAGE = """
import sys
from pathlib import Path
from scobank.db import session_scope
from scobank.ingest.pipeline import stage_file
with session_scope() as session:
    stage_file(session, source=Path(sys.argv[1]), kind="trade", hs_revision="HS17")
print("finished")
"""


def big_baci_file(path) -> None:
    """ROWS BACI-like rows (unique keys, valid codes), written by DuckDB in a few seconds."""
    con = duckdb.connect()
    rows = con.sql("SELECT 2020 AS t, 4 + (r % 2) * 706 AS i, 24 + r // 5000 % 200 AS j, "
                   "10121 AS k, (r % 1000) / 10 AS v, 1.5 AS q FROM range($rows) t(r)", params={"rows": ROWS})
    rows.write_csv(str(path), header=True)


@pytest.mark.slow
def test_kill_9_while_staging_leaves_no_data_and_the_next_run_cleans_up(bank, tmp_path):
    source = tmp_path / "big_baci.csv"
    big_baci_file(source)
    staging = bank.home / "staging"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SCOBANK_HOME": str(bank.home),
           "SCOBANK_DATABASE_URL": bank.url}
    child = subprocess.Popen([sys.executable, "-c", STAGE, str(source)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not any(staging.glob(f"*{TEMP_SUFFIX}")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the reading and checking of four million rows
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, child.stdout.read()
    left = sorted(p.name for p in staging.iterdir())
    assert left and all(name.endswith(TEMP_SUFFIX) for name in left), left
    assert not any(staging.glob("*.parquet"))
    lake = bank.home / "lake"
    assert not lake.exists() or not any(lake.rglob("*"))

    with bank.session() as session:
        staged = stage_file(session, source=TESTDATA / "negative_value.csv", kind="trade", on_error="skip-rows")
    assert [p.name for p in staging.iterdir()] == [staged.parquet_path.name]
