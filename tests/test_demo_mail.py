"""`scobank demo` starts an SMTP server of its own so that the bank's mail arrives where a person can
read it: the outbox is handed to it and each mail lands in a Maildir under the bank's home."""

from __future__ import annotations

import mailbox
from email import message_from_bytes, policy

import pytest

from scobank.mail.outbox import enqueue
from scobank.mail.texts import Letter


@pytest.fixture
def catcher(bank, monkeypatch):
    from scobank.config import reset_settings
    from scobank.demo import mail_catcher

    monkeypatch.setenv("SCOBANK_SMTP_PORT", "1")  # restored after; start() points the bank at its server
    started = mail_catcher.start(bank.home, every_seconds=3600)
    yield started
    started.close()
    reset_settings()


def test_the_demo_delivers_the_outbox_to_its_own_server_and_keeps_each_mail_readable(bank, catcher):
    from scobank.config import get_settings
    from scobank.demo.mail_catcher import deliver_once

    assert (get_settings().smtp_host, get_settings().smtp_port) == ("127.0.0.1", catcher.port)
    letter = Letter(stream="exchange", subject="Your listing was matched", template="Open the exchange to see it.",
                    footer="You get this because you asked for exchange alerts.", unsubscribe_path="/exchange/mail")
    with bank.session() as session:
        enqueue(session, to="steward@kazstat.example", user_id=None, letter=letter)
        session.commit()
    assert deliver_once() == 1
    assert deliver_once() == 0  # sent once
    mails = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in mailbox.Maildir(catcher.folder)]
    assert [m["To"] for m in mails] == ["steward@kazstat.example"]
    assert "Your listing was matched" in mails[0]["Subject"]
    assert "Open the exchange to see it." in mails[0].get_body(("plain",)).get_content()
