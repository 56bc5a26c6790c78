"""Relatedness of products: the Growth Lab product space (HS92, 4 digits), read from the bank's published
datasets `atlas-hs92-product-space` (links between product ids) and `atlas-hs92-products` (id -> code),
through the gate and into the ledger (atlas-common-data 1.1.1, Apache-2.0; the demo publishes both).

An edge between two HS4 headings means many countries export both with comparative advantage (the
Atlas' proximity network, kept edges only). Listings use current HS codes; most headings are unchanged
since HS92, and a heading absent from the HS92 space simply has no related products.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.reads import ColumnsUse, use_columns

PRODUCTS = "atlas-hs92-products"
EDGES = "atlas-hs92-product-space"
ABSENT = "`scobank demo` publishes it from hs-nomenclature/ of SCOBANK_DATA_DIR (atlas-common-data)"
USE = "matching (related products)"


def atlas_codes(products: ColumnsUse, *, level: int = 4) -> dict[int, str]:
    """product id -> zero-padded code of the Atlas products of `level` digits."""
    table = products.read().to_pydict()
    return {int(i): str(c).zfill(level) for i, c, lv in zip(table["product_id"], table["code"],
                                                            table["product_level"], strict=True)
            if int(lv) == level}


@lru_cache(maxsize=4)
def _links(products: ColumnsUse, edges: ColumnsUse) -> dict[str, frozenset[str]]:
    code_of = atlas_codes(products)
    table = edges.read().to_pydict()
    links: dict[str, set[str]] = {}
    for source, target in zip(table["source"], table["target"], strict=True):
        a, b = code_of.get(int(source)), code_of.get(int(target))
        if a and b and a != b:
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in links.items()}


def related_headings(session: Session, *, reader: Reader) -> dict[str, frozenset[str]]:
    """HS4 heading -> the HS4 headings linked to it in the product space. Both datasets are used through
    the gate on every call (a ledger entry each); they are read once per pair of versions."""
    products = use_columns(session, reader=reader, slug=PRODUCTS, columns=("product_id", "code", "product_level"),
                           use=USE, absent=ABSENT)
    edges = use_columns(session, reader=reader, slug=EDGES, columns=("source", "target"), use=USE, absent=ABSENT)
    return _links(products, edges)
