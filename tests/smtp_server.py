"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port): the bank hands it mail with
smtplib as it would to any server, and the tests read back what it received. Recipients at
`refused.example` are refused with 550, as a server refuses an unknown mailbox."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

REFUSED_DOMAIN = "refused.example"


@dataclass
class Inbox:
    host: str
    port: int
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address.endswith("@" + REFUSED_DOMAIN):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.received.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch):
    """A running SMTP server, and the bank configured to send to it (SCOBANK_SMTP_HOST/PORT)."""
    from aiosmtpd.controller import Controller

    from scobank.config import reset_settings

    inbox = Inbox("127.0.0.1", _free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    monkeypatch.setenv("SCOBANK_SMTP_HOST", inbox.host)
    monkeypatch.setenv("SCOBANK_SMTP_PORT", str(inbox.port))
    monkeypatch.setenv("SCOBANK_PUBLIC_URL", "http://bank.example")
    reset_settings()
    yield inbox
    controller.stop()
    reset_settings()
