"""Product pages show the product's trade in the bank's product-level data, in the data's own units and
periods: India's EIDB exports by Indian financial year in US$ million, BACI's crude-oil flows of 2021."""

from __future__ import annotations

import re

import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

EIDB = "india-eidb-exports-to-sco-fy2017-2024"
CRUDE = "baci-crude-oil-2021"


OPEN = pytest.mark.open_demo(EIDB, CRUDE, read_only=True)  # the product-level datasets, open to everyone


@OPEN
def test_crude_oils_page_shows_the_2021_flows_of_members_and_the_world_total_in_dollars(client, data_dir):
    raw = pacsv.read_csv(data_dir / "trade-crude-oil-baci-2021/crude_oil_270900_2021.csv",
                         convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    named = raw.filter(pc.and_(pc.is_valid(raw["location_code"]), pc.is_valid(raw["partner_code"])))
    card = client.get("/api/v1/products/HS22/270900").json()
    source = next(s for s in card["trade"]["parameters"]["sources"] if s["dataset"] == CRUDE)
    world = pc.sum(named["export_value"]).as_py()  # 20 rows (US$ 24.6 bn) name no country: left out
    assert source["world"] == [{"period": "2021", "value": pytest.approx(world)}] and world > 926e9
    assert (source["unit"], source["classification"]) == ("USD", "HS92")
    flows = {(r["exporter"], r["importer"]): r["value"] for r in card["trade"]["tables"]["flows"]["rows"]
             if r["dataset"] == CRUDE}
    rus_chn = raw.filter(pc.and_(pc.equal(raw["location_code"], "RUS"), pc.equal(raw["partner_code"], "CHN")))
    assert flows[("RUS", "CHN")] == pytest.approx(rus_chn["export_value"][0].as_py())
    assert ("IRN", "CHN") in flows and ("SAU", "CHN") in flows  # a member's imports from outside the bloc too
    assert all("CHN" in k or "RUS" in k or "KAZ" in k or "IND" in k or "IRN" in k or "BLR" in k or "PAK" in k
               or "UZB" in k or "KGZ" in k or "TJK" in k for k in flows)
    page = client.get("/products/HS22/270900?lang=en").text
    section = page.split('id="product-trade"', 1)[1].split("</section>", 1)[0]
    assert "Bilateral flows of every country (BACI, reconciled from both partners' reports); values in US dollars" in section
    members = section.split(f'data-dataset="{CRUDE}" data-table="members"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<tr><td>2021</td><td>Russia</td><td>China</td><td class=\"num\" data-value=\"[\d.e+]+\">\$", members)


@OPEN
def test_rices_page_shows_indias_exports_by_financial_year_in_million_dollars_as_published(client, data_dir):
    raw = pacsv.read_csv(data_dir / "trade-india-eidb-hs8-2017-2025/india_exports_to_sco_hs8_fy2017_2024.csv",
                         convert_options=pacsv.ConvertOptions(column_types={"hs6": "string", "hs8": "string"}))
    rice = raw.filter(pc.and_(pc.equal(raw["hs6"], "100630"),
                              pc.and_(pc.equal(raw["partner"], "IRAN"), pc.equal(raw["fy_start"], 2022))))
    published = pc.sum(rice["value_usd_mn"]).as_py()  # basmati and other rice to Iran, FY2022-23, US$ mn
    card = client.get("/api/v1/products/HS22/100630").json()
    source = next(s for s in card["trade"]["parameters"]["sources"] if s["dataset"] == EIDB)
    assert source["unit"] == "USD million"
    assert [w["period"] for w in source["world"]] == [f"FY{y}-{(y + 1) % 100:02d}" for y in range(2024, 2016, -1)]
    row = next(r for r in card["trade"]["tables"]["flows"]["rows"]
               if r["dataset"] == EIDB and r["importer"] == "IRN" and r["period"] == "FY2022-23")
    assert row["value"] == pytest.approx(published, rel=1e-9) and published > 100  # US$ million, not dollars
    page = client.get("/products/HS22/100630?lang=en").text
    members = page.split(f'data-dataset="{EIDB}" data-table="members"', 1)[1].split("</table>", 1)[0]
    assert "<td>FY2022-23</td><td>India</td><td>Iran</td>" in members and "<td>2022</td>" not in members
    assert "Indian financial years (April to March); values in million US dollars as the EIDB publishes them" in page
    ru = client.get("/products/HS22/100630?lang=ru").text
    assert "финансовые годы Индии (апрель — март)" in ru


def test_without_the_product_level_datasets_the_page_says_so_and_names_them(client, bank):
    card = client.get("/api/v1/products/HS22/270900").json()
    assert card["trade"]["parameters"]["sources"] == []
    assert [n["datasets"] for n in card["trade"]["parameters"]["notices"]] == [[EIDB], [CRUDE]]
    page = client.get("/products/HS22/270900?lang=en").text
    assert "No product-level dataset you may read has this product." in page
    assert client.get("/api/v1/products/SITC2/3330").json()["trade"] is None  # HS codes only
