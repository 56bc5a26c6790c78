"""E-mail of the exchange: each user's language and opt-out, and the delivery of the outbox through a
real SMTP server (SCOBANK_SMTP_HOST:SCOBANK_SMTP_PORT).

`deliver_outbox` hands every unsent mail to the server in its recipient's language (mail_texts.py), with
an unsubscribe link; a mail the server refuses is kept with the server's answer and tried again next
time, up to MAX_ATTEMPTS; mail to a user who unsubscribed is not sent. Changes of language and opt-out
are ledgered ("exchange.mail").
"""

from __future__ import annotations

import secrets
import smtplib
import time

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import ANONYMOUS, Reader
from scobank.config import get_settings
from scobank.db import utcnow
from scobank.errors import BadRequest, MailUnavailable, NotFound
from scobank.exchange.mail_texts import LANGUAGES, compose
from scobank.exchange.models import MailSetting, Notification, OutboxMessage
from scobank.exchange.ownership import require_user

MAX_ATTEMPTS = 5
UNSUBSCRIBED = "not sent: the recipient unsubscribed"


class MailPreferences(BaseModel):
    language: str
    subscribed: bool


class DeliveryReport(BaseModel):
    sent: int = 0
    failed: int = 0
    unsubscribed: int = 0
    seconds: float = 0.0
    errors: list[str] = []  # the SMTP server's answers, one per failed mail (first 20)


def mail_setting(session: Session, user_id: int) -> MailSetting:
    row = session.get(MailSetting, user_id)
    if row is None:
        row = MailSetting(user_id=user_id, language="en", unsubscribe_token=secrets.token_urlsafe(24))
        session.add(row)
        session.flush()
    return row


def set_preferences(session: Session, *, reader: Reader, language: str | None = None,
                    subscribed: bool | None = None) -> MailPreferences:
    """The reader's e-mail language (en, ru, zh) and whether exchange mail is sent to them."""
    require_user(reader)
    if language is not None and language not in LANGUAGES:
        raise BadRequest(f"language {language!r}; expected one of {', '.join(LANGUAGES)}")
    row = mail_setting(session, reader.user_id or 0)
    row.language = language or row.language
    if subscribed is not None:
        row.unsubscribed_at = None if subscribed else (row.unsubscribed_at or utcnow())
    session.flush()
    ledger.record(session, actor=reader, action="exchange.mail",
                  detail={"event": "preferences", "language": row.language, "subscribed": row.unsubscribed_at is None})
    return preferences(session, reader=reader)


def preferences(session: Session, *, reader: Reader) -> MailPreferences:
    require_user(reader)
    row = mail_setting(session, reader.user_id or 0)
    return MailPreferences(language=row.language, subscribed=row.unsubscribed_at is None)


def unsubscribe(session: Session, *, token: str) -> None:
    """The link in every mail: no sign-in needed, the token names the user. NotFound for an unknown token."""
    row = session.scalar(select(MailSetting).where(MailSetting.unsubscribe_token == token)) if token else None
    if row is None:
        raise NotFound("unknown or expired unsubscribe link")
    row.unsubscribed_at = row.unsubscribed_at or utcnow()
    session.flush()
    ledger.record(session, actor=ANONYMOUS, action="exchange.mail", detail={"event": "unsubscribe", "user_id": row.user_id})


def unsubscribe_url(token: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/exchange/unsubscribe?token={token}"


def _pending(session: Session, limit: int | None) -> list[OutboxMessage]:
    query = (select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
             .order_by(OutboxMessage.id))
    return list(session.scalars(query.limit(limit) if limit else query))


def _send_one(session: Session, smtp: smtplib.SMTP, row: OutboxMessage, report: DeliveryReport,
              names: dict[str, dict[str, str]]) -> None:
    setting = mail_setting(session, row.user_id) if row.user_id is not None else None
    if setting is not None and setting.unsubscribed_at is not None:
        row.attempts, row.last_error = MAX_ATTEMPTS, UNSUBSCRIBED
        report.unsubscribed += 1
        return
    notification = session.get(Notification, row.notification_id) if row.notification_id else None
    mail = compose(session, to=row.to_address, sender=get_settings().mail_from,
                   topic=notification.topic if notification else "", stored=row.body,
                   lang=setting.language if setting else "en",
                   unsubscribe_url=unsubscribe_url(setting.unsubscribe_token) if setting else get_settings().public_url,
                   names=names)
    row.attempts += 1
    try:
        smtp.send_message(mail)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
        row.last_error = str(exc)[:1000]
        report.failed += 1
        if len(report.errors) < 20:
            report.errors.append(f"mail {row.id} to {row.to_address}: {row.last_error}")
        return
    row.sent_at, row.last_error = utcnow(), None
    report.sent += 1


def deliver_outbox(session: Session, *, limit: int | None = None) -> DeliveryReport:
    """Send every unsent mail through the SMTP server, over one connection. Raises MailUnavailable naming the
    server when it cannot be reached (nothing is marked sent then)."""
    settings = get_settings()
    report, started = DeliveryReport(), time.perf_counter()
    rows = _pending(session, limit)
    if not rows:
        return report
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
            names: dict[str, dict[str, str]] = {}  # country names by language, read once per delivery
            for row in rows:
                _send_one(session, smtp, row, report, names)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailUnavailable(f"the SMTP server {settings.smtp_host}:{settings.smtp_port} cannot be reached: {exc} "
                         "(SCOBANK_SMTP_HOST, SCOBANK_SMTP_PORT)") from exc
    session.flush()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
