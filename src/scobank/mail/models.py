"""Tables of the bank's e-mail: the outbox, each user's mail language and unsubscribe secret, and the
streams a user opted out of."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scobank.db import Base, utcnow


class OutboxMessage(Base):
    """An e-mail to send, kept language-neutral: `subject` and `template` are msgids of the portal's
    catalogs, filled with `args` when it is sent in the recipient's language (`scobank.mail.outbox`).
    A row without a template (written before the texts were kept so) is sent with its stored `body`."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(40), default="exchange")  # what a recipient unsubscribes from
    to_address: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the recipient: language and opt-out
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # the English text, as the API shows it
    template: Mapped[str | None] = mapped_column(Text)
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    country_args: Mapped[list] = mapped_column(JSON, default=list)  # ISO3 arguments, named in the language
    word_args: Mapped[list] = mapped_column(JSON, default=list)  # arguments that are msgids themselves
    footer: Mapped[str | None] = mapped_column(Text)  # why the recipient gets it (a msgid)
    unsubscribe_path: Mapped[str | None] = mapped_column(String(100))  # the portal page of the stream's opt-out
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)  # the SMTP server's answer to the last failed try


class MailSetting(Base):
    """A user's e-mail language and the secret of the unsubscribe link in every mail."""

    __tablename__ = "mail_settings"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class MailOptOut(Base):
    """A stream of mail (e.g. "exchange", "access-requests") a user asked not to receive."""

    __tablename__ = "mail_optouts"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
