"""The generated demonstration exchange: built from real structure, labelled, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from scobank.exchange.demo import populate
from scobank.access.reader import OPERATOR
from scobank.exchange.matching.priors import exports_by_division, strongest_chapters
from scobank.exchange.models import Enterprise, Interest, Listing


def test_the_demo_generates_labelled_enterprises_from_real_strengths_once(bank, data_dir, reference_datasets,
                                                                         monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    with bank.session() as s:
        first = populate(s, data_dir=data_dir)
    with bank.session() as s:
        second = populate(s, data_dir=data_dir)
        enterprises = s.scalars(select(Enterprise)).all()
        listings = s.scalars(select(Listing)).all()
        interests = s.scalars(select(Interest)).all()
        n_listings = s.scalar(select(func.count(Listing.id)))
    assert "80 generated enterprises" in first[0] and "already there" in second[0]
    assert len(enterprises) == 80 and n_listings == len(listings) >= 240
    assert all(e.generated for e in enterprises) and all(x.generated for x in listings)
    assert all(i.generated for i in interests) and interests
    assert {e.party for e in enterprises} == {"CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"}
    assert all(set(x.title) == {"en", "ru", "zh"} for x in listings)
    assert {x.original_language for x in listings if x.enterprise_id == enterprises[0].id} <= {"en", "ru", "zh"}
    uzbek = [e for e in enterprises if e.party == "UZB"]
    with bank.session() as s:
        strong = set(strongest_chapters(exports_by_division(s, reader=OPERATOR), party="UZB", n=5))
    assert all(p[:2] in strong for e in uzbek for p in e.products)  # products from real export strengths
    assert all(e.original_language == "ru" for e in uzbek)
    assert all(e.contacts["email"].endswith("@generated.example") for e in enterprises)
    requests = [x for x in listings if x.kind == "product_request"]
    assert all(r.sourced_from not in {"CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"}
               for r in requests if r.sourced_from)


def test_generated_chinese_titles_name_the_hs_chapter_in_the_tariffs_words(bank):
    """Chinese listings read "HS 72 类商品" before the bank had Chinese HS names."""
    from scobank.exchange.demo import _World

    with bank.session() as session:
        en, ru, zh = _World(session, None).name("720851")
    assert zh == "钢铁（HS 720851）"
    assert ru.startswith("Прокат плоский из железа или нелегированной стали")
