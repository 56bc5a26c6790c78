"""The country prior: how strong the supplier's country is in a product, as Balassa's revealed
comparative advantage (the analytics area's `rca_matrix`), from the bank's published exports by country x
SITC rev. 2 product, 1998-2000 average (dataset `sitc2-exports-1998-2000`, 226 countries), used through
the gate and recorded in the ledger like any analytics input.

Listings carry HS codes; the data is SITC. `HS_CHAPTER_TO_SITC` maps each HS chapter to the SITC rev. 2
divisions holding most of its goods (our own approximate table, after the UN HS-SITC correlation), so
the prior is at HS-chapter level: RCA[c, chapter] over the divisions of the chapter against all the
country's exports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.complexity import rca_matrix
from scobank.analytics.inputs import use_panel
from scobank.errors import NotFound

SITC_EXPORTS = "sitc2-exports-1998-2000"
USE = "exchange country prior"

_TABLE = """
01:00 02:01 03:03 04:02 05:29 06:29 07:05 08:05 09:07 10:04 11:04 12:22,29 13:29 14:29 15:41,42,43
16:01,03 17:06 18:07 19:04 20:05 21:09 22:11 23:08 24:12 25:27,66 26:28 27:32,33,34,35 28:52 29:51
30:54 31:56 32:53 33:55 34:55 35:59 36:57 37:88 38:59 39:58 40:23,62 41:21,61 42:83,84 43:21,61,84
44:24,63 45:24,63 46:89 47:25 48:64 49:89 50:26,65 51:26,65 52:26,65 53:26,65 54:65,26 55:26,65 56:65
57:65 58:65 59:65 60:65 61:84 62:84 63:65 64:85 65:84 66:89 67:89 68:66 69:66,81 70:66 71:66,68,89,97
72:67 73:69 74:68,28 75:68 76:68 78:68 79:68 80:68 81:68 82:69 83:69 84:71,72,73,74,75 85:76,77
86:79 87:78 88:79 89:79 90:87,88 91:88 92:89 93:95 94:82 95:89 96:89 97:89
"""
HS_CHAPTER_TO_SITC: dict[str, tuple[str, ...]] = {
    chapter: tuple(divisions.split(","))
    for chapter, divisions in (item.split(":") for item in _TABLE.split())
}


@dataclass(frozen=True)
class Exports:
    """ISO3 -> SITC division -> exports (USD) of one version of the exports dataset (`key`: its bytes)."""

    key: tuple
    by_country: dict[str, dict[str, float]] = field(compare=False, hash=False)


NO_EXPORTS = Exports(("none",), {})
_READ: dict[tuple, Exports] = {}


def exports_by_division(session: Session, *, reader: Reader) -> Exports:
    """The exports by country and SITC division, through the gate (a ledger entry on every call); the
    rows are read once per version. NotFound, saying what publishes it, when the bank does not hold it."""
    panel = read_prior_panel(session, reader=reader, slug=SITC_EXPORTS, what="country prior",
                             columns=("exporter", "product", "value"))
    found = _READ.get(panel.key)
    if found is None:
        sums = positive_sums(panel, bucket=lambda product: str(product).zfill(4)[:2])
        found = _READ[panel.key] = Exports(panel.key, {c: dict(d) for c, d in sums.items()})
    return found


def read_prior_panel(session: Session, *, reader: Reader, slug: str, what: str, columns: tuple[str, ...]):
    """A published panel a prior is made from, through the gate (ledgered as USE); NotFound naming the
    dataset and what publishes it when the bank does not hold it."""
    try:
        return use_panel(session, slug=slug, reader=reader, columns=columns, analysis=USE)
    except NotFound:
        raise NotFound(f"matching's {what} reads the dataset {slug!r}, which is not in this bank: "
                       "`scobank demo` publishes it from SCOBANK_DATA_DIR") from None


def positive_sums(panel, *, bucket) -> dict[str, dict[str, float]]:
    """{exporter: {bucket(product): the sum of its positive values}} over the panel's rows."""
    table = panel.table().to_pydict()
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for country, product, value in zip(table["exporter"], table["product"], table["value"], strict=True):
        if value and value > 0:
            sums[country][bucket(product)] += value
    return sums


@lru_cache(maxsize=4)
def rca_table(exports: Exports) -> dict[tuple[str, str], float]:
    """(ISO3, HS chapter) -> RCA of the country in the SITC divisions of that chapter: analytics'
    `rca_matrix` over [exports in those divisions, all other exports] per country."""
    countries = sorted(exports.by_country)
    if not countries:
        return {}
    by_div = exports.by_country
    totals = np.array([sum(by_div[c].values()) for c in countries])
    out: dict[tuple[str, str], float] = {}
    for chapter, divisions in HS_CHAPTER_TO_SITC.items():
        inside = np.array([sum(by_div[c].get(d, 0.0) for d in divisions) for c in countries])
        if inside.sum() <= 0:
            continue
        rca = rca_matrix(np.column_stack([inside, totals - inside]))[:, 0]
        out.update({(c, chapter): float(v) for c, v in zip(countries, rca, strict=True)})
    return out


def country_rca(exports: Exports, *, party: str, hs_code: str) -> float | None:
    """RCA of `party` in the chapter of `hs_code`; None when the data has no figure."""
    return rca_table(exports).get((party, hs_code[:2]))


NOT_FOR_ENTERPRISES = frozenset({"93", "97"})  # arms, works of art: not generated as listings


def _distinct(ranked: list[tuple[float, str]], n: int) -> list[str]:
    """First `n` chapters of `ranked`, one per set of SITC divisions (chapters sharing divisions tie)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for _, chapter in ranked:
        divisions = HS_CHAPTER_TO_SITC[chapter]
        if divisions in seen or chapter in NOT_FOR_ENTERPRISES:
            continue
        seen.add(divisions)
        out.append(chapter)
        if len(out) == n:
            break
    return out


def strongest_chapters(exports: Exports, *, party: str, n: int) -> list[str]:
    """The `n` HS chapters where `party` has its highest RCA (RCA >= 1 only), strongest first."""
    table = rca_table(exports)
    ranked = sorted(((v, ch) for (p, ch), v in table.items() if p == party and v >= 1),
                    key=lambda t: (-t[0], t[1]))
    return _distinct(ranked, n)


def weakest_chapters(exports: Exports, *, party: str, n: int) -> list[str]:
    """The `n` manufacturing chapters (28-96) with the lowest RCA of `party`: candidate import needs."""
    table = rca_table(exports)
    ranked = sorted(((v, ch) for (p, ch), v in table.items() if p == party and 28 <= int(ch) <= 96),
                    key=lambda t: (t[0], t[1]))
    return _distinct(ranked, n)


def leading_exporter(exports: Exports, *, chapter: str, exclude: frozenset[str]) -> str | None:
    """The country exporting most in the chapter's SITC divisions, outside `exclude` (e.g. the bloc)."""
    divisions = HS_CHAPTER_TO_SITC.get(chapter, ())
    best = max(((sum(d.get(x, 0.0) for x in divisions), c) for c, d in exports.by_country.items() if c not in exclude),
               default=(0.0, None))
    return best[1] if best[0] > 0 else None
