"""Trade file layouts, as a plain list: BACI, UN Comtrade (bulk / Comtrade+ CSV), the trade-flow table.

Each layout is recognised by its header; `plan` says how its raw text becomes the `work` table of
`scobank.ingest.trade`. Layout SQL is fixed text in this module; source column names enter it only
through `ident` (quoted), values only as bound parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
from sqlalchemy.orm import Session

from scobank.errors import BadRequest
from scobank.ingest.checks import RowCheck
from scobank.ingest.codes import baci_iso_list, register_country_map, revision_label
from scobank.ingest.duck import ident, one
from scobank.ingest.trade import TradePlan

# The common outer SELECT: typed values from the layout's inner query (_y, _e, _i, _p, _v, _q) and their
# raw text (r_y, r_e, r_i, r_v, r_q); raw text is kept only where conversion failed or is negative.
WORK_OUTER = (
    "SELECT _y AS year, CASE WHEN _y IS NULL THEN r_y END AS year_text, "
    "_e AS exporter, CASE WHEN _e IS NULL THEN r_e END AS exporter_text, "
    "_i AS importer, CASE WHEN _i IS NULL THEN r_i END AS importer_text, "
    "_p AS product, "
    "_v AS value_usd, CASE WHEN _v IS NULL OR _v < 0 THEN r_v END AS value_text, "
    "_q AS quantity, CASE WHEN (_q IS NULL AND r_q IS NOT NULL) OR _q < 0 THEN r_q END AS quantity_text"
)
HS_DIGITS = "regexp_full_match({c}, '[0-9]+')"


def _num(column: str) -> str:
    return f"TRY_CAST(nullif(trim({column}), '') AS DOUBLE)"


def whole(column: str) -> str:
    """An integer from text, or NULL: "2020" and "2020.0" -> 2020, "2020.5" -> NULL (never rounded)."""
    d = f"TRY_CAST(trim({column}) AS DOUBLE)"
    return f"CASE WHEN {d} = trunc({d}) AND abs({d}) < 2147483648 THEN CAST({d} AS INTEGER) END"


def _product_restored(column: str) -> str:
    """A code whose leading zero a spreadsheet dropped gets it back: 10121 -> 010121, 101 -> 0101."""
    c = f"trim({column})"
    return (f"CASE WHEN {HS_DIGITS.format(c=c)} AND length({c}) % 2 = 1 THEN '0' || {c} ELSE {c} END")


def _columns(columns: list[str]) -> dict[str, str]:
    return {c.lower(): c for c in columns}


def revision_from_name(name: str) -> str | None:
    """"baci_hs17_2020.csv" -> "HS17"; None when the name states no revision."""
    match = re.search(r"(?:^|[^a-z])hs[ _-]?(\d{2})(?:[^0-9]|$)", name.lower())
    return f"HS{match.group(1)}" if match else None


@dataclass(frozen=True)
class Baci:
    """CEPII BACI: t,i,j,k,v,q; CEPII country codes (India 699); v in thousand USD; q in metric tons."""

    label: str = "BACI (t, i, j, k, v, q)"
    required: tuple[str, ...] = ("t", "i", "j", "k", "v", "q")

    def plan(self, conn: duckdb.DuckDBPyConnection, session: Session, *, columns: list[str], name: str,
             hs_revision: str | None) -> TradePlan:
        col = {k: ident(v) for k, v in _columns(columns).items()}
        revision = revision_label(hs_revision) if hs_revision else (revision_from_name(name) or "HS92")
        iso = baci_iso_list(session)
        code = {side: whole(col[src]) for side, src in (("e", "i"), ("i", "j"))}
        k = f"trim({col['k']})"
        q = f"nullif(nullif(trim({col['q']}), ''), 'NA')"
        inner = (
            f"SELECT {whole(col['t'])} AS _y, {col['t']} AS r_y, "  # noqa: S608
            + "".join(
                f"CASE WHEN {code[s]} BETWEEN 0 AND $max_code THEN list_extract($iso, {code[s]} + 1) END AS _{s}, "
                f"{col[src]} AS r_{s}, "
                for s, src in (("e", "i"), ("i", "j"))
            )
            + f"CASE WHEN {HS_DIGITS.format(c=k)} THEN lpad({k}, 6, '0') ELSE {k} END AS _p, "
            f"round({_num(col['v'])} * 1000, 3) AS _v, {col['v']} AS r_v, "
            f"TRY_CAST({q} AS DOUBLE) AS _q, {q} AS r_q FROM raw"
        )
        return TradePlan(
            layout="BACI", revision=revision,
            work_sql=f"{WORK_OUTER} FROM ({inner})",  # noqa: S608
            output_sql="SELECT year, exporter, importer, product, $revision AS hs_revision, value_usd, "
                       "quantity, 't' AS unit FROM work",
            labels={"year": "t", "exporter": "i", "importer": "j", "product": "k", "value_usd": "v",
                    "quantity": "q"},
            params={"iso": iso, "max_code": len(iso) - 1},
            unit="t", country_check=False,
        )


@dataclass(frozen=True)
class Comtrade:
    """UN Comtrade bulk / Comtrade+ CSV: refYear, reporterISO, partnerISO, flowCode (X export, M import),
    cmdCode, primaryValue (USD), qty with qtyUnitAbbr, classificationCode (H0..H6 = HS92..HS22)."""

    label: str = "UN Comtrade (refYear, reporterISO, partnerISO, flowCode, cmdCode, primaryValue)"
    required: tuple[str, ...] = ("refyear", "reporteriso", "partneriso", "flowcode", "cmdcode", "primaryvalue")

    def plan(self, conn: duckdb.DuckDBPyConnection, session: Session, *, columns: list[str], name: str,
             hs_revision: str | None) -> TradePlan:
        names = _columns(columns)
        col = {k: ident(v) for k, v in names.items()}
        revision, class_check = self._revision(conn, col, names, hs_revision)
        flow = f"upper(trim({col['flowcode']}))"
        rep, par = f"upper(trim({col['reporteriso']}))", f"upper(trim({col['partneriso']}))"
        qty = col.get("qty")
        unit = col.get("qtyunitabbr")
        inner = (
            f"SELECT {whole(col['refyear'])} AS _y, {col['refyear']} AS r_y, "  # noqa: S608
            f"CASE WHEN {flow} = 'M' THEN {par} ELSE {rep} END AS _e, "
            f"CASE WHEN {flow} = 'M' THEN {col['partneriso']} ELSE {col['reporteriso']} END AS r_e, "
            f"CASE WHEN {flow} = 'M' THEN {rep} ELSE {par} END AS _i, "
            f"CASE WHEN {flow} = 'M' THEN {col['reporteriso']} ELSE {col['partneriso']} END AS r_i, "
            f"{_product_restored(col['cmdcode'])} AS _p, "
            f"{_num(col['primaryvalue'])} AS _v, {col['primaryvalue']} AS r_v, "
            f"{_num(qty) if qty else 'CAST(NULL AS DOUBLE)'} AS _q, "
            f"{f'nullif(trim({qty}), {chr(39)}{chr(39)})' if qty else 'CAST(NULL AS VARCHAR)'} AS r_q, "
            f"{f'nullif(trim({unit}), {chr(39)}{chr(39)})' if unit else 'CAST(NULL AS VARCHAR)'} AS _u, "
            f"CASE WHEN {flow} IS NULL OR {flow} NOT IN ('X', 'M') THEN {col['flowcode']} END AS flow_text, "
            f"{class_check} AS class_text FROM raw"
        )
        labels = {"year": names["refyear"], "exporter": names["reporteriso"], "importer": names["partneriso"],
                  "product": names["cmdcode"], "value_usd": names["primaryvalue"],
                  "quantity": names.get("qty", "qty")}
        extra = [
            RowCheck("bad-flow-code", names["flowcode"], "flow_text IS NOT NULL", "flow_text",
                     "flow {value!r} is not an export (X) or import (M); only those map to trade flows"),
            RowCheck("mixed-hs-revisions", names.get("classificationcode", "classificationCode"),
                     "class_text IS NOT NULL", "class_text",
                     f"classification {{value!r}} differs from the file's {revision}"),
        ]
        return TradePlan(
            layout="UN Comtrade", revision=revision,
            work_sql=f"{WORK_OUTER}, _u AS unit, flow_text, class_text FROM ({inner})",  # noqa: S608
            output_sql="SELECT year, exporter, importer, product, $revision AS hs_revision, value_usd, "
                       "quantity, unit FROM work",
            labels=labels, extra_checks=extra,
            params={"first_class": _first_class(conn, col)} if "classificationcode" in col else {},
        )

    def _revision(self, conn, col, names, hs_revision) -> tuple[str, str]:
        first = _first_class(conn, col)
        check = (f"CASE WHEN upper(trim({col['classificationcode']})) <> $first_class "
                 f"THEN {col['classificationcode']} END") if "classificationcode" in col else "CAST(NULL AS VARCHAR)"
        if hs_revision:
            return revision_label(hs_revision), check
        if first is None:
            raise BadRequest("the file has no classificationCode: state its HS revision (e.g. HS17)")
        return revision_label(first), check


def _first_class(conn: duckdb.DuckDBPyConnection, col: dict[str, str]) -> str | None:
    if "classificationcode" not in col:
        return None
    row = one(conn, f"SELECT upper(trim({col['classificationcode']})) FROM raw LIMIT 1")  # noqa: S608
    return row[0] if row else None


@dataclass(frozen=True)
class FlowTable:
    """The trade-flow table itself: year, exporter, importer, product, value_usd[, quantity, unit,
    hs_revision]; countries in any accepted form (ISO3, ISO2, ISO numeric, a name) become ISO3."""

    label: str = "trade-flow table (year, exporter, importer, product, value_usd)"
    required: tuple[str, ...] = ("year", "exporter", "importer", "product", "value_usd")

    def plan(self, conn: duckdb.DuckDBPyConnection, session: Session, *, columns: list[str], name: str,
             hs_revision: str | None) -> TradePlan:
        names = _columns(columns)
        col = {k: ident(v) for k, v in names.items()}
        revision = self._revision(conn, col, hs_revision)
        values = conn.execute(
            f"SELECT DISTINCT v FROM (SELECT {col['exporter']} AS v FROM raw UNION "  # noqa: S608
            f"SELECT {col['importer']} FROM raw) WHERE v IS NOT NULL"
        ).fetchall()
        register_country_map(conn, session, [v[0] for v in values], table="country_map")
        qty, unit = col.get("quantity"), col.get("unit")
        inner = (
            f"SELECT _r, {whole(col['year'])} AS _y, {col['year']} AS r_y, "  # noqa: S608
            f"ce.iso3 AS _e, {col['exporter']} AS r_e, ci.iso3 AS _i, {col['importer']} AS r_i, "
            f"{_product_restored(col['product'])} AS _p, "
            f"{_num(col['value_usd'])} AS _v, {col['value_usd']} AS r_v, "
            f"{_num(qty) if qty else 'CAST(NULL AS DOUBLE)'} AS _q, "
            f"{f'nullif(trim({qty}), {chr(39)}{chr(39)})' if qty else 'CAST(NULL AS VARCHAR)'} AS r_q, "
            f"{f'nullif(trim({unit}), {chr(39)}{chr(39)})' if unit else 'CAST(NULL AS VARCHAR)'} AS _u "
            f"FROM (SELECT row_number() OVER () AS _r, * FROM raw) r "
            f"LEFT JOIN country_map ce ON ce.value = r.{col['exporter']} "
            f"LEFT JOIN country_map ci ON ci.value = r.{col['importer']}"
        )
        return TradePlan(
            layout="trade-flow table", revision=revision,
            work_sql=f"{WORK_OUTER}, _u AS unit FROM ({inner}) ORDER BY _r",  # noqa: S608
            output_sql="SELECT year, exporter, importer, product, $revision AS hs_revision, value_usd, "
                       "quantity, unit FROM work",
            labels={k: names.get(k, k) for k in ("year", "exporter", "importer", "product", "value_usd",
                                                 "quantity")},
            country_check=False,
        )

    def _revision(self, conn, col, hs_revision) -> str:
        if hs_revision:
            return revision_label(hs_revision)
        if "hs_revision" in col:
            row = one(conn, f"SELECT {col['hs_revision']} FROM raw LIMIT 1")  # noqa: S608
            if row and row[0]:
                return revision_label(row[0])
        raise BadRequest("state the HS revision of the product codes (e.g. HS17)")


LAYOUTS = [Baci(), Comtrade(), FlowTable()]
