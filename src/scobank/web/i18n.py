"""Languages of the portal: which one a request wants, and its translations.

Catalogs live in `translations/<lang>/LC_MESSAGES/messages.po` (Babel), compiled by `scobank.catalogs`
(which the exchange's e-mails share). The language of a request is, in order: `?lang=`,
the `lang` cookie, the browser's Accept-Language, English.
"""

from __future__ import annotations

from starlette.requests import Request

from scobank.catalogs import language_asked, po_path, translations  # noqa: F401  (the portal reads them from here)

LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"


def request_language(request: Request) -> str:
    """The language a request asks for: `?lang=`, then the cookie, then Accept-Language, then English."""
    return language_asked(request.query_params.get("lang"), request.cookies.get(COOKIE),
                          accept_language=request.headers.get("accept-language"))


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
