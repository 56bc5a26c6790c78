"""India's Export Import Data Bank (DGCI&S, tradestat.commerce.gov.in/eidb) as the trade-flow table.

    hs8, hs6, description, unit, fy_start, fy_label, partner, value_usd_mn, quantity

One row is India's exports of one ITC-HS 8-digit line to one partner in one Indian financial year
(April to March). The bank checks every row as the file has it (row numbers are the file's), then
sums the HS8 lines into their international HS6 code, so the stored flows are year, IND, partner, HS6:

- year: the calendar year the financial year starts in (FY2017-18 is stored as 2017); the schema's
  `period` says so and lists the financial years present;
- importer: the EIDB partner name mapped through the reference's alias table (`CHINA P RP` -> CHN,
  `PAKISTAN IR` -> PAK, `U S A` -> USA; reference/data/country_aliases.csv); `UNSPECIFIED` and
  installations in international waters are no country: left out and counted;
- product: HS6 of the revision the EIDB used that year (HS17 up to FY2021-22, HS22 from FY2022-23, per
  the data's SOURCE.md), or the revision the steward states for the whole file; a code unknown to that
  revision is reported with its row;
- value_usd: value_usd_mn x 1,000,000 (EIDB rounds to US$ 10,000); quantity and unit are summed only
  where every HS8 line of the HS6 has the same unit, else left empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from scobank.errors import BadRequest, NotFound
from scobank.ingest.checks import RowCheck
from scobank.ingest.codes import register_country_map, revision_label
from scobank.ingest.duck import ident
from scobank.ingest.layouts import WORK_OUTER, _columns, _hs, _iso, _num, _product_restored, quantity_columns, whole
from scobank.ingest.trade import TradePlan
from scobank.problem_kinds import Kind
from scobank.reference.lookup import hs_table

FIRST_HS22_YEAR = 2022  # FY2022-23: the EIDB's HS edition changes to HS2022 (SOURCE.md)
YEAR_NOTE = ("Indian financial year (April to March), stored under the calendar year it starts in: "
             "2017 is FY2017-18")


@dataclass(frozen=True)
class Eidb:
    """India DGCI&S EIDB exports by HS8 and partner, per financial year; value in US$ million."""

    label: str = "India EIDB (hs8, fy_start, partner, value_usd_mn)"
    required: tuple[str, ...] = ("hs8", "fy_start", "partner", "value_usd_mn")

    def plan(self, conn: duckdb.DuckDBPyConnection, session: Session, *, columns: list[str], name: str,
             hs_revision: str | None) -> TradePlan:
        names = _columns(columns)
        col = {k: ident(v) for k, v in names.items()}
        partners = conn.execute(f"SELECT DISTINCT {col['partner']} FROM raw "  # noqa: S608
                                f"WHERE {col['partner']} IS NOT NULL").fetchall()
        register_country_map(conn, session, [p[0] for p in partners], table="country_map")
        fixed = revision_label(hs_revision) if hs_revision else None
        revisions = (fixed,) if fixed else ("HS17", "HS22")
        _register_revision_codes(conn, session, revisions)
        year = whole(col["fy_start"])
        era = (f"'{fixed}'" if fixed else
               f"CASE WHEN {year} >= {FIRST_HS22_YEAR} THEN 'HS22' ELSE 'HS17' END")
        hs6 = _product_restored(col["hs6"] if "hs6" in col else f"left(trim({col['hs8']}), 6)")
        qty, unit = col.get("quantity"), col.get("unit")
        inner = (
            f"SELECT _r, {year} AS _y, {col['fy_start']} AS r_y, "  # noqa: S608
            f"{_iso(chr(39) + 'IND' + chr(39))} AS _e, 'IND' AS r_e, "
            f"{_iso('cm.iso3')} AS _i, {col['partner']} AS r_i, {_hs(hs6)} AS _p, {hs6} AS r_p, "
            f"round({_num(col['value_usd_mn'])} * 1000000, 2) AS _v, {col['value_usd_mn']} AS r_v, "
            f"{quantity_columns(qty, unit)}, "
            f"trim({col['hs8']}) AS hs8, {col['partner']} AS partner, {era} AS row_revision, "
            f"h.code IS NOT NULL AS hs_ok "
            f"FROM (SELECT row_number() OVER () AS _r, * FROM raw) r "
            f"LEFT JOIN country_map cm ON cm.value = r.{col['partner']} "
            f"LEFT JOIN hs_revision_codes h ON h.code = {hs6} AND h.revision = {era}"
        )
        return TradePlan(
            layout="India EIDB", revision=revisions[0], revisions=revisions,
            work_sql=(f"{WORK_OUTER}, _u AS unit, hs8, partner, row_revision, hs_ok "  # noqa: S608
                      f"FROM ({inner}) ORDER BY _r"),
            output_sql=OUTPUT_SQL,
            labels={"year": names["fy_start"], "exporter": "exporter", "importer": names["partner"],
                    "product": names.get("hs6", names["hs8"]), "value_usd": names["value_usd_mn"],
                    "quantity": names.get("quantity", "quantity")},
            extra_checks=[_era_check(r, names.get("hs6", names["hs8"])) for r in revisions],
            duplicate_key=["year", "partner", "hs8"],
            duplicate_labels=[names["fy_start"], names["partner"], names["hs8"]],
            year_description=YEAR_NOTE, aggregated=True,
        )


# HS8 lines summed into HS6; a quantity only where all lines share one unit. Sorted: same bytes each time.
OUTPUT_SQL = (
    "SELECT year, exporter, importer, product, CAST(row_revision AS rev_t) AS hs_revision, "
    "sum(value_usd) AS value_usd, "
    "CASE WHEN count(DISTINCT unit) = 1 AND count(quantity) = count(*) THEN sum(quantity) END AS quantity, "
    "CASE WHEN count(DISTINCT unit) = 1 THEN min(unit) END AS unit "
    "FROM work GROUP BY year, exporter, importer, product, row_revision "
    "ORDER BY year, importer, product"
)


def _era_check(revision: str, column: str) -> RowCheck:
    return RowCheck(Kind.BAD_HS_CODE, column, f"product IS NOT NULL AND NOT hs_ok AND row_revision = '{revision}'",
                    "CAST(product AS VARCHAR)", f"HS code {{value!r}} does not exist in {revision}, "
                    "the revision of this financial year")


def _codes(session: Session, revision: str) -> set[str]:
    try:
        return set(hs_table(session, revision)["code"].to_pylist())
    except NotFound as exc:
        raise BadRequest(f"cannot check HS codes: {exc.message}") from exc


def _register_revision_codes(conn: duckdb.DuckDBPyConnection, session: Session, revisions: tuple[str, ...]) -> None:
    """hs_revision_codes(code, revision). The bank's HS17 list is CEPII's, which merges some national
    detail (2710.12/19 into 271000); a code that HS12 and HS22 both have is taken to exist in HS17 too."""
    codes, labels = [], []
    for revision in revisions:
        found = _codes(session, revision)
        if revision == "HS17":
            found |= _codes(session, "HS12") & _codes(session, "HS22")
        codes += sorted(found)
        labels += [revision] * len(found)
    conn.register("hs_revision_codes", pa.table({"code": pa.array(codes, pa.string()),
                                                 "revision": pa.array(labels, pa.string())}))
