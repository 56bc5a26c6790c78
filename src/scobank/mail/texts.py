"""An e-mail in its recipient's language (en, ru or zh): subject, body and the stream's footer with its
unsubscribe link.

The texts are msgids of the portal's Babel catalogs (the same .po files the portal shows, compiled by
`scobank.catalogs`); arguments named in `country_args` (ISO3 codes) are named in the language from the
reference store, those in `word_args` are translated. A text with no translation is sent in English with
the visible marker "[en]", as the portal marks a missing translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.policy import compat32

from sqlalchemy.orm import Session

from scobank.catalogs import translations
from scobank.reference.lookup import country_names

MISSING = "[en]"


def N_(message: str) -> str:  # noqa: N802 - the extractor's keyword: "translate this where it is shown"
    return message


UNSUBSCRIBE = N_("To stop these e-mails, open: %(url)s")


@dataclass(frozen=True)
class Letter:
    """What an area asks to send, language-neutral: `subject` and `template` are msgids, `args` fill
    both; `stream` is what the recipient can unsubscribe from, on the portal page `unsubscribe_path`;
    `footer` (a msgid) says why the recipient gets it."""

    stream: str
    subject: str
    template: str
    footer: str
    unsubscribe_path: str
    args: dict[str, str] = field(default_factory=dict)
    country_args: tuple[str, ...] = ()
    word_args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.template % self.args if self.args else self.template


def say(template: str, lang: str) -> str:
    """`template` in `lang`; English marked "[en]" where the catalog has no translation."""
    text = translations(lang).gettext(template)
    return f"{MISSING} {text}" if lang != "en" and text == template else text


def fill(session: Session, letter: Letter, lang: str, names: dict[str, dict[str, str]] | None = None) -> dict:
    """The letter's arguments in `lang`: countries named, words translated. `names` keeps every
    country's name by language across the mails of one delivery."""
    if names is None:
        countries = country_names(session, [v for k, v in letter.args.items() if k in letter.country_args], lang)
    else:
        countries = names[lang] if lang in names else names.setdefault(lang, country_names(session, None, lang))
    words = translations(lang)
    return {k: countries.get(v, v) if k in letter.country_args else words.gettext(v) if k in letter.word_args else v
            for k, v in letter.args.items()}


def compose(session: Session, letter: Letter, *, to: str, sender: str, lang: str, unsubscribe_url: str,
            names: dict[str, dict[str, str]] | None = None) -> Message:
    """The e-mail of `letter` in `lang`, with a List-Unsubscribe header (RFC 8058) and link.

    Built with the classic `Header` encoder, which folds a long subject between encoded words of its
    own: Python 3.11's EmailMessage leaves a space outside them, and readers drop it ("запросдоступа").
    Other headers are not folded (an unsubscribe link stays whole on its line)."""
    args = fill(session, letter, lang, names)
    body = say(letter.template, lang)
    footer = say(UNSUBSCRIBE, lang) % {"url": unsubscribe_url}
    text = body % args if args else body
    mail = MIMEText(f"{text}\n\n-- \n{say(letter.footer, lang)}\n{footer}\n", "plain", "utf-8",
                    policy=compat32.clone(max_line_length=None))
    mail["From"], mail["To"] = sender, to
    subject = say(letter.subject, lang)
    subject = subject % args if args and "%(" in letter.subject else subject
    mail["Subject"] = subject if subject.isascii() else Header(subject, "utf-8").encode()
    mail["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail["Content-Language"] = lang
    return mail
