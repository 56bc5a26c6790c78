"""The kinds of items hybrid search covers, as a plain list (`KINDS`). Each kind gives its vector
ranking, its lexical ranking and the public shape of a hit, and applies its area's visibility rule:

- dataset: the catalog's metadata in every language; visible = `catalog.visibility.visible_datasets`;
  lexical ranking = the catalog's own full-text search (`scobank.catalog.search`).
- listing: title and description in every language; visible = published and not expired (the
  exchange's public rule); a hit shows only the anonymous card, never the enterprise's identity.
- enterprise: only its anonymous fields (products as HS heading names, sectors); a hit is its card.
- hs: HS 2022 headings (English, Russian names), from the HS suggestion model's cached vectors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.ai.embedding import Embedder
from scobank.ai.index import StoredKind, Texts, forget_on_change, stamp_of, sync
from scobank.ai.lexical import lexical_index
from scobank.ai.vectors import Visible, remembered, vector_index
from scobank.catalog import index_feed as catalog_feed
from scobank.catalog.refs import slugs_by_id
from scobank.exchange import index_feed as exchange_feed


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str  # dataset slug, listing id, enterprise id, HS heading
    title: dict[str, str]
    score: float  # fused (reciprocal rank) score; higher is better
    similarity: float | None = None  # cosine similarity of the best text, when found by meaning
    url: str | None = None
    details: dict = field(default_factory=dict)


def _languages(*maps: dict | None) -> list[str]:
    return sorted({k for m in maps for k, v in (m or {}).items() if v})


def _join(*parts: object) -> str:
    return ". ".join(str(p) for p in parts if p)


# ---- datasets -------------------------------------------------------------------------------

def _int_ids(ids: Sequence[str] | None) -> list[int] | None:
    return None if ids is None else [int(i) for i in ids]


def _dataset_texts(session: Session, ids: Sequence[str] | None) -> Iterable[tuple[str, Texts]]:
    for d in catalog_feed.dataset_cards(session, _int_ids(ids)):
        keywords = d.keywords
        texts = {lang: _join((d.title or {}).get(lang), (d.description or {}).get(lang),
                             ", ".join(keywords.get(lang) or []) if isinstance(keywords.get(lang), list) else "")
                 for lang in _languages(d.title, d.description)}
        yield str(d.id), {k: v for k, v in texts.items() if v}


DATASETS = StoredKind(name="dataset", texts=_dataset_texts, count=catalog_feed.count_datasets,
                      stamp=catalog_feed.datasets_stamp)


def _dataset_visible(session: Session, reader: Reader, ids: list[str]) -> set[str]:
    return {str(i) for i in catalog_feed.visible_dataset_ids(session, reader, _int_ids(ids))}


def nearest_datasets(session: Session, reader: Reader, vectors: Sequence[np.ndarray], *,
                     n: int) -> list[tuple[str, float]]:
    """(slug, best similarity to any of `vectors`) of the `n` datasets nearest to each vector that
    `reader` may see (the index is brought up to date once; each dataset's visibility is asked once)."""
    from scobank.ai.embedding import embedder

    model = embedder()
    sync(session, DATASETS, model)
    index = vector_index(session, "dataset", model)
    visible = remembered(lambda ids: _dataset_visible(session, reader, ids))
    best: dict[str, float] = {}
    for vector in vectors:
        for item, similarity in index.nearest(vector, visible=visible, n=n):
            best[item] = max(best.get(item, -1.0), similarity)
    slugs = slugs_by_id(session, [int(i) for i in best])
    return [(slugs[int(i)], s) for i, s in best.items() if int(i) in slugs]


def _dataset_lexical(session: Session, reader: Reader, q: str, n: int) -> list[str]:
    from scobank.catalog.search import search_datasets

    slugs = [h.slug for h in search_datasets(session, reader=reader, q=q, limit=n).items]
    ids = catalog_feed.dataset_ids(session, slugs)
    return [str(ids[s]) for s in slugs if s in ids]


def _dataset_hits(session: Session, ids: list[str]) -> dict[str, dict]:
    rows = catalog_feed.dataset_cards(session, _int_ids(ids))
    return {str(d.id): {"id": d.slug, "title": dict(d.title or {}), "url": f"/api/v1/datasets/{d.slug}",
                        "details": {"kind": d.kind, "classification": d.classification}} for d in rows}


# ---- listings -------------------------------------------------------------------------------

def _listing_texts(session: Session, ids: Sequence[str] | None) -> Iterable[tuple[str, Texts]]:
    for lid, title, description in exchange_feed.listing_texts(session, _int_ids(ids)):
        texts = {lang: _join((title or {}).get(lang), (description or {}).get(lang))
                 for lang in _languages(title, description)}
        yield str(lid), {k: v for k, v in texts.items() if v}


LISTINGS = StoredKind(name="listing", texts=_listing_texts, count=exchange_feed.count_listings,
                      stamp=exchange_feed.listings_stamp)


def _listing_visible(session: Session, reader: Reader, ids: list[str]) -> set[str]:
    return {str(i) for i in exchange_feed.public_listing_ids(session, _int_ids(ids),
                                                             stamp=stamp_of(session, LISTINGS))}


def _listing_hits(session: Session, ids: list[str]) -> dict[str, dict]:
    rows = exchange_feed.listing_cards(session, _int_ids(ids))
    return {str(li.id): {"id": str(li.id), "title": li.title,
                         "url": f"/api/v1/exchange/listings/{li.id}",
                         "details": {"kind": li.kind, "side": li.side, "hs_code": li.hs_code,
                                     "party": li.party, "size_band": li.size_band}} for li in rows}


# ---- enterprises (anonymous fields only) ----------------------------------------------------

def _enterprise_texts(session: Session, ids: Sequence[str] | None) -> Iterable[tuple[str, Texts]]:
    from scobank.reference.texts import product_texts

    rows = exchange_feed.enterprise_cards(session, _int_ids(ids))
    codes = sorted({str(c) for r in rows for c in r.products})
    names = product_texts(session, "HS22", codes=codes)
    for e in rows:
        texts: Texts = {}
        for lang in ("en", "ru", "zh"):
            joined = "; ".join(names[c][lang] for c in map(str, e.products) if names.get(c, {}).get(lang))
            if joined:
                texts[lang] = joined
        yield str(e.id), texts


ENTERPRISES = StoredKind(name="enterprise", texts=_enterprise_texts, count=exchange_feed.count_enterprises,
                         stamp=exchange_feed.enterprises_stamp)


def _enterprise_hits(session: Session, ids: list[str]) -> dict[str, dict]:
    rows = exchange_feed.enterprise_cards(session, _int_ids(ids))
    return {str(e.id): {"id": str(e.id), "title": {"en": f"Enterprise in {e.party} ({e.size_band})"},
                        "url": f"/api/v1/exchange/enterprises/{e.id}",
                        "details": {"party": e.party, "sectors": e.sectors, "products": e.products,
                                    "size_band": e.size_band}}
            for e in rows}


# ---- the stored kinds: one ranking recipe ---------------------------------------------------

def _generic_lexical(kind: StoredKind) -> Callable[[Session, Reader, str, int, Visible], list[str]]:
    """BM25 over every item's texts (all languages; `scobank.ai.lexical`), visible items only."""

    def rank(session: Session, reader: Reader, q: str, n: int, visible: Visible) -> list[str]:
        from scobank.ai.embedding import embedder

        order = lexical_index(session, kind, embedder()).top(q, n * 4)
        allowed = visible(order) if order else set()
        return [i for i in order if i in allowed][:n]

    return rank


@dataclass(frozen=True)
class StoredSearch:
    kind: StoredKind
    visible: Callable[[Session, Reader, list[str]], set[str]]
    describe: Callable[[Session, list[str]], dict[str, dict]]
    lexical: Callable[[Session, Reader, str, int, Visible], list[str]] | None = None

    @property
    def name(self) -> str:
        return self.kind.name

    def rankings(self, session: Session, reader: Reader, q: str, vector: np.ndarray, model: Embedder,
                 n: int) -> tuple[list[tuple[str, float]], list[str]]:
        sync(session, self.kind, model)

        def visible(ids: list[str]) -> set[str]:
            return self.visible(session, reader, ids)

        dense = vector_index(session, self.kind.name, model).nearest(vector, visible=visible, n=n)
        lexical = (self.lexical or _generic_lexical(self.kind))(session, reader, q, n, visible)
        return dense, lexical


def _dataset_lexical_ranked(session: Session, reader: Reader, q: str, n: int, visible: Visible) -> list[str]:
    return _dataset_lexical(session, reader, q, n)  # the catalog's search applies the gate itself


# ---- HS headings ----------------------------------------------------------------------------

class HsSearch:
    """HS 2022 headings, ranked by the HS suggestion model (vectors cached on disk, not in the store)."""

    name = "hs"

    def rankings(self, session: Session, reader: Reader, q: str, vector: np.ndarray, model: Embedder,
                 n: int) -> tuple[list[tuple[str, float]], list[str]]:
        from scobank.ai.hs_model import hs_model

        hs = hs_model(session, model=model)
        signals = hs.signals(q, vector)
        p = hs.probabilities(signals)
        nearest = np.maximum(np.maximum(signals["en6"], signals["ru6"]), signals["zh6"])
        dense = [(hs.headings[j], float(nearest[j])) for j in np.argsort(-p)[:n]]
        lexical_scores = hs.bm25.scores(q)
        lexical = [hs.bm25.ids[j] for j in np.argsort(-lexical_scores)[:n] if lexical_scores[j] > 0]
        return dense, lexical

    def describe(self, session: Session, ids: list[str]) -> dict[str, dict]:
        from scobank.ai.hs_nomenclature import load_nomenclature

        nom = load_nomenclature(session)
        return {h: {"id": h, "title": nom.name(h), "url": f"/api/v1/reference/hs/HS22/{h}",
                    "details": {"chapter": h[:2]}} for h in ids}


KINDS: list = [
    StoredSearch(DATASETS, visible=_dataset_visible, describe=_dataset_hits, lexical=_dataset_lexical_ranked),
    StoredSearch(LISTINGS, visible=_listing_visible, describe=_listing_hits),
    StoredSearch(ENTERPRISES, visible=lambda session, reader, ids: set(ids), describe=_enterprise_hits),
    HsSearch(),
]
STORED_KINDS = [k.kind for k in KINDS if isinstance(k, StoredSearch)]



@functools.cache
def register_listeners() -> None:
    """Drop an item's vectors when its dataset, listing or enterprise row is updated or deleted (the next
    sync embeds it again). Called once at start-up (`create_app`, the CLI), not on import."""
    forget_on_change(catalog_feed.on_dataset_change, "dataset")
    forget_on_change(exchange_feed.on_listing_change, "listing")
    forget_on_change(exchange_feed.on_enterprise_change, "enterprise")
