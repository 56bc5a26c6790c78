"""The stated country and product sets complexity and rankings are computed over (ANALYTICS.md).

- "ranked" (the default for datasets of the bank): the countries the Harvard Growth Lab ranks
  (`in_complexity` in the Atlas country table, 123 countries: `countries/atlas_country.csv` of the real
  data), and, for a country the Atlas table does not list (SCG, ESH...), the rule: population >= 1
  million and average goods trade (exports + imports, balance of payments, current USD) >= US$1 billion
  over the panel's years, from the WDI macro table (`macro-wdi-imf/atlas_wdi_data.parquet`, the bank's
  `wdi-macro-1960-2024`). Products whose world exports within the set are below `PRODUCT_FLOOR` of the
  total are dropped. Micro-territories (SGS, HMD, BVT...) are never in it.
- "all": every country in the panel, every product (what the peer packages compute over a file; the
  command line's default for files).
Every result states the set: its name, the rule, its size and the products dropped.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from scobank.errors import BadRequest

CountrySetName = Literal["ranked", "all"]
COUNTRY_SETS: tuple[str, ...] = ("ranked", "all")
PRODUCT_FLOOR = 1e-5  # products below 0.001% of the set's world exports are dropped
MIN_POPULATION = 1_000_000
MIN_GOODS_TRADE_USD = 1e9
ATLAS_FILE = Path("countries/atlas_country.csv")
WDI_FILE = Path("macro-wdi-imf/atlas_wdi_data.parquet")
RULES = {
    "ranked": ("the countries the Growth Lab ranks (in_complexity of the Atlas country table), and others "
               "with population >= 1 million and average goods trade >= US$1 billion (WDI); products below "
               "0.001% of the set's world exports dropped"),
    "all": "every country and product in the data",
}


@dataclass(frozen=True)
class CountrySet:
    """Which countries an analysis keeps (None: all) and why."""

    name: str
    countries: frozenset[str] | None
    product_floor: float

    def stated(self, *, size: int, products_dropped: int = 0) -> dict:
        return {"name": self.name, "rule": RULES[self.name], "size": size,
                "product_floor": self.product_floor, "products_dropped": products_dropped}


@functools.lru_cache(maxsize=4)
def atlas_flags(data_dir: Path) -> dict[str, bool]:
    """{iso3: in_complexity} of the Atlas country table."""
    table = pacsv.read_csv(data_dir / ATLAS_FILE, convert_options=pacsv.ConvertOptions(
        include_columns=["iso3_code", "in_complexity"], column_types={"in_complexity": pa.bool_()}))
    return dict(zip(table["iso3_code"].to_pylist(), table["in_complexity"].to_pylist(), strict=True))


def passes_size_rule(data_dir: Path, countries: list[str], years: list[int]) -> set[str]:
    """The `countries` with population >= 1 million and goods trade >= US$1 billion on average over
    `years` in the WDI table (none when it has no figures for them)."""
    if not countries:
        return set()
    wdi = pq.read_table(data_dir / WDI_FILE, columns=["iso3_code", "year", "population", "exports_goods_bop",
                                                      "imports_goods_bop"])
    wdi = wdi.filter(pc.and_(pc.is_in(wdi["iso3_code"], pa.array(countries)),
                             pc.is_in(wdi["year"].cast(pa.int64()), pa.array(years, pa.int64()))))
    if wdi.num_rows == 0:
        return set()
    trade = pc.add(wdi["exports_goods_bop"], wdi["imports_goods_bop"])
    means = (wdi.append_column("trade", trade).group_by("iso3_code")
             .aggregate([("population", "mean"), ("trade", "mean")]))
    return {r["iso3_code"] for r in means.to_pylist()
            if (r["population_mean"] or 0) >= MIN_POPULATION and (r["trade_mean"] or 0) >= MIN_GOODS_TRADE_USD}


def country_set(name: str, *, data_dir: Path | None, countries: list[str], years: list[int]) -> CountrySet:
    """The set `name` for a panel of `countries` over `years`. BadRequest for an unknown name or a ranked
    set without the reference files."""
    if name == "all":
        return CountrySet("all", None, 0.0)
    if name != "ranked":
        raise BadRequest(f"country_set must be one of {', '.join(COUNTRY_SETS)}, not {name!r}")
    if data_dir is None or not (data_dir / ATLAS_FILE).is_file():
        raise BadRequest("the ranked country set needs the Atlas country table (SCOBANK_DATA_DIR/"
                         f"{ATLAS_FILE}); ask country_set=all for every country")
    flags = atlas_flags(data_dir)
    ranked = {c for c in countries if flags.get(c)}
    unlisted = [c for c in countries if c not in flags]
    return CountrySet("ranked", frozenset(ranked | passes_size_rule(data_dir, unlisted, years)), PRODUCT_FLOOR)


def restrict_panel(table: pa.Table, chosen: CountrySet) -> tuple[pa.Table, int]:
    """(the exporter-product panel cut to the set's countries and to products at or above its floor
    within each year, the number of products dropped)."""
    if chosen.countries is None:
        return table, 0
    table = table.filter(pc.is_in(table["exporter"], pa.array(sorted(chosen.countries), pa.string())))
    totals = table.group_by(["year", "product"]).aggregate([("value", "sum")])
    world = totals.group_by("year").aggregate([("value_sum", "sum")])
    joined = totals.join(world, "year")
    keep = joined.filter(pc.greater_equal(joined["value_sum"], pc.multiply(joined["value_sum_sum"],
                                                                            chosen.product_floor)))
    kept = pa.table({"year": keep["year"], "product": keep["product"], "_keep": pa.array([True] * keep.num_rows)})
    table = table.join(kept, ["year", "product"]).filter(pc.field("_keep")).drop_columns(["_keep"])
    return table, totals.num_rows - keep.num_rows


def ordinal_rank(values, index: int) -> int:
    """1 + the number of values strictly above values[index] (ties share a rank)."""
    return int((values > values[index]).sum()) + 1
