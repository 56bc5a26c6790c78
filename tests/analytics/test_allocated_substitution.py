"""The allocated import-substitution measure (ANALYTICS.md): additive over members, bounded by what the
bloc's suppliers sell outside and by what members buy outside. A property over generated worlds and the
real crude-oil flows of 2021 (BACI, every country)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scobank.analytics.execution import run, table_of
from scobank.analytics.substitution import bloc_table, import_substitution, substitution_report

MEMBERS = ["CHN", "IND", "KAZ", "RUS"]
COUNTRIES = [*MEMBERS, "USA", "DEU", "BRA"]
PRODUCTS = ["270900", "710239", "010121"]
CRUDE = "trade-crude-oil-baci-2021/crude_oil_270900_2021.csv"

flow = st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(COUNTRIES), st.sampled_from(PRODUCTS),
                 st.floats(min_value=0.5, max_value=1e9, allow_nan=False)).filter(lambda f: f[0] != f[1])


def _flows(rows) -> pa.Table:
    return pa.table({"year": pa.array([2021] * len(rows), pa.int64()), "exporter": [r[0] for r in rows],
                     "importer": [r[1] for r in rows], "product": [r[2] for r in rows],
                     "value": pa.array([r[3] for r in rows], pa.float64())})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(flow, min_size=1, max_size=40))
def test_allocated_never_exceeds_supply_or_imports_and_sums_to_the_smaller(rows):
    result = run(import_substitution(table_of(_flows(rows)), bloc_table({2021: MEMBERS}))).to_pylist()
    for r in result:
        assert r["allocated_value"] <= r["extra_bloc_imports"] * (1 + 1e-12)
        assert sum(s["value"] for s in r["allocated_suppliers"] or []) == pytest.approx(r["allocated_value"])
    for product in {r["product"] for r in result}:
        mine = [r for r in result if r["product"] == product]
        supply, demand = mine[0]["redirectable_supply"], mine[0]["bloc_extra_imports"]
        assert demand == pytest.approx(sum(r["extra_bloc_imports"] for r in mine))
        total = sum(r["allocated_value"] for r in mine)
        assert total <= supply * (1 + 1e-12) + 1e-9
        assert total == pytest.approx(min(demand, supply), rel=1e-12, abs=1e-9)
        by_supplier: dict[str, float] = {}
        for r in mine:
            for s in r["allocated_suppliers"] or []:
                by_supplier[s["supplier"]] = by_supplier.get(s["supplier"], 0.0) + s["value"]
        for supplier, value in by_supplier.items():  # no supplier is promised more than it sells outside
            sold = sum(f[3] for f in rows if f[0] == supplier and f[2] == product and f[1] not in MEMBERS)
            assert value <= sold * (1 + 1e-12)


@pytest.fixture(scope="module")
def crude(data_dir) -> pa.Table:
    raw = pacsv.read_csv(data_dir / CRUDE)
    return pa.table({"year": raw["year"].cast(pa.int64()), "exporter": raw["location_code"],
                     "importer": raw["partner_code"], "product": pc.cast(raw["product_id"], pa.string()),
                     "value": raw["export_value"].cast(pa.float64())})


def test_crude_oil_russia_and_kazakhstan_supply_china_and_india_within_what_they_sell_outside(bank, crude):
    with bank.session() as session:
        result = {r["importer"]: r for r in substitution_report(session, flows=crude).to_pylist()}
    bloc = result["CHN"]["bloc"]
    assert bloc == ["CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]  # 2021: no IRN, no BLR
    outside = [f for f in crude.to_pylist() if f["exporter"] in ("RUS", "KAZ") and f["importer"] not in bloc]
    sold_outside = sum(f["value"] for f in outside)
    assert sold_outside == pytest.approx(95.3e9, rel=0.01)  # of 134bn exported: the rest goes to CHN and IND
    given = 0.0
    for importer in ("CHN", "IND"):
        parts = {s["supplier"]: s["value"] for s in result[importer]["allocated_suppliers"]}
        assert parts["RUS"] > parts["KAZ"] > 0
        given += parts["RUS"] + parts["KAZ"]
    assert given <= sold_outside
    china, india = result["CHN"], result["IND"]
    assert china["allocated_value"] + india["allocated_value"] <= china["redirectable_supply"]
    # the per-importer upper bound promises the same oil to both: more than RUS and KAZ sell at all
    assert china["substitutable_value"] + india["substitutable_value"] > 1.5 * sold_outside
    assert china["unit"] == "USD"
