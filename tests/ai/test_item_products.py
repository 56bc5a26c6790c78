"""The products a listing names (scobank.ai.item_products), the bridge of cross-lingual listing search:
a Russian urea listing and a Chinese query for urea fertiliser name the same heading (3102), a listing of
another product does not; an item's reading is kept until its vector (its text) changes."""

from __future__ import annotations

import numpy as np


def test_a_query_and_a_listing_in_other_languages_name_the_same_heading(bank):
    from scobank.ai.embedding import embedder
    from scobank.ai.hs_model import hs_model
    from scobank.ai.item_products import agreement, products_of
    from scobank.db import session_scope

    listings = {"urea": "Карбамид марки Б. Азотное удобрение карбамид (мочевина) гранулированный, 46,2% азота, "
                        "мешки по 50 кг.",
                "yarn": "Пряжа хлопчатобумажная кардная. Пряжа из хлопка 30/1 для трикотажа, бобины."}
    vectors = dict(zip(listings, embedder().embed(list(listings.values())), strict=True))
    asked: list[list[str]] = []

    def texts(ids):
        asked.append(sorted(ids))
        return {i: listings[i] for i in ids}

    with session_scope() as session:
        hs = hs_model(session)
        read = products_of(hs, vectors, texts)
        query = "尿素化肥"
        p = hs.probabilities(hs.signals(query, embedder().embed([query])[0]))
    share, heading = agreement(hs, p, read["urea"])
    assert heading == "3102" and share >= 0.3, read["urea"]
    assert agreement(hs, p, read["yarn"])[0] < 0.05, read["yarn"]
    assert products_of(hs, vectors, texts) == read and asked == [["urea", "yarn"]]  # read once
    changed = {"urea": -vectors["urea"].astype(np.float32)}
    products_of(hs, changed, texts)
    assert asked[-1] == ["urea"]  # a new vector (a new text) is read again


def test_the_nomenclature_translates_trade_words_between_the_three_languages(bank):
    from scobank.ai.hs_model import hs_model
    from scobank.ai.trade_lexicon import coverage, trade_lexicon
    from scobank.db import session_scope
    from scobank.tokens import terms

    with session_scope() as session:
        lexicon = trade_lexicon(hs_model(session))
    copper = dict(lexicon.translate("copper"))
    assert "铜" in copper and {"медн", "медн~"} & set(copper), copper
    cement = dict(lexicon.translate(terms("цемент")[0]))
    assert {"cement", "水泥"} <= set(cement), cement
    assert lexicon.translate("machin") == ()  # in the texts of too many codes to name one product
    found = lexicon.of_query("цемент навалом")
    assert coverage(found, set(terms("硅酸盐水泥 散装"))) > 0 and coverage(found, set(terms("钢铁"))) == 0
