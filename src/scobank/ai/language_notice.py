"""What a reader is told when a text is in a member language the bank's search does not yet read
(kk, ky, uz, tg, fa, ur, hi: `scobank.ai.language`), in the reader's language (en/ru/zh): the language
named in words ("казахский", "哈萨克语", "Kazakh", never the code), the search box's and the API's notice,
and the exchange's notice to the author of a listing written in such a language.

The names and sentences are msgids of the portal's catalogs (marked N_ here; `scobank.web.messages`
extracts them), so their Russian and Chinese live in the .po files with the portal's other texts. A
missing translation is marked "[en]", never silently English.
"""

from __future__ import annotations

from collections.abc import Iterable

from scobank.ai.language import NAMES, detect_language
from scobank.catalogs import DEFAULT_LANGUAGE, translations

FALLBACK_MARK = "[en] "


def N_(message: str) -> str:  # noqa: N802 - the extractor's keyword: "translate this where it is shown"
    return message


# the names of NAMES, for the extractor (the same English words)
_NAMES = (N_("English"), N_("Russian"), N_("Chinese"), N_("Kazakh"), N_("Kyrgyz"), N_("Uzbek"), N_("Tajik"),
          N_("Persian"), N_("Urdu"), N_("Hindi"))
SEARCH_NOT_SUPPORTED = N_("This language (%(language)s) is not yet supported: only results holding the exact "
                          "words are shown, with no search by meaning. English, Russian and Chinese are supported.")
LISTING_NOT_SEARCHED = N_("This listing is written in a language the bank's search does not yet read "
                          "(%(languages)s): buyers will find it only by typing its exact words, never from another "
                          "language or by meaning. Add its title and description in English, Russian or Chinese "
                          "so that buyers find it, or publish it as it is.")
LISTING_PARTLY_SEARCHED = N_("Part of this listing is written in a language the bank's search does not yet read "
                             "(%(languages)s): buyers will find the listing by its English, Russian or Chinese "
                             "text only.")


def gettext(msgid: str, lang: str) -> str:
    """`msgid` in `lang` from the catalogs; the English with the "[en]" marker where it is missing."""
    if lang == DEFAULT_LANGUAGE:
        return msgid
    text = translations(lang).gettext(msgid)
    return text if text != msgid else FALLBACK_MARK + msgid


def language_name(code: str, lang: str) -> str:
    """The name of language `code` in the reader's language `lang` ("kk", "ru" -> "казахский")."""
    name = NAMES.get(code)
    return gettext(name, lang) if name else code


def search_notice(code: str, lang: str) -> str:
    """The search's notice for a query in language `code`, which search does not yet read."""
    return gettext(SEARCH_NOT_SUPPORTED, lang) % {"language": language_name(code, lang)}


def unsearched_languages(texts: Iterable[str]) -> tuple[list[str], bool]:
    """(the codes of the languages search does not yet read among `texts`, in order of appearance; whether
    any text is in a language it reads). Each text's language is detected as a query's is."""
    unread: list[str] = []
    read = False
    for text in texts:
        language = detect_language(text)
        if language.supported:
            read = True
        elif language.code and language.code not in unread:
            unread.append(language.code)
    return unread, read


def listing_notice(codes: list[str], partly: bool, lang: str) -> str:
    """The notice to the author of a listing whose texts are in `codes` (languages search does not yet
    read); `partly`: it also has text in a language search reads."""
    names = (", " if lang != "zh" else "、").join(language_name(c, lang) for c in codes)
    return gettext(LISTING_PARTLY_SEARCHED if partly else LISTING_NOT_SEARCHED, lang) % {"languages": names}

