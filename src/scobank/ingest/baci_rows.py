"""BACI's rows made canonical batch by batch with lookup tables, for the direct path.

DuckDB's CSV reader parses t, i, j as integers and v, q as numbers; k stays text, because an integer
parse would also take spellings the full path refuses (0010121, +10121, 1.0121e4, 10_121). Here, with
numpy and Arrow compute over each batch (a few milliseconds a million rows, where the ENUM casts cost
DuckDB about a second on 10M rows):

- i and j: the BACI code indexes a table of ISO3 ENUM positions (`codes.baci_iso_list`), -1 where the
  code names no country (World, 0, is one: the full path counts those rows);
- k: digits only and at most six of them, the text as an integer indexes a table of HS ENUM positions
  of the revision's six-digit codes. These are exactly the spellings of a six-digit code that the full
  path accepts (it pads a shorter code with zeros); any other text (a space, a longer code) leaves the
  batch to the full path.

A batch with any code that does not map is refused (None) and the full path names the row.

BACI ships its rows sorted by (i, j, k), so every row group of 122,880 rows holds the products from
010121 to 970600: min/max statistics of `product` would prune no row group, and pyarrow spends 0.6 CPU-s
on them for 10M rows. They are left out for this shape (`unpruned`); year and the countries keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scobank.ingest.direct import TradeCodes
from scobank.ingest.trade import CANONICAL

HS_DIGITS = 6


@dataclass
class BaciRows:
    """The direct path's shape for a BACI query with columns year (t), exporter (i), importer (j) as
    integers, product (k) as text, value_usd and quantity as numbers."""

    codes: TradeCodes
    iso_of_baci: list[str | None]  # ISO3 by BACI code (`codes.baci_iso_list`)
    revision: str
    unpruned: tuple[str, ...] = ("product",)
    aggregates: dict[str, int] = field(default_factory=dict)  # none: a World row (code 0) refuses its batch
    _tables: dict = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        position = {code: n for n, code in enumerate(self.codes.iso.to_pylist())}
        self._tables["iso"] = np.array([position.get(iso, -1) if iso else -1 for iso in self.iso_of_baci], np.int32)
        hs = np.full(10**HS_DIGITS, -1, np.int32)
        for n, code in enumerate(self.codes.hs.to_pylist()):
            if len(code) == HS_DIGITS and code.isdigit():
                hs[int(code)] = n
        self._tables["hs"] = hs
        self._tables["revision"] = self.codes.revisions.to_pylist().index(self.revision)
        self._tables["unit"] = self.codes.units.to_pylist().index("t")

    def canonical(self, batch: pa.RecordBatch) -> pa.RecordBatch | None:
        if any(batch.column(name).null_count for name in ("exporter", "importer", "product")):
            return None
        exporter = self._country(batch.column("exporter"))
        importer = self._country(batch.column("importer"))
        product = self._product(batch.column("product"))
        if exporter is None or importer is None or product is None:
            return None
        n = batch.num_rows
        columns = {"year": batch.column("year"), "exporter": exporter, "importer": importer, "product": product,
                   "hs_revision": _constant(n, self._tables["revision"], self.codes.revisions),
                   "value_usd": batch.column("value_usd"), "quantity": batch.column("quantity"),
                   "unit": _constant(n, self._tables["unit"], self.codes.units)}
        return pa.RecordBatch.from_arrays([columns[c] for c in CANONICAL], names=CANONICAL)

    def _country(self, codes: pa.Array) -> pa.DictionaryArray | None:
        table = self._tables["iso"]
        number = codes.to_numpy()
        if number.min() < 0 or number.max() >= len(table):
            return None
        return _coded(table[number], self.codes.iso)

    def _product(self, text: pa.Array) -> pa.DictionaryArray | None:
        if not pc.all(pc.ascii_is_decimal(text)).as_py() or pc.max(pc.binary_length(text)).as_py() > HS_DIGITS:
            return None
        return _coded(self._tables["hs"][pc.cast(text, pa.int32()).to_numpy()], self.codes.hs)


def _coded(positions: np.ndarray, dictionary: pa.Array) -> pa.DictionaryArray | None:
    """A dictionary array of ENUM positions; None when one of them is -1 (no such code)."""
    if positions.min() < 0:
        return None
    return pa.DictionaryArray.from_arrays(pa.array(positions, pa.int32()), dictionary, safe=False)


def _constant(rows: int, position: int, dictionary: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(np.full(rows, position, np.int32)), dictionary, safe=False)
