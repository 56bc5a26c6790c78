"""HS code suggestions for a product description, with a confidence a customs broker can read and an
explicit "no good match" (figures: benchmarks/hs_eval.py; floors: tests/ai/test_hs_quality.py).

Every input gets an answer (`HsAnswer.status`), never an exception for what a person may type:
- "ok": the headings of `scobank.ai.hs_model`, best first, each with its probability (0-100 %);
- "code": the text is an HS code ("8445", "844511", "27.09", "8445.11") and the code exists;
- "no-match": the description matches no heading well (the match gate below);
- "no-words": nothing to read (empty, emoji, punctuation);
- "language-not-supported": a member language the embedder does not know (see `scobank.ai.language`).
Texts longer than MAX_CHARS are read up to there, and the answer says so.

The query is normalised before it is embedded (Unicode NFKC, case-folded): upper
case, as customs papers are written, and lower case give the same suggestions.

Match gate: a logistic model of four features (log probability of the best heading, its BM25 score,
its English dense similarity, the share of the query's words the nomenclature knows), fitted on the
tuning sets' real descriptions and short names against tests/data/hs_nonsense_tuning.txt; MATCH_THRESHOLD
chosen there, mid-plateau (real texts rejected 2.3 %, nonsense with words rejected 97.7 %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from scobank.ai.embedding import embedder
from scobank.ai.hs_model import HsModel, hs_model
from scobank.ai.language import Language, detect_language
from scobank.errors import BadRequest
from scobank.tokens import has_words, normalise

MAX_CHARS = 2000
# Match gate (see the module docstring): standardised features -> logistic coefficients, intercept last.
_GATE_MEAN = np.array([-0.6728, 3.2025, 0.4751, 0.6674])
_GATE_SD = np.array([0.7009, 0.9205, 0.1379, 0.2648])
_GATE_COEF = np.array([-0.2639, 1.8677, 1.6853, 0.7935, 3.6331])
MATCH_THRESHOLD = 0.5
_CODE = re.compile(r"^\s*(?:hs\s*)?(\d{2})[.\s]?(\d{2})(?:[.\s]?(\d{2}))?(?:[.\s]?\d{2,4})?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    code: str  # HS 2022 subheading, 6 digits
    heading: str  # its heading, 4 digits
    score: float  # probability that this heading is the right one, 0..1 (calibrated on the tuning set)
    description: str  # English text of the subheading
    heading_names: dict[str, str] = field(default_factory=dict)  # {"en": ..., "ru": ..., "zh": ...} where known
    confidence: int = 0  # score as a whole percentage, for people
    matched_words: list[str] = field(default_factory=list)  # query words found in the heading's texts


@dataclass(frozen=True)
class HsAnswer:
    status: str  # ok | code | no-match | no-words | language-not-supported
    message: str  # one sentence for the person who typed the text
    language: str  # detected language code ("" when none)
    match: float  # probability that the description names a product the nomenclature has, 0..1
    truncated: bool
    suggestions: list[Suggestion]


def hs_code_of(text: str) -> str | None:
    """The HS code a text is, if it is one: "8445" -> "8445", "27.09" -> "2709", "8445.11.0000" -> "844511"."""
    m = _CODE.match(text or "")
    return None if m is None else "".join(g for g in m.groups() if g)


def prepare(text: str) -> str:
    """The form of a description that is embedded: NFKC, case-folded, spaces collapsed. (The embedder
    reads case: "Нефть сырая" is 0.17 from the text of 2709, "нефть сырая" 0.56.)"""
    return normalise(" ".join(text.split()))


def suggest_hs(session: Session, text: str | None, top: int = 5) -> HsAnswer:
    """Suggestions for `text` (see the module docstring). Raises BadRequest only for `top` outside 1..50."""
    if not 1 <= top <= 50:
        raise BadRequest(f"top must be between 1 and 50, got {top}")
    text = text or ""
    truncated = len(text) > MAX_CHARS
    text = text[:MAX_CHARS]
    language = detect_language(text)
    if not has_words(text):
        return _answer("no-words", "There are no words to read: describe the product in words "
                       "(en, ru or zh) or type its HS code.", language, truncated)
    hs = hs_model(session)
    code = hs_code_of(text)
    if code is not None:
        return _by_code(hs, code, language, truncated)
    if not language.supported:
        return _answer("language-not-supported", f"{language.name or 'This language'} is not yet supported "
                       "for HS suggestions: describe the product in English, Russian or Chinese, or type "
                       "its HS code.", language, truncated)
    return _by_description(hs, prepare(text), top, language, truncated)


def _answer(status: str, message: str, language: Language, truncated: bool, match: float = 0.0,
            suggestions: list[Suggestion] | None = None) -> HsAnswer:
    if truncated:
        message += f" (Only the first {MAX_CHARS:,} characters were read.)"
    return HsAnswer(status=status, message=message, language=language.code, match=round(match, 4),
                    truncated=truncated, suggestions=suggestions or [])


def _by_code(hs: HsModel, code: str, language: Language, truncated: bool) -> HsAnswer:
    heading = code[:4]
    if heading not in hs.position or (len(code) == 6 and code not in hs.nom.en):
        return _answer("no-match", f"{code} is not an HS 2022 code.", language, truncated)
    sub = code if len(code) == 6 else next((c for c in hs.nom.subheadings if c[:4] == heading), heading + "00")
    suggestion = _suggestion(hs, heading, sub, 1.0, [code])
    return _answer("code", f"HS {code} is a code of the nomenclature.", language, truncated, 1.0, [suggestion])


def _by_description(hs: HsModel, text: str, top: int, language: Language, truncated: bool) -> HsAnswer:
    q = embedder().embed([text])[0]
    signals = hs.signals(text, q)
    p = hs.probabilities(signals)
    order = np.argsort(-p)[:top]
    match = match_probability(hs, text, signals, p)
    if match < MATCH_THRESHOLD:
        return _answer("no-match", "No good match: no heading of the nomenclature fits this description "
                       "well. Name the product and its material or use, or type its HS code.",
                       language, truncated, match)
    suggestions = [_suggestion(hs, hs.headings[i], hs.best_subheading(hs.headings[i], q), float(p[i]),
                               hs.matched_words(hs.headings[i], text)) for i in order]
    return _answer("ok", f"{len(suggestions)} headings, best first.", language, truncated, match, suggestions)


def match_probability(hs: HsModel, text: str, signals: dict[str, np.ndarray], p: np.ndarray) -> float:
    """The match gate of the module docstring: P(the text describes a product of the nomenclature)."""
    best = int(np.argmax(p))
    features = np.array([np.log(p[best]), signals["lexical_raw"][best], signals["en6"][best],
                         hs.bm25.coverage(text)])
    z = np.append((features - _GATE_MEAN) / _GATE_SD, 1.0) @ _GATE_COEF
    return float(1 / (1 + np.exp(-z)))


def _suggestion(hs: HsModel, heading: str, code: str, probability: float, words: list[str]) -> Suggestion:
    return Suggestion(code=code, heading=heading, score=round(probability, 4),
                      description=hs.nom.en.get(code, hs.nom.en.get(heading, "")),
                      heading_names=hs.nom.name(heading), confidence=round(100 * probability),
                      matched_words=words)
