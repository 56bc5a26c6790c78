"""Which language a query is written in, from its script and a few letters and words of its own, and
whether the bank's search and HS suggestions answer it with measured quality.

Supported (quality measured on tests/data: benchmarks/RESULTS.md): English, Russian, Chinese. The
embedder (USE multilingual v3) was not trained on Kazakh, Kyrgyz, Uzbek, Tajik, Persian, Urdu or Hindi,
and on the evaluation set its HS suggestions for them were right at most 2 times in 10: such a query is
told plainly that its language is not yet supported instead of being given confident nonsense.

Rules, in order: Chinese characters -> zh; Devanagari -> hi; Arabic script -> ur (with Urdu-only
letters ٹ ڈ ڑ ں ے), else fa; Cyrillic -> tg (ӣ ӯ ҷ), uz (ў), tg (ҳ), kk (ә ұ і һ), tg (ғ қ with a Tajik word), kk (ғ қ),
ky (ө ү ң or a Kyrgyz word), else ru;
Latin -> uz (oʻ gʻ or common Uzbek words), else en.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scobank.tokens import CJK, normalise

SUPPORTED = ("en", "ru", "zh")
NAMES = {"en": "English", "ru": "Russian", "zh": "Chinese", "kk": "Kazakh", "ky": "Kyrgyz",
         "uz": "Uzbek", "tg": "Tajik", "fa": "Persian", "ur": "Urdu", "hi": "Hindi"}

_CJK = re.compile(f"[{CJK}]")
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_URDU = re.compile("[ٹڈڑںےۓ]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[a-zA-Z\u00c0-\u024f]")
_CYRILLIC_MARKERS = (("tg", re.compile("[ӣӯҷ]")), ("uz", re.compile("[ў]")), ("tg", re.compile("[ҳ]")),
                     ("kk", re.compile("[әұіһ]")), ("tg", re.compile(r"[ғқ].*\b(?:ва|бо|дар|аз|барои|ки)\b|"
                                                                    r"\b(?:ва|бо|дар|аз|барои|ки)\b.*[ғқ]")),
                     ("kk", re.compile("[ғқ]")), ("ky", re.compile(r"[өүң]|\b(?:жана|менен|үчүн)\b")))
_UZBEK_LATIN = re.compile(r"[og][ʻ'‘`ʼ]|\b(?:va|uchun|bilan|ishlab|chiqarish|mahsulot|mahsulotlari|yil|"
                          r"quvvat|zavod|tonna|paxta|bo'yicha|boʻyicha)\b")


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, "" when the text has no letters
    name: str
    supported: bool


def detect_language(text: str) -> Language:
    """The language of `text` by the rules of the module docstring."""
    code = _code(normalise(text or ""))
    return Language(code=code, name=NAMES.get(code, ""), supported=code in SUPPORTED)


def _code(text: str) -> str:
    counts = {name: len(rx.findall(text)) for name, rx in (("zh", _CJK), ("hi", _DEVANAGARI),
                                                          ("ar", _ARABIC), ("cyr", _CYRILLIC),
                                                          ("lat", _LATIN))}
    script = max(counts, key=lambda k: counts[k])
    if not counts[script]:
        return ""
    if script in ("zh", "hi"):
        return script
    if script == "ar":
        return "ur" if _URDU.search(text) else "fa"
    if script == "cyr":
        return next((code for code, rx in _CYRILLIC_MARKERS if rx.search(text)), "ru")
    return "uz" if _UZBEK_LATIN.search(text) else "en"
