"""A member's real goods trade in dollars (World Bank WDI, balance of payments): the totals the member
profile sets beside the SITC panel, whose values are relative weights, not dollars.

Series (dataset `wdi-macro-1960-2024`, atlas-common-data 1.1.1's offline WDI cache): `exports_goods_bop`
= BX.GSR.MRCH.CD, goods exports, and `imports_goods_bop` = BM.GSR.MRCH.CD, goods imports, both balance
of payments basis, current US dollars, calendar years. The balance is exports minus imports. Years where
WDI has neither figure are left out (Iran has none after 2018, Uzbekistan none before 2006); the latest
year is the newest year with both. The "panel period" is the SITC panel's 1998-2000: the mean over the
years of it that WDI has, with the years used stated (never a mean over missing years).
Read through the gate (purpose "statistics", one ledger entry per call).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.table_reads import read_columns
from scobank.config import get_settings

MACRO_DATASET = get_settings().macro_dataset
SERIES = {"exports": "BX.GSR.MRCH.CD", "imports": "BM.GSR.MRCH.CD"}
SOURCE = "World Bank WDI (balance of payments, goods, current US$), via atlas-common-data 1.1.1"


def goods_series(table: pa.Table) -> pa.Table:
    """(year, exports, imports, balance) of the years with either figure, oldest first; the balance is
    null unless both are there."""
    table = table.filter(pc.or_(pc.is_valid(table["exports_goods_bop"]), pc.is_valid(table["imports_goods_bop"])))
    table = table.sort_by("year")
    exports, imports = table["exports_goods_bop"], table["imports_goods_bop"]
    return pa.table({"year": table["year"], "exports": exports, "imports": imports,
                     "balance": pc.subtract(exports, imports)})


def period_mean(series: pa.Table, years: list[int]) -> dict:
    """{years (those of `years` with both figures), exports, imports}: the means over those years, None
    when WDI has none of them."""
    rows = [r for r in series.to_pylist() if r["year"] in years and r["exports"] is not None
            and r["imports"] is not None]
    if not rows:
        return {"years": [], "exports": None, "imports": None}
    return {"years": [r["year"] for r in rows], "exports": sum(r["exports"] for r in rows) / len(rows),
            "imports": sum(r["imports"] for r in rows) / len(rows)}


def goods_totals(session: Session, *, reader: Reader, iso3: str, dataset: str = MACRO_DATASET,
                 panel_years: list[int] | None = None) -> tuple[pa.Table, dict]:
    """(`goods_series` of `iso3`, facts: dataset, version, source, series codes, unit "USD", period kind
    "year", `latest` {year, exports, imports, balance} or None, `panel_period` (`period_mean` over
    `panel_years`)). Raises NotFound, AccessDenied (the dataset), BadRequest (its columns)."""
    table, number = read_columns(session, slug=dataset, reader=reader, analysis="goods-totals",
                                 columns={"year": "int64", "exports_goods_bop": "float64",
                                          "imports_goods_bop": "float64"},
                                 where={"iso3_code": iso3}, detail={"country": iso3})
    series = goods_series(table)
    both = [r for r in series.to_pylist() if r["exports"] is not None and r["imports"] is not None]
    facts = {"dataset": dataset, "version": number, "source": SOURCE, "series": SERIES, "unit": "USD",
             "period_kind": "year", "latest": both[-1] if both else None,
             "years": [series["year"][0].as_py(), series["year"][-1].as_py()] if series.num_rows else [],
             "panel_period": period_mean(series, panel_years or []), "notices": []}
    return series, facts
