"""The message thread of an expression of interest: the two sides write to each other once both
accepted (status "mutual"), with text and at most one attachment per message (MAX_ATTACHMENT_BYTES).

Messages are stored in the bank and seen only by the two enterprises (anyone else gets NotFound).
Posting and reading are ledgered as action "exchange.message" with the ids and sizes, never the text.
The other side is notified (in-app and by e-mail) of each new message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.errors import BadRequest, Conflict, NotFound
from scobank.exchange.messages import MESSAGE_POSTED, Note
from scobank.exchange.models import ThreadMessage
from scobank.exchange.ownership import require_writer
from scobank.exchange.parties import acting_enterprise, get_interest, other_side, side_of, tell
from scobank.exchange.profiles import get_enterprise
from scobank.timestamps import UtcDateTime

MAX_TEXT_CHARS = 4000
MAX_ATTACHMENT_BYTES = 700 * 1024  # base64 in a JSON body stays under the 1 MiB body limit


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


class ThreadMessagePublic(BaseModel):
    id: int
    interest_id: int
    from_enterprise_id: int
    direction: str  # sent (by the reader's side) | received
    text: str
    attachment_name: str | None
    attachment_bytes: int | None
    created_at: UtcDateTime
    removed: bool = False  # its enterprise closed its profile: text and attachment are gone


def _log(session: Session, reader: Reader, event: str, interest_id: int, **detail) -> None:
    ledger.record(session, actor=reader, action="exchange.message",
                  detail={"event": event, "interest_id": interest_id, **detail})


def _check(text: str, attachment: Attachment | None) -> str:
    text = (text or "").strip()
    if not text and attachment is None:
        raise BadRequest("a message needs a text or an attachment")
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequest(f"message text has {len(text)} characters; at most {MAX_TEXT_CHARS}")
    if attachment is not None:
        if not attachment.data:
            raise BadRequest(f"attachment {attachment.name!r} is empty")
        if len(attachment.data) > MAX_ATTACHMENT_BYTES:
            raise BadRequest(f"attachment {attachment.name!r} has {len(attachment.data)} bytes; "
                             f"at most {MAX_ATTACHMENT_BYTES}")
    return text


def post_message(session: Session, *, reader: Reader, interest_id: int, text: str,
                 attachment: Attachment | None = None, enterprise_id: int | None = None) -> ThreadMessagePublic:
    """The reader's side writes to the other side. Raises NotFound (not a side), Conflict (the interest
    is not mutual: pending or withdrawn), BadRequest (empty, too long, attachment too large)."""
    require_writer(reader)
    interest = get_interest(session, interest_id)
    mine = acting_enterprise(session, reader, interest, enterprise_id)
    if interest.status != "mutual":
        raise Conflict(f"interest {interest_id} is {interest.status}; messages follow mutual interest")
    text = _check(text, attachment)
    row = ThreadMessage(interest_id=interest.id, from_enterprise_id=mine, author_user_id=reader.user_id, text=text,
                        attachment_name=attachment.name[:200] if attachment else None,
                        attachment_type=attachment.content_type[:100] if attachment else None,
                        attachment=attachment.data if attachment else None)
    session.add(row)
    session.flush()
    party = get_enterprise(session, enterprise_id=mine).party
    tell(session, get_enterprise(session, enterprise_id=other_side(interest, mine)), "message",
         str(Note(MESSAGE_POSTED, {"party": party, "listing": str(interest.listing_id)})), interest)
    _log(session, reader, "post", interest.id, message_id=row.id, from_enterprise_id=mine, chars=len(text),
         attachment_bytes=len(row.attachment) if row.attachment else 0)
    return _public(row, mine)


def _public(row: ThreadMessage, mine: int) -> ThreadMessagePublic:
    return ThreadMessagePublic(
        id=row.id, interest_id=row.interest_id, from_enterprise_id=row.from_enterprise_id,
        direction="sent" if row.from_enterprise_id == mine else "received", text=row.text,
        attachment_name=row.attachment_name, attachment_bytes=len(row.attachment) if row.attachment else None,
        created_at=row.created_at, removed=row.removed_at is not None)


def list_messages(session: Session, *, reader: Reader, interest_id: int) -> list[ThreadMessagePublic]:
    """The thread, oldest first, for either side (also after a withdrawal: what was said stays readable)."""
    interest = get_interest(session, interest_id)
    side = side_of(session, reader, interest)
    mine = interest.from_enterprise_id if side == "from" else interest.to_enterprise_id
    rows = session.scalars(select(ThreadMessage).where(ThreadMessage.interest_id == interest.id)
                           .order_by(ThreadMessage.id)).all()
    _log(session, reader, "read", interest.id, messages=len(rows))
    return [_public(r, mine) for r in rows]


def get_attachment(session: Session, *, reader: Reader, interest_id: int, message_id: int) -> Attachment:
    """The attachment of one message of the thread, for either side."""
    interest = get_interest(session, interest_id)
    side_of(session, reader, interest)
    row = session.get(ThreadMessage, message_id)
    if row is None or row.interest_id != interest.id or row.attachment is None:
        raise NotFound(f"no attachment on message {message_id} of interest {interest_id}")
    _log(session, reader, "attachment", interest.id, message_id=row.id, attachment_bytes=len(row.attachment))
    return Attachment(name=row.attachment_name or f"attachment-{row.id}",
                      content_type=row.attachment_type or "application/octet-stream", data=row.attachment)
