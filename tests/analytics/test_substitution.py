"""Import substitution (ANALYTICS.md): the bloc by year, extra-bloc imports, suppliers and their room."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import baci_flows
from scobank.analytics.substitution import substitution_report

# A hand-worked world of one year (2023: IRN is a member). Values in USD.
HAND = [
    (2023, "USA", "CHN", "010121", 100.0), (2023, "DEU", "CHN", "010121", 50.0),
    (2023, "USA", "CHN", "010121", 5.0),  # a duplicate key: summed with the first row
    (2023, "RUS", "CHN", "010121", 10.0), (2023, "RUS", "IND", "010121", 30.0),
    (2023, "KAZ", "DEU", "010121", 40.0), (2023, "USA", "DEU", "020000", 500.0),
    (2023, "KAZ", "USA", "020000", 1.0), (2023, "USA", "IRN", "010121", 7.0),
]


def table(rows) -> pa.Table:
    cols = ("year", "exporter", "importer", "product", "value")
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})


def test_hand_worked_substitution_names_suppliers_with_their_room_and_share(bank):
    with bank.session() as session:
        result = substitution_report(session, flows=table(HAND)).to_pylist()
    by_importer = {r["importer"]: r for r in result}
    china = by_importer["CHN"]
    # CHN buys 010121 for 155 outside the bloc (USA 105, DEU 50). World exports of 010121 are 242 of
    # 743, so RUS (40/40) and KAZ (40/41) have RCA ~3 >= 1. Room: RUS sells 40, 10 of it already to
    # CHN -> 30; KAZ sells 40 -> 40. bloc_room 70 < 155.
    assert china["extra_bloc_imports"] == 155 and china["bloc_room"] == 70 and china["substitutable_value"] == 70
    assert china["suppliers"] == [{"supplier": "KAZ", "room": 40.0, "share": pytest.approx(40 / 70)},
                                  {"supplier": "RUS", "room": 30.0, "share": pytest.approx(30 / 70)}]
    # IRN (a member since 2023) buys 7 from the USA; the bloc could supply 80: substitutable 7.
    assert by_importer["IRN"]["substitutable_value"] == 7 and by_importer["IRN"]["bloc_room"] == 80
    assert "IND" not in by_importer  # India buys only from Russia, inside the bloc
    assert [r["importer"] for r in result] == ["CHN", "IRN"]  # ranked by allocated value


def test_hand_worked_allocation_counts_each_suppliers_capacity_once(bank):
    with bank.session() as session:
        result = {r["importer"]: r for r in substitution_report(session, flows=table(HAND)).to_pylist()}
    # Bloc buys 010121 for 162 outside (CHN 155, IRN 7). Of the members with RCA >= 1, RUS sells all its
    # 40 to CHN and IND (inside the bloc: nothing to redirect), KAZ sells 40 to DEU: supply 40 < 162.
    china, iran = result["CHN"], result["IRN"]
    assert china["redirectable_supply"] == 40 and china["bloc_extra_imports"] == 162
    assert china["allocated_value"] == pytest.approx(155 * 40 / 162)
    assert iran["allocated_value"] == pytest.approx(7 * 40 / 162)
    assert china["allocated_value"] + iran["allocated_value"] == pytest.approx(40)  # = min(162, 40)
    assert china["allocated_suppliers"] == [{"supplier": "KAZ", "share": 1.0, "value": pytest.approx(155 * 40 / 162)}]
    # the upper bound offers each importer the same room: 70 + 7 = 77 > 40 sold outside the bloc
    assert china["substitutable_value"] + iran["substitutable_value"] == 77


def test_real_baci_chinese_imports_of_platinum_from_south_africa_are_extra_bloc(bank, data_dir):
    with bank.session() as session:
        result = substitution_report(session, flows=baci_flows(data_dir, session)).to_pandas()
    row = result[(result.importer == "CHN") & (result["product"] == "710239")].iloc[0]
    assert row.extra_bloc_imports == pytest.approx(3044457.918)  # thousand USD, straight from the file
    # No member exports in this sample (only AFG and ZAF do), so the bloc has no room yet.
    assert row.bloc_room == 0 and row.substitutable_value == 0 and list(row.suppliers) == []
    assert set(result.importer) <= {"CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"}


def test_iran_joins_the_bloc_in_2023_and_belarus_in_2024(bank, data_dir):
    with bank.session() as session:
        flows = pa.concat_tables([baci_flows(data_dir, session, year=y) for y in (2022, 2023, 2024)])
        result = substitution_report(session, flows=flows).to_pandas()
    importers = result.groupby("year").importer.agg(set)
    assert "IRN" not in importers[2022] and "IRN" in importers[2023]
    assert "BLR" not in importers[2023] and "BLR" in importers[2024]
    iran = result[(result.year == 2023) & (result.importer == "IRN") & (result["product"] == "760110")]
    assert iran.extra_bloc_imports.iloc[0] == pytest.approx(173.44)  # unwrought aluminium from ZAF


def test_substitution_command_writes_the_contract_columns(bank, tmp_path):
    pq.write_table(table(HAND), tmp_path / "flows.parquet")
    result = bank.cli("analytics", "substitution", tmp_path / "flows.parquet", "--out", tmp_path / "s.parquet")
    assert result.exit_code == 0, result.stderr
    out = pq.read_table(tmp_path / "s.parquet")
    assert out.column_names == ["year", "importer", "product", "extra_bloc_imports", "bloc_room",
                                "substitutable_value", "suppliers", "redirectable_supply", "bloc_extra_imports",
                                "allocated_value", "allocated_suppliers", "bloc", "unit"]
    assert out.schema.field("suppliers").type.value_type.names == ["supplier", "room", "share"]
    assert out.schema.field("allocated_suppliers").type.value_type.names == ["supplier", "share", "value"]
    china = next(r for r in out.to_pylist() if r["importer"] == "CHN")
    assert china["bloc"] == ["CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]
    assert china["unit"] == "USD" and "(USD)" in result.stdout


def test_heading_level_sums_the_hs6_lines(bank):
    with bank.session() as session:
        result = substitution_report(session, flows=table(HAND), product_level=4).to_pylist()
    assert {(r["importer"], r["product"]) for r in result} == {("CHN", "0101"), ("IRN", "0101")}


def test_bad_bilateral_input_is_refused_with_row_and_column(bank, tmp_path):
    (tmp_path / "f.csv").write_text("year,exporter,importer,product,value\n2023,USA,CHN,010121,\n")
    result = bank.cli("analytics", "substitution", tmp_path / "f.csv", "--out", tmp_path / "s.parquet")
    assert result.exit_code == 11
    assert "f.csv: 1 bad cell (first: row 1, column 'value'" in result.stderr
    assert not (tmp_path / "s.parquet").exists()
