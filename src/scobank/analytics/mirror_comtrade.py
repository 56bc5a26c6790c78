"""Mirror data from UN Comtrade: a member's imports as a partner reports its exports to it, from a
Comtrade extract held as a table (one reporter, destinations named in English, monthly values).

The shared data has one such extract: China's exports of natural and artificial graphite and of gallium,
germanium and similar metals (HS6 250410, 380110, 811292) to 39 destinations, monthly 2017-2024, as China
reports them (dataset `comtrade-china-critical-minerals-2017-2024`). For Iran, which reports little,
China's exports to it are its imports from China: mirror data, valued FOB at China's border, covering only
those three products. No extract of partners' reported *imports* from a member is in the shared data.

Rows: the months' values summed per calendar year (the year's label is the year itself), flow "imports",
partner and reporter the exporter (`REPORTER`), unit US dollars. Destination names are matched to ISO3
through the reference's names and aliases (`resolve_country`); names that match no country are listed in
the facts, never guessed. Read through the gate (one ledger entry per call).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.analytics.table_reads import read_columns
from scobank.errors import NotFound
from scobank.reference.lookup import resolve_country

COMTRADE_DATASET = "comtrade-china-critical-minerals-2017-2024"
REPORTER = "CHN"
COLUMNS = {"period_dt": "string", "partner_name": "string", "hs6": "string", "val": "float64"}


def destinations(session: Session, names: list[str]) -> tuple[dict[str, str], list[str]]:
    """({name: ISO3} of the names that match a country, [names that match none])."""
    found, unknown = {}, []
    for name in names:
        try:
            found[name] = resolve_country(session, name)
        except NotFound:
            unknown.append(name)
    return found, unknown


def yearly_imports(table: pa.Table, names: list[str]) -> pa.Table:
    """(year, value): the rows of destinations `names`, summed per calendar year of `period_dt`."""
    mine = table.filter(pc.is_in(table["partner_name"], pa.array(names, pa.string())))
    years = pc.cast(pc.utf8_slice_codeunits(mine["period_dt"], 0, 4), pa.int64())
    summed = pa.table({"year": years, "value": mine["val"]}).group_by("year").aggregate([("value", "sum")])
    return summed.rename_columns(["year", "value"]).sort_by([("year", "descending")])


def comtrade_mirror(session: Session, *, reader: Reader, iso3: str,
                    dataset: str = COMTRADE_DATASET) -> tuple[pa.Table, dict]:
    """(`iso3`'s imports from the reporter per year, in the mirror table's columns: flow, year, partner,
    value, period, unit, reported_by, dataset; the source's facts). Raises NotFound, AccessDenied."""
    table, number = read_columns(session, slug=dataset, reader=reader, analysis="mirror", columns=COLUMNS,
                                 detail={"member": iso3})
    found, unknown = destinations(session, sorted(set(pc.drop_null(table["partner_name"]).to_pylist())))
    yearly = yearly_imports(table, [name for name, code in found.items() if code == iso3])
    n = yearly.num_rows
    rows = pa.table({"flow": pa.array(["imports"] * n, pa.string()), "year": yearly["year"],
                     "partner": pa.array([REPORTER] * n, pa.string()), "value": yearly["value"],
                     "period": pa.array([str(y) for y in yearly["year"].to_pylist()], pa.string()),
                     "unit": pa.array(["USD"] * n, pa.string()), "reported_by": pa.array([REPORTER] * n, pa.string()),
                     "dataset": pa.array([dataset] * n, pa.string())})
    products = sorted(set(pc.drop_null(table["hs6"]).to_pylist()))
    facts = {"dataset": dataset, "version": number, "reported_by": "exporter", "unit": "USD",
             "periods": [str(y) for y in sorted(yearly["year"].to_pylist())], "rows": n,
             "source": "UN Comtrade", "products": products, "unmatched_destinations": unknown}
    return rows, facts
