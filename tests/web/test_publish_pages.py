"""The publish wizard: a steward uploads a file with errors, reads the report, fixes it and publishes."""

from __future__ import annotations

import re

import pytest

from scobank.access.gate import OPERATOR
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
