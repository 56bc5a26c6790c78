"""One function per kind of result: each ranks its items for a query and says why each matched.

- products: HS 2022 headings from the HS suggestion model (an HS code typed: that product first), and
  SITC rev. 2 products by their names' words;
- datasets: words of their metadata (the catalog's search, every word required), closeness of meaning
  (their vectors), and, when the query names products, the datasets classified by that product system
  ("has data by HS product");
- listings and enterprises: closeness of meaning (a listing in Russian is found from Chinese) and words;
  only published, unexpired listings; enterprises by their anonymous card only;
- members: the parties' names in every language.
Meaning counts only for languages the embedder knows (`scobank.ai.language`); else words alone.
"""

from __future__ import annotations

import functools

import numpy as np
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from dataclasses import dataclass

from scobank.ai.hs_model import HsModel
from scobank.ai.hs_suggest import MATCH_THRESHOLD, match_probability
from scobank.ai.index import sync
from scobank.ai.language import SUPPORTED, detect_language
from scobank.ai.vectors import VectorIndex, remembered, vector_index
from scobank.ai.kinds import ENTERPRISES, KINDS, LISTINGS
from scobank.ai.lexical import LexicalIndex, lexical_index
from scobank.reference.texts import party_names, product_texts, product_texts_token
from scobank.search.relevance import Match, label, match
from scobank.search.results import Result
from scobank.tokens import document_terms, matched_words, query_terms
from scobank.tokens import terms as text_terms

MEANING_FLOOR = 0.35
# a listing written only in the query's language: its similarity counts this much less (`_across_languages`;
# chosen on tests/data/listings_xling_tuning.jsonl: 0.05 / 0.1 / 0.15 -> recall@5 0.833 / 0.839 / 0.839)
SAME_LANGUAGE_DISCOUNT = 0.1
# a listing among the nearest that names the query's product is a candidate from this agreement on, and
# its match weighs the agreement so (chosen on tests/data/listings_xling_tuning.jsonl)
SAME_PRODUCT_MIN, SAME_PRODUCT_WEIGHT = 0.05, 0.7
TRANSLATED_WEIGHT = 0.7  # a listing holding translations of the query's words (`scobank.ai.trade_lexicon`)  # below this similarity an item is listed only for its words
CANDIDATES = 50
BRIDGE_HEADINGS, BRIDGE_MIN_P = 3, 0.05
SITC_SHOWN = 2  # SITC products listed after the HS headings


@dataclass(frozen=True)
class ProductReading:
    """What the HS model reads in a query: each heading's probability and signals, and whether the
    query names a product at all (the match gate)."""

    p: np.ndarray
    signals: dict[str, np.ndarray]
    names_a_product: bool


_READINGS: dict[tuple[int, str], ProductReading] = {}  # (HS model, query) -> its reading; repeated queries
READINGS_KEPT = 2048


def read_products(hs: HsModel, q: str, vector: np.ndarray | None, code: str | None) -> ProductReading | None:
    """The HS model's reading of `q` (its vector `vector`), kept for the queries asked again (a model
    built from changed names is another model: its readings are new)."""
    if vector is None or code is not None:
        return None
    key = (id(hs), q)
    reading = _READINGS.get(key)
    if reading is None:
        signals = hs.signals(q, vector)
        p = hs.probabilities(signals)
        reading = ProductReading(p=p, signals=signals,
                                 names_a_product=match_probability(hs, q, signals, p) >= MATCH_THRESHOLD)
        if len(_READINGS) >= READINGS_KEPT:
            _READINGS.clear()
        _READINGS[key] = reading
    return reading


def bridge(hs: HsModel, reading: ProductReading | None) -> np.ndarray | None:
    """The meaning of the products a query names, in all three languages at once: the probability-
    weighted mean of its likeliest headings' vectors (their en/ru/zh names). A query in one language
    then meets an item written in another through the nomenclature (урея -> 3102 <- 尿素)."""
    if reading is None or not reading.names_a_product:
        return None
    top = [int(i) for i in np.argsort(-reading.p)[:BRIDGE_HEADINGS] if reading.p[i] >= BRIDGE_MIN_P]
    if not top:
        return None
    vector = sum(float(reading.p[i]) * hs.heading_vector(hs.headings[i]) for i in top)
    return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)


