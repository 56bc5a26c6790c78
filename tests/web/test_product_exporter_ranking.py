"""Product pages rank every exporter of the product within the stated country set, with the set named,
the unit and the period, members highlighted: BACI's crude-oil flows of 2021 for HS 2709 codes (US$),
the SITC panel for SITC codes (1998-2000 average, relative weights, never dollars). Recomputed here from
the raw files and the Atlas country table."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

CRUDE = "baci-crude-oil-2021"
SITC = "sitc2-exports-1998-2000"
LEGACY = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "BUR": "MMR"}  # withdrawn codes, read as their successors
MEMBERS_TODAY = {"CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB", "BLR"}
pytestmark = pytest.mark.open_demo(CRUDE, SITC, read_only=True)


def ranked_set(data_dir, countries: list[str], years: list[int]) -> set[str]:
    """The Growth Lab's ranked countries, plus unlisted ones with population >= 1 million and mean goods
    trade >= US$1 billion over `years` (WDI), as ANALYTICS.md states the default set."""
    atlas = pacsv.read_csv(data_dir / "countries/atlas_country.csv", convert_options=pacsv.ConvertOptions(
        include_columns=["iso3_code", "in_complexity"], column_types={"in_complexity": pa.bool_()}))
    flags = dict(zip(atlas["iso3_code"].to_pylist(), atlas["in_complexity"].to_pylist(), strict=True))
    wdi = pq.read_table(data_dir / "macro-wdi-imf/atlas_wdi_data.parquet").to_pandas()
    wdi = wdi[wdi.year.isin(years)]
    keep = {c for c in countries if flags.get(c)}
    for c in (c for c in countries if c not in flags):
        rows = wdi[wdi.iso3_code == c]
        trade = (rows.exports_goods_bop + rows.imports_goods_bop).dropna()
        if len(rows) and rows.population.mean() >= 1e6 and len(trade) and trade.mean() >= 1e9:
            keep.add(c)
    return keep


def crude_exports(data_dir) -> dict[str, float]:
    raw = pacsv.read_csv(data_dir / "trade-crude-oil-baci-2021/crude_oil_270900_2021.csv",
                         convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    # flows between named countries: BACI's rows without a partner code (US$ 24.6 bn) are left out
    raw = raw.filter(pc.and_(pc.is_valid(raw["location_code"]), pc.is_valid(raw["partner_code"])))
    sums = raw.group_by("location_code").aggregate([("export_value", "sum")])
    return {c: v for c, v in zip(sums["location_code"].to_pylist(), sums["export_value_sum"].to_pylist(), strict=True)
            if v > 0}


def test_every_crude_oil_exporter_of_2021_ranked_within_the_stated_set(client, data_dir):
    exports = crude_exports(data_dir)
    keep = ranked_set(data_dir, sorted(exports), [2021])
    expected = sorted(((v, c) for c, v in exports.items() if c in keep), key=lambda t: (-t[0], t[1]))
    card = client.get("/api/v1/products/HS22/270900").json()
    facts = next(s for s in card["ranking"]["parameters"]["sources"] if s["dataset"] == CRUDE)
    rows = [r for r in card["ranking"]["tables"]["exporters"]["rows"] if r["dataset"] == CRUDE]
    assert [(r["exporter"], r["rank"]) for r in rows] == [(c, i + 1) for i, (_, c) in enumerate(expected)]
    total = sum(v for v, _ in expected)
    assert [r["value"] for r in rows] == pytest.approx([v for v, _ in expected])
    assert [r["share"] for r in rows] == pytest.approx([v / total for v, _ in expected])
    assert (facts["size"], facts["country_set"]["name"], facts["unit"], facts["period"]) == (len(expected), "ranked", "USD", "2021")
    assert facts["outside"]["countries"] == len(exports) - len(expected) > 0
    rus = next(r for r in rows if r["exporter"] == "RUS")
    assert rus["member"] and rus["rank"] <= 3 and not next(r for r in rows if r["exporter"] == "SAU")["member"]
    assert {r["exporter"] for r in rows if r["member"]} == MEMBERS_TODAY & {c for _, c in expected}
    everyone = client.get("/api/v1/products/HS22/270900", params={"country_set": "all"}).json()
    facts_all = next(s for s in everyone["ranking"]["parameters"]["sources"] if s["dataset"] == CRUDE)
    assert facts_all["size"] == len(exports) and facts_all["outside"]["countries"] == 0
    page = client.get("/products/HS22/270900?lang=en").text
    section = page.split('id="exporter-ranking"', 1)[1].split("</section>", 1)[0]
    assert f"{len(expected)} exporters ranked within the countries the Growth Lab ranks" in section
    assert "values in US dollars" in section and "2021" in section and "flows between named countries" in section
    assert f'<tr class="sco-member"><td class="num" data-value="{rus["rank"]}">' in section


def test_sitc_crude_petroleum_is_ranked_in_relative_weights_of_1998_2000_never_dollars(client, data_dir):
    raw = pacsv.read_csv(data_dir / "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz",
                         convert_options=pacsv.ConvertOptions(column_types={"product": pa.string()}))
    oil = raw.filter(pc.equal(raw["product"], "3330"))
    exports = {LEGACY.get(c.upper(), c.upper()): v for c, v in zip(oil["country"].to_pylist(), oil["value"].to_pylist(), strict=True) if v > 0}
    keep = ranked_set(data_dir, sorted(exports), [1998, 1999, 2000])
    expected = sorted(((v, c) for c, v in exports.items() if c in keep), key=lambda t: (-t[0], t[1]))
    card = client.get("/api/v1/products/SITC2/3330").json()
    assert card["trade"] is None  # no bilateral product-level data for SITC codes
    facts = card["ranking"]["parameters"]["sources"][0]
    assert (facts["dataset"], facts["unit"], facts["period"]) == (SITC, "relative weight", "1998-2000 average")
    rows = card["ranking"]["tables"]["exporters"]["rows"]
    assert [r["exporter"] for r in rows] == [c for _, c in expected]
    assert rows[0]["exporter"] == "CAN" and rows[0]["share"] == pytest.approx(expected[0][0] / sum(v for v, _ in expected))
    kaz = next(r for r in rows if r["exporter"] == "KAZ")
    assert kaz["member"] and kaz["rank"] == 1 + sum(1 for v, _ in expected if v > exports["KAZ"])
    page = client.get("/products/SITC2/3330?lang=en").text
    section = page.split('id="exporter-ranking"', 1)[1].split("</section>", 1)[0]
    assert "These values are relative weights, not dollars" in section and "1998-2000 average" in section
    assert "$" not in section.split("<table", 1)[1]  # never dollars in the ranking table
    ru = client.get("/products/SITC2/3330?lang=ru").text.split('id="exporter-ranking"', 1)[1].split("</section>", 1)[0]
    assert "относительные веса, а не доллары" in ru and "Казахстан" in ru
    zh = client.get("/products/SITC2/3330?lang=zh").text.split('id="exporter-ranking"', 1)[1].split("</section>", 1)[0]
    assert "相对权重" in zh and "哈萨克斯坦" in zh


def test_micro_territories_do_not_rank_by_default_only_on_request(client):
    default = client.get("/api/v1/products/SITC2/9710").json()["ranking"]
    assert "HMD" not in {r["exporter"] for r in default["tables"]["exporters"]["rows"]}
    everyone = client.get("/api/v1/products/SITC2/9710", params={"country_set": "all"}).json()["ranking"]
    hmd = next(r for r in everyone["tables"]["exporters"]["rows"] if r["exporter"] == "HMD")
    assert hmd["value"] == 103830.0 and everyone["parameters"]["sources"][0]["country_set"]["name"] == "all"


def test_an_hs_code_no_source_ranks_says_so(client):
    card = client.get("/api/v1/products/HS22/1006").json()
    assert card["ranking"]["parameters"]["sources"] == [] and card["ranking"]["tables"]["exporters"]["rows"] == []
    page = client.get("/products/HS22/1006?lang=en").text
    assert "No dataset with every country's exports that you may read holds this product." in page
