"""The publish wizard: a steward uploads a file with errors, reads the report, fixes it and publishes."""

from __future__ import annotations

import html
import re

import pytest

from scobank.access.reader import OPERATOR
from tests.web.forms import csrf_of, log_in

BAD = b"""year,exporter,importer,product,value_usd
2022,KAZ,CHN,720851,1500000
2022,KAZ,XXX,720851,200000
2023,KAZ,CHN,720851,-5
"""
GOOD = b"""year,exporter,importer,product,value_usd
2022,KAZ,CHN,720851,1500000
2022,KAZ,RUS,720851,200000
2023,KAZ,CHN,720851,1700000
"""


@pytest.fixture
def steward(bank):
    from scobank.access.users import create_user
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    with bank.session() as session:
        create_organisation(session, data=OrganisationCreate(
            slug="kazstat", party="KAZ", names={"en": "Bureau of National Statistics"}), actor=OPERATOR)
        create_user(session, email="steward@stat.kz", organisation="kazstat", role="steward", password="pass word 1")
    return "steward@stat.kz"


def _upload(client, content: bytes):
    page = client.get("/publish")
    return client.post("/publish/upload", data={"csrf_token": csrf_of(page.text), "kind": "trade",
                                                 "hs_revision": "HS22", "target": ""},
                       files={"file": ("steel_exports.csv", content, "text/csv")})


def test_a_file_with_errors_gets_a_report_with_each_rejected_row(client, steward):
    log_in(client, steward, "pass word 1")
    report = _upload(client, BAD)
    assert report.status_code == 200
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td><td><code>([^<]*)</code>', report.text)
    assert rows == [("2", "importer", "XXX"), ("3", "value_usd", "-5")]
    assert "steel_exports.csv: 2 problems; nothing was published." in report.text


def test_a_fixed_file_is_described_in_two_languages_and_published(client, steward):
    log_in(client, steward, "pass word 1")
    schema = _upload(client, GOOD)
    assert schema.status_code == 200 and "3 rows passed every check" in schema.text
    assert "<code>value_usd</code>" in schema.text
    token = re.search(r'action="/publish/([^/]+)/describe"', schema.text).group(1)
    describe = client.post(f"/publish/{token}/describe", data={
        "csrf_token": csrf_of(schema.text), "kind": "trade", "hs_revision": "HS22", "target": "", "on_error": "abort"})
    done = client.post(f"/publish/{token}/publish", data={
        "csrf_token": csrf_of(describe.text), "kind": "trade", "hs_revision": "HS22", "target": "",
        "on_error": "abort", "slug": "kz-steel-exports", "title_en": "Kazakhstan steel exports",
        "title_ru": "Экспорт стали Казахстана", "keywords_zh": "钢铁, 出口", "audience": "public", "export": "on"},
        follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/datasets/kz-steel-exports?version=1"
    page = client.get("/datasets/kz-steel-exports?lang=ru").text
    assert "<h1>Экспорт стали Казахстана</h1>" in page
    assert "720851" in page  # the preview shows the rows
    assert "Эти данные может использовать любой, в том числе без учётной записи." in page
    client.cookies.clear()  # the policy says public: an anonymous reader sees it too
    assert client.get("/datasets/kz-steel-exports").status_code == 200


PRICES = b"""Item,Price (USD),note
steel plate,12,first lot
steel coil,12.5,second lot
wire rod,7,third lot
"""


def _upload_table(client, content: bytes):
    page = client.get("/publish")
    return client.post("/publish/upload", data={"csrf_token": csrf_of(page.text), "kind": "table",
                                                 "hs_revision": "", "target": ""},
                       files={"file": ("prices.csv", content, "text/csv")})


def _editor(page_html: str) -> dict:
    """The schema form as a browser would submit it unchanged (hidden fields, values, ticked boxes)."""
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page_html))
    form.update(re.findall(r'<input id="name-\d+" name="([^"]+)" type="text" value="([^"]*)"', page_html))
    form.update(re.findall(r'<select id="type-\d+" name="([^"]+)"[^>]*>\s*(?:<option value="[^"]+" >[^<]*</option>)*'
                           r'<option value="([^"]+)" selected>', page_html))
    form.update({name: "on" for name in re.findall(r'name="((?:key|required|drop)_\d+)" type="checkbox" checked', page_html)})
    return {k: html.unescape(v) for k, v in form.items()}


