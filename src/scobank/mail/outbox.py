"""The outbox and its delivery through a real SMTP server (SCOBANK_SMTP_HOST:SCOBANK_SMTP_PORT).

`enqueue` keeps a `Letter` for one recipient in the caller's transaction; `deliver_outbox` hands every
unsent mail to the server in its recipient's language, with the stream's unsubscribe link. A mail the
server refuses is kept with the server's answer and tried again next time, up to MAX_ATTEMPTS; mail of a
stream the recipient unsubscribed from is not sent.
"""

from __future__ import annotations

import smtplib
import time

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.config import get_settings
from scobank.db import utcnow
from scobank.errors import MailUnavailable
from scobank.mail.models import OutboxMessage
from scobank.mail.preferences import LANGUAGES, mail_setting, subscribed, unsubscribe_url
from scobank.mail.texts import Letter, compose

MAX_ATTEMPTS = 5
UNSUBSCRIBED = "not sent: the recipient unsubscribed"


class DeliveryReport(BaseModel):
    sent: int = 0
    failed: int = 0
    unsubscribed: int = 0
    seconds: float = 0.0
    errors: list[str] = []  # the SMTP server's answers, one per failed mail (first 20)


def enqueue(session: Session, *, to: str, user_id: int | None, letter: Letter) -> OutboxMessage:
    """One mail of `letter` to `to` (the user `user_id`, whose language and opt-outs apply)."""
    row = OutboxMessage(stream=letter.stream, to_address=to, user_id=user_id, subject=letter.subject,
                        body=str(letter), template=letter.template, args=dict(letter.args),
                        country_args=list(letter.country_args), word_args=list(letter.word_args),
                        footer=letter.footer, unsubscribe_path=letter.unsubscribe_path)
    session.add(row)
    return row


def _letter(row: OutboxMessage) -> Letter:
    return Letter(stream=row.stream, subject=row.subject, template=row.template or row.body,
                  footer=row.footer or "", unsubscribe_path=row.unsubscribe_path or "/",
                  args=dict(row.args or {}) if row.template else {}, country_args=tuple(row.country_args or ()),
                  word_args=tuple(row.word_args or ()))


def _pending(session: Session, limit: int | None) -> list[OutboxMessage]:
    query = (select(OutboxMessage).where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
             .order_by(OutboxMessage.id))
    return list(session.scalars(query.limit(limit) if limit else query))


def _send_one(session: Session, smtp: smtplib.SMTP, row: OutboxMessage, report: DeliveryReport,
              names: dict[str, dict[str, str]]) -> None:
    if row.user_id is not None and not subscribed(session, row.user_id, row.stream):
        row.attempts, row.last_error = MAX_ATTEMPTS, UNSUBSCRIBED
        report.unsubscribed += 1
        return
    setting = mail_setting(session, row.user_id) if row.user_id is not None else None
    letter = _letter(row)
    link = (unsubscribe_url(setting.unsubscribe_token, letter.unsubscribe_path) if setting
            else get_settings().public_url)
    lang = setting.language if setting and setting.language in LANGUAGES else "en"
    mail = compose(session, letter, to=row.to_address, sender=get_settings().mail_from, lang=lang,
                   unsubscribe_url=link, names=names)
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
