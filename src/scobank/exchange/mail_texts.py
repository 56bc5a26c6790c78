"""An exchange e-mail in its recipient's language (en, ru or zh): subject, body and unsubscribe footer.

The texts are the msgids of `messages.py`, translated with the portal's Babel catalogs (the same .po
files the portal shows, compiled by `scobank.catalogs`, below both the exchange and the web layer); country
arguments are named in the language from the reference store. A text with no translation is sent in
English with the visible marker "[en]", as the portal marks a missing translation.
"""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from scobank.catalogs import translations

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
MISSING = "[en]"


def say(template: str, lang: str) -> str:
    """`template` in `lang`; English marked "[en]" where the catalog has no translation."""
    text = translations(lang).gettext(template)
    return f"{MISSING} {text}" if lang != "en" and text == template else text


def note_text(session: Session, note: Note, lang: str, names: dict[str, dict[str, str]] | None = None) -> str:
    """A notification in `lang`: template translated, countries named, words (kinds, stages) translated.
    `names` keeps every country's name by language across the mails of one delivery."""
    if names is None:
        countries = country_names(session, [v for k, v in note.args.items() if k in COUNTRY_ARGS], lang)
    else:
        countries = names[lang] if lang in names else names.setdefault(lang, country_names(session, None, lang))
    args = {k: countries.get(v, v) if k in COUNTRY_ARGS else translations(lang).gettext(v) if k in WORD_ARGS else v
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
