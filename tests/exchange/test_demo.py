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


def test_generated_listings_name_their_hs_code_in_every_language(bank, data_dir, reference_datasets,
                                                                    monkeypatch):
    """Title, HS code and description agree: the text of each language names the code's heading (or its
    chapter) as the bank's nomenclature words it in that language; no placeholder, no other language's
    text, every kind generated."""
    import re

    from scobank.exchange.kinds import KINDS
    from scobank.reference.lookup import DERIVED_MARK, FALLBACK_MARK, hs_description

    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    with bank.session() as s:
        populate(s, data_dir=data_dir)
        listings = s.scalars(select(Listing)).all()

        def names(code: str, lang: str) -> list[str]:
            found = [hs_description(s, "HS22", level, lang) or "" for level in (code[:4], code[:2])]
            return [n.removesuffix(f" {DERIVED_MARK[lang]}")[:12] for n in found if n and not n.startswith(FALLBACK_MARK)]

        incoherent = [(x.id, x.kind, x.hs_code, lang, x.title[lang]) for x in listings for lang in ("en", "ru", "zh")
                      if not any(n in f"{x.title[lang]} {x.description[lang]}" for n in names(x.hs_code, lang))]
        placeholders = [x.title for x in listings
                        if re.search(r"HS \d+ 类商品|\[en\]|\{|Generated", " ".join(x.title.values()))]
        chinese = {x.title["zh"] for x in listings}
    assert {x.kind for x in listings} == set(KINDS)
    assert all(x.hs_code for x in listings)
    assert incoherent == []
    assert placeholders == []
    assert all(re.search(r"[\u4e00-\u9fff]{2}", t.split("：", 1)[1]) for t in chinese)  # Chinese names
    assert all(re.search(r"[а-яА-Я]{4}", x.title["ru"] + x.description["ru"]) for x in listings)
