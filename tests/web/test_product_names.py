"""Products are shown as "code — name" on the analytics pages, in the page's language where the bank has
the name (Russian HS chapters and headings), and the JSON tables carry an English `product_name`; over the
demo's default datasets as `make demo` publishes them (SITC2 world exports, BACI HS17 2020 sample)."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.open_demo("sitc2-exports-1998-2000", "baci-hs17-2020-afg-zaf", read_only=True)
CRUDE = "3330 — Crude petroleum and oils obtained from bituminous materials"


def figure_items(page: str, marker: str) -> list[dict]:
    figure = page.split(marker, 1)[1]
    return json.loads(re.search(r'<script type="application/json" class="chart-data">(.*?)</script>', figure,
                                re.S).group(1))["items"]


def test_the_profile_names_kazakhstans_top_export_and_its_imports(client):
    api = client.get("/api/v1/analytics/members/KAZ/profile", params={"top": 12, "flows_dataset": "baci-hs17-2020-afg-zaf"}).json()
    exports, imports = api["tables"]["top_exports"]["rows"], api["tables"]["top_imports"]["rows"]
    assert exports[0]["product"] == "3330"
    assert exports[0]["product_name"] == "Crude petroleum and oils obtained from bituminous materials"
    assert all(r["product_name"] for r in exports)  # every SITC item of the list has a name
    assert len(imports[0]["product"]) == 6 and all(r["product_name"] for r in imports)  # HS17 subheadings
    page = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=en").text
    assert figure_items(page, 'aria-labelledby="top-exports-cap"')[0]["label"] == CRUDE
    assert f"<td>{CRUDE}</td>" in page  # the table alternative too
    top_import = f'{imports[0]["product"]} — {imports[0]["product_name"]}'
    assert figure_items(page, 'aria-labelledby="top-imports-cap"')[0]["label"] == top_import
    assert f"<td>{top_import}</td>" in page


def test_the_substitution_explorer_shows_russian_headings_on_the_russian_page(client):
    api = client.get("/api/v1/analytics/substitution", params={"importer": "KAZ", "level": 4}).json()
    rows = {r["product"]: r for r in api["tables"]["substitution"]["rows"]}
    assert api["parameters"]["classification"] == "HS17"
    assert all(r["product_name"] for r in rows.values())  # English in the JSON
    assert rows["3815"]["product_name"].startswith("Reaction initiators, reaction accelerators")
    ru = client.get("/opportunities/substitution?member=KAZ&dataset=baci-hs17-2020-afg-zaf&level=4&lang=ru").text
    cells = figure_items(ru, 'data-chart="treemap"')
    assert cells[0]["label"].startswith("3815 — Инициаторы реакций, ускорители реакций и катализаторы")  # catalysts
    assert all(" — " in c["label"] for c in cells)  # every cell is "code — name"
    assert "<td>3815 — Инициаторы реакций, ускорители реакций и катализаторы" in ru  # and the table
    en = client.get("/opportunities/substitution?member=KAZ&dataset=baci-hs17-2020-afg-zaf&level=4&lang=en").text
    assert f'<td>3815 — {rows["3815"]["product_name"]}</td>' in en


def test_the_profile_names_imports_in_chinese_derived_from_the_customs_items_and_says_so(client):
    zh = client.get("/members/KAZ/profile?flows=baci-hs17-2020-afg-zaf&lang=zh").text
    label = figure_items(zh, 'aria-labelledby="top-imports-cap"')[0]["label"]
    assert label == "381511 — 以镍及其化合物为活性物的载体催化剂 [归纳]"  # supported nickel catalysts


def test_the_product_space_table_names_products_as_the_profile_does(client):
    page = client.get("/members/KAZ/product-space?lang=ru").text
    assert '<tr class="strong"><td>3330 — Нефть сырая и сырые нефтепродукты из битуминозных пород</td>' in page
