"""Exchange e-mail: 10,000 alerts handed to a real local SMTP server (aiosmtpd on 127.0.0.1, the
server the tests use), each rendered in its recipient's language (a third each in en, ru, zh) with its
unsubscribe link; 1% of the recipients are refused by the server (550), 1% have unsubscribed.

    PYTHONPATH=src python benchmarks/exchange_mail.py [--mails 10000]

Prints the throughput (mails per second), what was sent, refused and not sent, and checks that the
server received exactly the mails reported sent.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.smtp_server import REFUSED_DOMAIN, Inbox, _free_port  # noqa: E402 - the tests' real server


def _setup(home: Path, port: int) -> None:
    os.environ.update(SCOBANK_HOME=str(home), SCOBANK_DATABASE_URL=f"sqlite:///{home / 'bank.db'}",
                      SCOBANK_SMTP_HOST="127.0.0.1", SCOBANK_SMTP_PORT=str(port))
    from scobank.bank import init_bank
    from scobank.config import reset_settings
    from scobank.db import reset_engines

    reset_settings()
    reset_engines()
    init_bank()


def _queue(mails: int) -> None:
    """`mails` notifications of the kinds the exchange sends, for users 1..mails/10 (10 mails each)."""
    from scobank.db import session_scope
    from scobank.exchange.alerts import notify
    from scobank.exchange.mail import STREAM, mail_setting
    from scobank.mail.preferences import set_subscribed
    from scobank.exchange.messages import INTEREST, MESSAGE_POSTED, Note

    users = max(1, mails // 10)
    with session_scope() as session:
        for user in range(1, users + 1):
            setting = mail_setting(session, user)
            setting.language = ("en", "ru", "zh")[user % 3]
            if user % 100 == 1:
                set_subscribed(session, user_id=user, stream=STREAM, subscribed_=False)
        for n in range(mails):
            user = n % users + 1
            domain = REFUSED_DOMAIN if user % 100 == 50 else "firm.example"
            note = (Note(INTEREST, {"party": "KAZ", "listing": str(n)}) if n % 2
                    else Note(MESSAGE_POSTED, {"party": "CHN", "listing": str(n)}))
            notify(session, user_id=user, email=f"user{user}@{domain}", topic="interest" if n % 2 else "message",
                   message=str(note))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=10_000)
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    inbox = Inbox("127.0.0.1", _free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            _setup(Path(tmp), inbox.port)
            _queue(args.mails)
            from scobank.db import session_scope
            from scobank.exchange.mail import deliver_outbox

            started = time.perf_counter()
            with session_scope() as session:
                report = deliver_outbox(session)
            seconds = time.perf_counter() - started
    finally:
        controller.stop()
    print(f"{args.mails} queued: {report.sent} sent, {report.failed} refused by the server, "
          f"{report.unsubscribed} not sent (unsubscribed), in {seconds:.1f} s = {report.sent / seconds:.0f} mails/s "
          f"(rendering in en/ru/zh, one SMTP connection); the server received {len(inbox.received)}")
    assert len(inbox.received) == report.sent


if __name__ == "__main__":
    main()
