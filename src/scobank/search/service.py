"""The one search service: the portal's search box, its catalog page and GET /api/v1/search call it.

`search` reads the query once (Unicode NFKC, case-folded; its language detected; an HS code
recognised), embeds it once when its language is supported, asks each kind for its best items
(`scobank.search.groups`) and returns them grouped, each with a readable match. Datasets pass the access
gate (`visible_datasets`, inside the catalog's search), listings the exchange's publication rule; the
search itself is one ledger entry ("search": how many results of each kind, the query's fingerprint).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.ai.blas import one_blas_thread
from scobank.ai.hs_model import HsModel, hs_model
from scobank.ai.hs_suggest import hs_code_of
from scobank.ai.language import Language, detect_language
from scobank.ai.language_notice import language_name, search_notice
from scobank.ai.vectors import one_look
from scobank.catalog.classified import classified_datasets
from scobank.catalog.listed_search import search_listed
from scobank.catalog.search import SearchResult, search_datasets
from scobank.errors import BadRequest, NotFound
from scobank.search import groups
from scobank.search.relevance import Match, match
from scobank.search.results import KINDS, Group, Result, SearchAnswer
from scobank.tokens import document_terms, has_words, matched_words, normalise, query_terms

MAX_QUERY = 500  # characters read; a longer query is cut there and the answer says so
DATASET_MEANING_FLOOR = 0.35


@dataclass(frozen=True)
class DatasetFilters:
    party: str | None = None
    organisation: str | None = None
    theme: str | None = None
    license: str | None = None
    classification: str | None = None
    year_from: int | None = None
    year_to: int | None = None


def search(session: Session, *, reader: Reader, q: str | None, kinds: list[str] | None = None, per_kind: int = 5,
           filters: DatasetFilters | None = None, limit: int = 20, offset: int = 0, lang: str = "en") -> SearchAnswer:
    """Everything `reader` may see that matches `q`, grouped by kind (see the module docstring); the notice
    about the query's language in the reader's language `lang`.
    Raises BadRequest for an unknown kind or `per_kind` outside 1..50."""
    with one_blas_thread(), one_look():
        return _search(session, reader=reader, q=q, kinds=kinds, per_kind=per_kind, filters=filters, limit=limit,
                       offset=offset, lang=lang)


def _search(session: Session, *, reader: Reader, q: str | None, kinds: list[str] | None, per_kind: int,
            filters: DatasetFilters | None, limit: int, offset: int, lang: str) -> SearchAnswer:
    unknown = sorted(set(kinds or []) - set(KINDS))
    if unknown:
        raise BadRequest(f"unknown kind {', '.join(unknown)}; known: {', '.join(KINDS)}")
    if not 1 <= per_kind <= 50:
        raise BadRequest(f"per_kind must be between 1 and 50, got {per_kind}")
    raw = (q or "").strip()
    text = normalise(" ".join(raw[:MAX_QUERY].split()))
    language = detect_language(text)
    filters = filters or DatasetFilters()
    notice_code, notice = _notice(raw, text, language, lang)
    if not text or not has_words(text):
        page = search_datasets(session, reader=reader, q=text or None, limit=limit, offset=offset,
                               **filters.__dict__)
        return SearchAnswer(**page.model_dump(), q=raw, language=language.code, supported=language.supported,
                            language_name=language_name(language.code, lang), notice=notice, notice_code=notice_code)
    vector = _embed(text) if language.supported else None
    hs = _hs(session)
    code = hs_code_of(text) if hs is not None else None
    wanted = [k for k in KINDS if not kinds or k in kinds]
    found: dict[str, list[Result]] = {}
    reading = groups.read_products(hs, text, vector, code) if hs is not None else None
    via_products = groups.bridge(hs, reading) if hs is not None else None
    if "product" in wanted and hs is not None:
        found["product"] = groups.products(session, hs, q=text, reading=reading, code=code, n=per_kind)
    ranked, dataset_matches = _dataset_ranking(session, reader, text, [vector, via_products],
                                               found.get("product", []))
    page = _datasets(session, reader, text, ranked, dataset_matches, filters, limit=max(limit, per_kind),
                     offset=offset)
    shown = [_dataset_result(h, dataset_matches.get(h.slug), text) for h in page.items]
    if "dataset" in wanted:
        found["dataset"] = shown[:per_kind]
    for kind in ("listing", "enterprise"):
        if kind in wanted:
            found[kind] = groups.stored(session, reader, kind=kind, q=text, vector=vector, n=per_kind,
                                        via_products=via_products, hs=hs, reading=reading)
    if "member" in wanted:
        found["member"] = groups.members(session, text, per_kind)
    listed = _listed(session, reader, text, per_kind) if "dataset" in wanted else []
    _record(session, reader, text, {**found, "listed": listed})
    page.items = page.items[:limit]
    goto = f"/products/HS22/{code}" if code and found.get("product") else None
    return SearchAnswer(**page.model_dump(), q=raw, language=language.code, supported=language.supported,
                        language_name=language_name(language.code, lang), notice=notice, notice_code=notice_code, goto=goto, matches={r.id: r.match for r in shown[:limit]},
                        groups=[Group(kind=k, items=found[k]) for k in KINDS if found.get(k)], listed=listed)


def _listed(session: Session, reader: Reader, text: str, n: int) -> list[Result]:
    """The listings of datasets the reader may ask for, found by the words they show (catalog.listed_search)."""
    words = sorted(query_terms(text))  # every word of the query is in what the listing shows
    return [Result(kind="dataset", id=d.slug, title=d.title, url=f"/datasets/{d.slug}",
                   api_url=f"/api/v1/datasets/{d.slug}", match=match(words=words, query_terms=len(words)),
                   details={"listed_only": True, "organisation": d.organisation, "party": d.party,
                            "description": d.description, "request_url": f"/datasets/{d.slug}/request-access"})
            for d in search_listed(session, reader=reader, q=text, limit=n)]


def _notice(raw: str, text: str, language: Language, lang: str) -> tuple[str, str] | tuple[None, None]:
    """(code, sentence) of what the reader should know, or (None, None)."""
    if raw and not has_words(text):
        return "no-words", "There are no words to search for: type words (en, ru or zh), a name or an HS code."
    if text and not language.supported and language.code:
        return "language-not-supported", search_notice(language.code, lang)
    if len(raw) > MAX_QUERY:
        return "truncated", f"Only the first {MAX_QUERY} characters of the query were read."
    return None, None


_VECTORS: dict[tuple[str, str], np.ndarray] = {}  # (model, query) -> its vector, for the queries asked again
VECTORS_KEPT = 2048


def _embed(text: str) -> np.ndarray | None:
    try:
        from scobank.ai.embedding import embedder

        model = embedder()
    except (ImportError, BadRequest):  # no embedder installed: words alone
        return None
    key = (model.name, text)
    vector = _VECTORS.get(key)
    if vector is None:
        vector = model.embed([text])[0]
        vector.flags.writeable = False
        if len(_VECTORS) >= VECTORS_KEPT:
            _VECTORS.clear()
        _VECTORS[key] = vector
    return vector


def _hs(session: Session) -> HsModel | None:
    try:
        return hs_model(session)
    except (NotFound, ImportError):  # no HS nomenclature loaded: no products
        return None


def _dataset_ranking(session: Session, reader: Reader, text: str, vectors: list[np.ndarray | None],
                     products: list[Result]) -> tuple[list[str], dict[str, Match]]:
    """Slugs of the datasets found by meaning, then of those classified by a product system of the
    products found (best first, visible to `reader`), and why each was found."""
    from scobank.ai.kinds import nearest_datasets

    matches: dict[str, Match] = {}
    order: list[str] = []
    vectors = [v for v in vectors if v is not None]
    best = nearest_datasets(session, reader, vectors, n=groups.CANDIDATES) if vectors else []
    for slug, similarity in sorted(best, key=lambda kv: -kv[1]):
        if similarity >= DATASET_MEANING_FLOOR:
            order.append(slug)
            matches[slug] = match(similarity=similarity)
    systems = {r.details.get("classification", "")[:2] for r in products if r.match.score >= 25}
    if systems:
        _by_system(session, reader, systems, products, order, matches)
    return order, matches


def _by_system(session: Session, reader: Reader, systems: set[str], products: list[Result], order: list[str],
               matches: dict[str, Match]) -> None:
    """Datasets classified by HS (any revision) or SITC, when products of that system were found."""
    named = ", ".join(r.id.split(":")[1] for r in products[:3])
    for classification, slugs in classified_datasets(session, reader).items():
        family = "HS" if classification.upper().startswith("HS") else classification[:2].upper()
        if family not in systems:
            continue
        for slug in slugs:
            if slug not in matches:
                order.append(slug)
                matches[slug] = match(floor=40, reason=f"has data by {classification} product ({named})",
                                      reason_code="product-system",
                                      reason_args={"classification": classification, "products": named})


def _datasets(session: Session, reader: Reader, text: str, ranked: list[str], matches: dict[str, Match],
              filters: DatasetFilters, *, limit: int, offset: int) -> SearchResult:
    """The page of datasets: those found by words (every word in their metadata; the CANDIDATES best by
    the catalog's score) and those of `ranked`, by match (words and meaning together), best first; then
    the other datasets found by words, by the catalog's score. Total and facets count all of them.

    One catalog search: `ranked` joins its word matches, and enough of its order is read to hold the best
    word matches wherever they stand (the ranked datasets lead it, then the word matches by score)."""
    found = search_datasets(session, reader=reader, q=text, ranked=ranked, offset=0,
                            limit=len(ranked) + groups.CANDIDATES + offset + limit, **filters.__dict__)
    by_words = sorted((h for h in found.items if h.score > 0), key=lambda h: (-h.score, h.slug))[:groups.CANDIDATES]
    for hit in by_words:
        matches[hit.slug] = _dataset_result(hit, matches.get(hit.slug), text).match
    hits = {h.slug: h for h in found.items}
    best = sorted(dict.fromkeys([h.slug for h in by_words] + [s for s in ranked if s in hits]),
                  key=lambda slug: -matches[slug].score)
    lead = set(best)
    order = [hits[s] for s in best] + [h for h in found.items if h.slug not in lead]
    return found.model_copy(update={"items": order[offset:offset + limit]})


def _dataset_result(hit, m: Match | None, text: str) -> Result:
    texts = [*hit.title.values(), *hit.description.values()]
    terms = set().union(*(document_terms(t) for t in texts)) if texts else set()
    words = matched_words(text, terms)
    wanted = query_terms(text)
    # a positive catalog score: every word of the query is in its metadata (maybe in a field not shown)
    found = len(wanted) if hit.score > 0 else len(wanted & terms)
    by_words = match(words=words or ([text] if hit.score > 0 else []), query_terms=len(wanted), word_terms=found)
    best = m if m is not None and m.score >= by_words.score else by_words
    if words and best is not by_words:
        best = best.model_copy(update={"words": words})
    return Result(kind="dataset", id=hit.slug, title=hit.title, url=f"/datasets/{hit.slug}",
                  api_url=f"/api/v1/datasets/{hit.slug}", match=best,
                  details={"party": hit.party, "organisation": hit.organisation, "classification": hit.classification})


def _record(session: Session, reader: Reader, text: str, found: dict[str, list[Result]]) -> None:
    counts = {k: len(v) for k, v in found.items()}
    ledger.record(session, actor=reader, action="search", rows=sum(counts.values()),
                  query_fingerprint=hashlib.sha256(text.encode()).hexdigest()[:16],
                  detail={"results": counts, "datasets": [r.id for r in found.get("dataset", [])],
                          "listed": [r.id for r in found.get("listed", [])]})
