"""An exchange e-mail in its recipient's language (en, ru or zh): subject, body and unsubscribe footer.

The texts are the msgids of `messages.py`, translated with the portal's Babel catalogs (the same .po
files the portal shows, read here by path so the exchange imports nothing of the web layer); country
arguments are named in the language from the reference store. A text with no translation is sent in
English with the visible marker "[en]", as the portal marks a missing translation.
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from sqlalchemy.orm import Session

from scobank.exchange.messages import (
    COUNTRY_ARGS,
    MAIL_FOOTER,
    MAIL_UNSUBSCRIBE,
    SUBJECT_OTHER,
    SUBJECTS,
    WORD_ARGS,
    Note,
    read_message,
)
from scobank.reference.lookup import country_names

LANGUAGES = ("en", "ru", "zh")
CATALOGS = Path(__file__).resolve().parent.parent / "web" / "translations"
MISSING = "[en]"


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(lang: str) -> NullTranslations:
    path = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not path.exists():
        return NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def say(template: str, lang: str) -> str:
    """`template` in `lang`; English marked "[en]" where the catalog has no translation."""
    text = _catalog(lang).gettext(template)
    return f"{MISSING} {text}" if lang != "en" and text == template else text


def note_text(session: Session, note: Note, lang: str, names: dict[str, dict[str, str]] | None = None) -> str:
    """A notification in `lang`: template translated, countries named, words (kinds, stages) translated.
    `names` keeps every country's name by language across the mails of one delivery."""
    if names is None:
        countries = country_names(session, [v for k, v in note.args.items() if k in COUNTRY_ARGS], lang)
    else:
        countries = names[lang] if lang in names else names.setdefault(lang, country_names(session, None, lang))
    args = {k: countries.get(v, v) if k in COUNTRY_ARGS else _catalog(lang).gettext(v) if k in WORD_ARGS else v
            for k, v in note.args.items()}
    text = say(note.template, lang)
    return text % args if args else text


def compose(session: Session, *, to: str, sender: str, topic: str, stored: str, lang: str,
            unsubscribe_url: str, names: dict[str, dict[str, str]] | None = None) -> EmailMessage:
    """The e-mail of one stored notification text, in `lang`, with a List-Unsubscribe header and link."""
    lang = lang if lang in LANGUAGES else "en"
    note = read_message(stored)
    body = note_text(session, note, lang, names) if note else stored
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, to
    mail["Subject"] = say(SUBJECTS.get(topic, SUBJECT_OTHER), lang)
    mail["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = say(MAIL_UNSUBSCRIBE, lang) % {"url": unsubscribe_url}
    mail.set_content(f"{body}\n\n-- \n{say(MAIL_FOOTER, lang)}\n{footer}\n")
    mail["Content-Language"] = lang  # after set_content, which drops Content-* headers
    return mail