def test_the_detected_schema_of_a_table_is_shown_as_an_editable_form(client, steward):
    log_in(client, steward, "pass word 1")
    page = _upload_table(client, PRICES)
    assert "3 rows passed every check" in page.text
    form = _editor(page.text)
    assert (form["col_1"], form["name_1"], form["type_1"]) == ("Price (USD)", "Price (USD)", "number")
    assert (form["col_0"], form["type_0"], form["columns"]) == ("Item", "string", "3")


def test_a_column_changed_to_integer_rejects_the_row_with_a_fraction(client, steward):
    log_in(client, steward, "pass word 1")
    first = _upload_table(client, PRICES)
    token = re.search(r'action="/publish/([^/]+)/describe"', first.text).group(1)
    report = _checked(client, _editor(first.text), token, type_1="integer", name_0="item", key_0="on")
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td><td><code>([^<]*)</code></td><td>([^<]+)</td>',
                      html.unescape(report.text))
    assert rows == [("2", "Price (USD)", "12.5", "'12.5' is not an integer")]
    assert "prices.csv: 1 problems; nothing was published." in report.text


def _checked(client, form: dict, token: str, **changes):
    """Apply `changes` to the editor and check the file again: the next page."""
    return client.post(f"/publish/{token}/check", data={**form, **changes})


def test_an_edited_schema_is_checked_then_published_with_new_names_and_without_a_dropped_column(client, steward, bank):
    log_in(client, steward, "pass word 1")
    first = _upload_table(client, PRICES)
    token = re.search(r'action="/publish/([^/]+)/describe"', first.text).group(1)
    schema_page = _checked(client, _editor(first.text), token, name_0="item", name_1="price_usd", key_0="on",
                           drop_2="on")
    assert "3 rows passed every check" in schema_page.text
    form = _editor(schema_page.text)
    assert (form["name_1"], form["key_0"], form["drop_2"]) == ("price_usd", "on", "on")
    describe = client.post(f"/publish/{token}/describe", data=form)
    assert "Description and policy" in describe.text
    state = _editor(describe.text)
    done = client.post(f"/publish/{token}/publish", data={
        **state, "slug": "steel-prices", "title_en": "Steel prices", "audience": "public", "export": "on"},
        follow_redirects=False)
    assert done.status_code == 303, done.text
    from scobank.catalog import versions

    with bank.session() as session:
        shown = versions.list_versions(session, slug="steel-prices", reader=OPERATOR)[0]
    assert shown.table_schema == {"fields": [{"name": "item", "type": "string"},
                                             {"name": "price_usd", "type": "number"}], "primaryKey": ["item"]}


@pytest.mark.parametrize(("changes", "message"), [
    ({"type_1": "money"}, "Column Price (USD): &#39;money&#39; is not a type the bank knows."),
    ({"name_0": "  "}, "Column Item: the new name is empty."),
    ({"name_2": "price (usd)"}, "2 columns would be named Price (USD); give each column its own name."),
    ({"key_0": "on", "drop_0": "on"}, "Column Item is part of the key, so it cannot be left out."),
])
def test_a_schema_the_bank_cannot_apply_comes_back_with_its_problem_and_nothing_staged(
        client, steward, changes, message):
    from scobank.config import get_settings

    log_in(client, steward, "pass word 1")
    first = _upload_table(client, PRICES)
    token = re.search(r'action="/publish/([^/]+)/describe"', first.text).group(1)
    staged_before = sorted(p.name for p in get_settings().staging_dir.iterdir())
    page = _checked(client, _editor(first.text), token, **changes)
    assert page.status_code == 200
    assert message in page.text
    assert 'role="alert"' in page.text and "passed every check" not in page.text
    assert sorted(p.name for p in get_settings().staging_dir.iterdir()) == staged_before


