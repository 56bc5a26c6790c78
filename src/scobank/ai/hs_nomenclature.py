"""The HS 2022 nomenclature as the HS suggestion model reads it: texts by code and language.

From the reference tables (HS22 `descriptions`): English for chapters, headings and subheadings;
Russian (ТН ВЭД) and Chinese (China Customs item names; derived for headings and subheadings, see
`scobank.reference`) wherever the bank has them. Nothing is read from files here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from scobank.errors import NotFound
from scobank.reference.texts import product_texts

REVISION = "HS22"
LANGUAGES = ("en", "ru", "zh")


@dataclass(frozen=True)
class Nomenclature:
    """code -> text, one mapping per language (English is complete; ru and zh have gaps)."""

    en: dict[str, str]
    ru: dict[str, str]
    zh: dict[str, str]
    # heading -> words of its Russian 10-digit TN VED names (reference "terms"), for the lexical index only
    ru_terms: dict[str, str] = field(default_factory=dict)

    def texts(self, lang: str) -> dict[str, str]:
        return {"en": self.en, "ru": self.ru, "zh": self.zh}[lang]

    @property
    def subheadings(self) -> list[str]:
        return sorted(c for c in self.en if len(c) == 6)

    @property
    def headings(self) -> list[str]:
        return sorted(c for c in self.en if len(c) == 4)

    def name(self, code: str) -> dict[str, str]:
        """The names of one code by language (only the languages that have one)."""
        return {lang: t[code] for lang in LANGUAGES if code in (t := self.texts(lang))}

    @property
    def digest(self) -> str:
        payload = json.dumps([sorted(self.en.items()), sorted(self.ru.items()), sorted(self.zh.items()),
                              sorted(self.ru_terms.items())], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()


def load_nomenclature(session: Session) -> Nomenclature:
    """HS22 from the reference tables. Raises NotFound when the bank has no HS22 loaded."""
    rows = product_texts(session, REVISION).items()
    if not rows:
        raise NotFound("the HS 2022 nomenclature is not loaded in this bank; run `scobank init`")
    texts: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    ru_terms: dict[str, str] = {}
    for code, descriptions in rows:
        for lang in LANGUAGES:
            value = (descriptions or {}).get(lang)
            if isinstance(value, str) and value.strip():
                texts[lang][code] = _sentence_case(value.strip())
        extra = (descriptions or {}).get("terms")
        if isinstance(extra, dict) and isinstance(extra.get("ru"), str):
            ru_terms[code] = extra["ru"]
    return Nomenclature(**texts, ru_terms=ru_terms)


def _sentence_case(text: str) -> str:
    """ТН ВЭД names are upper case in some sources; the embedder reads ordinary sentences better."""
    return text[:1].upper() + text[1:].lower() if text.isupper() else text
