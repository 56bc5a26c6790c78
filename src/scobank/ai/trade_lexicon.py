"""Word translations between en, ru and zh read from the HS nomenclature as a parallel corpus: every
heading and subheading has a text in each language, so a word and its translation occur in the texts of
the same codes (карбамид / мочевина, urea, 尿素 under 3102; 剑杆 and бесчелночн under 8446). A query's
term translates to the terms of another language that share the most codes with it (Dice coefficient
over the codes' texts; terms of `scobank.tokens`, Chinese character pairs included).

Used by cross-lingual listing search for the words the sentence embedder misses across languages. Built
once per HS model (about 7,000 codes); each term's translations are cached. Settings chosen on
tests/data/listings_xling_tuning.jsonl (benchmarks/listings_xling.py), never on the held-out set.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, defaultdict
from functools import lru_cache

from scobank.ai.hs_model import HsModel
from scobank.tokens import terms

LANGUAGES = ("en", "ru", "zh")
MAX_CODES = 300  # a term in the texts of more codes says nothing about one product: not translated
TOP, MIN_DICE = 3, 0.3  # per target language, the 3 best translations with Dice >= 0.3
_CJK = re.compile("[\u3400-\u9fff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def language_of(term: str) -> str:
    return "zh" if _CJK.search(term) else "ru" if _CYRILLIC.search(term) else "en"


class TradeLexicon:
    """Terms by language of every heading's and subheading's texts, and their codes (postings)."""

    def __init__(self, hs: HsModel) -> None:
        self.units: list[dict[str, set[str]]] = []
        self.postings: dict[str, dict[str, list[int]]] = {lang: defaultdict(list) for lang in LANGUAGES}
        for code in sorted(c for c in hs.nom.en if len(c) in (4, 6)):
            unit = {lang: set(terms(text)) for lang in LANGUAGES if (text := hs.nom.texts(lang).get(code))}
            for lang, held in unit.items():
                for term in held:
                    self.postings[lang][term].append(len(self.units))
            self.units.append(unit)
        self.translate = lru_cache(maxsize=50_000)(self._translate)

    def _translate(self, term: str) -> tuple[tuple[str, float], ...]:
        """(translated term, Dice) in the two other languages, best first."""
        source = language_of(term)
        codes = self.postings[source].get(term, [])
        if not codes or len(codes) > MAX_CODES:
            return ()
        out: list[tuple[str, float]] = []
        for target in LANGUAGES:
            if target == source:
                continue
            together = Counter(t for i in codes for t in self.units[i].get(target, ()))
            scored = sorted(((2 * n / (len(codes) + len(self.postings[target][t])), t) for t, n in together.items()),
                            key=lambda x: (-x[0], x[1]))
            out += [(t, d) for d, t in scored[:TOP] if d >= MIN_DICE]
        return tuple(out)

    def of_query(self, q: str) -> dict[str, dict[str, float]]:
        """query term -> {translated term: Dice}, for the query's terms that have translations."""
        return {term: dict(found) for term in sorted(set(terms(q))) if (found := self.translate(term))}


_BUILT: dict[int, TradeLexicon] = {}
_LOCK = threading.Lock()


def trade_lexicon(hs: HsModel) -> TradeLexicon:
    """The lexicon of `hs`'s nomenclature, built once per model (a second or two)."""
    with _LOCK:
        if id(hs) not in _BUILT:
            _BUILT.clear()
            _BUILT[id(hs)] = TradeLexicon(hs)
        return _BUILT[id(hs)]


def coverage(translations: dict[str, dict[str, float]], held: set[str]) -> float:
    """0-1: the share of the query's translatable terms an item holds a translation of, each counted
    with its best translation's Dice."""
    if not translations:
        return 0.0
    got = sum(max((d for t, d in found.items() if t in held), default=0.0) for found in translations.values())
    return got / len(translations)
