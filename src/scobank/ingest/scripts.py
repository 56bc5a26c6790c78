"""Latin and Cyrillic letters that look alike, mixed inside one word ('Аktobе' with a Cyrillic А and
е, 'Кaragandy'): joins on such names fail silently. Each mixed word is written in its majority script.
"""

from __future__ import annotations

import re

# Cyrillic -> Latin for letters that are drawn the same.
LOOKALIKES = dict(zip("АВЕКМНОРСТХаеорсухіІјЈѕЅ", "ABEKMHOPCTXaeopcyxiIjJsS", strict=True))
TO_CYRILLIC = {latin: cyr for cyr, latin in LOOKALIKES.items() if cyr not in "іІјЈѕЅ"}
WORD = re.compile(r"[^\W\d_]+")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")


def mixed_script(text: str) -> bool:
    """Whether a word of `text` mixes Latin and Cyrillic letters."""
    return any(CYRILLIC.search(w) and LATIN.search(w) for w in WORD.findall(text))


def fix_mixed_script(text: str) -> str:
    """`text` with every mixed word in its majority script ('Аktobе' -> 'Aktobe'); a word whose
    minority letters have no look-alike stays as written."""
    if not mixed_script(text):
        return text
    return WORD.sub(_fix_word, text)


def _fix_word(match: re.Match) -> str:
    word = match.group(0)
    cyrillic = len(CYRILLIC.findall(word))
    latin = len(LATIN.findall(word))
    if not cyrillic or not latin:
        return word
    table = LOOKALIKES if latin >= cyrillic else TO_CYRILLIC
    fixed = "".join(table.get(ch, ch) for ch in word)
    return fixed if not (CYRILLIC.search(fixed) and LATIN.search(fixed)) else word
