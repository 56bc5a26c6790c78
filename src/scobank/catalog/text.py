"""Turning metadata text in any language into search terms, the same way for documents and queries.

- NFKC, case-folded, "ё" read as "е";
- Chinese, Japanese kanji (no spaces between words): every character and every pair of neighbouring
  characters is a term, so 钢铁 (a pair) is found inside 钢铁产品. A query of two or more characters
  asks for its pairs; a single character asks for itself;
- Cyrillic words: the Snowball Russian stemmer (прокат, проката, прокатом -> прокат);
- Latin words: the Snowball English (Porter2) stemmer (exports, exporting -> export);
- other scripts (Hindi, Persian, Urdu...) are kept whole, combining vowel marks included, unstemmed;
- digits stay as they are (HS codes, years: "7208", "2022"); a handful of stop words are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_TERM = 120  # DatasetSearchTerm.term length
# Letters, digits and combining marks: Devanagari (Hindi), Urdu and other scripts write vowels as marks,
# which `\w` alone would cut words at ("इस्पात" must stay one word).
_MARKS = "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)).startswith("M"))
_WORDS = re.compile(f"(?:[^\\W_]|[{_MARKS}])+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPLIT_CJK = re.compile(f"[{_CJK}]+|[^{_CJK}]+")
_IS_CJK = re.compile(f"[{_CJK}]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_STOP = frozenset({
    "a", "an", "and", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
    "в", "во", "и", "из", "к", "на", "о", "об", "от", "по", "с", "со", "для", "за",
})
_RU = snowballstemmer.stemmer("russian")
_EN = snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one normalised, non-CJK word."""
    if word.isdigit():
        return word
    if _CYRILLIC.search(word):
        return _RU.stemWord(word)
    return _EN.stemWord(word)


def _segments(text: str):
    """Yield (segment, is_cjk) for each run of letters/digits, CJK runs split from the rest."""
    for word in _WORDS.findall(normalise(text)):
        for segment in _SPLIT_CJK.findall(word):
            yield segment, bool(_IS_CJK.match(segment))


def document_terms(text: str | None) -> set[str]:
    """All terms under which a text should be found."""
    terms: set[str] = set()
    if not text:
        return terms
    for segment, cjk in _segments(text):
        if cjk:
            terms.update(segment)
            terms.update(segment[i:i + 2] for i in range(len(segment) - 1))
        elif segment not in _STOP and (len(segment) > 1 or segment.isdigit()):
            terms.add(stem(segment)[:MAX_TERM])
    return terms


def query_terms(text: str | None) -> set[str]:
    """The terms a query requires (all of them must be found in one dataset)."""
    terms: set[str] = set()
    if not text:
        return terms
    for segment, cjk in _segments(text):
        if cjk:
            if len(segment) == 1:
                terms.add(segment)
            else:
                terms.update(segment[i:i + 2] for i in range(len(segment) - 1))
        elif segment not in _STOP and (len(segment) > 1 or segment.isdigit()):
            terms.add(stem(segment)[:MAX_TERM])
    return terms
