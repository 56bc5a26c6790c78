"""The message catalogs (Babel `.po` files in `web/translations/<lang>/LC_MESSAGES/`), compiled in
memory once per language, so a fresh clone needs no build step. Low in the layers: the portal
(`web/i18n.py`) and the bank's e-mails (`mail/texts.py`) read the same catalogs."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

TRANSLATIONS_DIR = Path(__file__).parent / "web" / "translations"
LANGUAGES = ("en", "ru", "zh")  # the languages with a catalog
DEFAULT_LANGUAGE = "en"


def language_asked(*chosen: str | None, accept_language: str | None = None) -> str:
    """The language a request asks for: the first of `chosen` (`?lang=`, a cookie) that has a catalog,
    then the first of Accept-Language's languages that has one, then English."""
    for candidate in chosen:
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def po_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=8)
def translations(lang: str) -> Translations:
    """The compiled catalog of `lang`; a language without one answers the msgids themselves."""
    path = po_path(lang)
    if not path.exists():
        return Translations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)
