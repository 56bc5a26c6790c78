"""Complexity results as Arrow tables, and the four Parquet files the `complexity` command writes.

- country_product: year, exporter, product, value, rca, m, density, cog — every country x product of
  the year (value 0 where c does not export p: density and COG matter exactly there)
- country: year, exporter, diversity, eci, coi
- product: year, product, ubiquity, pci
- proximity: year, product_a, product_b, proximity — one row per unordered pair product_a < product_b
  with proximity > 0; the diagonal (1 by convention) is not written.
Code columns of country_product and proximity are dictionary-encoded strings (cheap for 10M+ rows).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from threadpoolctl import threadpool_limits

from scobank.analytics.complexity import (Convention, YearComplexity, YearPresence, check_convention,
                                          complexity_of, year_presence)
from scobank.analytics.panel import YearMatrix
from scobank.analytics.space import proximity_pairs

FILES = ("country_product", "country", "product", "proximity")


def _codes(indices: np.ndarray, dictionary: np.ndarray) -> pa.DictionaryArray:
    """dictionary[indices] as a dictionary-encoded string column (no string copied per row; Parquet
    stores it dictionary-encoded; DuckDB reads VARCHAR, pandas a categorical)."""
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32, copy=False)),
                                          pa.array(dictionary, pa.string()))


def _table(columns: dict[str, object]) -> pa.Table:
    """Columns as a table whose fields are all declared non-null (they never hold nulls): Parquet
    stores them REQUIRED, with no definition levels to encode (a quarter of the proximity file's
    encoding time)."""
    arrays = [c if isinstance(c, pa.Array | pa.ChunkedArray) else pa.array(c) for c in columns.values()]
    return pa.Table.from_arrays(arrays, schema=pa.schema(
        [pa.field(name, array.type, nullable=False) for name, array in zip(columns, arrays, strict=True)]))


def country_product_table(r: YearComplexity) -> pa.Table:
    n_c, n_p = r.value.shape
    return _table({
        "year": np.full(n_c * n_p, r.year, dtype=np.int64),
        "exporter": _codes(np.repeat(np.arange(n_c, dtype=np.int32), n_p), r.exporters),
        "product": _codes(np.tile(np.arange(n_p, dtype=np.int32), n_c), r.products),
        "value": r.value.ravel(), "rca": r.rca.ravel(), "m": r.m.ravel(),
        "density": r.space.density.ravel(), "cog": r.cog.ravel(),
    })


def country_table(r: YearComplexity) -> pa.Table:
    return _table({"year": np.full(len(r.exporters), r.year, dtype=np.int64),
                     "exporter": pa.array(r.exporters, pa.string()),
                     "diversity": r.diversity.astype(np.int64), "eci": r.eci, "coi": r.coi})


def product_table(r: YearComplexity) -> pa.Table:
    return _table({"year": np.full(len(r.products), r.year, dtype=np.int64),
                     "product": pa.array(r.products, pa.string()),
                     "ubiquity": r.ubiquity.astype(np.int64), "pci": r.pci})


def proximity_tables(r: YearComplexity | YearPresence) -> Iterator[pa.Table]:
    """The proximity rows in consecutive pieces (one per row block of phi's upper triangle), so the
    12M pairs of a 5,000-product year are never all in memory; one product dictionary is shared.
    Needs only M and ubiquity, so it can start before ECI, density and COG are known."""
    dictionary = pa.array(r.products, pa.string())
    years = np.empty(0, dtype=np.int64)  # one constant column, sliced for every piece
    for a, b, values in proximity_pairs(r.m, r.ubiquity):
        if len(a) > len(years):
            years = np.full(len(a), r.year, dtype=np.int64)
        yield _table({"year": years[:len(a)],
                        "product_a": pa.DictionaryArray.from_arrays(pa.array(a), dictionary),
                        "product_b": pa.DictionaryArray.from_arrays(pa.array(b), dictionary),
                        "proximity": values})


def proximity_table(r: YearComplexity) -> pa.Table:
    return pa.concat_tables(proximity_tables(r))


TABLE_BUILDERS = {"country_product": country_product_table, "country": country_table,
                  "product": product_table, "proximity": proximity_table}


@dataclass(frozen=True)
class ComplexityRun:
    out_dir: Path
    years: list[int]
    countries: int
    products: int
    convention: str


class _Files:
    """The four Parquet files of a run, appended to piece by piece by one encoding thread.

    Dictionary pages for the code columns and the few-valued ones; no min/max statistics on the
    dictionary-encoded code columns (Arrow decodes every string for them: 0.75 of the 1.2 CPU seconds
    of writing a 12M-row proximity file); float columns uncompressed (snappy gains nothing on them). `feed` hands pieces to the encoder in order, waiting for the
    previous piece of the same feed (at most one piece waits) and stopping early once `stop` is set."""

    def __init__(self, folder: Path, encoder: ThreadPoolExecutor, stop: threading.Event) -> None:
        self.folder, self.encoder, self.stop = folder, encoder, stop
        self.writers: dict[str, pq.ParquetWriter] = {}

    def _write(self, name: str, table: pa.Table) -> None:
        if name not in self.writers:
            coded = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
            few_values = [c for c in ("year", "m", "proximity") if c in table.column_names]
            random_bits = {f.name: "none" for f in table.schema if pa.types.is_floating(f.type)}
            self.writers[name] = pq.ParquetWriter(
                self.folder / f"{name}.parquet", table.schema, use_dictionary=coded + few_values,
                write_statistics=[c for c in table.column_names if c not in coded],
                compression={c: random_bits.get(c, "snappy") for c in table.column_names})
        self.writers[name].write_table(table)

    def feed(self, name: str, tables: Iterable[pa.Table]) -> None:
        pending: Future[None] | None = None
        for table in tables:
            if pending is not None:
                pending.result()
            if self.stop.is_set():
                return
            pending = self.encoder.submit(self._write, name, table)
        if pending is not None:
            pending.result()

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


def write_complexity(matrices: Iterable[YearMatrix], *, out_dir: Path, convention: Convention,
                     rca_cutoff: float) -> ComplexityRun:
    """Compute every year and write the four files into `out_dir`, all or nothing.

    Years are computed and appended one at a time into a temporary folder beside `out_dir`; only when
    every year succeeded are the files moved in (an error leaves `out_dir` as it was). Three threads
    share the two cores (numpy and Parquet encoding release the GIL): as soon as a year's M is known
    the proximity pieces are computed on one, the other measures on the calling thread, and a third
    encodes Parquet. BLAS runs on one thread throughout (the products are small; see space.py).
    """
    check_convention(convention)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".complexity-", dir=out_dir))
    years, countries, products, stop = [], 0, 0, threading.Event()
    files: _Files | None = None
    try:
        with (threadpool_limits(limits=1, user_api="blas"),
              ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet") as encoder,
              ThreadPoolExecutor(max_workers=1, thread_name_prefix="proximity") as edges):
            files = _Files(tmp, encoder, stop)
            try:
                for matrix in matrices:
                    presence = year_presence(matrix, rca_cutoff=rca_cutoff)
                    pairs = edges.submit(files.feed, "proximity", proximity_tables(presence))
                    result = complexity_of(presence, convention=convention)
                    for name in ("country_product", "country", "product"):
                        files.feed(name, [TABLE_BUILDERS[name](result)])
                    pairs.result()
                    years.append(result.year)
                    countries, products = max(countries, len(result.exporters)), max(products, len(result.products))
            except BaseException:
                stop.set()
                raise
        files.close()
        for name in FILES:
            (tmp / f"{name}.parquet").replace(out_dir / f"{name}.parquet")
    finally:
        if files is not None:
            files.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return ComplexityRun(out_dir=out_dir, years=years, countries=countries, products=products, convention=convention)
