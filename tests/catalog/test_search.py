"""Catalog search: Chinese without spaces, Russian word forms, English stems, facets, visibility."""

from __future__ import annotations

import pytest

from scobank.access.reader import ANONYMOUS, OPERATOR
from scobank.catalog.models import Dataset, Organisation
from scobank.catalog.search import index_dataset, search_datasets
from scobank.tokens import document_terms, query_terms


def _org(s, slug, party, en):
    org = Organisation(slug=slug, party=party, names={"en": en})
    s.add(org)
    s.flush()
    return org


def _dataset(s, org, slug, audience="public", **meta):
    from scobank.access.policies import parse_audience, set_dataset_policy

    ds = Dataset(slug=slug, organisation_id=org.id, **meta)
    s.add(ds)
    index_dataset(s, ds)
    set_dataset_policy(s, dataset=ds, document=parse_audience(audience), actor="test")
    return ds


@pytest.fixture
def catalog(bank):
    with bank.session() as s:
        minprom = _org(s, "minpromtorg", "RUS", "Ministry of Industry and Trade of Russia")
        mofcom = _org(s, "mofcom", "CHN", "Ministry of Commerce of China")
        oecd = _org(s, "oecd", "INT", "OECD")
        _dataset(s, minprom, "rolled-steel-exports",
                 title={"en": "Exports of rolled steel", "ru": "Экспорт проката черных металлов", "zh": "钢材出口"},
                 description={"en": "Flat-rolled products of iron, by partner", "ru": "Плоский прокат по странам"},
                 keywords={"en": ["steel"], "ru": ["металлургия"]}, themes=["trade", "industry"],
                 license="CC-BY-4.0", classification="HS22", temporal_start=2019, temporal_end=2023,
                 spatial=["RUS"])
        _dataset(s, mofcom, "steel-products-output",
                 title={"en": "Output of steel products", "ru": "Производство стальной продукции", "zh": "钢铁产品产量"},
                 description={"zh": "按省份统计的钢铁产品产量"}, keywords={"zh": ["钢铁", "冶金"]},
                 themes=["industry"], license="CC-BY-4.0", temporal_start=2015, temporal_end=2022,
                 spatial=["CHN"])
        _dataset(s, oecd, "icio-2022",
                 title={"en": "Inter-country input-output flows 2022", "ru": "Межстрановые таблицы затрат-выпуск",
                        "zh": "国家间投入产出表"},
                 description={"en": "Intermediate flows between industries, including basic metals"},
                 themes=["input-output"], license="OECD-terms", temporal_start=2022, temporal_end=2022)
    return bank


def slugs(result):
    return [item.slug for item in result.items]


def test_chinese_text_is_found_without_spaces(catalog):
    with catalog.session() as s:
        assert slugs(search_datasets(s, reader=OPERATOR, q="钢铁")) == ["steel-products-output"]
        assert slugs(search_datasets(s, reader=OPERATOR, q="产品产量")) == ["steel-products-output"]
        assert set(slugs(search_datasets(s, reader=OPERATOR, q="钢"))) == {"rolled-steel-exports",
                                                                         "steel-products-output"}
        assert search_datasets(s, reader=OPERATOR, q="钢铁出口").total == 0  # no dataset has all three pairs


def test_russian_word_forms_find_each_other(catalog):
    with catalog.session() as s:
        assert slugs(search_datasets(s, reader=OPERATOR, q="прокат")) == ["rolled-steel-exports"]
        assert slugs(search_datasets(s, reader=OPERATOR, q="прокатом металлургии")) == ["rolled-steel-exports"]
        assert slugs(search_datasets(s, reader=OPERATOR, q="Затраты")) == ["icio-2022"]


def test_english_stems_and_ranking_by_field(catalog):
    with catalog.session() as s:
        result = search_datasets(s, reader=OPERATOR, q="Steel")
        assert slugs(result) == ["rolled-steel-exports", "steel-products-output"]  # title+keyword > title
        assert result.items[0].score > result.items[1].score
        assert slugs(search_datasets(s, reader=OPERATOR, q="exporting")) == ["rolled-steel-exports"]
        assert slugs(search_datasets(s, reader=OPERATOR, q="metals industries")) == ["icio-2022"]
        assert search_datasets(s, reader=OPERATOR, q="???").total == 0


def test_facets_count_the_matching_datasets(catalog):
    with catalog.session() as s:
        result = search_datasets(s, reader=OPERATOR, q="steel")
        everything = search_datasets(s, reader=OPERATOR)
        chinese = search_datasets(s, reader=OPERATOR, party="CHN")
        recent = search_datasets(s, reader=OPERATOR, year_from=2023)
    assert result.total == 2
    assert result.facets["party"] == {"CHN": 1, "RUS": 1}
    assert result.facets["theme"] == {"industry": 2, "trade": 1}
    assert result.facets["license"] == {"CC-BY-4.0": 2}
    assert result.facets["classification"] == {"HS22": 1}
    assert result.facets["years"] == {"2010s": 2, "2020s": 2}  # decades the coverage touches
    assert everything.total == 3 and everything.facets["organisation"] == {"minpromtorg": 1, "mofcom": 1, "oecd": 1}
    assert slugs(chinese) == ["steel-products-output"] and chinese.facets["party"] == {"CHN": 1}
    assert slugs(recent) == ["rolled-steel-exports"]


