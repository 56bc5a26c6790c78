"""The HS suggestion model: the nomenclature's vectors and lexical index, scoring the 1,228 headings.

Signals for each heading (`signals`; figures: benchmarks/hs_eval.py):
- dense, per language of en/ru/zh and level (2: its chapter's text, 4: its own text, 6: the best of its
  subheadings' texts): cosine similarity to the query; a heading without a text in ru or zh takes the
  English value, so a gap in the Russian or Chinese nomenclature is no penalty;
- lexical: BM25 over the heading's and its subheadings' texts in all three languages, and the Russian
  short names of its 10-digit TN VED codes (reference "terms": карбамид under 3102) (the bank's one
  tokenizer: stems, numbers, Chinese characters and character pairs), raw (log) and divided by the best.
A linear score over these, fitted on the tuning set, gives each heading a probability (`probabilities`).

Vectors are cached on disk per part (language x level), keyed by model and the part's texts, so new
Russian or Chinese names re-embed only their own part.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from scobank.ai.bm25 import Bm25
from scobank.ai.embedding import Embedder, embedder
from scobank.ai.hs_nomenclature import LANGUAGES, REVISION, Nomenclature, load_nomenclature
from scobank.config import get_settings
from scobank.reference.texts import product_texts_token
from scobank.tokens import matched_words, terms

RECIPE = "hs-part/v3"  # bump when the embedded texts change: old caches are then ignored
# A heading's score is FEATURES . WEIGHTS; its probability the softmax of the scores over all headings.
# Fitted by softmax regression (cross-entropy, so the probabilities are calibrated) on the tuning set
# tests/data/ai_eval.jsonl (164 items x en/ru/zh) and hs_short_tuning.jsonl (40 short names x en/ru/zh)
# with benchmarks/hs_fit.py; never on the held-out set.
FEATURES = ("en2", "en4", "en6", "ru2", "ru4", "ru6", "zh2", "zh4", "zh6", "lexical", "lexical_raw")
WEIGHTS = np.array([0.84, 3.60, 4.98, -0.20, 1.51, 2.33, 4.10, 1.97, 4.72, 4.11, 0.48], dtype=np.float32)


@dataclass(frozen=True)
class Part:
    """The texts of one language at one level (4: headings, 6: subheadings) and their vectors."""

    lang: str
    level: int
    codes: list[str]
    vectors: np.ndarray


def _part_texts(nom: Nomenclature, lang: str, level: int) -> tuple[list[str], list[str]]:
    texts = nom.texts(lang)
    codes = sorted(c for c in texts if len(c) == level and c[:min(level, 4)] in nom.en)
    return codes, [texts[c] for c in codes]


class HsModel:
    """Scores every heading for a query (see the module docstring)."""

    def __init__(self, nom: Nomenclature, parts: list[Part]) -> None:
        self.nom = nom
        self.headings = nom.headings
        self.position = {h: i for i, h in enumerate(self.headings)}
        self.parts = parts
        self._owners = {(p.lang, p.level): self._owner_positions(p) for p in parts}
        self._segments = {key: _segments(owners) for key, owners in self._owners.items() if key[1] != 2}
        docs: dict[str, list[str]] = {h: [] for h in self.headings}
        for lang in LANGUAGES:
            for code, text in nom.texts(lang).items():
                if len(code) == 4 and code in docs:
                    docs[code].extend(terms(text) * 2)
                elif len(code) == 6 and code[:4] in docs:
                    docs[code[:4]].extend(terms(text))
        for heading, text in nom.ru_terms.items():  # Russian customs words of its 10-digit codes
            if heading in docs:
                docs[heading].extend(terms(text))
        self.bm25 = Bm25(docs)
        self._terms = {h: set(doc) for h, doc in docs.items()}

    def _owner_positions(self, part: Part) -> np.ndarray:
        """For each text of `part`, the heading it scores; for chapters (level 2) the other way round:
        for each heading, the row of its chapter's text (-1: none)."""
        if part.level == 2:
            row = {c: i for i, c in enumerate(part.codes)}
            return np.array([row.get(h[:2], -1) for h in self.headings], dtype=np.int64)
        return np.array([self.position[c[:4]] for c in part.codes], dtype=np.int64)

    @functools.cached_property
    def digest(self) -> str:
        """The digest of the nomenclature's texts this model reads with."""
        return self.nom.digest

    def part(self, lang: str, level: int) -> Part:
        return next(p for p in self.parts if p.lang == lang and p.level == level)

    def signals(self, text: str, q: np.ndarray) -> dict[str, np.ndarray]:
        """Each signal, one value per heading: `{lang}{level}` the best similarity to a text of that
        language at that level (2: its chapter, 4: the heading, 6: a subheading; a missing text takes
        the English value), and the lexical score (raw and divided by the best heading's)."""
        return self._signals(text, {(p.lang, p.level): p.vectors @ q for p in self.parts if len(p.codes)})

    def signals_many(self, texts: list[str], vectors: np.ndarray) -> list[dict[str, np.ndarray]]:
        """`signals` of several texts (rows of `vectors` their embeddings): one matrix product per part
        of the nomenclature for all of them, instead of one pass over its 17,700 vectors per text."""
        dense = self._dense({(p.lang, p.level): p.vectors @ vectors.T for p in self.parts if len(p.codes)})
        return [{**{name: values[:, j] for name, values in dense.items()}, **self._lexical(text)}
                for j, text in enumerate(texts)]

    def _signals(self, text: str, sims: dict[tuple[str, int], np.ndarray]) -> dict[str, np.ndarray]:
        return {**self._dense(sims), **self._lexical(text)}

    def _dense(self, sims: dict[tuple[str, int], np.ndarray]) -> dict[str, np.ndarray]:
        """The dense signals from each part's similarities (one per text of the part, or texts x queries)."""
        extra = next(iter(sims.values())).shape[1:] if sims else ()
        out: dict[str, np.ndarray] = {}
        for lang in LANGUAGES:
            for level in (2, 4, 6):
                key = (lang, level)
                values = np.full((len(self.headings), *extra), -2.0, dtype=np.float32)
                owners = self._owners[key]
                if key in sims and level == 2:
                    has = (owners >= 0).reshape(-1, *([1] * len(extra)))
                    values = np.where(has, sims[key][np.maximum(owners, 0)], values).astype(np.float32)
                elif key in sims:  # each heading: the best of its texts (a segment maximum)
                    order, starts, heads = self._segments[key]
                    values[heads] = np.maximum.reduceat(sims[key] if order is None else sims[key][order], starts,
                                                        axis=0)
                if lang != "en":
                    values = np.where(values < -1.5, out[f"en{level}"], values)
                out[f"{lang}{level}"] = values
        out["en6"] = np.where(out["en6"] < -1.5, out["en4"], out["en6"])
        return out

    def _lexical(self, text: str) -> dict[str, np.ndarray]:
        lexical = self.bm25.scores(text)
        top = lexical.max() if len(lexical) else 0.0
        return {"lexical": (lexical / top if top > 0 else lexical).astype(np.float32),
                "lexical_raw": np.log1p(lexical).astype(np.float32)}

    def probabilities(self, signals: dict[str, np.ndarray]) -> np.ndarray:
        """P(heading) for every heading: the softmax of FEATURES . WEIGHTS."""
        return softmax(np.stack([signals[f] for f in FEATURES], axis=1) @ WEIGHTS)

    def heading_vector(self, heading: str) -> np.ndarray:
        """The mean of the heading's own texts' vectors (en, and ru and zh where it has them), unit norm."""
        rows = [p.vectors[p.codes.index(heading)] for p in self.parts if p.level == 4 and heading in p.codes]
        mean = np.mean(rows, axis=0)
        return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)

    def matched_words(self, heading: str, text: str) -> list[str]:
        """The words of `text` (Chinese: character pairs) found in the heading's texts, in order."""
        return matched_words(text, self._terms.get(heading, set()))

    def best_subheading(self, heading: str, q: np.ndarray) -> str:
        """The subheading of `heading` nearest to the query in any language (its heading + "00" if none)."""
        best, code = -2.0, heading + "00"
        for part in self.parts:
            if part.level != 6:
                continue
            idx = [i for i, c in enumerate(part.codes) if c.startswith(heading)]
            if idx:
                sims = part.vectors[idx] @ q
                j = int(np.argmax(sims))
                if sims[j] > best:
                    best, code = float(sims[j]), part.codes[idx[j]]
        return code


