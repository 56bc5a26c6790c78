"""The DuckDB connection ingestion works in: offline, bounded memory, two threads, spills to disk.

Identifiers from users' files never reach SQL text unquoted: `ident` quotes them; values are bound.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

MEMORY_LIMIT = "1GB"  # DuckDB's own cap; it spills to the work folder beyond it
THREADS = 2


def connect(*, work_dir: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB that never downloads extensions and spills into `work_dir`."""
    return duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "threads": THREADS,
            "memory_limit": MEMORY_LIMIT,
            "temp_directory": str(work_dir / "duckdb.tmp"),
            "preserve_insertion_order": True,
        }
    )


def ident(name: str) -> str:
    """`name` as a quoted SQL identifier (embedded double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def one(conn: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> tuple | None:
    """The first row of a query (None when empty), leaving no open result on the connection."""
    rows = conn.execute(sql, params or {}).fetchall()  # callers ask for one row (aggregate or LIMIT 1)
    return rows[0] if rows else None


def used(sql: str, params: dict) -> dict:
    """The parameters `sql` names ($name): DuckDB refuses any it does not use."""
    return {k: v for k, v in params.items() if f"${k}" in sql}
