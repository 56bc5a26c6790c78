"""PySpark through Ibis: the scale-out engine, on a local session or a standalone cluster.

One Spark session per process (starting one costs about 20 s), for the master the settings name
(SCOBANK_SPARK_MASTER: `local[N]`, or `spark://host:port` for a standalone cluster; executor memory
and cores from SCOBANK_SPARK_EXECUTOR_MEMORY / _CORES). The driver binds to SPARK_LOCAL_IP (default
127.0.0.1, DEPENDENCIES.md caveat 3: offline on loopback); on a real cluster set it to an address the
workers reach. No web UI, UTC, few shuffle partitions (the default 200 is for big clusters). Java 17
must be on PATH. The lake must be at the same path on every worker (a shared mount). The same Ibis
expressions the DuckDB engine runs run here; an operation Spark lacks raises EngineUnsupported.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
import ibis.expr.operations as ops
import pyarrow as pa
from ibis.formats.pyarrow import PyArrowData

from scobank.errors import EngineUnsupported

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_lock = threading.Lock()
_session: SparkSession | None = None
_UNSUPPORTED = (ibis.common.exceptions.OperationNotDefinedError,
                ibis.common.exceptions.UnsupportedOperationError)


def _builder(master: str, shuffle_partitions: int):
    from pyspark.sql import SparkSession

    from scobank.config import get_settings

    settings = get_settings()
    address = os.environ["SPARK_LOCAL_IP"]
    builder = (SparkSession.builder.master(master).appName("scobank")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               # DuckDB's semantics, which every analysis is written and tested for: x / 0 is NULL, not an
               # error (Spark 4 turns ANSI mode on by default and fails the whole query on one zero)
               .config("spark.sql.ansi.enabled", "false")
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
               .config("spark.driver.bindAddress", address)
               .config("spark.driver.host", address)
               .config("spark.pyspark.python", sys.executable)
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if settings.spark_executor_memory:
        builder = builder.config("spark.executor.memory", settings.spark_executor_memory)
    if settings.spark_executor_cores:
        builder = builder.config("spark.executor.cores", str(settings.spark_executor_cores))
    return builder


def spark_session(*, shuffle_partitions: int = 4) -> SparkSession:
    """The process's Spark session for the configured master (created once; a new master replaces it)."""
    global _session
    from scobank.config import get_settings

    master = get_settings().spark_master
    with _lock:
        if _session is not None and _session.sparkContext.master != master:
            _session.stop()
            _session = None
        if _session is None:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            _session = _builder(master, shuffle_partitions).getOrCreate()
            _session.sparkContext.setLogLevel("ERROR")
        return _session


local_spark_session = spark_session  # the name the tests and older callers use


