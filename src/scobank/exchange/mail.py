"""The exchange's e-mail, over the bank's mail area (`scobank.mail`): the stream "exchange" that a user
can unsubscribe from, its letters (a notification's template, subject and footer), and the reader's mail
preferences as the exchange shows them. The outbox and its delivery through the SMTP server are the mail
area's (`deliver_outbox`, also re-exported here for the exchange's command and benchmarks).

Changes of language and opt-out are ledgered ("exchange.mail").
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.exchange.messages import COUNTRY_ARGS, MAIL_FOOTER, SUBJECT_OTHER, SUBJECTS, WORD_ARGS, read_message
from scobank.exchange.ownership import require_user
from scobank.mail import preferences as prefs
from scobank.mail.outbox import DeliveryReport, deliver_outbox, enqueue
from scobank.mail.preferences import LANGUAGES, mail_setting
from scobank.mail.texts import Letter

__all__ = ["DeliveryReport", "LANGUAGES", "MailPreferences", "deliver_outbox", "letter", "mail_setting", "preferences",
           "queue", "set_preferences", "unsubscribe"]

STREAM = "exchange"
UNSUBSCRIBE_PATH = "/exchange/unsubscribe"


class MailPreferences(BaseModel):
    language: str
    subscribed: bool


def letter(topic: str, message: str) -> Letter:
    """The e-mail of a notification (`message`, made from a template of messages.py) on `topic`."""
    note = read_message(message)
    return Letter(stream=STREAM, subject=SUBJECTS.get(topic, SUBJECT_OTHER),
                  template=note.template if note else message, args=note.args if note else {},
                  footer=MAIL_FOOTER, unsubscribe_path=UNSUBSCRIBE_PATH,
                  country_args=COUNTRY_ARGS, word_args=WORD_ARGS)


def queue(session: Session, *, user_id: int, email: str, topic: str, message: str) -> None:
    """Put the e-mail of one notification in the bank's outbox."""
    enqueue(session, to=email, user_id=user_id, letter=letter(topic, message))


def set_preferences(session: Session, *, reader: Reader, language: str | None = None,
                    subscribed: bool | None = None) -> MailPreferences:
    """The reader's e-mail language (en, ru, zh; every mail of the bank) and whether exchange mail is sent."""
    require_user(reader)
    if language is not None:
        prefs.set_language(session, reader=reader, language=language)
    if subscribed is not None:
        prefs.set_subscribed(session, user_id=reader.user_id or 0, stream=STREAM, subscribed_=subscribed)
    now = preferences(session, reader=reader)
    ledger.record(session, actor=reader, action=f"{STREAM}.mail",
                  detail={"event": "preferences", "language": now.language, "subscribed": now.subscribed})
    return now


def preferences(session: Session, *, reader: Reader) -> MailPreferences:
    require_user(reader)
    row = mail_setting(session, reader.user_id or 0)
    return MailPreferences(language=row.language, subscribed=prefs.subscribed(session, row.user_id, STREAM))


def unsubscribe(session: Session, *, token: str) -> None:
    """The link in every exchange mail: no sign-in needed, the token names the user. NotFound for an unknown token."""
    prefs.unsubscribe(session, token=token, stream=STREAM)
