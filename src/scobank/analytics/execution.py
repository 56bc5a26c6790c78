"""Where analytics expressions run: the lake's engine seam, the configured one (SCOBANK_ENGINE:
DuckDB embedded, or Spark for scale-out) unless a caller names another.

Analytics modules build Ibis expressions only; this is the one place that hands them to an engine.
Datasets of the bank enter as the engine's own table of the version (`inputs.PanelInput.expr`), so
the rows stay where the data is and only results come back; inputs that are files (not bank
datasets) enter as `ibis.memtable`, which every engine can run.
"""

from __future__ import annotations

import ibis
import pyarrow as pa

ENGINE_NAMES = ("duckdb", "spark")


def run(expr: ibis.Expr, *, engine: str | None = None) -> pa.Table:
    """Execute `expr` on the named engine of the lake's seam (`scobank.lake.engine`) as Arrow; None:
    the configured engine (`get_settings().engine`).

    Raises EngineUnsupported for an unknown engine or an operation the engine lacks."""
    from scobank.lake.engine import get_engine

    return get_engine(engine).to_arrow(expr)


def table_of(data: pa.Table) -> ibis.Table:
    """An in-memory Arrow table as an Ibis table any engine can run."""
    return ibis.memtable(data)
