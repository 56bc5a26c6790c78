"""Relatedness of products: the Growth Lab product space (HS92, 4 digits) from
`hs-nomenclature/atlas_hs92_ps_edges.csv` (Apache-2.0, atlas-common-data 1.1.1).

An edge between two HS4 headings means many countries export both with comparative advantage (the
Atlas' proximity network, kept edges only). Listings use current HS codes; most headings are unchanged
since HS92, and a heading absent from the HS92 space simply has no related products.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

EDGES = Path("hs-nomenclature") / "atlas_hs92_ps_edges.csv"
PRODUCTS = Path("hs-nomenclature") / "atlas_hs92.csv"


@lru_cache(maxsize=4)
def related_headings(data_dir: Path | None) -> dict[str, frozenset[str]]:
    """HS4 heading -> the HS4 headings linked to it in the product space (empty without the data)."""
    if data_dir is None or not (data_dir / EDGES).is_file():
        return {}
    code_of: dict[str, str] = {}
    with open(data_dir / PRODUCTS, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["product_level"] == "4":
                code_of[row["product_id"]] = row["code"].zfill(4)
    links: dict[str, set[str]] = {}
    with open(data_dir / EDGES, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            a, b = code_of.get(row["source"]), code_of.get(row["target"])
            if a and b and a != b:
                links.setdefault(a, set()).add(b)
                links.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in links.items()}
