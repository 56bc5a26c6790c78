"""HS code suggestions for a free-text product description (any language the embedder knows).

Method (figures: benchmarks/ai_eval.py, floors asserted in tests/ai/test_quality.py):
1. Dense: every HS 2022 subheading (6 digits) is embedded from its English text; a heading (4 digits)
   scores the best of its subheadings, plus half the similarity to the heading's own English text and
   0.3 x the similarity to its Russian name (ТН ВЭД) where the reference data has one. (Appending the
   heading's and chapter's text to each subheading, or adding their vectors, scored no better on the
   evaluation set and costs 2-3x the embedding time.)
2. Lexical: BM25 over each heading's English and Russian texts and its subheadings' texts, scaled to
   the best heading of the query, weighted 0.25. It rescues exact words ("barley", "ячмень").
The nomenclature comes from the reference tables (HS22, descriptions en/ru). Its embeddings are
computed once and cached on disk under SCOBANK_AI_CACHE_DIR keyed by model and nomenclature hash.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.ai.embedding import Embedder, embedder
from scobank.ai.lexical import Bm25, terms
from scobank.config import get_settings
from scobank.errors import BadRequest, NotFound
from scobank.reference.models import HsCode

REVISION = "HS22"
RECIPE = "hs6/v2"  # bump when the embedded texts change: old caches are then ignored
W_HEADING, W_RUSSIAN, W_LEXICAL = 0.5, 0.3, 0.25


@dataclass(frozen=True)
class Suggestion:
    code: str  # HS 2022 subheading, 6 digits
    heading: str  # its heading, 4 digits
    score: float  # 0..1, higher is better; comparable within one query
    description: str  # English text of the subheading
    heading_names: dict[str, str] = field(default_factory=dict)  # {"en": ..., "ru": ...} where known


@dataclass(frozen=True)
class Nomenclature:
    """HS 2022 texts: English for chapters, headings and subheadings; Russian where known."""

    en: dict[str, str]
    ru: dict[str, str]

    @property
    def subheadings(self) -> list[str]:
        return sorted(c for c in self.en if len(c) == 6)

    @property
    def headings(self) -> list[str]:
        return sorted(c for c in self.en if len(c) == 4)

    @property
    def digest(self) -> str:
        payload = json.dumps([RECIPE, sorted(self.en.items()), sorted(self.ru.items())], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def load_nomenclature(session: Session) -> Nomenclature:
    """HS22 from the reference tables. Raises NotFound when the bank has no HS22 loaded."""
    rows = session.execute(select(HsCode.code, HsCode.descriptions).where(HsCode.revision == REVISION)).all()
    if not rows:
        raise NotFound("the HS 2022 nomenclature is not loaded in this bank; run `scobank init`")
    en, ru = {}, {}
    for code, texts in rows:
        texts = texts or {}
        if texts.get("en"):
            en[code] = texts["en"]
        if texts.get("ru"):
            ru[code] = _sentence_case(texts["ru"])
    return Nomenclature(en=en, ru=ru)


def _sentence_case(text: str) -> str:
    """ТН ВЭД names are upper case; the embedder reads ordinary sentences better."""
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


class HsModel:
    """The nomenclature's vectors and lexical index, ready to score queries."""

    def __init__(self, nom: Nomenclature, vectors: dict[str, np.ndarray]) -> None:
        self.nom = nom
        self.codes6 = nom.subheadings
        self.headings = nom.headings
        self.ru_headings = [h for h in self.headings if h in nom.ru]
        position = {h: i for i, h in enumerate(self.headings)}
        self.owner = np.array([position[c[:4]] for c in self.codes6])
        self.e6, self.e4, self.r4 = vectors["e6"], vectors["e4"], vectors["r4"]
        self.ru_index = np.array([position[h] for h in self.ru_headings], dtype=np.int64)
        docs: dict[str, list[str]] = {h: terms(nom.en[h]) * 2 + terms(nom.ru.get(h, "")) * 2
                                      for h in self.headings}
        for c in self.codes6:
            docs[c[:4]].extend(terms(nom.en[c]))
        self.bm25 = Bm25(docs)

    def heading_scores(self, text: str, q: np.ndarray) -> np.ndarray:
        s6 = self.e6 @ q
        best = np.full(len(self.headings), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owner, s6)
        s4 = self.e4 @ q
        best = np.where(best < -0.5, s4, best)
        russian = best.copy()
        russian[self.ru_index] = self.r4 @ q
        lexical = self.bm25.scores(text)
        if lexical.max() > 0:
            lexical = lexical / lexical.max()
        total = best + W_HEADING * s4 + W_RUSSIAN * russian + W_LEXICAL * lexical
        return total / (1 + W_HEADING + W_RUSSIAN + W_LEXICAL)


