"""What the workbook guard and the shared rate limit cost (issue 17).

    PYTHONPATH=src python benchmarks/upload_guards.py

1. The zip guard (scobank.ingest.readers.zip_guard.check_archive) against calamine reading every sheet
   of the same file, on the real .xlsx files in SCOBANK_DATA_DIR: the ratio is the guard's overhead.
2. One shared rate-limit check (scobank.access.rate_limits.take_token, one UPDATE in its own
   transaction) on a fresh SQLite bank, against the process-local bucket it replaces.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import python_calamine as calamine

ROUNDS = 20


def _ms(fn, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def workbooks() -> None:
    from scobank.config import Settings
    from scobank.ingest.readers.zip_guard import check_archive

    root = Settings().resolved_data_dir
    for path in sorted(root.rglob("*.xlsx")):
        def read(p=path):
            book = calamine.CalamineWorkbook.from_path(str(p))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        guard, plain = _ms(lambda p=path: check_archive(p, name=p.name)), _ms(read)
        print(f"{path.name}: {path.stat().st_size:,} bytes; guard {guard:.1f} ms, calamine {plain:.1f} ms, "
              f"ratio {guard / plain:.2f}")


def rates() -> None:
    home = Path(tempfile.mkdtemp())
    os.environ.update(SCOBANK_HOME=str(home), SCOBANK_DATABASE_URL=f"sqlite:///{home}/bank.db")
    from scobank.access.rate_limits import rates_engine, take_token
    from scobank.api.admission import Gatekeeper, Limits
    from scobank.db import migrate

    migrate()
    engine = rates_engine(os.environ["SCOBANK_DATABASE_URL"])

    def shared():
        with engine.begin() as conn:
            take_token(conn, client="c:bench", rate=1e6, burst=1e6, now=time.time())

    local = Gatekeeper(Limits(concurrent=8, queued=8, wait_seconds=1, rate=1e6, burst=1e6))
    s, p = _ms(shared, 500), _ms(lambda: local.take_token("c:bench"), 500)
    print(f"rate check: shared (SQLite) {s:.3f} ms, process-local {p:.4f} ms per request")


if __name__ == "__main__":
    workbooks()
    rates()
