"""The direct path of a trade file: parsed once, checked batch by batch, written to Parquet as it streams.

For a layout with a typed plan (BACI), DuckDB's CSV reader parses the numbers and the ENUM casts resolve
the codes (`scobank.ingest.codes`); each Arrow batch of the canonical table is checked with vectorised
tests that cover every trade check (`scobank.ingest.trade.trade_checks`) and total rows
(`AGGREGATE_ROWS`: they all have an unresolved code), and its key is packed into one int64 (year and the
ENUM codes) for an exact duplicate test at the end. Any value that fails, whether it does not parse, is an
unknown code, a year out of range, a negative or non-finite number, or a key that repeats, ends the direct
path: its output is deleted and the caller runs the full path, which names every row, column and reason.
So the direct path accepts only what the full path accepts, and writes the same rows.

A second thread pulls the batches from DuckDB while this one checks and writes them, so parsing and
writing overlap; the connection is used by that thread alone until it has ended.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scobank.ingest.duck import one
from scobank.ingest.trade import YEAR_MIN, year_max

BATCH_ROWS = 1 << 20
ROW_GROUP_ROWS = 122_880  # DuckDB's own row-group size: readers skip row groups by their statistics
_REQUIRED = ("year", "exporter", "importer", "product", "value_usd")
_DONE = object()


@dataclass(frozen=True)
class DirectOutcome:
    rows: int  # rows written (0 when the full path must run)
    path: Path | None  # the Parquet file written, None when the full path must run
    parsed: bool  # every value parsed as its type (False: the full path must start from the text)


def write_direct(conn: duckdb.DuckDBPyConnection, sql: str, params: dict, *, target: Path) -> DirectOutcome:
    """Run `keyed(sql)` (`sql`: the canonical trade columns) and write its rows to `target` if every row
    passes; otherwise leave nothing at `target` and say whether the values at least parsed."""
    sql = keyed(conn, sql)
    batches: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    producer = threading.Thread(target=_produce, args=(conn, sql, params, batches, stop), daemon=True)
    producer.start()
    writer, keys, rows, clean = None, [], 0, True
    try:
        while (batch := batches.get()) is not _DONE:
            if isinstance(batch, BaseException):
                if isinstance(batch, duckdb.Error | pa.ArrowException):
                    return _discard(target, writer, parsed=False)
                raise batch
            key = _checked_key(batch) if batch.num_rows else np.empty(0, np.int64)
            if key is None:
                clean = False
                break
            rows_only = batch.select(batch.schema.names[:-1])  # without _key
            writer = writer or _writer(target, rows_only.schema)
            writer.write_batch(rows_only, row_group_size=ROW_GROUP_ROWS)
            keys.append(key)
            rows += batch.num_rows
    except OSError:  # a full disk, say: the full path meets it again and reports it (StorageError)
        clean = False
    finally:
        stop.set()
        while producer.is_alive():  # a producer blocked on a full queue sees `stop` once there is room
            _drain(batches)
            producer.join(timeout=0.05)
    if not clean or rows == 0 or _repeats(keys):
        return _discard(target, writer, parsed=True)
    try:
        writer.close()
    except OSError:
        return _discard(target, None, parsed=True)
    return DirectOutcome(rows, target, True)


def _writer(target: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """zstd, plain strings for readers (no Arrow schema: ENUM dictionaries read back as text), and
    dictionary pages for codes and years only: trying them on measured values costs a third of the
    write and falls back to plain pages anyway."""
    coded = [f.name for f in schema if not pa.types.is_floating(f.type)]
    return pq.ParquetWriter(target, schema, compression="zstd", store_schema=False, use_dictionary=coded)


def _produce(conn: duckdb.DuckDBPyConnection, sql: str, params: dict, out: queue.Queue,
             stop: threading.Event) -> None:
    """Put the query's Arrow batches on `out`, then _DONE (or the exception that ended it)."""
    try:
        reader = conn.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            if stop.is_set():
                break
            out.put(batch)
        out.put(_DONE)
    except BaseException as exc:  # noqa: BLE001 (handed to the consumer, which decides)
        out.put(exc)


def _drain(batches: queue.Queue) -> None:
    """Empty the queue (the batches of a run that stopped early are not needed)."""
    try:
        while True:
            batches.get_nowait()
    except queue.Empty:
        pass


def _discard(target: Path, writer: pq.ParquetWriter | None, *, parsed: bool) -> DirectOutcome:
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
    target.unlink(missing_ok=True)
    return DirectOutcome(0, None, parsed)


def keyed(conn: duckdb.DuckDBPyConnection, sql: str) -> str:
    """`sql` (the canonical trade columns, ENUM codes) with `_key`: year and the three codes packed into
    one BIGINT (NULL when a part is), computed by DuckDB beside the parse. The ENUMs' sizes are read
    once and written as numbers (an enum_range in the expression would be built row by row)."""
    key = f"(year::BIGINT - {YEAR_MIN})"
    for column, enum in (("exporter", "iso_t"), ("importer", "iso_t"), ("product", "hs_t")):
        size = int(one(conn, f"SELECT len(enum_range(NULL::{enum}))")[0])  # noqa: S608 (our type names)
        key = f"({key} * {size} + enum_code({column}))"
    return f"SELECT *, {key} AS _key FROM ({sql})"  # noqa: S608 (fixed text and integers)


def _checked_key(batch: pa.RecordBatch) -> np.ndarray | None:
    """The packed keys of a batch whose rows all pass the trade checks; None when any row fails.

    Same predicates as `trade_checks`: no empty year, code or value; the year in YEAR_MIN..year_max();
    value and quantity finite and not negative (quantity may be empty)."""
    if any(batch.column(name).null_count for name in _REQUIRED):
        return None
    year = batch.column("year").to_numpy()
    if year.min() < YEAR_MIN or year.max() > year_max():
        return None
    value = batch.column("value_usd").to_numpy()
    if not (np.isfinite(value).all() and (value >= 0).all()):
        return None
    quantity = batch.column("quantity").drop_null().to_numpy()
    if not (np.isfinite(quantity).all() and (quantity >= 0).all()):
        return None
    return batch.column("_key").to_numpy()


def _repeats(keys: list[np.ndarray]) -> bool:
    """Whether any packed key occurs twice (numpy sorts 10M int64 in about 0.1 s of CPU)."""
    packed = np.concatenate(keys) if keys else np.empty(0, np.int64)
    packed.sort()
    return bool((packed[1:] == packed[:-1]).any())
