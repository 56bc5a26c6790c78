"""PySpark through Ibis: the scale-out engine, on a local Spark session here.

One Spark session per process (starting one costs about 20 s): offline on loopback
(SPARK_LOCAL_IP=127.0.0.1, DEPENDENCIES.md caveat 3), no web UI, UTC, few shuffle partitions (the
default 200 is for clusters). Java 17 must be on PATH (/usr/bin/java). The same Ibis expressions the
DuckDB engine runs run here; an operation Spark lacks raises EngineUnsupported.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

import ibis
import pyarrow as pa

from scobank.errors import EngineUnsupported

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_lock = threading.Lock()
_session: SparkSession | None = None


def local_spark_session(*, shuffle_partitions: int = 4) -> SparkSession:
    """The process's local Spark session (created once, reused)."""
    global _session
    with _lock:
        if _session is None:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
            from pyspark.sql import SparkSession

            _session = (SparkSession.builder.master("local[2]").appName("scobank")
                        .config("spark.ui.enabled", "false")
                        .config("spark.ui.showConsoleProgress", "false")
                        .config("spark.sql.session.timeZone", "UTC")
                        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                        .getOrCreate())
            _session.sparkContext.setLogLevel("ERROR")
        return _session


class SparkEngine:
    name = "spark"

    def __init__(self) -> None:
        self._con = ibis.pyspark.connect(local_spark_session())
        self._tables: dict[str, ibis.Table] = {}

    def table(self, content_hash: str) -> ibis.Table:
        from scobank.lake.store import path_for

        key = content_hash
        if key not in self._tables:
            self._tables[key] = self._con.read_parquet(str(path_for(key)), table_name=f"v_{key}")
        return self._tables[key]

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        try:
            return self._con.to_pyarrow(expr)
        except (ibis.common.exceptions.OperationNotDefinedError,
                ibis.common.exceptions.UnsupportedOperationError) as exc:
            raise EngineUnsupported(f"the spark engine cannot run {exc}") from exc

    def to_batches(self, expr: ibis.Expr, *, chunk_size: int = 65536) -> pa.RecordBatchReader:
        table = self.to_arrow(expr)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=chunk_size))

    def close(self) -> None:
        """Forget this engine's tables; the shared Spark session stays up for the process."""
        self._tables.clear()