def products(session: Session, hs: HsModel, *, q: str, reading: ProductReading | None, code: str | None,
             n: int) -> list[Result]:
    """HS headings (the typed code first; else the model's suggestions when its match gate passes) and
    SITC products whose names hold the query's words."""
    out: list[Result] = []
    if code is not None and code[:4] in hs.position:
        out.append(_hs_result(hs, code[:4], Match(score=100, label="strong", words=[code], reason="HS code",
                                                            reason_code="hs-code")))
    if reading is not None and reading.names_a_product:
        signals, p = reading.signals, reading.p
        nearest = np.maximum(np.maximum(signals["en6"], signals["ru6"]), signals["zh6"])
        for i in np.argsort(-p)[:n]:
            heading = hs.headings[int(i)]
            words = hs.matched_words(heading, q)
            out.append(_hs_result(hs, heading, match(similarity=float(nearest[i]), words=words,
                                                     query_terms=len(query_terms(q)),
                                                     floor=round(100 * float(p[i])))))
    if code is not None:
        return out[:n]
    return sorted(out, key=lambda r: -r.match.score)[:n] + _sitc(session, q, SITC_SHOWN)


def _hs_result(hs: HsModel, heading: str, m: Match) -> Result:
    return Result(kind="product", id=f"HS22:{heading}", title=hs.nom.name(heading), match=m,
                  url=f"/products/HS22/{heading}", api_url=f"/api/v1/reference/hs/HS22/{heading}",
                  details={"classification": "HS22", "code": heading, "chapter": heading[:2]})


_SITC: dict[tuple, list[tuple[str, dict[str, str], set[str]]]] = {}


def _sitc_terms(session: Session) -> list[tuple[str, dict[str, str], set[str]]]:
    """(code, names, terms) of every SITC rev. 2 product, read once per process and database."""
    key = (str(session.get_bind().url), product_texts_token(session, "SITC2"))
    if key not in _SITC:
        rows = []
        for code, names in product_texts(session, "SITC2").items():
            texts = {k: v for k, v in names.items() if isinstance(v, str)}
            rows.append((code, texts, set().union(*(document_terms(t) for t in texts.values())) if texts else set()))
        _SITC.clear()
        _SITC[key] = rows
    return _SITC[key]


def _sitc(session: Session, q: str, n: int) -> list[Result]:
    wanted = query_terms(q)
    if not wanted:
        return []
    found = []
    for code, texts, terms in _sitc_terms(session):
        if wanted <= terms:
            found.append(Result(kind="product", id=f"SITC2:{code}", title=texts, url=f"/products/SITC2/{code}",
                                match=match(words=matched_words(q, terms), query_terms=len(wanted),
                                            word_terms=len(wanted)),
                                details={"classification": "SITC2", "code": code}))
    return sorted(found, key=lambda r: (len(r.id), r.id))[:n]