def _embed_nomenclature(nom: Nomenclature, model: Embedder) -> dict[str, np.ndarray]:
    e6 = model.embed([nom.en[c] for c in nom.subheadings])
    e4 = model.embed([nom.en[h] for h in nom.headings])
    r4 = model.embed([nom.ru[h] for h in nom.headings if h in nom.ru])
    return {"e6": e6, "e4": e4, "r4": r4}


_MODELS: dict[tuple[str, str], HsModel] = {}
_BUILD = threading.Lock()


def cache_path(nom: Nomenclature, model: Embedder) -> Path:
    return get_settings().resolved_ai_cache_dir / f"hs22-{model.name}-{nom.digest[:20]}.npz"


def hs_model(session: Session, *, model: Embedder | None = None) -> HsModel:
    """The scoring model for the bank's nomenclature: from memory, else the disk cache, else embedded
    now (about 8,000 texts; minutes on 2 busy cores) and written to the cache atomically."""
    return ensure_hs_model(session, model=model)[0]


def ensure_hs_model(session: Session, *, model: Embedder | None = None) -> tuple[HsModel, int]:
    """`hs_model`, and how many texts were embedded by this call (0 when memory or the disk cache had
    them). The disk cache is written whenever it is missing, also when the model was in memory (it may
    have been built while another cache folder was configured)."""
    model = model or embedder()
    nom = load_nomenclature(session)
    key = (model.name, nom.digest)
    path = cache_path(nom, model)
    embedded = 0
    with _BUILD:
        if key not in _MODELS:
            if path.exists():
                with np.load(path) as z:
                    vectors = {k: z[k] for k in ("e6", "e4", "r4")}
            else:
                vectors = _embed_nomenclature(nom, model)
                embedded = sum(len(v) for v in vectors.values())
            _MODELS[key] = HsModel(nom, vectors)
        if not path.exists():
            _write_cache(path, {k: getattr(_MODELS[key], k) for k in ("e6", "e4", "r4")})
        return _MODELS[key], embedded


def _write_cache(path: Path, vectors: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **vectors)
    tmp.replace(path)


def suggest_hs(session: Session, text: str, top: int = 5) -> list[Suggestion]:
    """The `top` most likely HS 2022 headings for `text`, best first, each with its best-matching
    subheading (6 digits). Raises BadRequest for an empty text or top outside 1..50."""
    if not text or not text.strip():
        raise BadRequest("describe the product: the text is empty")
    if not 1 <= top <= 50:
        raise BadRequest(f"top must be between 1 and 50, got {top}")
    model = embedder()
    hs = hs_model(session, model=model)
    q = model.embed([text.strip()])[0]
    scores = hs.heading_scores(text, q)
    s6 = hs.e6 @ q
    out = []
    for i in np.argsort(-scores)[:top]:
        members = np.flatnonzero(hs.owner == i)
        code = hs.codes6[members[np.argmax(s6[members])]] if len(members) else hs.headings[i] + "00"
        heading = hs.headings[i]
        names = {lang: t[heading] for lang, t in (("en", hs.nom.en), ("ru", hs.nom.ru)) if heading in t}
        out.append(Suggestion(code=code, heading=heading, score=round(float(scores[i]), 4),
                              description=hs.nom.en.get(code, names.get("en", "")), heading_names=names))
    return out
