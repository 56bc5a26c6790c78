"""The direct path of a trade file: parsed once, checked batch by batch, written to Parquet as it streams.

DuckDB runs one query over the file; a *shape* turns each Arrow batch into the canonical trade table
with its code columns as dictionaries in ENUM order (`TradeCodes`), or says that the batch holds a row
the direct path does not accept. Two shapes: `EnumRows`, where the layout's SQL already cast the codes
to the ENUM types (any layout, with a `_bad` flag that is the OR of every check the full path runs),
and `scobank.ingest.baci_rows.BaciRows`, where lookup tables map BACI's numeric codes batch by batch.
Each canonical batch then passes the trade checks again, vectorised (`_checked_key`), and its key
(year and the three codes' ENUM positions, packed in one int64) is kept for an exact duplicate test at
the end. Any value that fails, whether it does not parse, is an unknown code, a year out of range, a
negative or non-finite number, or a key that repeats, ends the direct path: its output is deleted and
the caller runs the full path, which names every row, column and reason. So the direct path accepts
only what the full path accepts, and writes the same rows.

A second thread pulls the batches from DuckDB while this one checks and writes them, so parsing and
writing overlap; the connection is used by that thread alone until it has ended.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scobank.ingest.duck import one
from scobank.ingest.trade import YEAR_MIN, year_max

BATCH_ROWS = 1 << 20
ROW_GROUP_ROWS = 122_880  # DuckDB's own row-group size: readers skip row groups by their statistics
BAD = "_bad"  # EnumRows: true on a row that any check of the full path would report
AGGREGATE = "_aggregate"  # EnumRows: the kind of total a row is (`AGGREGATE_ROWS`), NULL for a flow
_REQUIRED = ("year", "exporter", "importer", "product", "value_usd")
_DONE = object()


@dataclass(frozen=True)
class DirectOutcome:
    rows: int  # rows written (0 when the full path must run)
    path: Path | None  # the Parquet file written, None when the full path must run
    parsed: bool  # every value parsed as its type (False: the full path must start from the text)
    aggregates: dict[str, int] = field(default_factory=dict)  # total rows left out, by kind (`AGGREGATE_ROWS`)


@dataclass(frozen=True)
class TradeCodes:
    """The trade table's ENUM types (`scobank.ingest.codes.register_code_types`) as Arrow string arrays
    in ENUM order, so that a dictionary index is the ENUM's code."""

    iso: pa.Array
    hs: pa.Array
    revisions: pa.Array
    units: pa.Array

    @classmethod
    def of(cls, conn: duckdb.DuckDBPyConnection) -> TradeCodes:
        def values(enum: str) -> pa.Array:
            return pa.array(one(conn, f"SELECT enum_range(NULL::{enum})")[0], pa.string())  # noqa: S608 (our type names)

        return cls(values("iso_t"), values("hs_t"), values("rev_t"), values("unit_t"))


class Shape(Protocol):
    codes: TradeCodes
    unpruned: tuple[str, ...]  # columns written without min/max: in this layout's order they prune nothing
    aggregates: dict[str, int]  # total rows (World, all products) left out so far, by kind

    def canonical(self, batch: pa.RecordBatch) -> pa.RecordBatch | None:
        """The batch as the canonical trade columns (codes as dictionaries of `codes`), or None when a
        row is one the direct path does not accept."""


@dataclass
class EnumRows:
    """Batches of the canonical columns whose codes DuckDB cast to the ENUM types, with the flags of
    `scobank.ingest.trade_stage.checked_sql`: `_bad` (a check of the full path fails on the row) and
    `_aggregate` (the kind of total the row is, NULL for a flow). Totals are counted in `aggregates`
    and left out, as the full path leaves them out; a row with `_bad` refuses the batch."""

    codes: TradeCodes
    unpruned: tuple[str, ...] = ()
    aggregates: dict[str, int] = field(default_factory=dict)

    def canonical(self, batch: pa.RecordBatch) -> pa.RecordBatch | None:
        bad, kind = batch.column(BAD), batch.column(AGGREGATE)
        if bad.null_count or bad.true_count:
            return None
        if kind.null_count < len(kind):
            for count in pc.value_counts(kind.drop_null()).to_pylist():
                self.aggregates[count["values"]] = self.aggregates.get(count["values"], 0) + count["counts"]
            batch = batch.filter(pc.is_null(kind))
        return batch.select([n for n in batch.schema.names if n not in (BAD, AGGREGATE)])


