"""Trade file layouts: BACI, UN Comtrade (bulk / Comtrade+ CSV), the trade-flow table (India EIDB is
`scobank.ingest.eidb`; the plain list of them all is `scobank.ingest.trade_stage.LAYOUTS`).

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
from scobank.ingest.baci_rows import BaciRows
from scobank.ingest.checks import RowCheck
from scobank.ingest.codes import baci_iso_list, register_country_map, revision_label
from scobank.ingest.duck import ident, one
from scobank.ingest.trade import TradePlan
from scobank.problem_kinds import Kind

# The common outer SELECT: typed values from the layout's inner query (_y, _e, _i, _p, _v, _q) and their
# raw text (r_y, r_e, r_i, r_p, r_v, r_q); raw text is kept only where conversion failed or is negative.
# Countries and products are cast to the ENUM types iso_t and hs_t (`codes.register_code_types`): an
# unknown code casts to NULL, and the work table stays a few bytes a row.
WORK_OUTER = (
    "SELECT _y AS year, CASE WHEN _y IS NULL THEN r_y END AS year_text, "
    "_e AS exporter, CASE WHEN _e IS NULL THEN r_e END AS exporter_text, "
    "_i AS importer, CASE WHEN _i IS NULL THEN r_i END AS importer_text, "
    "_p AS product, CASE WHEN _p IS NULL THEN r_p END AS product_text, "
    "_v AS value_usd, CASE WHEN _v IS NULL OR _v < 0 OR NOT isfinite(_v) THEN r_v END AS value_text, "
    "_q AS quantity, CASE WHEN (_q IS NULL AND r_q IS NOT NULL AND trim(r_q) NOT IN ('', 'NA')) OR _q < 0 "
    "OR NOT isfinite(_q) THEN r_q END AS quantity_text"
)
HS_DIGITS = "regexp_full_match({c}, '[0-9]+')"


def _num(column: str) -> str:
    return f"TRY_CAST(nullif(trim({column}), '') AS DOUBLE)"


def quantity_columns(qty: str | None, unit: str | None) -> str:
    """`_q, r_q, _u` of a layout's inner SELECT: the quantity, its raw text and its unit, from the file's
    (quoted) columns, or NULL where the file has none."""
    return (f"{_num(qty) if qty else 'CAST(NULL AS DOUBLE)'} AS _q, "
            f"{f'nullif(trim({qty}), {chr(39)}{chr(39)})' if qty else 'CAST(NULL AS VARCHAR)'} AS r_q, "
            f"{f'nullif(trim({unit}), {chr(39)}{chr(39)})' if unit else 'CAST(NULL AS VARCHAR)'} AS _u")


def whole(column: str) -> str:
    """An integer from text, or NULL: "2020" -> 2020, "2020.5" -> NULL (a cast alone would round)."""
    return f"CASE WHEN NOT contains({column}, '.') THEN TRY_CAST({column} AS INTEGER) END"


def _hs(code: str) -> str:
    return f"TRY_CAST({code} AS hs_t)"


def _iso(code: str) -> str:
    return f"TRY_CAST({code} AS iso_t)"


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
        q = col["q"]
        inner = (
            f"SELECT {whole(col['t'])} AS _y, {col['t']} AS r_y, "  # noqa: S608
            + "".join(
                f"CASE WHEN {code[s]} BETWEEN 0 AND $max_code "
                f"THEN list_extract(CAST($iso AS iso_t[]), {code[s]} + 1) END AS _{s}, {col[src]} AS r_{s}, "
                for s, src in (("e", "i"), ("i", "j"))
            )
            + f"{_hs('p')} AS _p, p AS r_p, "  # noqa: S608
            f"round(TRY_CAST({col['v']} AS DOUBLE) * 1000, 3) AS _v, {col['v']} AS r_v, "
            f"TRY_CAST({q} AS DOUBLE) AS _q, {q} AS r_q "
            f"FROM (SELECT *, CASE WHEN length({col['k']}) < 6 THEN lpad(trim({col['k']}), 6, '0') "
            f"ELSE trim({col['k']}) END AS p FROM raw)"
        )
        return TradePlan(
            layout="BACI", revision=revision,
            work_sql=f"{WORK_OUTER} FROM ({inner})",  # noqa: S608
            output_sql="SELECT year, exporter, importer, product, CAST($revision AS rev_t) AS hs_revision, "
                       "value_usd, quantity, CAST('t' AS unit_t) AS unit FROM work",
            labels={"year": "t", "exporter": "i", "importer": "j", "product": "k", "value_usd": "v",
                    "quantity": "q"},
            params={"iso": iso, "max_code": len(iso) - 1},
            unit="t", fast_sql=self._fast_sql(columns), fast_types=self._fast_types(columns),
            direct_sql=self._direct_sql(columns),
            direct_shape=lambda codes: BaciRows(codes, iso_of_baci=iso, revision=revision),
        )

    def _direct_sql(self, columns: list[str]) -> str:
        """The parsed columns for `BaciRows`: the codes as the reader parsed them (k as text), v in USD
        as the full path rounds it."""
        c = {k: ident(v) for k, v in _columns(columns).items()}
        return (f"SELECT {c['t']} AS year, {c['i']} AS exporter, {c['j']} AS importer, {c['k']} AS product, "  # noqa: S608
                f"round({c['v']} * 1000, 3) AS value_usd, {c['q']} AS quantity FROM raw_typed")

    def _fast_types(self, columns: list[str]) -> dict[str, str]:
        names = _columns(columns)
        return {names["t"]: "INTEGER", names["i"]: "INTEGER", names["j"]: "INTEGER", names["v"]: "DOUBLE",
                names["q"]: "DOUBLE"}

    def _fast_sql(self, columns: list[str]) -> str:
        """`work` from numbers DuckDB's CSV parser already read (no text to cast); raw text is only
        rebuilt for the rare row a check will report."""
        c = {k: ident(v) for k, v in _columns(columns).items()}
        iso = {s: (f"CASE WHEN {c[src]} BETWEEN 0 AND $max_code "
                   f"THEN list_extract(CAST($iso AS iso_t[]), {c[src]} + 1) END") for s, src in (("e", "i"), ("i", "j"))}
        padded = "CASE WHEN length(r_p) < 6 THEN lpad(trim(r_p), 6, '0') ELSE trim(r_p) END"
        # HS codes as BACI writes them (hs_k: 10121 for 010121) map to hs_t by list position; anything
        # else (spaces, say) goes the general way, padded and cast, only for the rows that need it.
        inner = (
            f"SELECT {c['t']} AS _y, {iso['e']} AS _e, {c['i']} AS r_e, {iso['i']} AS _i, {c['j']} AS r_i, "  # noqa: S608
            f"list_extract(CAST($hs_of_k AS hs_t[]), enum_code(TRY_CAST({c['k']} AS hs_k)) + 1) AS _pk, "
            f"{c['k']} AS r_p, {c['v']} AS _v, {c['q']} AS _q FROM raw_typed"
        )
        return (
            "SELECT _y AS year, CAST(NULL AS VARCHAR) AS year_text, "  # noqa: S608
            "_e AS exporter, CASE WHEN _e IS NULL THEN CAST(r_e AS VARCHAR) END AS exporter_text, "
            "_i AS importer, CASE WHEN _i IS NULL THEN CAST(r_i AS VARCHAR) END AS importer_text, "
            f"coalesce(_pk, {_hs(padded)}) AS product, CASE WHEN _pk IS NULL AND {_hs(padded)} IS NULL "
            f"THEN {padded} END AS product_text, "
            "round(_v * 1000, 3) AS value_usd, "
            "CASE WHEN _v < 0 OR NOT isfinite(_v) THEN CAST(_v AS VARCHAR) END AS value_text, "
            "_q AS quantity, CASE WHEN _q < 0 OR NOT isfinite(_q) THEN CAST(_q AS VARCHAR) END AS quantity_text "
            f"FROM ({inner})"
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
            f"{_iso(f'CASE WHEN {flow} = {chr(39)}M{chr(39)} THEN {par} ELSE {rep} END')} AS _e, "
            f"CASE WHEN {flow} = 'M' THEN {col['partneriso']} ELSE {col['reporteriso']} END AS r_e, "
            f"{_iso(f'CASE WHEN {flow} = {chr(39)}M{chr(39)} THEN {rep} ELSE {par} END')} AS _i, "
            f"CASE WHEN {flow} = 'M' THEN {col['reporteriso']} ELSE {col['partneriso']} END AS r_i, "
            f"{_hs(_product_restored(col['cmdcode']))} AS _p, {_product_restored(col['cmdcode'])} AS r_p, "
            f"{_num(col['primaryvalue'])} AS _v, {col['primaryvalue']} AS r_v, "
            f"{quantity_columns(qty, unit)}, "
            f"{flow} AS _f, "
            f"CASE WHEN {flow} IS NULL OR {flow} NOT IN ('X', 'M') THEN {col['flowcode']} END AS flow_text, "
            f"{class_check} AS class_text FROM raw"
        )
        labels = {"year": names["refyear"], "exporter": names["reporteriso"], "importer": names["partneriso"],
                  "product": names["cmdcode"], "value_usd": names["primaryvalue"],
                  "quantity": names.get("qty", "qty")}
        extra = [
            RowCheck(Kind.BAD_FLOW_CODE, names["flowcode"], "flow_text IS NOT NULL", "flow_text",
                     "flow {value!r} is not an export (X) or import (M); only those map to trade flows"),
            RowCheck(Kind.MIXED_HS_REVISIONS, names.get("classificationcode", "classificationCode"),
                     "class_text IS NOT NULL", "class_text",
                     f"classification {{value!r}} differs from the file's {revision}"),
        ]
        return TradePlan(
            layout="UN Comtrade", revision=revision,
            work_sql=f"{WORK_OUTER}, _u AS unit, _f AS flow, flow_text, class_text FROM ({inner})",  # noqa: S608
            output_sql="SELECT year, exporter, importer, product, CAST($revision AS rev_t) AS hs_revision, "
                       "value_usd, quantity, unit FROM work",
            labels=labels, extra_checks=extra, country_sources=self._country_sources(names),
            params={"first_class": _first_class(conn, col)} if "classificationcode" in col else {},
        )

    def _country_sources(self, names: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
        """An import's exporter is the partner: a bad code is reported in the column that holds it."""
        imports = "coalesce(flow, '') = 'M'"
        reporter, partner = names["reporteriso"], names["partneriso"]
        return {"exporter": [(reporter, f"NOT {imports}"), (partner, imports)],
                "importer": [(partner, f"NOT {imports}"), (reporter, imports)]}

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
            f"{_iso('ce.iso3')} AS _e, {col['exporter']} AS r_e, {_iso('ci.iso3')} AS _i, "
            f"{col['importer']} AS r_i, "
            f"{_hs(_product_restored(col['product']))} AS _p, {_product_restored(col['product'])} AS r_p, "
            f"{_num(col['value_usd'])} AS _v, {col['value_usd']} AS r_v, "
            f"{quantity_columns(qty, unit)} "
            f"FROM (SELECT row_number() OVER () AS _r, * FROM raw) r "
            f"LEFT JOIN country_map ce ON ce.value = r.{col['exporter']} "
            f"LEFT JOIN country_map ci ON ci.value = r.{col['importer']}"
        )
        return TradePlan(
            layout="trade-flow table", revision=revision,
            work_sql=f"{WORK_OUTER}, _u AS unit FROM ({inner}) ORDER BY _r",  # noqa: S608
            output_sql="SELECT year, exporter, importer, product, CAST($revision AS rev_t) AS hs_revision, "
                       "value_usd, quantity, unit FROM work",
            labels={k: names.get(k, k) for k in ("year", "exporter", "importer", "product", "value_usd",
                                                 "quantity")},
        )

    def _revision(self, conn, col, hs_revision) -> str:
        if hs_revision:
            return revision_label(hs_revision)
        if "hs_revision" in col:
            row = one(conn, f"SELECT {col['hs_revision']} FROM raw LIMIT 1")  # noqa: S608
            if row and row[0]:
                return revision_label(row[0])
        raise BadRequest("state the HS revision of the product codes (e.g. HS17)")

