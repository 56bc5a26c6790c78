"""Country names as pages show them: ISO3 -> the name in the page's language from the reference store
(SCO usage: Кыргызстан, 吉尔吉斯斯坦), "[en] ..." where only English exists. The table is read once per
database and language and kept for the life of the process: it changes only with `scobank init`."""

from __future__ import annotations

from scobank.config import get_settings
from scobank.db import session_scope
from scobank.reference.lookup import FALLBACK_MARK, country_names

_KEPT = 8  # (database, language) tables kept; tests switch databases often
_tables: dict[tuple[str, str], dict[str, str]] = {}


def names_in(lang: str) -> dict[str, str]:
    """Every country's name in `lang`, by ISO3."""
    key = (get_settings().resolved_database_url, lang)
    if key not in _tables:
        with session_scope() as session:
            table = country_names(session, None, lang)
        if len(_tables) >= _KEPT:
            _tables.pop(next(iter(_tables)))
        _tables[key] = table
    return _tables[key]


def country_label(code: object, lang: str) -> str:
    """The name of `code` in `lang` as plain text (chart labels); the code itself when it is not a country
    the bank knows (e.g. ICIO's "ROW"), so nothing is hidden."""
    text = str(code or "")
    return names_in(lang).get(text.upper(), text)


def is_fallback(label: str) -> bool:
    return label.startswith(FALLBACK_MARK + " ")