def stored(session: Session, reader: Reader, *, kind: str, q: str, vector: np.ndarray | None,
           n: int, via_products: np.ndarray | None = None, hs: HsModel | None = None,
           reading: ProductReading | None = None) -> list[Result]:
    """Listings or enterprises by meaning and words (see the module docstring)."""
    stored_kind = LISTINGS if kind == "listing" else ENTERPRISES
    search = next(k for k in KINDS if k.name == kind)

    visible = remembered(lambda ids: search.visible(session, reader, ids))
    from scobank.ai.embedding import embedder

    model = embedder()
    if vector is not None:
        sync(session, stored_kind, model)
    wanted = query_terms(q)
    by_words = lexical_index(session, stored_kind, model) if wanted else None
    worded = _visible_top(by_words, q, visible) if by_words is not None else []
    similar: dict[str, float] = {}
    index = None
    if vector is not None:
        index = vector_index(session, kind, model)
        similar = closest(index, [vector, via_products], visible=visible, extra=set(worded))
    meaning = _across_languages(index, similar, q) if kind == "listing" else similar
    same = _same_products(session, stored_kind, hs, reading, index, similar, model.name) if kind == "listing" else {}
    candidates = {i for i, s in similar.items() if s >= MEANING_FLOOR} | set(worded) | set(same)
    # the query's terms each candidate holds, from the word index's postings (no texts read per query)
    held = by_words.held_terms(candidates, set(text_terms(q))) if by_words is not None else {}
    translated = _translated(hs, by_words, q, set(similar) | candidates) if kind == "listing" else {}
    candidates |= set(translated)
    results = []
    for item in candidates:
        known = held.get(item, set())
        count = len(wanted & known)
        if item in similar or count or item in translated:
            m = match(similarity=meaning.get(item), query_terms=len(wanted), word_terms=count)  # words: when shown
            if item in same:
                m = _with_product(m, same[item])
            if item in translated:
                m = _with_translated(m, translated[item])
            results.append((item, m))
    results.sort(key=lambda r: (-r[1].score, -(r[1].meaning or 0), r[0]))
    shown = search.describe(session, [i for i, _ in results[:n]])
    return [_stored_result(kind, shown[i], m.model_copy(update={"words": matched_words(q, held.get(i, set()))}))
            for i, m in results[:n] if i in shown]


def _across_languages(index: VectorIndex | None, similar: dict[str, float], q: str) -> dict[str, float]:
    """The listings' similarities on one scale across languages: the sentence embedder rates a text in the
    query's own language higher than its translation (a Chinese query: unrelated Chinese listings at 0.4-0.55,
    the Russian listing of the same goods at 0.15-0.3), so a listing written only in the query's language
    counts SAME_LANGUAGE_DISCOUNT less; the order within one language is unchanged. Candidates are still
    chosen on the raw similarity (MEANING_FLOOR)."""
    language = detect_language(q).code
    if index is None or language not in SUPPORTED:
        return similar
    return {i: s - SAME_LANGUAGE_DISCOUNT if index.languages_of(i) == {language} else s for i, s in similar.items()}


def _same_products(session: Session, stored_kind, hs: HsModel | None, reading: ProductReading | None,
                   index: VectorIndex | None, similar: dict[str, float], model: str) -> dict[str, tuple[float, str]]:
    """The nearest items that name the product the query names (`scobank.ai.item_products`; stored when
    the item was indexed, `scobank.ai.stored_products`, else read now): item -> (agreement 0-1, the
    shared heading). Only when the query names a product (the match gate)."""
    if hs is None or reading is None or not reading.names_a_product or index is None or not similar:
        return {}
    from scobank.ai.item_products import agreement, products_of
    from scobank.ai.stored_products import stored

    nearest = sorted(similar, key=lambda i: -similar[i])
    found = stored(session, hs, stored_kind.name, model, nearest)
    vectors = {item: v for item in nearest if item not in found and (v := index.vector_of(item)) is not None}

    def texts(ids: list[str]) -> dict[str, str]:
        return {item: ". ".join(t.values()) for item, t in stored_kind.texts(session, sorted(ids))}

    found.update(products_of(hs, vectors, texts) if vectors else {})
    out = {}
    for item, products in found.items():
        share, heading = agreement(hs, reading.p, products)
        if share >= SAME_PRODUCT_MIN and heading is not None:
            out[item] = (share, heading)
    return out


def _with_product(m: Match, same: tuple[float, str]) -> Match:
    """The match of an item that names the query's product: at least the weighted mean of its meaning
    and the agreement, with the shared heading as the reason."""
    share, heading = same
    score = round((1 - SAME_PRODUCT_WEIGHT) * (m.meaning or 0) + SAME_PRODUCT_WEIGHT * 100 * share)
    if score <= m.score:
        return m
    return m.model_copy(update={"score": score, "label": label(score), "reason": f"names the same product (HS {heading})",
                                "reason_code": "same-product", "reason_args": {"heading": heading}})


