"""The joint-production opportunities page and a member's product space, over the real world exports
(SITC2, 1998-2000 average) published in the bank as one public dataset."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from tests.conftest import REFERENCE_DATASETS

SITC = "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz"
SLUG = "world-sitc2-exports"
YEAR = 2001  # the 1998-2000 average, dated to the SCO's first year so the bloc is its six founders


@pytest.fixture
def world(bank, data_dir, tmp_path) -> str:
    """The real SITC world exports as flows to the rest of the world ('WLD'), published and public."""
    from scobank.access.reader import OPERATOR
    from scobank.stewardship.policies import set_policy

    raw = pacsv.read_csv(data_dir / SITC, convert_options=pacsv.ConvertOptions(
        column_types={"country": pa.string(), "product": pa.string()}))
    flows = pa.table({"year": pa.array([YEAR] * raw.num_rows, pa.int64()), "exporter": pc.utf8_upper(raw["country"]),
                      "importer": pa.array(["WLD"] * raw.num_rows), "product": raw["product"],
                      "value": raw["value"].cast(pa.float64())})
    pacsv.write_csv(flows, tmp_path / "world.csv")
    assert bank.cli("orgs", "create", "harvard", "--party", "USA", "--name", "Growth Lab").exit_code == 0
    result = bank.cli("ingest", str(tmp_path / "world.csv"), "--org", "harvard", "--dataset", SLUG, "--kind", "table")
    assert result.exit_code == 0, result.stderr
    with bank.session() as session:
        set_policy(session, reader=OPERATOR, slug=SLUG, document={"audience": "public"})
    return SLUG


def chart_data(page: str, kind: str) -> dict:
    figure = page.split(f'data-chart="{kind}"', 1)[1]
    return json.loads(re.search(r'<script type="application/json" class="chart-data">(.*?)</script>', figure,
                                re.S).group(1))


def test_joint_opportunities_show_the_weights_and_the_most_feasible_product_first(client, world):
    page = client.get(f"/opportunities/joint?member=kaz&dataset={world}&lang=en")
    assert page.status_code == 200, page.text
    assert "Feasibility = 60% × density + 15% × PCI + 25% × COG" in page.text  # weights never hidden
    api = client.get("/api/v1/analytics/opportunities", params={"member": "KAZ", "dataset": world, "limit": 1}).json()
    best = api["tables"]["opportunities"]["rows"][0]
    assert best["member"] == "KAZ" and best["rca"] < 1  # a product Kazakhstan does not yet export competitively
    row = re.search(r'<tbody>\s*<tr><td>2001</td><td>(\w+)</td><td class="num" data-value="([\d.e-]+)">', page.text)
    assert row.group(1) == best["product"] and float(row.group(2)) == pytest.approx(best["feasibility"])
    assert f'href="/api/v1/analytics/opportunities?dataset={world}&amp;member=KAZ' in page.text  # JSON twin
    assert 'data-chart="treemap"' in page.text


def test_joint_opportunities_with_other_weights_rank_by_density_alone(client, world):
    page = client.get(f"/opportunities/joint?member=KAZ&dataset={world}&w_density=1&w_pci=0&w_cog=0&lang=ru").text
    assert "Осуществимость = 100% × плотность + 0% × PCI + 0% × COG" in page
    rows = [re.findall(r'data-value="([^"]+)"', tr) for tr in
            re.findall(r"<tr><td>.*?</tr>", page.split('id="opportunities"', 1)[1], re.S)]
    densities = [float(r[3]) for r in rows]  # feasibility, attractiveness, RCA, density, PCI, COG
    assert densities and densities == sorted(densities, reverse=True)


def test_joint_opportunities_of_a_country_outside_the_bloc_say_why_there_are_none(client, world):
    page = client.get(f"/opportunities/joint?member=USA&dataset={world}&lang=en").text
    assert "United States of America is not an SCO member in the bloc of 2001: opportunities are computed for members only." in page  # the data's year
    assert 'id="opportunities"' not in page


def test_joint_opportunities_on_a_dataset_that_cannot_support_them_keep_the_filters_and_say_why(client, bank,
                                                                                             data_dir):
    from scobank.access.reader import OPERATOR
    from scobank.stewardship.policies import set_policy

    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    baci = data_dir / "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"  # two exporters only
    result = bank.cli("ingest", str(baci), "--org", "cepii", "--dataset", "baci-sample", "--kind", "trade",
                      "--hs-revision", "HS17")
    assert result.exit_code == 0, result.stderr
    with bank.session() as session:
        set_policy(session, reader=OPERATOR, slug="baci-sample", document={"audience": "public"})
    page = client.get("/opportunities/joint?member=KAZ&dataset=baci-sample&lang=en")
    assert page.status_code == 422  # the Growth Lab does not rank AFG: South Africa alone is left
    assert "year 2020: needs at least 2 countries and 2 products with exports" in page.text
    page = client.get("/opportunities/joint?member=KAZ&dataset=baci-sample&country_set=all&lang=en")
    assert page.status_code == 422
    assert "the country-product network is disconnected" in page.text
    assert '<option value="baci-sample" selected>baci-sample</option>' in page.text  # the filters are kept
    assert '<option value="all" selected>' in page.text


@pytest.mark.open_demo(*REFERENCE_DATASETS)
def test_the_product_space_highlights_the_members_strengths(client, world):
    page = client.get(f"/members/KAZ/product-space?dataset={world}&lang=en")
    assert page.status_code == 200, page.text
    data = chart_data(page.text, "network")
    api = client.get("/api/v1/analytics/members/KAZ/profile", params={"exports_dataset": world, "flows_dataset": world, "top": 3}).json()
    top = api["tables"]["top_exports"]["rows"][0]  # Kazakhstan's largest export, with RCA > 1
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes[top["product"]]["highlight"] is True
    assert any(not n["highlight"] for n in data["nodes"])  # and products near them, not yet strengths
    assert len(data["nodes"]) <= 200 and len(data["nodes"]) - 1 <= len(data["edges"]) <= 400
    assert all(e[0] in nodes and e[1] in nodes and 0 < e[2] <= 1 for e in data["edges"])
    assert f"{len(data['nodes'])} products and the strongest {len(data['edges'])} links" in page.text
    assert (f'<tr class="strong"><td>{top["product"]} — Crude petroleum and oils obtained from bituminous materials</td>'
            '<td>Mineral fuels</td><td>Exported with RCA ≥ 1</td>') in page.text  # table, with name and group
    crude = nodes[top["product"]]  # placed where the Atlas draws SITC 3330, coloured as SITC section 3
    assert (crude["x"], crude["y"], crude["group"], crude["color"]) == (938.0, 2054.0, "sitc:4", "#495057")
    assert any(g["label"].startswith("Mineral fuels (") and g["color"] == "#495057" for g in data["legend"])


def test_the_product_space_of_a_country_absent_from_the_dataset_is_not_found(client, world):
    assert client.get(f"/members/ATL/product-space?dataset={world}").status_code == 404


def test_a_member_page_links_the_new_explorers(client, bank):
    page = client.get("/members/KAZ?lang=en").text
    assert 'href="/opportunities/joint?member=KAZ"' in page and 'href="/members/KAZ/product-space"' in page


ICIO = "oecd-icio-2022-intermediate-flows"  # as `make demo` publishes it, opened to everyone below


def table_rows(page: str, table_id: str) -> list[list[str]]:
    body = page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [re.findall(r'data-value="([^"]+)"', tr) for tr in re.findall(r"<tr><td>.*?</tr>", body, re.S)]


@pytest.mark.open_demo(ICIO, read_only=True)
def test_the_joint_page_shows_kazakhstans_industries_from_the_input_output_flows_by_default(client):
    goods = client.get("/opportunities/joint?member=KAZ&lang=en").text  # goods by default: ICIO A-C
    assert all(r[0] for r in table_rows(goods, "opportunities")) and "<td>H52 — " not in goods
    assert "Bloc of 2022: CHN, IND, KAZ, KGZ, PAK, RUS, TJK, UZB (members on 31 December)." in goods
    page = client.get("/opportunities/joint?member=KAZ&products=services&bloc_year=2024&lang=en")  # services apart
    assert page.status_code == 200, page.text
    assert f'<option value="{ICIO}" selected>{ICIO}</option>' in page.text  # the default, in the selector
    assert "values are intermediate sales between countries (the table gives them in: million US dollars)" in page.text
    rows = table_rows(page.text, "opportunities")  # feasibility, attractiveness, RCA, density, PCI, COG
    assert len(rows) >= 15 and all(float(r[2]) < 1 for r in rows) and all(float(r[1]) > 0 for r in rows)
    # warehousing: the bloc bought 19,195 USD million of it outside the bloc (checked on the file), shown in USD
    assert "<td>H52 — Warehousing and support activities for transportation</td>" in page.text  # code — name
    h52 = re.search(r'Warehousing and support activities for transportation</td><td class="num" '
                    r'data-value="[^"]+">[^<]+</td>\s*<td class="num" data-value="([^"]+)">([^<]+)</td>', page.text)
    assert float(h52.group(1)) == pytest.approx(19_195.1039) and h52.group(2) == "$19.2B"
    cells = {c["label"]: c["value"] for c in chart_data(page.text, "treemap")["items"]}
    assert cells["H52 — Warehousing and support activities for transportation"] == pytest.approx(19_195.1039e6)  # USD
    assert 'href="/api/v1/analytics/opportunities?dataset=oecd-icio-2022-intermediate-flows&amp;member=KAZ' in page.text
    api = client.get("/api/v1/analytics/opportunities", params={"member": "KAZ", "bloc_year": 2024, "limit": 1,
                                                         "products": "services"}).json()
    assert api["parameters"]["unit"] == "USD million" and api["parameters"]["w_density"] == 0.6
    assert float(rows[0][0]) == pytest.approx(api["tables"]["opportunities"]["rows"][0]["feasibility"])


@pytest.mark.open_demo(ICIO, read_only=True)
def test_belarus_has_opportunities_in_todays_bloc_not_in_the_datas_and_iran_a_reason_why_not(client):
    belarus = client.get("/opportunities/joint?member=BLR&bloc_year=2024&lang=en").text
    assert table_rows(belarus, "opportunities")
    assert "Belarus is not an SCO member in the bloc of 2022" in client.get("/opportunities/joint?member=BLR").text
    iran = client.get("/opportunities/joint?member=IRN&bloc_year=2024&lang=zh").text
    assert 'id="opportunities"' not in iran
    assert ("伊朗在oecd-icio-2022-intermediate-flows中没有出口：该数据集未将其列为单独经济体，因此无法计算其位置。"
            "有数据的成员国：白俄罗斯、中国、印度、哈萨克斯坦、巴基斯坦、俄罗斯。") in iran  # countries by name
    before = client.get("/opportunities/joint?member=BLR&bloc_year=2023&lang=en").text
    assert "Belarus is not an SCO member in the bloc of 2023" in before


@pytest.mark.open_demo(ICIO, read_only=True)
def test_the_substitution_explorer_offers_the_icio_flows_and_shows_them_in_dollars(client, data_dir):
    import pyarrow.parquet as pq

    page = client.get(f"/opportunities/substitution?member=RUS&dataset={ICIO}&level=4&lang=en")
    assert page.status_code == 200, page.text
    assert f'<option value="{ICIO}" selected>{ICIO}</option>' in page.text
    assert '<option value="baci-hs17-2020-afg-zaf">baci-hs17-2020-afg-zaf</option>' in page.text
    # Russia's chemicals (C20) bought from outside the 2022 bloc, from the file by hand: USD million -> $
    raw = pq.read_table(data_dir / "icio-oecd-2022-intermediate/icio2022_interm_exporter_sector_to_importer.parquet"
                        ).to_pandas().astype(str).astype({"value_usd_mn": float})
    bloc_2022 = ["CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]
    outside = raw[(raw.importer == "RUS") & (raw.exporter_sector == "C20") & ~raw.exporter.isin(bloc_2022)]
    assert outside.value_usd_mn.sum() == pytest.approx(10_099.4055)
    c20 = re.search(r'<td>2022</td><td>C20 — Manufacture of chemicals and chemical products</td><td class="num" '
                    r'data-value="([^"]+)">([^<]+)</td>', page.text)
    assert float(c20.group(1)) == pytest.approx(10_099.4055) and c20.group(2) == "$10.1B"  # USD million -> $
    treemap = json.loads(re.search(r'id="subst-treemap-cap".*?<script type="application/json" class="chart-data">'
                                   r'(.*?)</script>', page.text, re.S).group(1))
    cell = next(c for c in treemap["items"] if c["label"].startswith("C20 "))
    assert cell["value"] == pytest.approx(10_099.4055e6)  # the chart in dollars, like the table
    assert "<td>C10T12 — Manufacture of food products; beverages and tobacco products</td>" in page.text and "<td>C10T</td>" not in page.text  # sectors not cut to HS digits
    # the allocated measure beside the upper bound, labelled as such; the bloc total from the allocation only
    assert "Allocated substitution" in page.text and "Substitutable (per-importer upper bound)" in page.text
    assert "Whole bloc, 2022: members buy $" in page.text and "allocated import substitution (additive): $" in page.text
    assert "Bloc of 2022: CHN, IND, KAZ, KGZ, PAK, RUS, TJK, UZB (members on 31 December)." in page.text


@pytest.mark.open_demo(ICIO)
def test_the_member_profile_offers_the_icio_flows(client, world):
    page = client.get(f"/members/KAZ/profile?exports={world}&flows={ICIO}&lang=en")
    assert page.status_code == 200, page.text
    assert f'<select id="flows" name="flows"><option value="{ICIO}" selected>' in page.text
    assert f"From the bilateral dataset {ICIO}, 2022; values in million US dollars." in page.text


@pytest.mark.open_demo(ICIO, read_only=True)
def test_joint_opportunities_are_computed_over_the_stated_country_set_and_the_page_says_which(client):
    ranked = client.get("/api/v1/analytics/opportunities", params={"member": "KAZ", "limit": 5}).json()
    every = client.get("/api/v1/analytics/opportunities", params={"member": "KAZ", "limit": 5,
                                                           "country_set": "all"}).json()
    # the ICIO's 80 economies less the 11 the Growth Lab does not rank (BRN, COD, CYP, HKG, ISL, LUX, MLT,
    # MMR, SGP, STP, TWN: in_complexity false in the Atlas country table)
    assert (ranked["parameters"]["country_set"]["name"], ranked["parameters"]["country_set"]["size"]) == ("ranked", 69)
    assert (every["parameters"]["country_set"]["name"], every["parameters"]["country_set"]["size"]) == ("all", 80)
    density = {r["product"]: r["density"] for r in ranked["tables"]["opportunities"]["rows"]}
    other = {r["product"]: r["density"] for r in every["tables"]["opportunities"]["rows"]}
    assert any(density[p] != pytest.approx(other[p]) for p in density.keys() & other.keys())  # the set matters
    page = client.get("/opportunities/joint?member=KAZ&lang=en").text
    assert "Density, PCI and COG are computed over 69 countries: those the Growth Lab ranks" in page
    assert '<option value="ranked" selected>' in page
    assert "computed over every country in the dataset (80)" in client.get(
        "/opportunities/joint?member=KAZ&country_set=all&lang=en").text
    assert "Плотность, PCI и COG рассчитаны по 69 странам" in client.get("/opportunities/joint?member=KAZ&lang=ru").text
