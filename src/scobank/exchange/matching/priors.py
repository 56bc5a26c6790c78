"""The country prior: how strong the supplier's country is in a product, as Balassa's revealed
comparative advantage, RCA[c,S] = (X[c,S]/X[c]) / (X[S]/X) (Balassa 1965), from the real exports by
country x SITC rev. 2 product, 1998-2000 average (`trade-country-product-sitc2-1998-2000`, 226 countries).

Listings carry HS codes; the data is SITC. `HS_CHAPTER_TO_SITC` maps each HS chapter to the SITC rev. 2
divisions holding most of its goods (our own approximate table, after the UN HS-SITC correlation), so
the prior is at HS-chapter level. It is a stand-in until the analytics area publishes RCA per country
and HS product; `country_rca` is the one function to swap.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

SITC_EXPORTS = Path("trade-country-product-sitc2-1998-2000") / "world_trade_avg_1998_to_2000.csv.gz"

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


@lru_cache(maxsize=4)
def _exports_by_division(data_dir: Path | None) -> dict[str, dict[str, float]]:
    """ISO3 -> SITC division -> exports (USD)."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    if data_dir is None or not (data_dir / SITC_EXPORTS).is_file():
        return {}
    with gzip.open(data_dir / SITC_EXPORTS, "rt", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            value = float(row["value"] or 0)
            if value > 0:
                out[row["country"].upper()][row["product"].zfill(4)[:2]] += value
    return {c: dict(d) for c, d in out.items()}


@lru_cache(maxsize=4)
def rca_table(data_dir: Path | None) -> dict[tuple[str, str], float]:
    """(ISO3, HS chapter) -> RCA of the country in the SITC divisions of that chapter."""
    exports = _exports_by_division(data_dir)
    if not exports:
        return {}
    world_total = sum(sum(d.values()) for d in exports.values())
    world_div: dict[str, float] = defaultdict(float)
    for divisions in exports.values():
        for div, value in divisions.items():
            world_div[div] += value
    out: dict[tuple[str, str], float] = {}
    for chapter, divisions in HS_CHAPTER_TO_SITC.items():
        world_share = sum(world_div.get(d, 0.0) for d in divisions) / world_total
        if world_share <= 0:
            continue
        for country, by_div in exports.items():
            total = sum(by_div.values())
            share = sum(by_div.get(d, 0.0) for d in divisions) / total
            out[(country, chapter)] = share / world_share
    return out


def country_rca(data_dir: Path | None, *, party: str, hs_code: str) -> float | None:
    """RCA of `party` in the chapter of `hs_code`; None when the data has no figure."""
    return rca_table(data_dir).get((party, hs_code[:2]))


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


def strongest_chapters(data_dir: Path | None, *, party: str, n: int) -> list[str]:
    """The `n` HS chapters where `party` has its highest RCA (RCA >= 1 only), strongest first."""
    table = rca_table(data_dir)
    ranked = sorted(((v, ch) for (p, ch), v in table.items() if p == party and v >= 1),
                    key=lambda t: (-t[0], t[1]))
    return _distinct(ranked, n)


def weakest_chapters(data_dir: Path | None, *, party: str, n: int) -> list[str]:
    """The `n` manufacturing chapters (28-96) with the lowest RCA of `party`: candidate import needs."""
    table = rca_table(data_dir)
    ranked = sorted(((v, ch) for (p, ch), v in table.items() if p == party and 28 <= int(ch) <= 96),
                    key=lambda t: (t[0], t[1]))
    return _distinct(ranked, n)


def leading_exporter(data_dir: Path | None, *, chapter: str, exclude: frozenset[str]) -> str | None:
    """The country exporting most in the chapter's SITC divisions, outside `exclude` (e.g. the bloc)."""
    exports = _exports_by_division(data_dir)
    divisions = HS_CHAPTER_TO_SITC.get(chapter, ())
    best = max(((sum(d.get(x, 0.0) for x in divisions), c) for c, d in exports.items() if c not in exclude),
               default=(0.0, None))
    return best[1] if best[0] > 0 else None