def test_editing_metadata_and_reindexing_changes_what_is_found(catalog):
    with catalog.session() as s:
        ds = s.query(Dataset).filter_by(slug="icio-2022").one()
        ds.title = {**ds.title, "en": "Input-output tables of OECD"}
        ds.keywords = {"ru": ["межотраслевой баланс"]}
        index_dataset(s, ds)
    with catalog.session() as s:
        assert slugs(search_datasets(s, reader=OPERATOR, q="межотраслевого баланса")) == ["icio-2022"]
        assert search_datasets(s, reader=OPERATOR, q="inter-country").total == 0  # the old title


def test_pagination_keeps_the_total(catalog):
    with catalog.session() as s:
        page = search_datasets(s, reader=OPERATOR, limit=1, offset=1)
    assert page.total == 3 and len(page.items) == 1


def test_a_dataset_hidden_from_a_reader_is_absent_from_results_and_facets(catalog):
    """Results and facets are cut by access.gate.visible_datasets: a dataset of audience parties:CHN
    is invisible to an anonymous reader and to a Kazakh user, and counted for a Chinese user."""
    from scobank.access.reader import Reader

    with catalog.session() as s:
        mofcom = s.query(Organisation).filter_by(slug="mofcom").one()
        _dataset(s, mofcom, "steel-capacity-plan", audience="parties:CHN",
                 title={"en": "Steel capacity plan", "zh": "钢铁产能规划"}, themes=["planning"],
                 license="restricted", temporal_start=2026, temporal_end=2030)
    chinese_user = Reader(user_id=901, email="analyst@mofcom.example", party="CHN", role="viewer")
    kazakh_user = Reader(user_id=902, email="analyst@stat.kz.example", party="KAZ", role="viewer")
    with catalog.session() as s:
        anonymous = search_datasets(s, reader=ANONYMOUS, q="steel")
        kazakh = search_datasets(s, reader=kazakh_user, q="钢铁")
        chinese = search_datasets(s, reader=chinese_user, q="钢铁")
        everything = search_datasets(s, reader=ANONYMOUS, limit=100)
    assert slugs(anonymous) == ["rolled-steel-exports", "steel-products-output"]
    assert anonymous.facets["theme"] == {"industry": 2, "trade": 1}  # no "planning"
    assert anonymous.facets["license"] == {"CC-BY-4.0": 2}  # no "restricted"
    assert "2030s" not in anonymous.facets["years"]
    assert slugs(kazakh) == ["steel-products-output"] and kazakh.facets["party"] == {"CHN": 1}
    assert slugs(chinese) == ["steel-products-output", "steel-capacity-plan"]  # keyword+title > title
    assert chinese.facets["party"] == {"CHN": 2} and chinese.facets["theme"]["planning"] == 1
    assert everything.total == 3 and "steel-capacity-plan" not in slugs(everything)


def test_datasets_ranked_by_another_search_lead_and_pass_the_gate_and_the_filters(catalog):
    """`ranked` (the hybrid keyword + meaning search's order) joins the keyword matches: first, in its
    order, counted in the total and the facets; a hidden dataset or one outside a filter stays out."""
    with catalog.session() as s:
        mofcom = s.query(Organisation).filter_by(slug="mofcom").one()
        _dataset(s, mofcom, "steel-capacity-plan", audience="parties:CHN",
                 title={"en": "Steel capacity plan", "zh": "钢铁产能规划"}, themes=["planning"])
    ranked = ["steel-capacity-plan", "icio-2022", "steel-products-output"]
    with catalog.session() as s:
        found = search_datasets(s, reader=ANONYMOUS, q="prokat", ranked=ranked)  # "prokat": no keyword match
        mixed = search_datasets(s, reader=ANONYMOUS, q="steel", ranked=["icio-2022"])
        filtered = search_datasets(s, reader=ANONYMOUS, q="steel", ranked=["icio-2022"], party="CHN")
    assert slugs(found) == ["icio-2022", "steel-products-output"] and found.total == 2
    assert found.facets["party"] == {"CHN": 1, "INT": 1}
    assert slugs(mixed) == ["icio-2022", "rolled-steel-exports", "steel-products-output"]
    assert slugs(filtered) == ["steel-products-output"] and filtered.facets["party"] == {"CHN": 1}


def test_terms_of_the_tokeniser():
    assert {"钢", "铁", "钢铁", "铁产", "产品"} <= document_terms("钢铁产品")
    assert query_terms("钢铁") == {"钢铁"}
    assert query_terms("Проката стали") == {"прокат", "стал"}
    assert query_terms("the exports of HS 7208") == {"export", "hs", "7208"}
    assert query_terms("ＳＴＥＥＬ") == {"steel"}  # full-width letters folded by NFKC
    assert document_terms("इस्पात उत्पादन") == {"इस्पात", "उत्पादन"}  # Hindi vowel marks stay in the word
    assert query_terms("تولید فولاد") == {"تولید", "فولاد"}
