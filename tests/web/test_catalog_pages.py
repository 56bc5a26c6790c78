"""Dataset pages: what a reader sees of a dataset's metadata in each language."""

from __future__ import annotations

import pytest

from scobank.access.gate import OPERATOR


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


def test_a_chinese_query_finds_a_dataset_written_in_russian_and_english_by_meaning(client, steel):
    page = client.get("/datasets?q=钢铁生产&lang=zh").text
    assert "找到 0 个数据集" in page  # no Chinese word in its metadata...
    by_meaning = page.split('id="by-meaning"')[1]
    assert f'href="/datasets/{steel}"' in by_meaning  # ...but the same meaning
