"""Where analytics expressions run: the lake's engine seam (DuckDB by default, Spark for scale-out).

Analytics modules build Ibis expressions only; this is the one place that hands them to an engine.
Inputs that are files (not bank datasets) enter as `ibis.memtable`, which every engine can run.
"""

from __future__ import annotations

import ibis
import pyarrow as pa

ENGINE_NAMES = ("duckdb", "spark")


def run(expr: ibis.Expr, *, engine: str = "duckdb") -> pa.Table:
    """Execute `expr` on the named engine of the lake's seam (`scobank.lake.engine`) as Arrow.

    Raises EngineUnsupported for an unknown engine or an operation the engine lacks."""
    from scobank.lake.engine import get_engine

    return get_engine(engine).to_arrow(expr)


def table_of(data: pa.Table) -> ibis.Table:
    """An in-memory Arrow table as an Ibis table any engine can run."""
    return ibis.memtable(data)
