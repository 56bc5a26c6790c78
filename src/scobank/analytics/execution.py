"""Where analytics expressions run: the lake's engine seam, the configured one (SCOBANK_ENGINE:
DuckDB embedded, or Spark for scale-out) unless a caller names another.

Analytics modules build Ibis expressions only; this is the one place that hands them to an engine.
Datasets of the bank enter as the engine's own table of the version (`inputs.PanelInput.expr`), so
the rows stay where the data is and only results come back; inputs that are files (not bank
datasets) enter as `ibis.memtable`, which every engine can run. A result too large to bring back
whole (the import substitution of every member: 744,282 rows at 200M flows) is written where the
engine runs (`EngineResult`) and asked small questions there: a page, a count, totals.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import ibis
import pyarrow as pa

ENGINE_NAMES = ("duckdb", "spark")
KEPT_RESULTS = 64  # result folders kept under <lake>/results; the least recently used removed first
KEPT_BYTES = 4 * 1024**3
PARTIAL_AGE = 24 * 3600  # a partial folder older than this was left by a process that died while writing


def run(expr: ibis.Expr, *, engine: str | None = None) -> pa.Table:
    """Execute `expr` on the named engine of the lake's seam (`scobank.lake.engine`) as Arrow; None:
    the configured engine (`get_settings().engine`).

    Raises EngineUnsupported for an unknown engine or an operation the engine lacks."""
    from scobank.lake.engine import get_engine

    return get_engine(engine).to_arrow(expr)


def table_of(data: pa.Table) -> ibis.Table:
    """An in-memory Arrow table as an Ibis table any engine can run."""
    return ibis.memtable(data)


def results_root() -> Path:
    """`<lake>/results`: the lake's mount is shared by every API worker and Spark executor (deploy.md),
    and the lake's own files are only `<lake>/??/<hash>.parquet`, so results never pass for data."""
    from scobank.lake.store import lake_root

    return lake_root() / "results"


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class EngineResult:
    """A large result computed once and written where the engine runs (`results_root()/<name>/`: on
    Spark the executors write their partitions, on DuckDB one COPY), then read back as the engine's
    own table, so the questions asked of it are small engine queries and only their answers reach
    this process.

        with EngineResult(lambda: expr, name=key_hash) as result:
            page = run(result.table().order_by(...).limit(50))

    `name`: a stable hex name (what the result is a function of: `cache.result_name`) keeps the files
    for later calls and other processes (at most KEPT_RESULTS folders and KEPT_BYTES); None writes a
    temporary result, removed when the `with` block ends. `build` is called only when no kept files
    exist. Two processes that write the same name at once both compute; the first rename wins."""

    def __init__(self, build: Callable[[], ibis.Table], *, name: str | None = None,
                 engine: str | None = None) -> None:
        self.build, self.engine, self.kept = build, engine, name is not None
        self.folder = results_root() / (name or f"temp_{uuid.uuid4().hex}")
        self._table: ibis.Table | None = None

    def table(self) -> ibis.Table:
        """The result as a table of the engine (computed and written on the first call if need be)."""
        if self._table is None:
            from scobank.lake.engine import get_engine

            engine = get_engine(self.engine)
            with _lock_for(self.folder.name):
                if self.folder.is_dir():
                    os.utime(self.folder)  # recently used: pruned last
                else:
                    self._write(engine)
            self._table = engine.read_parquet(self.folder)
        return self._table

    def _write(self, engine) -> None:
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        partial = self.folder.with_name(f"partial_{uuid.uuid4().hex}")
        try:
            engine.write_parquet(self.build(), partial)
            try:
                os.rename(partial, self.folder)
            except OSError:  # another process renamed its copy (the same rows) first
                if not self.folder.is_dir():
                    raise
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        if self.kept:
            _prune(self.folder.parent)

    def __enter__(self) -> EngineResult:
        return self

    def __exit__(self, *exc) -> None:
        if self._table is not None:
            from scobank.lake.engine import get_engine

            get_engine(self.engine).forget(self.folder)
            self._table = None
        if not self.kept:
            shutil.rmtree(self.folder, ignore_errors=True)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _prune(root: Path) -> None:
    """Remove the kept results beyond KEPT_RESULTS or KEPT_BYTES (least recently used first) and
    partial folders a dead writer left."""
    now, kept, used = time.time(), 0, 0
    folders = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for folder in folders:
        if folder.name.startswith(("partial_", "temp_")):
            if now - folder.stat().st_mtime > PARTIAL_AGE:
                shutil.rmtree(folder, ignore_errors=True)
            continue
        kept, used = kept + 1, used + _size(folder)
        if kept > KEPT_RESULTS or used > KEPT_BYTES:
            shutil.rmtree(folder, ignore_errors=True)
