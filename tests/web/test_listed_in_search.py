"""Owner only, others ask, in the portal's search (issue 17, item 11): a logged-in reader of another
member finds a listed dataset by the words its listing shows (title, description, publisher), in
English, Russian and Chinese, with a "request access" action, and never its data or its other metadata;
an anonymous reader finds nothing of it; its owner finds it among the datasets as usual. The search is
in the ledger with the listings it showed."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from scobank.access.reader import OPERATOR
from tests.web.forms import log_in
from tests.web.test_data_use_pages import kazstat_and_a_chinese_analyst
from tests.web.test_publish_pages import GOOD

pytestmark = pytest.mark.db
TITLE = {"en": "Rolled steel output by oblast", "ru": "Выпуск проката по областям",
         "zh": "各州轧制钢材产量"}
DESCRIPTION = {"en": "Monthly tonnes of hot-rolled coil", "ru": "Ежемесячные тонны горячекатаного рулона",
               "zh": "热轧卷每月吨数"}


@pytest.fixture
def listed_steel(bank, tmp_path):
    """kz-rolled: KAZ's, owner only and listed, with a keyword and rows nobody outside may search."""
    from scobank.catalog.datasets import create_dataset
    from scobank.catalog.publish import publish_version
    from scobank.catalog.schemas import DatasetCreate
    from scobank.stewardship.policies import set_policy

    source = tmp_path / "steel.csv"
    source.write_bytes(GOOD)
    with bank.session() as session:
        kazstat_and_a_chinese_analyst(session)
        create_dataset(session, data=DatasetCreate(
            slug="kz-rolled", organisation="kazstat", kind="trade", title=TITLE, description=DESCRIPTION,
            keywords={"en": ["blastfurnace"]}, classification="HS22"), actor=OPERATOR)
        publish_version(session, dataset="kz-rolled", source=source, actor=OPERATOR, hs_revision="HS22")
        set_policy(session, reader=OPERATOR, slug="kz-rolled", document={"audience": "owner", "listed": True})


def _client():
    from scobank.api.app import create_app

    return TestClient(create_app())


def _listed_section(html: str) -> str:
    return html.split('id="group-listed"', 1)[1].split("</section>", 1)[0] if 'id="group-listed"' in html else ""


def _searches(bank, actor: str) -> list[list[str]]:
    """The listings each search of `actor` showed, oldest first, as the ledger has them."""
    from scobank.access.ledger import LedgerFilter, entries

    with bank.session() as s:
        found = entries(s, where=LedgerFilter(action="search", actor=actor))
    return [json.loads(e.detail)["listed"] for e in reversed(found)]


LANGUAGES = [("en", "rolled steel", "Datasets you may ask for", "Request access"),
             ("ru", "прокат", "Наборы данных, доступ к которым можно запросить", "Запросить доступ"),
             ("zh", "轧制钢材", "可申请访问的数据集", "申请访问")]


def test_another_members_reader_finds_the_listing_and_the_request_action_in_each_language(listed_steel, bank):
    wrong = []
    with _client() as analyst:
        log_in(analyst, "analyst@research.cn", "analyst 1")
        for lang, q, heading, action in LANGUAGES:
            page = analyst.get("/search", params={"q": q, "lang": lang})
            section = _listed_section(page.text)
            shown = [t for t in (heading, action, TITLE[lang], DESCRIPTION[lang], "kazstat",
                                 'href="/datasets/kz-rolled/request-access"') if t in section]
            leaked = [d for d in ("1500000", "720851", "blastfurnace") if d in page.text]  # rows, product, keyword
            if page.status_code != 200 or len(shown) != 6 or leaked or 'id="no-results"' in page.text:
                wrong.append(f"{lang}: {page.status_code}, shows {shown}, leaks {leaked}")
        for q in ("blastfurnace", "720851", "rolled blastfurnace"):  # words the listing does not show
            page = analyst.get("/search", params={"q": q, "lang": "en"})
            if _listed_section(page.text) or TITLE["en"] in page.text:
                wrong.append(f"{q!r} finds the listing")
        answer = analyst.get("/api/v1/search", params={"q": "rolled steel"}).json()
    assert wrong == []
    assert [(r["id"], r["details"]["listed_only"], r["details"]["organisation"]) for r in answer["listed"]] == [
        ("kz-rolled", True, "kazstat")]
    assert "kz-rolled" not in [h["slug"] for h in answer["items"]]  # not counted among the datasets it may read
    assert _searches(bank, "analyst@research.cn") == [["kz-rolled"]] * 3 + [[]] * 3 + [["kz-rolled"]]


def test_anonymous_readers_find_nothing_and_the_owner_finds_the_dataset(listed_steel, bank):
    with _client() as anonymous:
        page = anonymous.get("/search", params={"q": "rolled steel", "lang": "ru"})
        assert _listed_section(page.text) == "" and TITLE["ru"] not in page.text
        assert anonymous.get("/api/v1/search", params={"q": "rolled steel"}).json()["listed"] == []
    with _client() as steward:
        log_in(steward, "steward@stat.kz", "steward 1")
        page = steward.get("/search", params={"q": "rolled steel", "lang": "en"})
    assert _listed_section(page.text) == ""
    assert 'data-kind="dataset" data-id="kz-rolled"' in page.text  # its own: a dataset like any other
    assert _searches(bank, "steward@stat.kz") == [[]]
