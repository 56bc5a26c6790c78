"""Languages of the portal: which one a request wants, and its translations.

Catalogs live in `translations/<lang>/LC_MESSAGES/messages.po` (Babel); they are compiled in memory on
first use, so a fresh clone needs no build step. The language of a request is, in order: `?lang=`,
the `lang` cookie, the browser's Accept-Language, English.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def po_path(lang: str) -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    """The compiled catalog of `lang` (a language of LANGUAGES); English is the msgids themselves."""
    path = po_path(lang)
    if not path.exists():
        return Translations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def request_language(request: Request) -> str:
    """The language a request asks for: `?lang=`, then the cookie, then Accept-Language, then English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def pick(texts: dict | str | None, lang: str) -> tuple[str, str | None]:
    """The text of a language map in `lang`, and the language it is really in when it falls back
    (None when it is in `lang`). Falls back to English, then to any language; never invents a text."""
    if not texts:
        return "", None
    if isinstance(texts, str):
        return texts, None
    if texts.get(lang):
        return texts[lang], None
    for other in (DEFAULT_LANGUAGE, *texts):
        if texts.get(other):
            return texts[other], other
    return "", None
