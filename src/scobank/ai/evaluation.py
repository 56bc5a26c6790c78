"""The AI quality evaluation: cross-lingual retrieval and HS suggestion accuracy on a labelled set.

The set (tests/data/ai_eval.jsonl) holds products, production capacities and technologies, each
described in en, ru and zh (some also in hi, ur, fa, kk, ky, uz, tg), with its HS 2022 heading.

- Cross-lingual recall@k for languages A -> B: for each item's text in A, rank every text of every
  *other* item in every language, plus the item's own text in B; a hit when fewer than k texts of
  other items score above the twin (the item's other-language texts are not competitors).
- HS accuracy@k for a language: the labelled heading is among the top k suggested headings.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from scobank.ai.embedding import Embedder
from scobank.ai.hs_suggest import suggest_hs

CORE_LANGUAGES = ("en", "ru", "zh")
ALL_LANGUAGES = ("en", "ru", "zh", "hi", "ur", "fa", "kk", "ky", "uz", "tg")


@dataclass(frozen=True)
class EvalItem:
    id: str
    kind: str  # product | capacity | technology
    heading: str  # HS 2022, 4 digits
    texts: dict[str, str]


@dataclass(frozen=True)
class Recall:
    source: str
    target: str
    n: int
    at1: float
    at5: float


@dataclass(frozen=True)
class HsAccuracy:
    lang: str
    n: int
    at1: float
    at5: float


@dataclass(frozen=True)
class EvalReport:
    items: int
    texts: int
    recall: list[Recall]
    hs: list[HsAccuracy]


def load_items(path: Path) -> list[EvalItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts = {lang: row[lang] for lang in ALL_LANGUAGES if row.get(lang)}
            items.append(EvalItem(id=row["id"], kind=row["kind"], heading=row["heading"], texts=texts))
    return items


def evaluate(session: Session, items: list[EvalItem], *, model: Embedder,
             hs_languages: tuple[str, ...] = CORE_LANGUAGES) -> EvalReport:
    """One embedding pass over every text, then both measures (see the module docstring)."""
    owners, langs, texts = [], [], []
    for i, item in enumerate(items):
        for lang, text in item.texts.items():
            owners.append(i)
            langs.append(lang)
            texts.append(text)
    vectors = model.embed(texts)
    owner, lang = np.array(owners), np.array(langs)
    recall = [_recall(vectors, owner, lang, a, b) for a, b in itertools.permutations(CORE_LANGUAGES, 2)]
    accuracy = [hs_accuracy(session, [(texts[r], items[owner[r]].heading) for r in np.flatnonzero(lang == code)],
                            lang=code) for code in hs_languages]
    return EvalReport(items=len(items), texts=len(texts), recall=recall, hs=accuracy)


def hs_accuracy(session: Session, labelled: list[tuple[str, str]], *, lang: str) -> HsAccuracy:
    """Top-1 and top-5 accuracy of `suggest_hs` (what a user gets: a "no good match" counts as a miss)
    on (description, HS 2022 heading) pairs."""
    ranks = []
    for text, gold in labelled:
        order = [s.heading for s in suggest_hs(session, text, top=5).suggestions]
        ranks.append(order.index(gold) if gold in order else 99)
    ranks_a = np.array(ranks)
    return HsAccuracy(lang=lang, n=len(ranks), at1=float((ranks_a < 1).mean()), at5=float((ranks_a < 5).mean()))


def no_match_rate(session: Session, texts: list[str]) -> float:
    """The share of `texts` answered without suggestions ("no good match", "no words", ...)."""
    return float(np.mean([not suggest_hs(session, t).suggestions for t in texts])) if texts else 0.0


def load_labelled(path: Path, lang: str) -> list[tuple[str, str]]:
    """(description in `lang`, heading) of a JSON-lines set with one item per line."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r[lang], r["heading"]) for r in rows if r.get(lang)]


def load_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _recall(vectors: np.ndarray, owner: np.ndarray, lang: np.ndarray, a: str, b: str) -> Recall:
    queries = np.flatnonzero(lang == a)
    sims = vectors[queries] @ vectors.T
    hits1 = hits5 = 0
    for row, q in enumerate(queries):
        twin = np.flatnonzero((owner == owner[q]) & (lang == b))[0]
        others = owner != owner[q]
        above = int((sims[row, others] > sims[row, twin]).sum())
        hits1 += above < 1
        hits5 += above < 5
    n = len(queries)
    return Recall(source=a, target=b, n=n, at1=hits1 / n, at5=hits5 / n)


def format_report(report: EvalReport) -> str:
    """The report as the plain-text table the benchmark prints and RESULTS.md quotes."""
    lines = [f"evaluation set: {report.items} items, {report.texts} texts",
             "", "cross-lingual retrieval   recall@1  recall@5   (floors 0.90 / 0.97)"]
    lines += [f"  {r.source} -> {r.target}  (n={r.n})      {r.at1:6.3f}    {r.at5:6.3f}" for r in report.recall]
    lines += ["", "HS heading suggestion     top-1     top-5      (floor top-5: en 0.80, ru/zh 0.65)"]
    lines += [f"  {h.lang}  (n={h.n})             {h.at1:6.3f}    {h.at5:6.3f}" for h in report.hs]
    return "\n".join(lines)
