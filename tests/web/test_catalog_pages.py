"""Dataset pages: what a reader sees of a dataset's metadata in each language."""

from __future__ import annotations

import pytest

from scobank.access.reader import OPERATOR


@pytest.fixture
def steel(bank):
    from scobank.access.policies import set_dataset_policy
    from scobank.catalog.datasets import create_dataset
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import DatasetCreate, OrganisationCreate

    with bank.session() as session:
        create_organisation(session, data=OrganisationCreate(
            slug="rosstat", party="RUS", names={"en": "Rosstat", "ru": "Росстат"}), actor=OPERATOR)
        dataset = create_dataset(session, data=DatasetCreate(
            slug="steel-output", organisation="rosstat",
            title={"en": "Steel output by region", "ru": "Выплавка стали по регионам"},
            description={"ru": "Производство стали, тысяч тонн"},
            temporal_start=2015, temporal_end=2023), actor=OPERATOR)
        set_dataset_policy(session, dataset=dataset, document={"audience": "public"}, actor="test")
    return "steel-output"


def test_a_dataset_page_shows_its_metadata_in_the_readers_language(client, steel):
    page = client.get(f"/datasets/{steel}?lang=ru")
    assert page.status_code == 200
    assert "<h1>Выплавка стали по регионам</h1>" in page.text
    assert "2015–2023" in page.text
    assert "Ни одной версии ещё не опубликовано." in page.text
    assert f'href="/api/v1/datasets/{steel}"' in page.text  # the JSON twin


def test_a_text_missing_in_the_readers_language_falls_back_visibly(client, steel):
    page = client.get(f"/datasets/{steel}?lang=zh")
    assert '<h1><span lang="en">Steel output by region</span> <small class="fallback">[en]</small></h1>' in page.text
    assert '<span lang="ru">Производство стали, тысяч тонн</span>' in page.text


def test_an_unknown_dataset_is_a_404_page(client, bank):
    page = client.get("/datasets/no-such-data?lang=en")
    assert page.status_code == 404
    assert "no dataset &#39;no-such-data&#39;" in page.text


def test_the_catalog_finds_a_russian_description_from_a_russian_word_and_offers_facets(client, steel):
    page = client.get("/datasets?q=стали&lang=en")
    assert page.status_code == 200
    assert f'href="/datasets/{steel}"' in page.text
    assert 'href="/datasets?q=%D1%81%D1%82%D0%B0%D0%BB%D0%B8&amp;lang=en&amp;party=RUS"' in page.text
    assert "Datasets found: 1" in page.text


def test_a_facet_narrows_the_results(client, steel):
    assert f'href="/datasets/{steel}"' in client.get("/datasets?party=RUS").text
    assert f'href="/datasets/{steel}"' not in client.get("/datasets?party=KAZ").text


@pytest.fixture
def meaning_index(bank, steel):
    """The AI index of datasets, built as `scobank demo` builds it (datasets only: no HS headings)."""
    from scobank.access.policies import set_dataset_policy
    from scobank.ai.reindex import rebuild_index
    from scobank.catalog.datasets import create_dataset
    from scobank.catalog.schemas import DatasetCreate

    with bank.session() as session:
        hidden = create_dataset(session, data=DatasetCreate(
            slug="steel-plants-members-only", organisation="rosstat",
            title={"ru": "Металлургические заводы: выплавка стали"},
            description={"ru": "Производство стали на заводах, тысяч тонн"}), actor=OPERATOR)
        set_dataset_policy(session, dataset=hidden, document={"audience": "members"}, actor="test")
        rebuild_index(session, kinds=["dataset"], include_hs=False)


def _results(page: str) -> str:
    return page.split('<ul class="results">')[1].split("</ul>")[0]


def test_a_chinese_query_finds_a_dataset_written_in_russian_and_english_by_meaning(client, meaning_index):
    api = client.get("/api/v1/search?q=钢铁生产&kind=dataset").json()
    assert [i["slug"] for i in api["items"]] == ["steel-output"]  # no Chinese word in its metadata: meaning
    assert api["matches"]["steel-output"]["meaning"] > 0 and api["matches"]["steel-output"]["words"] == []
    page = client.get("/datasets?q=钢铁生产&lang=zh").text
    assert "找到 1 个数据集" in page  # ...and only what an anonymous reader may see
    assert 'href="/datasets/steel-output"' in _results(page)
    assert "steel-plants-members-only" not in page
    assert "语义：" in _results(page)  # the closeness of meaning is shown, as a 0-100 match
    assert '<small>(1)</small>' in page.split('aria-label="筛选"')[1]  # facet counts: RUS 1, not 2
    twin = "/api/v1/search?q=%E9%92%A2%E9%93%81%E7%94%9F%E4%BA%A7&amp;lang=zh&amp;kind=dataset&amp;limit=20"
    assert f'href="{twin}"' in page  # the JSON twin is the one search that ranked the page
    assert [h["slug"] for h in client.get(twin.replace("&amp;", "&")).json()["items"]] == ["steel-output"]


def test_keyword_matches_stay_and_meaning_hits_follow_the_filters(client, meaning_index):
    page = client.get("/datasets?q=стали&lang=en").text  # a Russian word: a keyword match
    assert 'href="/datasets/steel-output"' in _results(page)
    assert "Datasets found: 1" in page
    assert 'href="/datasets/steel-output"' not in _results(client.get("/datasets?q=钢铁生产&party=KAZ&lang=en").text)


def test_a_reader_who_may_see_more_finds_more_by_meaning(client, meaning_index, bank):
    from scobank.access.users import create_user
    from tests.web.forms import log_in

    with bank.session() as session:
        create_user(session, email="analyst@rosstat.ru", organisation="rosstat", role="steward",
                    password="pass word 1")
    log_in(client, "analyst@rosstat.ru", "pass word 1")
    page = client.get("/datasets?q=钢铁生产&lang=en").text
    assert "Datasets found: 2" in page
    assert 'href="/datasets/steel-plants-members-only"' in _results(page)
