"""The demo's own SMTP server, so that its alerts, access-request letters and notices arrive somewhere a
person can read them: aiosmtpd on 127.0.0.1 (a free port) writing every mail it accepts into a Maildir
under the bank's home, the bank pointed at it (SCOBANK_SMTP_HOST/PORT), and a thread that hands the
outbox to it every few seconds (`scobank exchange send-mail` does the same once, for a real server)."""

from __future__ import annotations

import logging
import mailbox
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("scobank.demo.mail")


class _Maildir:
    def __init__(self, folder: Path) -> None:
        self.box = mailbox.Maildir(folder, create=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.box.add(envelope.original_content)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class MailCatcher:
    folder: Path
    port: int
    controller: object
    stop: threading.Event

    def close(self) -> None:
        self.stop.set()
        self.controller.stop()


def deliver_once() -> int:
    """Hand the outbox to the configured SMTP server; the number of mails sent."""
    from scobank.db import session_scope
    from scobank.mail.outbox import deliver_outbox

    with session_scope() as session:
        return deliver_outbox(session).sent


def start(home: Path, *, every_seconds: float = 5.0) -> MailCatcher:
    """Start the server and the delivery thread; the bank's settings now point at the server."""
    from aiosmtpd.controller import Controller

    from scobank.config import reset_settings

    folder, port = home / "mail", _free_port()
    controller = Controller(_Maildir(folder), hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(SCOBANK_SMTP_HOST="127.0.0.1", SCOBANK_SMTP_PORT=str(port))
    reset_settings()
    stop = threading.Event()

    def deliver() -> None:
        while not stop.wait(every_seconds):
            try:
                deliver_once()
            except Exception:  # the portal keeps serving; the mail stays in the outbox for the next round
                log.exception("the demo's mail delivery failed; the outbox keeps the mail")

    threading.Thread(target=deliver, name="demo-mail", daemon=True).start()
    return MailCatcher(folder, port, controller, stop)