def _segments(owners: np.ndarray) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """(order that sorts the texts by heading, or None when they are; where each heading's run starts;
    the heading of each run): a heading's best text is then one `maximum.reduceat` for any number of
    queries."""
    order = None if not len(owners) or bool((np.diff(owners) >= 0).all()) else np.argsort(owners, kind="stable")
    ranked = owners if order is None else owners[order]
    starts = np.flatnonzero(np.r_[True, np.diff(ranked) > 0]) if len(ranked) else np.zeros(0, dtype=np.int64)
    return order, starts, ranked[starts]


def softmax(scores: np.ndarray) -> np.ndarray:
    z = np.exp(scores - scores.max())
    return z / z.sum()


_MODELS: dict[tuple[str, str], HsModel] = {}  # (model, nomenclature digest) -> model
_RECENT: dict[tuple, HsModel] = {}  # (model, database, change token, cache folder) -> model
_BUILD = threading.Lock()


def _token(session: Session) -> tuple:
    """Changes whenever an HS22 text is added, removed or edited."""
    return product_texts_token(session, REVISION)


def cache_path(texts: list[str], lang: str, level: int, model: Embedder) -> Path:
    digest = hashlib.sha256("\n".join([RECIPE, *texts]).encode()).hexdigest()[:20]
    return get_settings().resolved_ai_cache_dir / f"hs22-{model.name}-{lang}{level}-{digest}.npy"