def test_the_schema_form_needs_its_csrf_token(client, steward):
    log_in(client, steward, "pass word 1")
    first = _upload_table(client, PRICES)
    token = re.search(r'action="/publish/([^/]+)/describe"', first.text).group(1)
    form = {**_editor(first.text), "csrf_token": "forged", "type_1": "integer"}
    assert client.post(f"/publish/{token}/check", data=form).status_code == 403


def test_a_changed_page_cannot_smuggle_a_schema_into_the_publish_step(client, steward):
    log_in(client, steward, "pass word 1")
    first = _upload_table(client, PRICES)
    token = re.search(r'action="/publish/([^/]+)/describe"', first.text).group(1)
    state = {**_editor(first.text), "schema": '{"fields": [{"name": "x", "type": "money"}]}', "columns": ""}
    done = client.post(f"/publish/{token}/publish", data={**state, "slug": "prices", "title_en": "Prices"},
                       follow_redirects=False)
    assert done.status_code == 400


def test_the_wizard_reads_a_file_with_the_stewards_read_overrides_and_they_travel_with_it(client, steward):
    """A cp1251 file with ';' as Russian Excel saves it: the steward states the encoding and delimiter."""
    log_in(client, steward, "pass word 1")
    content = "Регион;Объём, млн тенге\nАстана;1500\nАлматы;2100\n".encode("cp1251")
    page = client.get("/publish")
    schema = client.post("/publish/upload", data={"csrf_token": csrf_of(page.text), "kind": "table", "target": "",
                                                  "encoding": "cp1251", "delimiter": "semicolon"},
                         files={"file": ("regions.csv", content, "text/csv")})
    assert schema.status_code == 200 and "2 rows passed every check" in schema.text
    assert "Объём, млн тенге" in html.unescape(schema.text)
    assert 'name="encoding" value="cp1251"' in schema.text and 'name="delimiter" value="semicolon"' in schema.text
    wrong = client.post("/publish/upload", data={"csrf_token": csrf_of(page.text), "kind": "table", "target": "",
                                                 "encoding": "klingon"},
                        files={"file": ("regions.csv", content, "text/csv")})
    assert wrong.status_code == 200 and "encoding &#39;klingon&#39; is not one Python knows" in wrong.text


def test_a_new_version_in_the_wizard_keeps_the_datasets_declared_schema(client, steward, bank, tmp_path):
    import json

    schema = {"fields": [{"name": "day", "type": "date", "format": "%d.%m.%Y"},
                         {"name": "region", "type": "string", "constraints": {"enum": ["KZ-AST", "KZ-ALA"]}},
                         {"name": "output", "type": "number"}], "primaryKey": ["day", "region"]}
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    (tmp_path / "v1.csv").write_text("day,region,output\n31.12.2022,KZ-AST,1500\n")
    first = bank.cli("ingest", str(tmp_path / "v1.csv"), "--org", "kazstat", "--dataset", "kz-output",
                     "--schema", str(tmp_path / "schema.json"))
    assert first.exit_code == 0, first.stderr
    log_in(client, steward, "pass word 1")
    page = client.get("/publish")
    checked = client.post("/publish/upload", data={"csrf_token": csrf_of(page.text), "kind": "table",
                                                   "target": "kz-output"},
                          files={"file": ("v2.csv", b"day,region,output\n31.12.2023,KZ-ALA,2100\n", "text/csv")})
    assert checked.status_code == 200, checked.text
    token = re.search(r'action="/publish/([^/]+)/describe"', checked.text).group(1)
    state = {"kind": "table", "hs_revision": "", "target": "kz-output", "on_error": "abort",
             "schema": html.unescape(re.search(r'name="schema" value="([^"]*)"', checked.text).group(1))}
    describe = client.post(f"/publish/{token}/describe", data={"csrf_token": csrf_of(checked.text), **state})
    done = client.post(f"/publish/{token}/publish", data={"csrf_token": csrf_of(describe.text), **state},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    versions = json.loads(bank.cli("datasets", "versions", "kz-output", "--json").stdout)
    assert [(v["number"], v["schema_change"]) for v in versions] == [(1, None), (2, None)]
    rows = json.loads(bank.cli("query", "kz-output", "--sort", "day", "--json").stdout)["rows"]
    assert rows[-1] == {"day": "2023-12-31", "region": "KZ-ALA", "output": 2100.0}
