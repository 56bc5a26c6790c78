"""The member profile's real goods totals (World Bank WDI, US$) beside the SITC panel's relative weights,
and its industries in the OECD ICIO table of 2022 (US$ million), recomputed here from the real files."""

from __future__ import annotations

import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

WDI = "wdi-macro-1960-2024"
FLOWS = "oecd-icio-2022-intermediate-flows"
TOTALS = "oecd-icio-2022-sector-totals"
SITC = "sitc2-exports-1998-2000"
ICIO = "icio-oecd-2022-intermediate"
pytestmark = pytest.mark.open_demo(SITC, WDI, FLOWS, TOTALS, read_only=True)


def wdi(data_dir, iso3: str) -> dict[int, tuple[float | None, float | None]]:
    t = pq.read_table(data_dir / "macro-wdi-imf/atlas_wdi_data.parquet",
                      columns=["iso3_code", "year", "exports_goods_bop", "imports_goods_bop"])
    t = t.filter(pc.equal(t["iso3_code"], iso3))
    return {r["year"]: (r["exports_goods_bop"], r["imports_goods_bop"]) for r in t.to_pylist()}


def test_kazakhstans_goods_totals_are_wdis_dollars_beside_the_panels_relative_weight(client, data_dir):
    response = client.get("/api/v1/analytics/members/KAZ/profile", params={"flows_dataset": FLOWS})
    assert response.status_code == 200, response.text
    body = response.json()
    raw = wdi(data_dir, "KAZ")
    rows = {r["year"]: r for r in body["tables"]["goods_totals"]["rows"]}
    for year, (x, m) in raw.items():
        if x is None and m is None:
            assert year not in rows
            continue
        assert (rows[year]["exports"], rows[year]["imports"]) == (x, m)
    facts = body["parameters"]["goods_totals"]
    assert facts["latest"]["year"] == 2024 and facts["latest"]["exports"] == pytest.approx(78_979_394_589.5112)
    assert facts["unit"] == "USD" and facts["series"]["exports"] == "BX.GSR.MRCH.CD"
    period = facts["panel_period"]  # the SITC panel's years, averaged as SOURCE.md compares them
    assert period["years"] == [1998, 1999, 2000]
    assert period["exports"] == pytest.approx(sum(raw[y][0] for y in (1998, 1999, 2000)) / 3)  # US$ 7.05 bn
    assert 7.0e9 < period["exports"] < 7.1e9
    assert 0 < body["parameters"]["panel_share"] < 0.01
    page = client.get("/members/KAZ/profile?lang=en").text
    section = page.split('id="goods-totals"', 1)[1].split("</section>", 1)[0]
    assert "Goods exports, 2024" in section and "$79B" in section and "$61.8B" in section
    assert "relative weights, not dollars" in section and "1998-2000" in section
    ru = client.get("/members/KAZ/profile?lang=ru").text.split('id="goods-totals"', 1)[1].split("</section>", 1)[0]
    assert "Экспорт товаров, 2024" in ru


def test_iran_has_no_wdi_goods_figures_after_2017_and_the_latest_year_says_so(client, data_dir):
    raw = wdi(data_dir, "IRN")
    newest = max(y for y, (x, m) in raw.items() if x is not None and m is not None)
    facts = client.get("/api/v1/analytics/members/IRN/profile", params={"flows_dataset": FLOWS}).json()["parameters"]["goods_totals"]
    assert facts["latest"]["year"] == newest < 2022
    page = client.get("/members/IRN/profile?lang=en").text
    assert f"Goods exports, {newest}" in page


def test_russias_industries_recomputed_from_the_icio_files(client, data_dir):
    flows = pq.read_table(data_dir / f"{ICIO}/icio2022_interm_exporter_sector_to_importer.parquet").to_pandas()
    flows = flows.astype({"exporter": str, "exporter_sector": str, "importer": str})
    totals = pacsv.read_csv(data_dir / f"{ICIO}/icio2022_country_sector_totals.csv.gz").to_pandas()
    body = client.get("/api/v1/analytics/members/RUS/profile", params={"flows_dataset": FLOWS}).json()
    rows = {r["sector"]: r for r in body["tables"]["sectors"]["rows"]}
    assert set(rows) == set(totals[(totals.country == "RUS") & totals.sector.str[0].isin(list("ABC"))].sector)
    bloc = set(body["parameters"]["sectors"]["bloc"]["members"])
    assert "IRN" not in bloc and "BLR" not in bloc and "CHN" in bloc  # the bloc of 2022, the data's year
    for sector in ("B06", "C24A", "C26"):
        f = flows[flows.exporter_sector == sector]
        exports = f[(f.exporter == "RUS") & (f.importer != "RUS")].value_usd_mn.sum()
        domestic = f[(f.exporter == "RUS") & (f.importer == "RUS")].value_usd_mn.sum()
        imports = f[(f.importer == "RUS") & (f.exporter != "RUS")]
        outside = imports[~imports.exporter.isin(bloc)].value_usd_mn.sum()
        out = totals[(totals.country == "RUS") & (totals.sector == sector)].gross_output.iloc[0]
        r = rows[sector]
        assert (r["exports"], r["domestic"], r["imports"], r["imports_outside_bloc"], r["gross_output"]) == \
            pytest.approx((exports, domestic, imports.value_usd_mn.sum(), outside, out), rel=1e-6)
        assert r["import_dependency"] == pytest.approx(imports.value_usd_mn.sum() / (imports.value_usd_mn.sum() + domestic), rel=1e-6)
    assert rows["C26"]["import_dependency"] > rows["B06"]["import_dependency"]  # electronics vs coal/oil
    page = client.get("/members/RUS/profile?lang=ru").text
    section = page.split('id="sectors"', 1)[1].split("</section>", 1)[0]
    assert "млн долл. США" in section and "2022" in section
    assert "Добыча" in section  # the industries named in Russian
    zh = client.get("/members/RUS/profile?lang=zh").text.split('id="sectors"', 1)[1].split("</section>", 1)[0]
    assert "采矿" in zh


def test_a_member_outside_the_icio_gets_a_notice_not_zeros(client):
    body = client.get("/api/v1/analytics/members/UZB/profile", params={"flows_dataset": FLOWS}).json()
    assert body["tables"]["sectors"]["rows"] == []
    assert body["parameters"]["sectors"]["notices"][0]["code"] == "no-rows"
    assert "rest of the world" in body["parameters"]["sectors"]["notices"][0]["message"]
