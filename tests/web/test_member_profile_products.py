"""The member profile reads the newest product-level data the bank holds for the member (India: its EIDB
exports, FY2024-25; crude oil: BACI's 2021 flows), page and API alike, with the data's period on every
figure and in the reader's language; recomputed here from the real files."""

from __future__ import annotations

import re

import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

EIDB = "india-eidb-exports-to-sco-fy2017-2024"
CRUDE = "baci-crude-oil-2021"
SITC = "sitc2-exports-1998-2000"
ICIO = "oecd-icio-2022-intermediate-flows"


# The SITC panel, the ICIO flows (the profile's bilateral default) and the two product-level datasets as
# `scobank demo` publishes them, open to everyone.
PROFILE_DATA = pytest.mark.open_demo(EIDB, CRUDE, SITC, ICIO, read_only=True)


def eidb_exports(data_dir, fy: int) -> dict[str, float]:
    """India's exports to the SCO members by HS6 in financial year `fy`, US$ million, from the raw file."""
    raw = pacsv.read_csv(data_dir / "trade-india-eidb-hs8-2017-2025/india_exports_to_sco_hs8_fy2017_2024.csv",
                         convert_options=pacsv.ConvertOptions(column_types={"hs6": "string", "hs8": "string"}))
    year = raw.filter(pc.equal(raw["fy_start"], fy))
    summed = year.group_by("hs6").aggregate([("value_usd_mn", "sum")]).to_pylist()
    return {r["hs6"]: r["value_usd_mn_sum"] or 0.0 for r in summed}


def crude(data_dir, side: str, iso3: str) -> float:
    raw = pacsv.read_csv(data_dir / "trade-crude-oil-baci-2021/crude_oil_270900_2021.csv",
                         convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    column = "location_code" if side == "exports" else "partner_code"
    return pc.sum(raw.filter(pc.equal(raw[column], iso3))["export_value"]).as_py() or 0.0


def section(page: str, dataset: str) -> str:
    part = page.split('id="product-trade"', 1)[1].split("</section>", 1)[0]
    return part.split(f'<h3>{dataset}</h3>', 1)[1].split("</table>", 1)[0]


@PROFILE_DATA
def test_indias_profile_shows_its_eidb_exports_of_fy2024_25_and_its_crude_imports_of_2021(client, data_dir):
    body = client.get("/api/v1/analytics/members/IND/profile", params={"top": 12}).json()  # as the page asks
    params = body["parameters"]
    assert params["flows_dataset"] == ICIO  # the page's bilateral default, no longer the BACI sample
    sources = {s["dataset"]: s for s in params["product_level"]["sources"]}
    assert list(sources) == [EIDB, CRUDE]
    eidb = sources[EIDB]
    assert (eidb["period"], eidb["year"], eidb["unit"], eidb["flows"]) == ("FY2024-25", 2024, "USD million", ["exports"])
    assert eidb["totals"]["imports"] is None  # the EIDB has no Indian imports: null, not 0
    raw = eidb_exports(data_dir, 2024)
    assert eidb["totals"]["exports"] == pytest.approx(sum(raw.values()), rel=1e-9)
    assert 16_000 < eidb["totals"]["exports"] < 18_000  # US$ million to the nine others (SOURCE.md: CHN 10,825, RUS 3,962)
    rows = [r for r in body["tables"]["product_trade"]["rows"] if r["dataset"] == EIDB]
    first = max(raw, key=raw.get)
    assert (rows[0]["product"], rows[0]["period"]) == (first, "FY2024-25")
    assert rows[0]["value"] == pytest.approx(raw[first], rel=1e-9)
    assert rows[0]["share"] == pytest.approx(raw[first] / sum(raw.values()), rel=1e-9)
    oil = sources[CRUDE]
    assert (oil["period"], oil["unit"], oil["flows"]) == ("2021", "USD", ["exports", "imports"])
    assert oil["totals"]["imports"] == pytest.approx(crude(data_dir, "imports", "IND")) and oil["totals"]["imports"] > 90e9

    page = client.get("/members/IND/profile?lang=en").text
    table = section(page, EIDB)
    assert "The member's own export statistics, FY2024-25" in table and "million US dollars" in table
    shown = [float(v) for v in re.findall(r'<td class="num" data-value="([^"]+)">', table)][::2]  # value, share
    assert shown == pytest.approx([r["value"] for r in rows], rel=1e-12)  # the page's figures are the API's
    zh = client.get("/members/IND/profile?lang=zh").text
    assert "2024-25财年" in section(zh, EIDB) and "FY2024-25" not in section(zh, EIDB)
    # the product card's API answer too: its periods and units in the reader's language, the codes kept
    card = client.get(f"/api/v1/products/HS22/{first}", params={"lang": "zh"}).json()
    source = next(s for s in card["trade"]["parameters"]["sources"] if s["dataset"] == EIDB)
    assert source["world"][0]["period"] == "2024-25财年" and source["periods"][-1] == "2024-25财年"
    assert (source["unit"], source["unit_label"]) == ("USD million", "百万美元")


@PROFILE_DATA
def test_kazakhstans_profile_has_its_crude_exports_and_no_eidb_mirror_rows(client, data_dir):
    body = client.get("/api/v1/analytics/members/KAZ/profile", params={"lang": "ru"}).json()
    sources = {s["dataset"]: s for s in body["parameters"]["product_level"]["sources"]}
    assert list(sources) == [CRUDE]  # India's exports to KAZ are mirror data, not KAZ's own statistics
    assert sources[CRUDE]["totals"]["exports"] == pytest.approx(crude(data_dir, "exports", "KAZ"))
    assert 21e9 < sources[CRUDE]["totals"]["exports"] < 22e9
    assert sources[CRUDE]["unit_label"] == "долл. США"
    # every period a person reads is Russian: the SITC panel's 1998-2000 average too
    assert body["parameters"]["exports_period"]["label"] == "в среднем за 1998-2000 гг."
    assert body["parameters"]["exports_unit"] == "relative weight"  # the code stays for programs
    assert body["parameters"]["exports_unit_label"] == "относительные веса (не деньги)"
    english = client.get("/api/v1/analytics/members/KAZ/profile").json()["parameters"]
    assert english["exports_period"]["label"] == "1998-2000 average"
    zh = client.get("/api/v1/analytics/members/KAZ/profile", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).json()
    assert zh["parameters"]["exports_period"]["label"] == "1998-2000年平均"


@pytest.mark.open_demo(SITC, ICIO, read_only=True)
def test_without_product_level_data_the_profile_says_so_and_names_the_datasets_that_could(client):
    body = client.get("/api/v1/analytics/members/KAZ/profile").json()
    facts = body["parameters"]["product_level"]
    assert facts["sources"] == [] and body["tables"]["product_trade"]["rows"] == []
    assert [n["code"] for n in facts["notices"]] == ["product-source-unavailable"] * 2 + ["no-product-data"]
    assert facts["notices"][-1]["datasets"] == [EIDB, CRUDE]
    page = client.get("/members/KAZ/profile?lang=en").text.split('id="product-trade"', 1)[1].split("</section>")[0]
    assert "No product-level dataset you may read has this member's trade" in page and f"/datasets/{CRUDE}" in page
