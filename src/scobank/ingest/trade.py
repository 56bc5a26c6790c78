"""The canonical trade-flow table and the checks every trade file passes, whatever its layout.

    year (int32), exporter (ISO3), importer (ISO3), product (HS code, zero-padded str),
    hs_revision ("HS17"), value_usd (float64), quantity (float64, may be empty), unit (str)

A layout (`scobank.ingest.layouts`: BACI, UN Comtrade, or this table itself) fills the `work` table with
the columns below from the raw text; `*_text` columns keep the raw value only where conversion failed,
so a report can show what the user wrote while a clean file costs no extra memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from scobank.ingest.checks import RowCheck
from scobank.problem_kinds import Kind

CANONICAL = ["year", "exporter", "importer", "product", "hs_revision", "value_usd", "quantity", "unit"]
TRADE_KEY = ["year", "exporter", "importer", "product"]
YEAR_MIN = 1900
# Rows that are totals, not flows: a World partner or reporter (Comtrade W00 / code 0, BACI code 0, the
# name "World") or all products (Comtrade cmdCode TOTAL). Kept out of the flow table and counted.
_WORLD = "('W00', 'WLD', '0', '000', 'WORLD')"
_NO_COUNTRY = "('UNSPECIFIED', 'INSTALLATIONS IN INTERNATIONAL WATERS', '_X', 'AREAS, NES')"
AGGREGATE_ROWS = {
    "world": f"upper(trim(coalesce(exporter_text, ''))) IN {_WORLD} "
             f"OR upper(trim(coalesce(importer_text, ''))) IN {_WORLD}",
    "total": "upper(trim(coalesce(product_text, ''))) = 'TOTAL'",
    "unspecified": f"upper(trim(coalesce(exporter_text, ''))) IN {_NO_COUNTRY} "
                   f"OR upper(trim(coalesce(importer_text, ''))) IN {_NO_COUNTRY}",
}


def year_max() -> int:
    return dt.date.today().year + 1


@dataclass(frozen=True)
class TradePlan:
    """How one layout turns `raw` into `work` and `work` into the canonical table."""

    layout: str  # "BACI", "UN Comtrade", "trade-flow table"
    revision: str  # "HS17"
    work_sql: str  # SELECT ... FROM raw, giving the WORK_COLUMNS
    output_sql: str  # SELECT the CANONICAL columns FROM work
    labels: dict[str, str]  # canonical field -> the source column named in reports
    params: dict = field(default_factory=dict)
    extra_checks: list[RowCheck] = field(default_factory=list)
    unit: str | None = None  # quantity unit when the layout fixes it ("t" for BACI)
    # Fast path: the same `work` columns from `raw_typed`, whose columns the reader parsed as fast_types.
    fast_sql: str | None = None
    fast_types: dict[str, str] = field(default_factory=dict)
    # Direct path (`scobank.ingest.direct`): a query over `raw_typed` and the shape that makes its
    # batches canonical (given the ENUMs as `TradeCodes`); None: the layout's checks in SQL decide.
    direct_sql: str | None = None
    direct_shape: Callable | None = None
    # Where a side's country comes from when it depends on the row: side -> [(column, SQL condition
    # over `work`)]; Comtrade's exporter is reporterISO on exports and partnerISO on imports.
    country_sources: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    revisions: tuple[str, ...] = ()  # every revision the rows use, when not only `revision` (India EIDB)
    # The key no two rows of the file may share, when it is not the flow's (EIDB: year, partner, HS8),
    # and the file's names for it; `aggregated`: output_sql sums rows, so it has fewer rows than `work`.
    duplicate_key: list[str] | None = None
    duplicate_labels: list[str] | None = None
    aggregated: bool = False
    year_description: str | None = None  # what `year` means when it is not the calendar year


def trade_checks(plan: TradePlan) -> list[RowCheck]:
    """Types, country codes, HS codes of the revision, year range, non-negative value and quantity."""
    label = plan.labels
    checks = [
        RowCheck(Kind.MISSING_VALUE, label["year"], "year IS NULL AND year_text IS NULL", "''",
                 "the year is empty"),
        RowCheck(Kind.BAD_YEAR, label["year"], "year IS NULL AND year_text IS NOT NULL", "year_text",
                 "{value!r} is not a year"),
        RowCheck(Kind.BAD_YEAR, label["year"], f"year NOT BETWEEN {YEAR_MIN} AND {year_max()}", "year",
                 f"year {{value}} is outside {YEAR_MIN}-{year_max()}"),
    ]
    message = "{value!r} is not a known country code" + (" (BACI codes: see the reference's baci_code)"
                                                          if plan.layout == "BACI" else "")
    for side in ("exporter", "importer"):
        for column, condition in plan.country_sources.get(side, [(label[side], "TRUE")]):
            checks.append(RowCheck(Kind.BAD_COUNTRY_CODE, column, f"{side} IS NULL AND ({condition})",
                                   f"coalesce({side}_text, '')", message))
    checks += [
        RowCheck(Kind.BAD_HS_CODE, label["product"], "product IS NULL", "coalesce(product_text, '')",
                 f"HS code {{value!r}} does not exist in {plan.revision}"),
        RowCheck(Kind.MISSING_VALUE, label["value_usd"], "value_usd IS NULL AND value_text IS NULL", "''",
                 "the value is empty"),
        RowCheck(Kind.BAD_TYPE, label["value_usd"], "(value_usd IS NULL AND value_text IS NOT NULL) OR NOT "
                 "isfinite(value_usd)", "value_text", "{value!r} is not a number"),
        RowCheck(Kind.NEGATIVE_VALUE, label["value_usd"], "value_usd < 0", "value_text",
                 "the value {value} is negative"),
        RowCheck(Kind.BAD_TYPE, label["quantity"], "(quantity IS NULL AND quantity_text IS NOT NULL) OR NOT "
                 "isfinite(quantity)", "quantity_text", "{value!r} is not a number"),
        RowCheck(Kind.NEGATIVE_VALUE, label["quantity"], "quantity < 0", "quantity_text",
                 "the quantity {value} is negative"),
    ]
    return checks + plan.extra_checks


def trade_schema(plan: TradePlan, *, years: list[int] | None = None) -> dict:
    """Frictionless Table Schema of the canonical trade-flow table; with `years` (a layout whose year is
    not the calendar year, India's financial years) a `period` saying which periods the years stand for."""
    schema = _trade_fields(plan)
    if years is not None and plan.year_description:
        schema["period"] = {"description": plan.year_description,
                            "periods": {str(y): fiscal_label(y) for y in years}}
    return schema


def fiscal_label(year: int) -> str:
    """An April-March financial year by its first calendar year: 2017 -> "FY2017-18"."""
    return f"FY{year}-{(year + 1) % 100:02d}"


def _trade_fields(plan: TradePlan) -> dict:
    return {
        "fields": [
            {"name": "year", "type": "integer", "description": plan.year_description or "Year of the flow"},
            {"name": "exporter", "type": "string", "description": "Exporting country, ISO 3166 alpha-3"},
            {"name": "importer", "type": "string", "description": "Importing country, ISO 3166 alpha-3"},
            {"name": "product", "type": "string",
             "description": f"{'/'.join(plan.revisions or (plan.revision,))} product code, zero-padded"},
            {"name": "hs_revision", "type": "string", "description": "HS revision of product"},
            {"name": "value_usd", "type": "number", "unit": "USD", "description": "Trade value in current US dollars"},
            {"name": "quantity", "type": "number", "description": "Quantity, in the row's unit",
             **({"unit": plan.unit} if plan.unit else {})},
            {"name": "unit", "type": "string", "description": "Unit of quantity"},
        ],
        "primaryKey": list(TRADE_KEY),
    }
