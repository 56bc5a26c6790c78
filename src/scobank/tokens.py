"""The bank's one multilingual tokenizer: how any text (dataset metadata, listings, nomenclatures, and
the queries against them) becomes search terms, the same way for documents and queries.

- Unicode NFKC, then case-folded ("НЕФТЬ" and "нефть", "Ｓｔｅｅｌ" and "steel" are one term), "ё" read
  as "е"; a combining prefix written with a hyphen is joined to its word, as trade texts spell it both
  ways ("ferro-alloys" is "ferroalloys", "ферро-сплавы" is "ферросплавы", "petro-chemical" is
  "petrochemical"); other hyphens still separate words ("hot-rolled" is "hot" and "rolled");
- Chinese (and Japanese kanji; no spaces between words): every character and every pair of neighbouring
  characters is a term, so 钢铁 (a pair) is found inside 钢铁产品 and 梳棉机 shares 梳棉 with 梳棉联合机;
- Cyrillic words: the Snowball Russian stemmer (прокат, проката, прокатом -> прокат), and for words of
  five letters or more also their first four letters as a second term, which joins the forms stemming
  misses (хлопок / хлопковое, сталь / стальной: "хлоп", "стал");
- Latin words: the Snowball English (Porter2) stemmer (exports, exporting -> export), British -ise
  spellings read as -ize (fertiliser and fertilizer are one term);
- other scripts (Hindi, Persian, Urdu...) are kept whole, combining vowel marks included, unstemmed;
- digits stay as they are (HS codes, years: "7208", "2022"); a handful of stop words are dropped.

Imports nothing of the bank: the catalog's term index, the AI area's BM25 and the search service all
read text through these functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

MAX_TERM = 120  # the longest term kept (the catalog's term column)
# Letters, digits and combining marks: Devanagari (Hindi), Urdu and other scripts write vowels as marks,
# which `\w` alone would cut words at ("इस्पात" must stay one word).
_MARKS = "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)).startswith("M"))
_WORDS = re.compile(f"(?:[^\\W_]|[{_MARKS}])+")
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPLIT_CJK = re.compile(f"[{CJK}]+|[^{CJK}]+")
_IS_CJK = re.compile(f"[{CJK}]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
STOP_WORDS = frozenset({
    "a", "an", "and", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "other", "than",
    "its", "their", "thereof", "whether", "not", "nes", "nec", "etc",
    "в", "во", "и", "из", "к", "на", "о", "об", "от", "по", "с", "со", "для", "за", "или", "не", "без",
    "до", "их", "его", "прочие", "прочий", "прочая", "прочих", "кроме", "том", "числе",
})
_RU = snowballstemmer.stemmer("russian")
_BRITISH = re.compile(r"(?<=[a-z]{3})is(e|es|ed|er|ers|ing|ation|ations)$")
_EN = snowballstemmer.stemmer("english")


# prefixes that make one word with the next: "ferro-alloys" and "ferroalloys" are one term
_PREFIXES = ("ferro", "silico", "mangano", "chromo", "electro", "hydro", "thermo", "petro", "agro", "aero", "bio",
             "geo", "micro", "nano", "poly", "ферро", "силико", "электро", "гидро", "термо", "нефте", "агро",
             "аэро", "био", "гео", "микро", "нано", "поли")
_JOINED = re.compile(r"(?<![^\W\d_])(" + "|".join(_PREFIXES) + r")[-\u2010\u2011](?=[^\W\d_])")


def normalise(text: str) -> str:
    """NFKC, case-folded, "ё" as "е", hyphenated combining prefixes joined: the form every comparison
    of words uses."""
    return _JOINED.sub(r"\1", unicodedata.normalize("NFKC", text).casefold().replace("ё", "е"))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one normalised, non-CJK word (digits unchanged)."""
    if word.isdigit():
        return word
    if _CYRILLIC.search(word):
        return _RU.stemWord(word)
    return _EN.stemWord(_BRITISH.sub(r"iz\1", word))


def segments(text: str) -> Iterator[tuple[str, bool]]:
    """(segment, is_cjk) for each run of letters/digits of the normalised text, CJK runs split off."""
    for word in _WORDS.findall(normalise(text)):
        for segment in _SPLIT_CJK.findall(word):
            yield segment, bool(_IS_CJK.match(segment))


def _keeps(segment: str) -> bool:
    return segment not in STOP_WORDS and (len(segment) > 1 or segment.isdigit())


def terms(text: str | None) -> list[str]:
    """Every term of `text`, in order, with repeats (what a ranking such as BM25 counts): stemmed
    words and numbers, and for Chinese each character and each neighbouring pair."""
    out: list[str] = []
    for segment, cjk in segments(text or ""):
        if cjk:
            out.extend(segment)
            out.extend(segment[i:i + 2] for i in range(len(segment) - 1))
        elif _keeps(segment):
            out.append(stem(segment)[:MAX_TERM])
            if len(segment) >= 5 and _CYRILLIC.match(segment):
                out.append(segment[:4] + "~")
    return out


def document_terms(text: str | None) -> set[str]:
    """All terms under which a text should be found."""
    return set(terms(text))


def query_terms(text: str | None) -> set[str]:
    """The terms a query requires when every one must be found (the catalog's AND search): for a
    Chinese run of two or more characters its pairs (a single character: itself), else as `terms`."""
    out: set[str] = set()
    for segment, cjk in segments(text or ""):
        if cjk:
            out.update(segment if len(segment) == 1 else
                       (segment[i:i + 2] for i in range(len(segment) - 1)))
        elif _keeps(segment):
            out.add(stem(segment)[:MAX_TERM])
    return out


def has_words(text: str | None) -> bool:
    """True when `text` holds at least one letter or digit (emoji, punctuation and spaces alone do not)."""
    return any(True for _ in segments(text or ""))


def matched_words(text: str | None, known: set[str]) -> list[str]:
    """The words of `text` whose term is in `known` (for Chinese, the character pairs), in order, once
    each: what a result shows as "matched words"."""
    out: list[str] = []
    for segment, cjk in segments(text or ""):
        pieces = ([segment[i:i + 2] for i in range(len(segment) - 1)] or [segment]) if cjk else [segment]
        for piece in pieces:
            term = piece if cjk else stem(piece)[:MAX_TERM]
            prefix = piece[:4] + "~" if len(piece) >= 5 and _CYRILLIC.match(piece) else None
            if (cjk or _keeps(piece)) and (term in known or prefix in known) and piece not in out:
                out.append(piece)
    return out