def write_direct(conn: duckdb.DuckDBPyConnection, sql: str, params: dict, *, target: Path,
                 shape: Shape) -> DirectOutcome:
    """Run `sql` and write its rows, made canonical by `shape`, to `target` if every row passes;
    otherwise leave nothing at `target` and say whether the values at least parsed."""
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
            rows_out = shape.canonical(batch) if batch.num_rows else batch
            if rows_out is not None and not rows_out.num_rows:
                continue
            key = None if rows_out is None else _checked_key(rows_out, shape.codes)
            if key is None:
                clean = False
                break
            writer = writer or _writer(target, rows_out.schema, unpruned=shape.unpruned)
            writer.write_batch(rows_out, row_group_size=ROW_GROUP_ROWS)
            keys.append(key)
            rows += rows_out.num_rows
    except OSError:  # a full disk, say: the full path meets it again and reports it (StorageError)
        clean = False
    finally:
        _stop(producer, batches, stop)
    if not clean or rows == 0 or _repeats(keys):
        return _discard(target, writer, parsed=True)
    try:
        writer.close()
    except OSError:
        return _discard(target, None, parsed=True)
    return DirectOutcome(rows, target, True, dict(shape.aggregates))


def _writer(target: Path, schema: pa.Schema, *, unpruned: tuple[str, ...]) -> pq.ParquetWriter:
    """zstd, plain strings for readers (no Arrow schema: dictionaries read back as text), and
    dictionary pages for codes and years only: trying them on measured values costs a third of the
    write and falls back to plain pages anyway. Min/max statistics for every column but `unpruned`
    (pyarrow takes a dictionary column's values row by row to find them: 0.6 CPU-s for 10M HS codes)."""
    coded = [f.name for f in schema if not pa.types.is_floating(f.type)]
    return pq.ParquetWriter(target, schema, compression="zstd", store_schema=False, use_dictionary=coded,
                            write_statistics=[n for n in schema.names if n not in unpruned])


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


def _stop(producer: threading.Thread, batches: queue.Queue, stop: threading.Event) -> None:
    """End the producer; a producer blocked on a full queue sees `stop` once there is room."""
    stop.set()
    while producer.is_alive():
        try:
            while True:
                batches.get_nowait()
        except queue.Empty:
            pass
        producer.join(timeout=0.05)


def _discard(target: Path, writer: pq.ParquetWriter | None, *, parsed: bool) -> DirectOutcome:
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
    target.unlink(missing_ok=True)
    return DirectOutcome(0, None, parsed)


def _checked_key(batch: pa.RecordBatch, codes: TradeCodes) -> np.ndarray | None:
    """The packed keys of a canonical batch whose rows all pass the trade checks; None when any row fails.

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
    return _packed_key(batch, year, codes)


def _packed_key(batch: pa.RecordBatch, year: np.ndarray, codes: TradeCodes) -> np.ndarray | None:
    """(year - YEAR_MIN, exporter, importer, product) packed in one int64 from the dictionary indices;
    None if a code column's dictionary is not the whole ENUM (its indices would not be the codes)."""
    key = year.astype(np.int64) - YEAR_MIN
    for name, dictionary in (("exporter", codes.iso), ("importer", codes.iso), ("product", codes.hs)):
        column = batch.column(name)
        if not pa.types.is_dictionary(column.type) or len(column.dictionary) != len(dictionary):
            return None
        key = key * len(dictionary) + column.indices.to_numpy()
    return key


def _repeats(keys: list[np.ndarray]) -> bool:
    """Whether any packed key occurs twice (numpy sorts 10M int64 in about 0.1 s of CPU)."""
    packed = np.concatenate(keys) if keys else np.empty(0, np.int64)
    packed.sort()
    return bool((packed[1:] == packed[:-1]).any())