def hs_model(session: Session, *, model: Embedder | None = None) -> HsModel:
    """The scoring model for the bank's nomenclature: from memory, else the disk cache, else embedded
    now (about 16,000 texts; a minute on one free core) and written to the cache atomically."""
    return ensure_hs_model(session, model=model)[0]


def ensure_hs_model(session: Session, *, model: Embedder | None = None) -> tuple[HsModel, int]:
    """`hs_model`, and how many texts were embedded by this call (0 when memory or the disk cache had
    them). A part's cache file is written whenever it is missing, also when the model was in memory."""
    model = model or embedder()
    recent = (model.name, str(session.get_bind().url), _token(session), str(get_settings().resolved_ai_cache_dir))
    with _BUILD:
        if recent in _RECENT:
            return _RECENT[recent], 0
    nom = load_nomenclature(session)
    key = (model.name, nom.digest)
    embedded = 0
    with _BUILD:
        parts = []
        for lang in LANGUAGES:
            for level in (2, 4, 6):
                codes, texts = _part_texts(nom, lang, level)
                path = cache_path(texts, lang, level, model)
                cached = _MODELS.get(key)
                if cached is not None:
                    vectors = cached.part(lang, level).vectors
                elif path.exists():
                    vectors = np.load(path)
                else:
                    vectors = model.embed(texts) if texts else np.zeros((0, model.dim), dtype=np.float32)
                    embedded += len(texts)
                if not path.exists():
                    _write_cache(path, vectors)
                parts.append(Part(lang=lang, level=level, codes=codes, vectors=vectors))
        if key not in _MODELS:
            _MODELS[key] = HsModel(nom, parts)
        _RECENT[recent] = _MODELS[key]
        return _MODELS[key], embedded


def _write_cache(path: Path, vectors: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.npy")
    np.save(tmp, vectors)
    tmp.replace(path)
