"""Values in a member's currency (rate and its year stated) and in another HS revision (totals kept)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import baci_flows
from scobank.analytics.currency import convert_revision, to_currency
from scobank.errors import NotFound


def test_values_in_yuan_state_the_rate_and_its_year(bank):
    table = pa.table({"year": [2020, 2020], "product": ["010121", "020000"], "value": [1000.0, 10.0]})
    with bank.session() as session:
        cny = to_currency(session, table, currency="cny").to_pylist()
    # FRED annual average 2020: 6.9042 yuan per US dollar
    assert cny[0]["value"] == pytest.approx(6904.2) and cny[0]["rate_per_usd"] == pytest.approx(6.9042)
    assert (cny[0]["currency"], cny[0]["rate_year"]) == ("CNY", 2020) and cny[0]["rate_source"]


def test_a_year_without_a_rate_is_refused_naming_what_exists(bank):
    table = pa.table({"year": [1900], "product": ["01"], "value": [1.0]})
    with bank.session() as session, pytest.raises(NotFound, match="no exchange rate for CNY in 1900"):
        to_currency(session, table, currency="CNY")


def test_real_afghan_exports_to_india_in_hs22_keep_their_total(bank, data_dir):
    with bank.session() as session:
        baci = baci_flows(data_dir, session)
        afg_ind = baci.filter(pc.and_(pc.equal(baci["exporter"], "AFG"), pc.equal(baci["importer"], "IND")))
        hs22 = convert_revision(session, afg_ind, from_revision="HS17", to_revision="HS22")
    assert pc.sum(hs22["value"]).as_py() == pytest.approx(pc.sum(afg_ind["value"]).as_py(), rel=1e-9)
    assert set(pc.utf8_length(hs22["product"]).to_pylist()) == {6}


def test_convert_command_states_the_rate(bank, tmp_path):
    pq.write_table(pa.table({"year": [2020], "exporter": ["CHN"], "product": ["010121"], "value": [100.0]}),
                   tmp_path / "x.parquet")
    result = bank.cli("analytics", "convert", tmp_path / "x.parquet", "--out", tmp_path / "y.parquet",
                      "--currency", "CNY")
    assert result.exit_code == 0, result.stderr
    assert "2020: 6.9042 CNY/USD" in result.stdout
    assert pq.read_table(tmp_path / "y.parquet")["value"].to_pylist() == [pytest.approx(690.42)]
