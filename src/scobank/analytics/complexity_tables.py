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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scobank.analytics.complexity import Convention, YearComplexity, complexity_year
from scobank.analytics.panel import YearMatrix
from scobank.analytics.space import proximity_blocks

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


def proximity_table(r: YearComplexity) -> pa.Table:
    n = len(r.products)
    a_parts, b_parts, v_parts = [], [], []
    for start, block in proximity_blocks(r.m, r.ubiquity):  # row blocks, never the whole matrix
        keep = (np.arange(start, start + len(block))[:, None] < np.arange(n)[None, :]) & (block > 0)
        flat = np.flatnonzero(keep)
        a = np.repeat(np.arange(start, start + len(block), dtype=np.int32), keep.sum(axis=1))
        a_parts.append(a)
        b_parts.append((flat - (a - start).astype(np.int64) * n).astype(np.int32))
        v_parts.append(block.ravel()[flat])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    return pa.table({"year": np.full(len(a), r.year, dtype=np.int64),
                     "product_a": _codes(a, r.products),
                     "product_b": _codes(b, r.products),
                     "proximity": np.concatenate(v_parts)})


TABLE_BUILDERS = {"country_product": country_product_table, "country": country_table,
                  "product": product_table, "proximity": proximity_table}


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
    every year succeeded are the files moved in (an error leaves `out_dir` as it was).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".complexity-", dir=out_dir))
    writers: dict[str, pq.ParquetWriter] = {}
    years, countries, products = [], 0, 0
    try:
        for matrix in matrices:
            result = complexity_year(matrix, convention=convention, rca_cutoff=rca_cutoff)
            for name, build in TABLE_BUILDERS.items():
                table = build(result)
                if name not in writers:
                    writers[name] = pq.ParquetWriter(tmp / f"{name}.parquet", table.schema)
                writers[name].write_table(table)
            years.append(result.year)
            countries, products = max(countries, len(result.exporters)), max(products, len(result.products))
        for writer in writers.values():
            writer.close()
        for name in FILES:
            (tmp / f"{name}.parquet").replace(out_dir / f"{name}.parquet")
    finally:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return ComplexityRun(out_dir=out_dir, years=years, countries=countries, products=products, convention=convention)
