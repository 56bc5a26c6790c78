"""The member profile's Growth Lab ECI series 2012-2024 (dataset growth-lab-eci-2012-2024, the Atlas'
published figures), ranked within the stated country set, beside the ECI the bank computes itself."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from sqlalchemy import select

from tests.web.test_member_profile_page import FLOWS, default_datasets, figure_data, open_default_datasets

ECI = "growth-lab-eci-2012-2024"
SERIES = pytest.mark.open_demo(ECI, first=open_default_datasets, read_only=True)  # and the default datasets, all open


def published_ranks(data_dir, iso3: str) -> dict[int, tuple[float, int, int]]:
    """{year: (ECI, rank, of)} from the raw files, as a user checks it: the published ECI sorted within
    the countries the Atlas country table marks in_complexity."""
    series = pacsv.read_csv(data_dir / "macro-wdi-imf/atlas_2024_growth_projections.csv")
    atlas = pacsv.read_csv(data_dir / "countries/atlas_country.csv",
                           convert_options=pacsv.ConvertOptions(column_types={"in_complexity": pa.bool_()}))
    ranked = atlas.filter(atlas["in_complexity"])["iso3_code"]
    series = series.filter(pc.is_in(series["iso3_code"], ranked))
    out = {}
    for year in range(2012, 2025):
        rows = sorted(series.filter(pc.equal(series["year"], year)).to_pylist(), key=lambda r: -r["eci"])
        codes = [r["iso3_code"] for r in rows]
        out[year] = (rows[codes.index(iso3)]["eci"], codes.index(iso3) + 1, len(rows))
    return out


@SERIES
def test_kazakhstans_growth_lab_eci_and_rank_match_the_published_file_every_year(client, data_dir):
    body = client.get("/api/v1/analytics/members/KAZ/profile", params={"flows_dataset": "baci-hs17-2020-afg-zaf"}).json()
    rows = body["tables"]["eci_series"]["rows"]
    expected = published_ranks(data_dir, "KAZ")
    assert [r["year"] for r in rows] == list(range(2012, 2025))
    for r in rows:
        assert (r["eci"], r["rank"], r["of"]) == pytest.approx(expected[r["year"]])
    assert (rows[0]["rank"], rows[-1]["rank"], rows[-1]["of"]) == (69, 50, 122)  # 2012 69th, 2024 50th of 122
    facts = body["parameters"]["eci_published"]
    assert facts["country_set"]["name"] == "ranked" and facts["trend"]["rank_change"] == 19
    assert facts["latest"]["eci"] == pytest.approx(0.378955, abs=1e-6)
    # beside it, the bank's own ECI over the SITC 1998-2000 exports, in the same stated set
    assert (body["parameters"]["eci_rank"], body["parameters"]["countries_ranked"]) == (90, 122)


@SERIES
def test_the_profile_page_shows_the_series_its_rank_and_the_banks_own_figure_side_by_side(client):
    page = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en").text
    section = page.split('id="eci-series"', 1)[1].split("</section>", 1)[0]
    assert "In 2024 the Growth Lab's ECI of Kazakhstan is 0.38: 50th of 122." in section
    assert "Since 2012: up 19 places" in section
    points = figure_data(section, "eci-series")["series"][0]["points"]
    assert points[0][0] == 2012 and points[-1] == [2024, pytest.approx(0.378955, abs=1e-6)]
    compare = section.split('id="eci-compare"', 1)[1]
    assert "Published by the Growth Lab</th><td>2024</td>" in compare and "50th of 122" in compare
    bank_row = compare.split("Computed by the bank</th>", 1)[1].split("</tr>", 1)[0]
    assert "sitc2-exports-1998-2000" in bank_row and "90th of 122" in bank_row
    assert "the countries the Growth Lab ranks" in section
    ru = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=ru").text
    assert "50-е место из 122" in ru and "Экономическая сложность по данным Гарвардской лаборатории роста" in ru


@pytest.mark.open_demo(ECI, first=open_default_datasets)  # a bank of its own: the test reads its ledger
def test_every_read_of_the_series_is_in_the_ledger(client, bank):
    from scobank.access.models import LedgerEntry

    assert client.get("/members/UZB/profile?flows=baci-hs17-2020-afg-zaf&lang=en").status_code == 200
    with bank.session() as session:
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.action == "analytics")).all()
    details = [json.loads(e.detail or "{}") for e in entries]
    assert {"analysis": "eci-series", "country": "UZB"} in details


@pytest.mark.open_demo(first=default_datasets)
def test_without_the_series_in_the_bank_the_profile_says_so(client, bank):
    assert bank.cli("policy", "set", FLOWS, "--audience", "public").exit_code == 0
    page = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en")
    assert page.status_code == 200
    assert 'data-code="no-eci-series"' in page.text and "growth-lab-eci-2012-2024" in page.text
