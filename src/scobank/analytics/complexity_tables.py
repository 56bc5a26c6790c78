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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scobank.analytics.complexity import Convention, YearComplexity, complexity_year
from scobank.analytics.panel import YearMatrix
from scobank.analytics.space import proximity_pairs

FILES = ("country_product", "country", "product", "proximity")


def _codes(indices: np.ndarray, dictionary: np.ndarray) -> pa.DictionaryArray:
    """dictionary[indices] as a dictionary-encoded string column (no string copied per row; Parquet
    stores it dictionary-encoded; DuckDB reads VARCHAR, pandas a categorical)."""
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32, copy=False)),
                                          pa.array(dictionary, pa.string()))


def country_product_table(r: YearComplexity) -> pa.Table:
    n_c, n_p = r.value.shape
    return pa.table({
        "year": pa.array(np.full(n_c * n_p, r.year, dtype=np.int64)),
        "exporter": _codes(np.repeat(np.arange(n_c), n_p), r.exporters),
        "product": _codes(np.tile(np.arange(n_p), n_c), r.products),
        "value": r.value.ravel(), "rca": r.rca.ravel(), "m": r.m.ravel(),
        "density": r.space.density.ravel(), "cog": r.cog.ravel(),
    })


def country_table(r: YearComplexity) -> pa.Table:
    return pa.table({"year": np.full(len(r.exporters), r.year, dtype=np.int64),
                     "exporter": pa.array(r.exporters, pa.string()),
                     "diversity": r.diversity.astype(np.int64), "eci": r.eci, "coi": r.coi})


def product_table(r: YearComplexity) -> pa.Table:
    return pa.table({"year": np.full(len(r.products), r.year, dtype=np.int64),
                     "product": pa.array(r.products, pa.string()),
                     "ubiquity": r.ubiquity.astype(np.int64), "pci": r.pci})


def proximity_tables(r: YearComplexity) -> Iterator[pa.Table]:
    """The proximity rows in consecutive pieces (one per row block of phi's upper triangle), so the
    12M pairs of a 5,000-product year are never all in memory; one product dictionary is shared."""
    dictionary = pa.array(r.products, pa.string())
    for a, b, values in proximity_pairs(r.m, r.ubiquity):
        yield pa.table({"year": np.full(len(a), r.year, dtype=np.int64),
                        "product_a": pa.DictionaryArray.from_arrays(pa.array(a), dictionary),
                        "product_b": pa.DictionaryArray.from_arrays(pa.array(b), dictionary),
                        "proximity": values})


def proximity_table(r: YearComplexity) -> pa.Table:
    return pa.concat_tables(proximity_tables(r))


PARTS: dict[str, Callable[[YearComplexity], Iterable[pa.Table]]] = {
    "country_product": lambda r: [country_product_table(r)], "country": lambda r: [country_table(r)],
    "product": lambda r: [product_table(r)], "proximity": proximity_tables}
TABLE_BUILDERS = {"country_product": country_product_table, "country": country_table,
                  "product": product_table, "proximity": proximity_table}


def _writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """Dictionary pages for the code columns and the few-valued ones; no min/max statistics on the
    dictionary-encoded code columns (Arrow decodes every string for them: 0.75 of the 1.2 CPU
    seconds of writing a 12M-row proximity file)."""
    coded = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    few_values = [name for name in ("year", "m", "proximity") if name in schema.names]
    return pq.ParquetWriter(path, schema, use_dictionary=coded + few_values,
                            write_statistics=[name for name in schema.names if name not in coded])


@dataclass(frozen=True)
class ComplexityRun:
    out_dir: Path
    years: list[int]
    countries: int
    products: int
    convention: str


def write_complexity(matrices: Iterable[YearMatrix], *, out_dir: Path, convention: Convention,
                     rca_cutoff: float) -> ComplexityRun:
    """Compute every year and write the four files into `out_dir`, all or nothing.

    Years are computed and appended one at a time into a temporary folder beside `out_dir`; only when
    every year succeeded are the files moved in (an error leaves `out_dir` as it was). Parquet encoding
    runs on a second thread while the next piece is computed (both release the GIL); at most one
    piece waits, so memory stays bounded by two pieces.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".complexity-", dir=out_dir))
    writers: dict[str, pq.ParquetWriter] = {}
    years, countries, products = [], 0, 0

    def write(name: str, table: pa.Table) -> None:
        if name not in writers:
            writers[name] = _writer(tmp / f"{name}.parquet", table.schema)
        writers[name].write_table(table)

    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet") as pool:
            pending: Future[None] | None = None
            for matrix in matrices:
                result = complexity_year(matrix, convention=convention, rca_cutoff=rca_cutoff)
                for name, parts in PARTS.items():
                    for table in parts(result):
                        if pending is not None:
                            pending.result()
                        pending = pool.submit(write, name, table)
                years.append(result.year)
                countries, products = max(countries, len(result.exporters)), max(products, len(result.products))
            if pending is not None:
                pending.result()
        for writer in writers.values():
            writer.close()
        for name in FILES:
            (tmp / f"{name}.parquet").replace(out_dir / f"{name}.parquet")
    finally:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return ComplexityRun(out_dir=out_dir, years=years, countries=countries, products=products, convention=convention)
