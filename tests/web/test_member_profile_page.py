"""A member's trade profile page over world exports by SITC2 product (complexity, top exports) and a
bilateral dataset (imports, substitution, complementarity): the BACI HS17 2020 sample, chosen with
?flows= (it holds the exports of AFG and ZAF only, and the page says so), or the page's default, the
OECD ICIO flows by industry."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from scobank.analytics.cache import RESULTS

SITC = "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz"
BACI = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
FLOWS = "baci-hs17-2020-afg-zaf"
ICIO = "oecd-icio-2022-intermediate-flows"


def default_datasets(bank, data_dir, folder) -> None:
    """Both default datasets published with the CLI; the exports public, the flows without a policy
    (members only)."""
    raw = pacsv.read_csv(data_dir / SITC, convert_options=pacsv.ConvertOptions(
        column_types={"country": pa.string(), "product": pa.string()}))
    exports = pa.table({"year": pa.array([2000] * raw.num_rows, pa.int64()), "exporter": pc.utf8_upper(raw["country"]),
                        "product": raw["product"], "value": raw["value"].cast(pa.float64())})
    folder.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(exports, folder / "sitc_2000.csv")
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    for path, slug, kind in ((folder / "sitc_2000.csv", "sitc2-exports-1998-2000", "table"),
                             (data_dir / BACI, FLOWS, "trade")):
        result = bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", kind)
        assert result.exit_code == 0, result.stderr
    assert bank.cli("policy", "set", "sitc2-exports-1998-2000", "--audience", "public").exit_code == 0


def open_flows(bank, slug: str) -> None:
    assert bank.cli("policy", "set", slug, "--audience", "public").exit_code == 0


def open_default_datasets(bank, data_dir, folder) -> None:
    """Both default datasets published with the CLI, the flows open to everyone too."""
    default_datasets(bank, data_dir, folder)
    open_flows(bank, FLOWS)


pytestmark = pytest.mark.open_demo(first=default_datasets)


def figure_data(page: str, figure_id: str) -> dict:
    figure = page.split(f'aria-labelledby="{figure_id}-cap"', 1)[1]
    return json.loads(re.search(r'<script type="application/json" class="chart-data">(.*?)</script>', figure,
                                re.S).group(1))


def test_the_profile_shows_the_members_imports_with_their_dataset_unit_and_coverage(client, bank):
    open_flows(bank, FLOWS)
    page = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en")
    assert page.status_code == 200, page.text
    text = page.text
    assert "From the bilateral dataset baci-hs17-2020-afg-zaf, 2020; values in US dollars." in text
    assert "the exports of only 2 exporters (Afghanistan, South Africa): the imports shown are the imports from them" in text
    api = client.get("/api/v1/analytics/members/KAZ/profile", params={"top": 12, "flows_dataset": FLOWS}).json()
    top = api["tables"]["top_imports"]["rows"]
    products = figure_data(text, "top-imports")["items"]
    assert [i["label"] for i in products] == [r["product"] for r in top] and len(top) == 12
    assert products[0]["value"] == pytest.approx(top[0]["imports"])
    partners = figure_data(text, "import-partners")["items"]
    assert {i["label"] for i in partners} == {"Afghanistan", "South Africa"}
    assert f'<tr><td>{top[0]["product"]}</td><td class="num" data-value="{top[0]["imports"]}">' in text  # table


def test_the_imports_section_reads_in_russian_and_chinese(client, bank):
    open_flows(bank, FLOWS)
    ru = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=ru").text
    assert "Откуда поступает импорт, 2020 (долл. США)" in ru and "Основные импортируемые товары" in ru
    zh = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=zh").text
    assert "进口来源，2020年（美元）" in zh and "来自双边数据集 baci-hs17-2020-afg-zaf" in zh


def test_a_cached_profile_is_still_refused_to_a_reader_who_may_not_see_the_flows(client, bank):
    from scobank.access.reader import OPERATOR
    from scobank.analytics.profile import member_profile

    with bank.session() as session:  # the operator's call leaves every analysis of the page in the cache
        assert member_profile(session, reader=OPERATOR, iso3="KAZ", flows_dataset=FLOWS).parameters["flows_exporters"] == 2
    assert RESULTS.misses > 0 and len(RESULTS) > 0
    page = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en")  # anonymous; the flows have no public policy
    assert page.status_code == 404
    assert client.get("/api/v1/analytics/members/KAZ/profile", params={"flows_dataset": FLOWS}).status_code == 404
    open_flows(bank, FLOWS)
    hits = RESULTS.hits
    assert client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en").status_code == 200
    assert RESULTS.hits > hits  # once allowed, the same results are served from the cache


@pytest.mark.open_demo(ICIO, first=default_datasets)
def test_on_the_icio_flows_the_imports_are_industries_from_every_economy_in_million_dollars(client, bank, data_dir):
    import pyarrow.parquet as pq

    open_flows(bank, FLOWS)
    page = client.get(f"/members/KAZ/profile?flows={ICIO}&lang=en")
    assert page.status_code == 200, page.text
    assert f"From the bilateral dataset {ICIO}, 2022; values in million US dollars." in page.text
    assert "the exports of only" not in page.text  # 80 economies export in the table
    raw = pq.read_table(data_dir / "icio-oecd-2022-intermediate/icio2022_interm_exporter_sector_to_importer.parquet",
                        columns=["exporter", "exporter_sector", "importer", "value_usd_mn"]).to_pandas() \
        .astype({"exporter": str, "exporter_sector": str, "importer": str})
    kaz = raw[(raw.importer == "KAZ") & (raw.exporter != "KAZ")]  # domestic flows left out
    partner = kaz.groupby("exporter").value_usd_mn.sum().sort_values(ascending=False)
    partners = figure_data(page.text, "import-partners")["items"]
    assert partner.index[0] == "RUS" and partners[0]["label"] == "Russia"  # countries by name, not ISO codes
    assert partners[0]["value"] == pytest.approx(partner.iloc[0])
    sector = kaz.groupby("exporter_sector").value_usd_mn.sum().idxmax()
    assert figure_data(page.text, "top-imports")["items"][0]["label"].startswith(f"{sector} ")  # code and name
    assert "Top imports by selling industry, 2022 (million US dollars)" in page.text
    assert '<th scope="col"><button type="button" class="sort">Industry</button></th>' in page.text
    assert f'<option value="{ICIO}" selected>' in page.text  # the dataset selector keeps the choice
