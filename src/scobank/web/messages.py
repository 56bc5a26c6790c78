"""The portal's msgids, extracted from its templates and modules with Babel, and which of them lack a
translation. Used by scripts/web_messages.py (update the .po files) and by the test that fails on any
untranslated string."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from scobank.web.i18n import po_path

WEB = Path(__file__).parent
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("*.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                 "lstrip_blocks": "true"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "translate": (2,)}  # scobank.web.render.translate(request, msgid)
# Texts that other areas make for the portal to show, marked N_("...") there (the exchange's match notes)
OTHER_AREAS = [(WEB.parent / "exchange" / "matching", [("explain.py", "python")]),
               (WEB.parent / "exchange", [("messages.py", "python")]),
               (WEB.parent / "mail", [("texts.py", "python")]),
               (WEB.parent / "stewardship", [("letters.py", "python")]),
               (WEB.parent / "api", [("error_texts.py", "python")]),
               (WEB.parent / "ai", [("language_notice.py", "python")]),
               (WEB.parent / "analytics", [("reader_labels.py", "python")])]


def extract_messages() -> Catalog:
    """Every msgid of the portal, with the places it is used."""
    catalog = Catalog(project="scobank", domain="messages")
    for filename, lineno, message, comments, context in extract_from_dir(
            WEB, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    for folder, methods in OTHER_AREAS:
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, method_map=methods, keywords={"N_": None}):
            catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalog(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="scobank", domain="messages")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def untranslated(template: Catalog, lang: str) -> list[str]:
    """msgids of `template` with no (or a fuzzy, or a partly empty plural) translation in `lang`."""
    catalog = read_catalog(lang)
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found is not None else ""
        complete = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if not complete or found.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing
