"""Each user's mail language (en, ru, zh) and the streams they unsubscribed from. One secret per user
names them in every unsubscribe link; the link's page says which stream it stops. Changes are ledgered
as "<stream>.mail" (or "mail" for the language)."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import ANONYMOUS, Reader
from scobank.config import get_settings
from scobank.errors import BadRequest, NotFound
from scobank.mail.models import MailOptOut, MailSetting

LANGUAGES = ("en", "ru", "zh")


def mail_setting(session: Session, user_id: int) -> MailSetting:
    """The user's settings row, made (English, a fresh unsubscribe secret) on first use."""
    row = session.get(MailSetting, user_id)
    if row is None:
        row = MailSetting(user_id=user_id, language="en", unsubscribe_token=secrets.token_urlsafe(24))
        session.add(row)
        session.flush()
    return row


def subscribed(session: Session, user_id: int, stream: str) -> bool:
    return session.get(MailOptOut, (user_id, stream)) is None


def opted_out(session: Session, user_ids: set[int], stream: str) -> set[int]:
    """Which of `user_ids` opted out of `stream` (one query, for a batch of mail)."""
    if not user_ids:
        return set()
    return set(session.scalars(select(MailOptOut.user_id).where(MailOptOut.stream == stream,
                                                                MailOptOut.user_id.in_(user_ids))))


def set_language(session: Session, *, reader: Reader, language: str) -> MailSetting:
    """The language every mail to the reader is written in. BadRequest for one the bank does not write."""
    if language not in LANGUAGES:
        raise BadRequest(f"language {language!r}; expected one of {', '.join(LANGUAGES)}")
    row = mail_setting(session, reader.user_id or 0)
    row.language = language
    session.flush()
    return row


def set_subscribed(session: Session, *, user_id: int, stream: str, subscribed_: bool) -> None:
    """Opt the user in or out of `stream` (idempotent)."""
    row = session.get(MailOptOut, (user_id, stream))
    if subscribed_ and row is not None:
        session.delete(row)
    elif not subscribed_ and row is None:
        session.add(MailOptOut(user_id=user_id, stream=stream))
    session.flush()


def unsubscribe(session: Session, *, token: str, stream: str) -> int:
    """The link in every mail of `stream`: no sign-in needed, the secret names the user (whose id is
    returned). NotFound for an unknown secret."""
    row = session.scalar(select(MailSetting).where(MailSetting.unsubscribe_token == token)) if token else None
    if row is None:
        raise NotFound("unknown or expired unsubscribe link")
    set_subscribed(session, user_id=row.user_id, stream=stream, subscribed_=False)
    ledger.record(session, actor=ANONYMOUS, action=f"{stream}.mail",
                  detail={"event": "unsubscribe", "user_id": row.user_id})
    return row.user_id


def unsubscribe_url(token: str, path: str) -> str:
    """The address of the opt-out page `path` of the portal, for the user of `token`."""
    return f"{get_settings().public_url.rstrip('/')}{path}?token={token}"
