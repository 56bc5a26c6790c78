"""Input-output dependency on the real OECD ICIO 2022 intermediate flows (six members covered)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from scobank.analytics.io_dependency import dependency_report

BLOC_2024 = ["BLR", "CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]
BLOC_2023 = [m for m in BLOC_2024 if m != "BLR"]


@pytest.fixture(scope="module")
def icio(data_dir):
    return data_dir / "icio-oecd-2022-intermediate"


@pytest.fixture(scope="module")
def report_2024(icio):
    return dependency_report(icio, members=BLOC_2024).to_pandas()


def test_the_six_covered_members_get_real_figures(report_2024):
    assert sorted(report_2024.member.unique()) == ["BLR", "CHN", "IND", "KAZ", "PAK", "RUS"]
    assert (report_2024.outside_share.dropna().between(0, 1)).all()
    rus = report_2024[report_2024.member == "RUS"]
    # SOURCE.md: RUS buys intermediates for 27,108 (CHN) and 10,109 (BLR) USD mn; IND 2,494, KAZ 5,497, PAK 83
    assert rus.from_bloc.sum() == pytest.approx(27107.854 + 10109.131 + 2493.7003 + 5497.4134 + 82.6428, rel=1e-9)
    assert rus.from_outside.sum() == pytest.approx(162006.527 - 45290.7415, rel=1e-6)


def test_belarus_counts_as_outside_before_it_joined(icio, report_2024):
    before = dependency_report(icio, members=BLOC_2023).to_pandas()
    assert "BLR" not in set(before.member)
    rus_before = before[before.member == "RUS"].from_outside.sum()
    assert rus_before - report_2024[report_2024.member == "RUS"].from_outside.sum() == pytest.approx(10109.131)


def test_outside_suppliers_and_bloc_sellers_are_named_with_shares(report_2024):
    chem = report_2024[(report_2024.member == "RUS") & (report_2024.sector == "C20")].iloc[0]
    suppliers = list(chem.top_outside_suppliers)
    assert suppliers[0]["supplier"] == "DEU" and len(suppliers) == 5
    assert all(s["supplier"] not in BLOC_2024 for s in suppliers)
    sellers = list(chem.bloc_sellers)
    assert sellers[0]["member"] == "CHN" and "RUS" not in {s["member"] for s in sellers}
    assert sum(s["share"] for s in sellers) == pytest.approx(1)
    assert chem.substitutable_value == pytest.approx(min(chem.from_outside, chem.bloc_room))
    assert chem.sector_name == "Manufacture of chemicals and chemical products"


def test_dependency_command(bank, tmp_path, icio):
    result = bank.cli("analytics", "dependency", "--icio", icio, "--out", tmp_path / "d.parquet")
    assert result.exit_code == 0, result.stderr
    assert "members CHN, IND, KAZ, PAK, RUS (bloc of 2022: " in result.stdout  # the extract's year
    assert pq.read_table(tmp_path / "d.parquet").num_rows == 5 * 49


def test_only_members_with_a_comparative_advantage_sell_and_each_sale_is_allocated_once(report_2024):
    chem = report_2024[(report_2024.member == "RUS") & (report_2024.sector == "C20")].iloc[0]
    # in chemicals only CHN and BLR sell abroad more than their share (RCA >= 1): IND, KAZ, PAK do not
    assert {s["member"] for s in chem.bloc_sellers} == {"CHN", "BLR"}
    assert chem.redirectable_supply == pytest.approx(136564.25, rel=1e-6)  # USD mn sold outside the bloc
    assert chem.bloc_extra_imports == pytest.approx(185727.78, rel=1e-6)  # the six members' outside bill
    assert chem.allocated_value == pytest.approx(chem.from_outside * 136564.25 / 185727.78, rel=1e-6)
    by_sector = report_2024.groupby("sector").agg(total=("allocated_value", "sum"),
                                                  supply=("redirectable_supply", "first"),
                                                  demand=("bloc_extra_imports", "first"))
    assert (by_sector.total - by_sector[["supply", "demand"]].min(axis=1)).abs().max() < 1e-6
    # the upper bound equals the whole outside bill in most rows; the allocation in a quarter of them
    assert (report_2024.substitutable_value >= report_2024.from_outside - 1e-9).mean() > 0.5
    assert (report_2024.allocated_value >= report_2024.from_outside - 1e-9).mean() < 0.3
