"""The home page: parties on a map, trade among the members by year, newest datasets."""

from __future__ import annotations

import pytest

from scobank.access.reader import OPERATOR
from scobank.catalog.schemas import DatasetCreate
from scobank.web.home import AGTPA_SLUG

AGTPA = DatasetCreate(slug=AGTPA_SLUG, organisation="wto-unctad", kind="table",
                      title={"en": "Manufacturing trade panel"}, temporal_start=2005, temporal_end=2006)

PANEL = b"""exporter,importer,year,trade
CHN,IND,2005,100.5
CHN,IRN,2005,20
CHN,CHN,2005,99999
IND,CHN,2005,50
CHN,IND,2006,150
USA,CHN,2006,700
"""


@pytest.fixture
def panel(bank, tmp_path):
    from scobank.stewardship.policies import set_policy
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate
    from scobank.catalog.publish import publish_version

    source = tmp_path / "panel.csv"
    source.write_bytes(PANEL)
    with bank.session() as session:
        create_organisation(session, data=OrganisationCreate(slug="wto-unctad", party="INT",
                                                             names={"en": "WTO and UNCTAD"}), actor=OPERATOR)
        publish_version(session, dataset=AGTPA_SLUG, source=source, actor=OPERATOR, kind="table", new_dataset=AGTPA)
        set_policy(session, reader=OPERATOR, slug=AGTPA_SLUG, document={"audience": "public"})


def test_trade_among_members_leaves_out_domestic_flows_and_outsiders(client, panel):
    page = client.get("/?lang=en").text
    # CHN 2005: 100.5 + 20 (USD million) to other members; CHN->CHN and USA->CHN are not counted.
    assert '<tr><td>2005</td><td class="num">$120.5M</td><td class="num">$50M</td></tr>' in page
    assert '<tr><td>2006</td><td class="num">$150M</td><td class="num">—</td></tr>' in page
    assert "only members present in the panel are shown: China, India." in page  # by name
    assert '"series": [{"name": "China"' in page  # the chart's legend too
    assert f'href="/datasets/{AGTPA_SLUG}"' in page  # also among the newest datasets


def test_without_the_panel_the_home_page_says_so(client, bank):
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert "No trade panel of the members is in the bank yet." in page.text
    assert 'data-chart="map"' in page.text


def test_a_member_page_shows_its_standing_in_the_sco(client, bank):
    page = client.get("/members/irn?lang=en")
    assert page.status_code == 200
    assert "Iran" in page.text
    assert "Observer: " in page.text and "Member: " in page.text  # observer first, member since 2023
    assert client.get("/members/USA").status_code == 404


def test_the_members_list_links_each_party(client, bank):
    page = client.get("/members?lang=ru").text
    assert 'href="/members/KAZ"' in page and "Казахстан" in page


def test_the_substitution_explorer_needs_a_trade_flows_dataset(client, bank):
    page = client.get("/opportunities/substitution?member=KAZ&lang=en")
    assert page.status_code == 404  # no such dataset in an empty bank: said so, in a page
    assert "oecd-icio-2022-intermediate-flows" in page.text  # the portal's default flows
