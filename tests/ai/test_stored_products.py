"""The products a listing names are read when it is indexed and stored (scobank.ai.stored_products), so a
search reads them by key instead of reading candidates' texts with the HS model: a Chinese query for urea
finds the Russian urea listing through its stored heading; an edited listing's products follow its text;
a deleted one's are gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from scobank.access.reader import ANONYMOUS

pytestmark = pytest.mark.db

UREA = ("Карбамид марки Б", "Азотное удобрение карбамид (мочевина) гранулированный, 46,2% азота, мешки по 50 кг.")
YARN = ("Пряжа хлопчатобумажная кардная", "Пряжа из хлопка 30/1 для трикотажа, бобины.")


@pytest.fixture(autouse=True)
def _listeners() -> None:
    from scobank.ai.kinds import register_listeners

    register_listeners()


def _products(bank) -> dict[str, dict[str, float]]:
    from scobank.ai.models import ItemProducts

    with bank.session() as s:
        return dict(s.execute(select(ItemProducts.item_id, ItemProducts.products)
                              .where(ItemProducts.kind == "listing")).all())


def _publish(bank, title: str, description: str) -> str:
    from scobank.db import utcnow
    from scobank.exchange.models import Enterprise, Listing

    with bank.session() as s:
        ent = Enterprise(party="KAZ", name={"en": "Fertiliser JSC"}, description={"en": "x"}, products=[],
                         sectors=[], size_band="large", contacts={})
        s.add(ent)
        s.flush()
        listing = Listing(enterprise_id=ent.id, kind="offer", side="offer", status="published",
                          expires_at=utcnow() + timedelta(days=30), title={"ru": title},
                          description={"ru": description})
        s.add(listing)
        s.flush()
        return str(listing.id)


def _index(bank) -> None:
    from scobank.ai.embedding import embedder
    from scobank.ai.index import sync
    from scobank.ai.kinds import LISTINGS

    with bank.session() as s:
        sync(s, LISTINGS, embedder())


def test_indexing_a_listing_stores_the_headings_it_names_and_search_reads_them(bank):
    from scobank.ai import item_products
    from scobank.ai.embedding import embedder
    from scobank.ai.hs_model import hs_model
    from scobank.search.service import search

    urea = _publish(bank, *UREA)
    _index(bank)
    stored = _products(bank)[urea]
    assert max(stored, key=stored.get) == "3102", stored  # mineral nitrogen fertilisers
    with bank.session() as s:  # the same reading a search would make of the listing's text and vector
        hs = hs_model(s)
        vector = embedder().embed([". ".join(UREA)])[0]
        read = item_products.read_items(hs, {urea: ". ".join(UREA)}, {urea: vector})[urea]
    assert read.keys() == stored.keys() and all(abs(read[h] - stored[h]) < 1e-4 for h in read)

    item_products._CACHE.clear()
    with bank.session() as s:
        answer = search(s, reader=ANONYMOUS, q="尿素化肥", kinds=["listing"])
    found = [r for g in answer.groups for r in g.items]
    assert [r.id for r in found] == [urea] and found[0].match.reason_code == "same-product"
    assert found[0].match.reason_args == {"heading": "3102"}
    assert not item_products._CACHE  # no candidate's text was read with the HS model during the search


def test_an_edited_listing_is_read_again_and_a_deleted_one_leaves_no_products(bank):
    from scobank.exchange.models import Listing

    listing = _publish(bank, *UREA)
    _index(bank)
    with bank.session() as s:
        row = s.get(Listing, int(listing))
        row.title, row.description = {"ru": YARN[0]}, {"ru": YARN[1]}
    assert listing not in _products(bank)  # the text changed: the old reading is dropped with the vectors
    _index(bank)
    yarn = _products(bank)[listing]
    assert "3102" not in yarn and any(h[:2] == "52" for h in yarn), yarn  # chapter 52: cotton (yarn)
    with bank.session() as s:
        s.delete(s.get(Listing, int(listing)))
    assert listing not in _products(bank)


def test_reindex_reads_the_products_of_listings_indexed_without_them(bank):
    from scobank.ai.models import ItemProducts
    from scobank.ai.reindex import rebuild_index

    urea = _publish(bank, *UREA)
    _index(bank)
    with bank.session() as s:
        s.execute(ItemProducts.__table__.delete())
    with bank.session() as s:
        reports = rebuild_index(s, kinds=["listing"], include_hs=False)
    assert reports[0].embedded == 0  # the text did not change: not embedded again
    assert "3102" in _products(bank)[urea]
