"""The exchange's e-mail, over the bank's mail area (`scobank.mail`): the stream "exchange" that a user
can unsubscribe from, its letters (a notification's template, subject and footer), and the reader's mail
preferences as the exchange shows them. The outbox and its delivery through the SMTP server are the mail
area's (`deliver_outbox`, also re-exported here for the exchange's command and benchmarks).

A user may also turn off groups of alerts (ALERT_GROUPS: new listings of saved searches, interest,
messages, meetings and agreements, moderation); those alerts stay in-app and are not mailed. Changes of
language and opt-out are ledgered ("exchange.mail").
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.exchange.messages import COUNTRY_ARGS, MAIL_FOOTER, SUBJECT_OTHER, SUBJECTS, WORD_ARGS, read_message
from scobank.errors import BadRequest
from scobank.exchange.ownership import require_user
from scobank.mail import preferences as prefs
from scobank.mail.outbox import DeliveryReport, deliver_outbox, enqueue
from scobank.mail.preferences import LANGUAGES, mail_setting
from scobank.mail.texts import Letter

__all__ = ["DeliveryReport", "LANGUAGES", "MailPreferences", "deliver_outbox", "letter", "mail_setting", "preferences",
           "queue", "set_preferences", "unsubscribe"]

STREAM = "exchange"
UNSUBSCRIBE_PATH = "/exchange/unsubscribe"


# The alerts a user can turn off one by one (each an opt-out stream "exchange:<group>" of the mail area,
# checked when the alert is queued): group -> the notification topics it covers.
ALERT_GROUPS = {
    "search": ("listing-matches-search",),
    "interest": ("interest", "mutual", "withdrawn"),
    "message": ("message",),
    "outcome": ("outcome-asked", "outcome-confirmed"),
    "moderation": ("listing-moderated",),
}
GROUP_OF = {topic: group for group, topics in ALERT_GROUPS.items() for topic in topics}


class MailPreferences(BaseModel):
    language: str
    subscribed: bool
    alerts: list[str] = list(ALERT_GROUPS)  # the groups of ALERT_GROUPS that are mailed


def letter(topic: str, message: str) -> Letter:
    """The e-mail of a notification (`message`, made from a template of messages.py) on `topic`."""
    note = read_message(message)
    return Letter(stream=STREAM, subject=SUBJECTS.get(topic, SUBJECT_OTHER),
                  template=note.template if note else message, args=note.args if note else {},
                  footer=MAIL_FOOTER, unsubscribe_path=UNSUBSCRIBE_PATH,
                  country_args=COUNTRY_ARGS, word_args=WORD_ARGS)


def _group_stream(group: str) -> str:
    return f"{STREAM}:{group}"


def queue(session: Session, *, user_id: int, email: str, topic: str, message: str) -> None:
    """Put the e-mail of one notification in the bank's outbox, unless the user turned its alerts off."""
    queue_many(session, [(user_id, email, topic, message)])


def queue_many(session: Session, mails: list[tuple[int, str, str, str]]) -> None:
    """`queue` for many (user id, address, topic, message): the opt-outs of their alert groups are read
    in one query per group (not one per mail, which also flushed the session each time)."""
    groups = {GROUP_OF[topic] for _, _, topic, _ in mails if topic in GROUP_OF}
    muted = {(user_id, group) for group in groups
             for user_id in prefs.opted_out(session, {u for u, _, t, _ in mails if GROUP_OF.get(t) == group},
                                            _group_stream(group))}
    for user_id, email, topic, message in mails:
        if (user_id, GROUP_OF.get(topic)) not in muted:
            enqueue(session, to=email, user_id=user_id, letter=letter(topic, message))


def set_preferences(session: Session, *, reader: Reader, language: str | None = None,
                    subscribed: bool | None = None, alerts: list[str] | None = None) -> MailPreferences:
    """The reader's e-mail language (en, ru, zh; every mail of the bank), whether exchange mail is sent,
    and which alerts (groups of ALERT_GROUPS) are mailed; None leaves a setting as it is."""
    require_user(reader)
    unknown = sorted(set(alerts or ()) - set(ALERT_GROUPS))
    if unknown:
        raise BadRequest(f"unknown alerts {', '.join(map(repr, unknown))}; expected some of {', '.join(ALERT_GROUPS)}")
    if language is not None:
        prefs.set_language(session, reader=reader, language=language)
    if subscribed is not None:
        prefs.set_subscribed(session, user_id=reader.user_id or 0, stream=STREAM, subscribed_=subscribed)
    for group in ALERT_GROUPS if alerts is not None else ():
        prefs.set_subscribed(session, user_id=reader.user_id or 0, stream=_group_stream(group),
                             subscribed_=group in alerts)
    now = preferences(session, reader=reader)
    ledger.record(session, actor=reader, action=f"{STREAM}.mail",
                  detail={"event": "preferences", "language": now.language, "subscribed": now.subscribed,
                          "alerts": now.alerts})
    return now


def preferences(session: Session, *, reader: Reader) -> MailPreferences:
    require_user(reader)
    row = mail_setting(session, reader.user_id or 0)
    return MailPreferences(language=row.language, subscribed=prefs.subscribed(session, row.user_id, STREAM),
                           alerts=[g for g in ALERT_GROUPS if prefs.subscribed(session, row.user_id, _group_stream(g))])


def unsubscribe(session: Session, *, token: str) -> None:
    """The link in every exchange mail: no sign-in needed, the token names the user. NotFound for an unknown token."""
    prefs.unsubscribe(session, token=token, stream=STREAM)