class SparkEngine:
    name = "spark"

    def __init__(self) -> None:
        self._session: SparkSession | None = None
        self._con = None
        self._tables: dict[str, ibis.Table] = {}
        self._results: dict[str, str] = {}  # result folder -> its view (read_parquet)

    def _connection(self):
        """Ibis over the current session (reconnected, tables forgotten, if the session was replaced)."""
        session = spark_session()
        if session is not self._session:
            self._session, self._con = session, ibis.pyspark.connect(session)
            self._tables.clear()
            self._results.clear()
        return self._con

    def table(self, content_hash: str) -> ibis.Table:
        from scobank.lake.store import path_for

        con = self._connection()
        key = content_hash
        if key not in self._tables:
            self._tables[key] = con.read_parquet(str(path_for(key)), table_name=f"v_{key}")
        return self._tables[key]

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        """The result as Arrow straight from Spark (`DataFrame.toArrow`: the executors' Arrow batches,
        one job), never through pandas: Ibis's PySpark `to_pyarrow` converts every row to Python
        objects and back, which cost the API process ~150 MiB for a 35,000-row answer with lists."""
        page = _offset_page(expr)
        if page is not None:  # a page after the first: Spark's own OFFSET (see _offset_page)
            inner, n, offset = page
            frame, schema = self._frame(inner)
            frame = frame.offset(offset).limit(n)
        else:
            frame, schema = self._frame(expr)
        table = frame.toArrow()
        return expr.__pyarrow_result__(PyArrowData.convert_table(table, schema))

    def to_batches(self, expr: ibis.Expr, *, chunk_size: int = 65536) -> pa.RecordBatchReader:
        """Stream the result partition by partition as Arrow: the executors encode each partition's
        rows as Arrow batches (`toArrowBatchRdd`) and the driver hands them over one partition at a
        time (`toLocalIterator`'s protocol), in the result's order; this process holds one partition
        at a time, never the whole result, and no row becomes a Python object."""
        frame, schema = self._frame(expr)
        return pa.RecordBatchReader.from_batches(schema.to_pyarrow(), _arrow_batches(frame, schema, chunk_size))

    def write_parquet(self, expr: ibis.Expr, folder: Path) -> None:
        """Write the result where it is computed: the executors write their partitions as Parquet files
        into `folder` (on the lake's shared mount, so every worker and the API read the same files);
        nothing crosses to this process."""
        frame, _ = self._frame(expr)
        frame.write.parquet(str(folder))

    def read_parquet(self, folder: Path) -> ibis.Table:
        """The Parquet files of `folder` (`write_parquet`) as a table of this engine, under a view name
        of its own: the session (and its views) is shared by every thread's engine, so another thread's
        `forget` of the same folder must not drop the view this one is querying."""
        name = f"r_{uuid.uuid4().hex}"
        table = self._connection().read_parquet(str(folder), table_name=name)
        self._results[str(folder)] = name
        return table

    def forget(self, folder: Path) -> None:
        """Drop the view `read_parquet` registered for `folder` in this engine."""
        name = self._results.pop(str(folder), None)
        if name is not None and self._session is not None:
            self._session.catalog.dropTempView(name)

    def _frame(self, expr: ibis.Expr):
        """(the Spark DataFrame of the SQL Ibis compiles for `expr`, its Ibis schema)."""
        con = self._connection()
        table = expr.as_table()
        try:
            con._run_pre_execute_hooks(table)  # registers in-memory tables with the session
            frame = con.raw_sql(con.compile(table))
        except _UNSUPPORTED as exc:
            raise EngineUnsupported(f"the spark engine cannot run {exc}") from exc
        return frame, table.schema()

    def close(self) -> None:
        """Forget this engine's tables; the shared Spark session stays up for the process."""
        self._tables.clear()


def _offset_page(expr: ibis.Expr) -> tuple[ibis.Table, int, int] | None:
    """(the ordered expression, n, offset) when `expr` is a page after the first (`.limit(n, offset=m)`
    with m > 0, as the dataset query's cursor pages are), else None. Ibis 12 compiles an offset for
    PySpark as ROW_NUMBER() OVER (ORDER BY NULL) over the sorted rows, which Spark neither keeps in
    order nor leaves out of the result's columns; Spark's DataFrame.offset over the sorted frame keeps
    both (ORDER BY ... LIMIT n OFFSET m, planned as one ordered take)."""
    op = expr.op()
    if isinstance(op, ops.Limit) and isinstance(op.offset, int) and op.offset > 0 and isinstance(op.n, int):
        return op.parent.to_expr(), op.n, op.offset
    return None


def _arrow_batches(frame, schema: ibis.Schema, chunk_size: int) -> Iterator[pa.RecordBatch]:
    """The frame's rows as Arrow batches of at most `chunk_size` rows in the Ibis schema's types,
    fetched one partition at a time."""
    from pyspark.serializers import NoOpSerializer
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.util import _local_iterator_from_socket

    spark_schema = to_arrow_schema(frame.schema)
    served = frame.sparkSession.sparkContext._jvm.PythonRDD.toLocalIteratorAndServe(frame._jdf.toArrowBatchRdd(), True)
    for payload in _local_iterator_from_socket(served, NoOpSerializer()):
        batch = pa.ipc.read_record_batch(pa.py_buffer(payload), spark_schema)
        yield from PyArrowData.convert_table(pa.Table.from_batches([batch]), schema).to_batches(max_chunksize=chunk_size)

