"""The profile of a member that reports little shows its trade as its partners report it, labelled as
mirror data, with the data's own periods (India's financial years) and units."""

from __future__ import annotations

import pytest

from tests.web.test_member_profile_page import open_default_datasets

EIDB = "india-eidb-exports-to-sco-fy2017-2024"
CRUDE = "baci-crude-oil-2021"
# the default datasets and the product-level ones, open to everyone
pytestmark = pytest.mark.open_demo(EIDB, CRUDE, first=open_default_datasets, read_only=True)


def test_uzbekistans_profile_shows_indias_exports_to_it_as_mirror_data(client):
    page = client.get("/members/UZB/profile?flows=baci-hs17-2020-afg-zaf&lang=en")
    assert page.status_code == 200, page.text
    section = page.text.split('id="mirror"', 1)[1].split("</section>", 1)[0]
    assert "Mirror data: Uzbekistan publishes little trade by product and partner" in section
    eidb = section.split(f'data-dataset="{EIDB}"', 1)[1].split("</table>", 1)[0]
    first = eidb.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert first.startswith("<tr><td>Imports of Uzbekistan</td><td>FY2024-25</td><td>India</td>")
    assert "FY2017-18" in eidb and ">2024<" not in eidb  # financial years, never calendar years
    crude = section.split(f'data-dataset="{CRUDE}"', 1)[1].split("</table>", 1)[0]
    assert "<td>2021</td><td>Kazakhstan</td>" in crude and "<td>BACI</td>" in crude
    api = client.get("/api/v1/analytics/members/UZB/mirror").json()
    assert api["parameters"]["little_reported"] is True
    assert {s["dataset"] for s in api["parameters"]["sources"]} == {EIDB, CRUDE}
    zh = client.get("/members/UZB/profile?flows=baci-hs17-2020-afg-zaf&lang=zh").text
    assert "伙伴国申报的贸易（镜像数据）" in zh


def test_a_member_that_reports_its_own_trade_has_no_mirror_section(client):
    page = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en").text
    assert 'id="mirror"' not in page
