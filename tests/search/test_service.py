"""The one search service: a query in one language finds items written only in another; access rules
apply to every result exactly as in the catalog; the index follows changes and deletions; each result
says why it matched, as a 0-100 match a person can read."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from scobank.access.reader import ANONYMOUS, OPERATOR, Reader
from scobank.catalog.models import Dataset, Organisation

CHINESE_USER = Reader(user_id=901, email="analyst@mofcom.example", party="CHN", role="viewer")
KAZAKH_USER = Reader(user_id=902, email="analyst@stat.kz.example", party="KAZ", role="viewer")


def _dataset(s, org, slug, audience="public", **meta):
    from scobank.access.policies import parse_audience, set_dataset_policy
    from scobank.catalog.search import index_dataset

    ds = Dataset(slug=slug, organisation_id=org.id, **meta)
    s.add(ds)
    s.flush()
    index_dataset(s, ds)
    set_dataset_policy(s, dataset=ds, document=parse_audience(audience), actor="test")
    return ds


@pytest.fixture(autouse=True)
def _listeners() -> None:
    """As the app and the CLI do at start-up: changed items lose their vectors."""
    from scobank.ai.kinds import register_listeners

    register_listeners()


@pytest.fixture
def catalog(bank):
    with bank.session() as s:
        kz = Organisation(slug="kz-stat", party="KAZ", names={"en": "Bureau of National Statistics"})
        cn = Organisation(slug="mofcom", party="CHN", names={"en": "Ministry of Commerce"})
        s.add_all([kz, cn])
        s.flush()
        _dataset(s, kz, "copper-cathode-exports", title={"en": "Exports of refined copper cathodes"},
                 description={"en": "Monthly exports of copper cathodes by partner country, tonnes and USD"})
        _dataset(s, kz, "wheat-harvest", title={"ru": "Урожай пшеницы по областям"},
                 description={"ru": "Валовой сбор и урожайность пшеницы по областям Казахстана"})
        _dataset(s, cn, "solar-module-capacity", audience="parties:CHN",
                 title={"zh": "光伏组件产能"}, description={"zh": "各省太阳能光伏组件的年产能"})
    return bank


def _search(bank, reader, q, kinds=("dataset",), per_kind=10):
    """The results of `kinds`, best first (as the API's `groups` list them)."""
    from scobank.search.service import search

    with bank.session() as s:
        answer = search(s, reader=reader, q=q, kinds=list(kinds), per_kind=per_kind)
    return [r for g in answer.groups for r in g.items]


def test_a_russian_query_finds_a_dataset_described_only_in_english(catalog):
    hits = _search(catalog, ANONYMOUS, "экспорт медных катодов")
    assert [h.id for h in hits] == ["copper-cathode-exports"]
    assert hits[0].kind == "dataset" and hits[0].url == "/datasets/copper-cathode-exports"
    assert hits[0].api_url == "/api/v1/datasets/copper-cathode-exports"
    assert hits[0].match.meaning >= 50 and hits[0].match.label in ("strong", "good")


def test_an_english_query_finds_a_dataset_described_only_in_russian(catalog):
    assert _search(catalog, ANONYMOUS, "wheat yield by region")[0].id == "wheat-harvest"


def test_a_dataset_hidden_from_the_reader_is_never_a_result(catalog):
    """parties:CHN: a Chinese user finds it in English; anonymous and Kazakh readers never see it."""
    chinese = _search(catalog, CHINESE_USER, "solar panel production capacity")
    assert chinese[0].id == "solar-module-capacity"
    for reader in (ANONYMOUS, KAZAKH_USER):
        hits = _search(catalog, reader, "solar panel production capacity", per_kind=50)
        assert "solar-module-capacity" not in [h.id for h in hits]


def test_changed_metadata_is_searched_by_its_new_text(catalog):
    from scobank.ai.models import Embedding

    assert _search(catalog, OPERATOR, "wheat")[0].id == "wheat-harvest"
    with catalog.session() as s:
        ds = s.scalars(select(Dataset).where(Dataset.slug == "wheat-harvest")).one()
        ds.title = {"en": "Cotton harvest by region"}
        ds.description = {"en": "Raw cotton harvested by region"}
    hits = _search(catalog, OPERATOR, "хлопок-сырец")
    assert hits[0].id == "wheat-harvest"
    with catalog.session() as s:
        stored = s.scalars(select(Embedding.part).where(Embedding.kind == "dataset",
                                                        Embedding.item_id == str(ds.id))).all()
    assert stored == ["en"]  # the Russian text it no longer has is gone


def test_hs_headings_are_found_across_languages(bank):
    hits = _search(bank, ANONYMOUS, "мороженая рыба", kinds=["product"], per_kind=5)
    assert "HS22:0303" in [h.id for h in hits]
    assert all(h.kind == "product" for h in hits)


def test_listings_are_found_by_meaning_only_when_published_and_show_no_identity(bank):
    from scobank.db import utcnow
    from scobank.exchange.models import Enterprise, Listing

    with bank.session() as s:
        ent = Enterprise(party="UZB", name={"en": "Secret Textile LLC"}, description={"en": "A mill"},
                         products=["5205"], sectors=["1311"], size_band="medium", contacts={"email": "x@y.uz"})
        s.add(ent)
        s.flush()
        later = utcnow() + timedelta(days=30)
        s.add_all([
            Listing(enterprise_id=ent.id, kind="offer", side="offer", status="published", expires_at=later,
                    title={"ru": "Хлопковая пряжа Ne 30/1"}, description={"ru": "Кардная пряжа для трикотажа"}),
            Listing(enterprise_id=ent.id, kind="offer", side="offer", status="draft", expires_at=later,
                    title={"en": "Cotton yarn, draft offer"}, description={"en": "Not yet published"}),
        ])
    hits = _search(bank, ANONYMOUS, "cotton yarn for knitting", kinds=["listing", "enterprise"])
    listings = [h for h in hits if h.kind == "listing"]
    assert [h.title for h in listings] == [{"ru": "Хлопковая пряжа Ne 30/1"}]
    assert listings[0].details["party"] == "UZB" and listings[0].match.meaning > 0
    text = json.dumps([h.model_dump() for h in hits], ensure_ascii=False)
    assert "Secret Textile" not in text and "x@y.uz" not in text
    assert any(h.kind == "enterprise" and h.details["products"] == ["5205"] for h in hits)

    from scobank.ai.models import Embedding

    with bank.session() as s:
        for listing in s.scalars(select(Listing)):
            s.delete(listing)
    with bank.session() as s:
        left = s.scalar(select(func.count()).select_from(Embedding).where(Embedding.kind == "listing"))
    assert left == 0  # a deleted listing leaves the index at once


def test_search_from_the_cli_and_the_api(catalog):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    result = catalog.cli("search", "медные катоды", "--kind", "dataset", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["groups"][0]["items"][0]["id"] == "copper-cathode-exports"
    response = TestClient(create_app()).get("/api/v1/search", params={"q": "光伏组件"})
    assert response.status_code == 200
    assert "solar-module-capacity" not in response.text  # anonymous request: neither listed nor counted
    bad = catalog.cli("search", "x", "--kind", "nonsense")
    assert bad.exit_code != 0 and "unknown kind nonsense" in bad.stderr
