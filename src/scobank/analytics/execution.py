"""Where analytics expressions run: the lake's engine seam (DuckDB by default, Spark for scale-out).

Analytics modules build Ibis expressions only; this is the one place that hands them to an engine.
Inputs that are files (not bank datasets) enter as `ibis.memtable`, which every engine can run.
"""

from __future__ import annotations

import ibis
import pyarrow as pa

ENGINE_NAMES = ("duckdb", "spark")


def run(expr: ibis.Expr, *, engine: str = "duckdb") -> pa.Table:
    """Execute `expr` on the named engine and return the result as Arrow."""
    if engine == "spark":
        from scobank.lake.engines.spark import SparkEngine

        return SparkEngine().to_arrow(expr)
    if engine != "duckdb":
        from scobank.errors import EngineUnsupported

        raise EngineUnsupported(f"unknown engine {engine!r}; known: {', '.join(ENGINE_NAMES)}")
    con = ibis.duckdb.connect(autoinstall_known_extensions=False, autoload_known_extensions=False)
    try:
        return con.to_pyarrow(expr)
    finally:
        con.disconnect()


def table_of(data: pa.Table) -> ibis.Table:
    """An in-memory Arrow table as an Ibis table any engine can run."""
    return ibis.memtable(data)