def _translated(hs: HsModel | None, by_words, q: str, pool: set[str]) -> dict[str, float]:
    """Items of `pool` holding translations of the query's words (another language's words for the same
    goods in the nomenclature): item -> coverage 0-1."""
    if hs is None or by_words is None or not pool:
        return {}
    from scobank.ai.trade_lexicon import coverage, trade_lexicon

    translations = trade_lexicon(hs).of_query(q)
    if not translations:
        return {}
    held = by_words.held_terms(pool, {t for found in translations.values() for t in found})
    return {item: share for item in pool if (share := coverage(translations, held[item])) > 0}


def _with_translated(m: Match, share: float) -> Match:
    """The match of an item holding translations of the query's words (`share`: their coverage, 0-1). An
    item that also names the query's product gains that share of what its score lacks of 100: many
    goods share a heading (ferro-alloys 7202, nitrogen fertilisers 3102, spinning machinery 8445), and
    the words tell them apart (chosen on tests/data/listings_xling_tuning.jsonl: recall@5 0.792 ->
    0.821 instead of the better of the two alone). Else the weighted mean of meaning and words."""
    if m.reason_code == "same-product":
        score = m.score + round((100 - m.score) * share)
    else:
        score = round((1 - TRANSLATED_WEIGHT) * (m.meaning or 0) + TRANSLATED_WEIGHT * 100 * share)
    return m if score <= m.score else m.model_copy(update={"score": score, "label": label(score)})


def closest(index: VectorIndex, vectors: list[np.ndarray | None], *, visible, extra: set[str]) -> dict[str, float]:
    """Item -> its best similarity to any of `vectors` (the query's meaning, the products it names),
    over the nearest visible items of each and the `extra` ones; one pass over the matrix for all."""
    vectors = [v for v in vectors if v is not None]
    if not vectors:
        return {}
    scored = index.similarities(vectors)
    ids: set[str] = set(extra)
    for column, vector in enumerate(vectors):
        ids |= {i for i, _ in index.nearest(vector, visible=visible, n=CANDIDATES, scored=scored, column=column)}
    return index.best_of(vectors, scored, ids)


def _visible_top(index: LexicalIndex, q: str, visible) -> list[str]:
    """The CANDIDATES visible items best by BM25 over their words (all languages)."""
    order = index.top(q, CANDIDATES * 4)
    allowed = visible(order) if order else set()
    return [i for i in order if i in allowed][:CANDIDATES]


def _stored_result(kind: str, info: dict, m: Match) -> Result:
    url = f"/exchange/listings/{info['id']}" if kind == "listing" else None
    title = info["title"]
    if kind == "enterprise":
        party, size = info["details"]["party"], info["details"]["size_band"]
        title = {"en": f"Enterprise in {party} ({size})", "ru": f"Предприятие, {party} ({size})",
                 "zh": f"企业，{party}（{size}）"}
    return Result(kind=kind, id=info["id"], title=title, url=url, api_url=info["url"], match=m,
                  details=info["details"])


@functools.lru_cache(maxsize=1024)
def _party_terms(iso3: str, texts: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The terms of a party's names (reference data: the same few names for every query)."""
    return frozenset(set().union(*(document_terms(t) for _, t in texts)) | {iso3.casefold()})


def members(session: Session, q: str, n: int) -> list[Result]:
    """Parties (members, observers, partners today) whose name in any language holds the query's words."""
    wanted = query_terms(q)
    if not wanted:
        return []
    out = []
    for iso3, (status, texts) in sorted(party_names(session).items()):
        terms = _party_terms(iso3, tuple(sorted(texts.items())))
        hit = wanted & terms
        if len(hit) == len(wanted):
            out.append(Result(kind="member", id=iso3, title=texts, url=f"/members/{iso3}",
                              api_url=f"/api/v1/reference/parties?iso3={iso3}",
                              match=match(words=matched_words(q, terms), query_terms=len(wanted),
                                          word_terms=len(hit)),
                              details={"status": status}))
    return out[:n]
