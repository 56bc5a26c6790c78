"""The message thread of a mutual interest: only its two sides write and read it, the ledger records
each post and read without the text, attachments have a limit."""

from __future__ import annotations

import pytest

from scobank.errors import BadRequest, Conflict, NotFound, Unauthenticated
from scobank.exchange import alerts, interest
from scobank.exchange.conversation import MAX_ATTACHMENT_BYTES, Attachment, get_attachment, list_messages, post_message
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, STRANGER, make_enterprise, post

pytestmark = pytest.mark.db


def _pending(s):
    seller, buyer = make_enterprise(s, KAZ_FIRM), make_enterprise(s, CHN_STEWARD)
    offer = post(s, KAZ_FIRM, seller, "product_offer", {"hs_code": "720838", "volume_per_year": 10})
    return interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id)


def test_the_two_sides_write_after_mutual_interest_and_nobody_else_reads(bank):
    from scobank.access.reader import ANONYMOUS

    with bank.session() as s:
        row = _pending(s)
        with pytest.raises(Conflict, match="pending; messages follow mutual interest"):
            post_message(s, reader=CHN_STEWARD, interest_id=row.id, text="Hello?")
        interest.accept_interest(s, reader=KAZ_FIRM, interest_id=row.id)
        post_message(s, reader=CHN_STEWARD, interest_id=row.id, text="Can you ship 40 coils to Urumqi in May?")
        spec = Attachment(name="spec.pdf", content_type="application/pdf", data=b"%PDF-1.4 coil spec")
        answer = post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="Да, см. спецификацию", attachment=spec)
        seen_by_buyer = list_messages(s, reader=CHN_STEWARD, interest_id=row.id)
        seen_by_seller = list_messages(s, reader=KAZ_FIRM, interest_id=row.id)
        assert [(m.direction, m.text) for m in seen_by_buyer] == [
            ("sent", "Can you ship 40 coils to Urumqi in May?"), ("received", "Да, см. спецификацию")]
        assert [m.direction for m in seen_by_seller] == ["received", "sent"]
        assert seen_by_buyer[1].attachment_name == "spec.pdf" and seen_by_buyer[1].attachment_bytes == 18
        assert get_attachment(s, reader=CHN_STEWARD, interest_id=row.id, message_id=answer.id).data == spec.data
        for outsider, error in ((STRANGER, NotFound), (ANONYMOUS, Unauthenticated)):
            with pytest.raises(error):
                list_messages(s, reader=outsider, interest_id=row.id)
            with pytest.raises(error):
                get_attachment(s, reader=outsider, interest_id=row.id, message_id=answer.id)
        with pytest.raises(NotFound):
            post_message(s, reader=STRANGER, interest_id=row.id, text="Let me in")
        assert [n.topic for n in alerts.list_notifications(s, reader=KAZ_FIRM)].count("message") == 1
        assert [n.topic for n in alerts.list_notifications(s, reader=CHN_STEWARD)].count("message") == 1
        from scobank.access.ledger import LedgerFilter, entries, entry_dict

        logged = [entry_dict(e) for e in entries(s, where=LedgerFilter(action="exchange.message"))][::-1]
    assert [(e["actor"], e["detail"]["event"]) for e in logged][:4] == [
        ("steward@mofcom.cn", "post"), ("sales@steppe-steel.kz", "post"), ("steward@mofcom.cn", "read"),
        ("sales@steppe-steel.kz", "read")]
    assert logged[1]["detail"]["attachment_bytes"] == 18 and logged[1]["detail"]["chars"] == 20
    text = repr(logged)
    assert "Urumqi" not in text and "спецификацию" not in text  # the ledger never holds the text


def test_empty_long_and_oversized_messages_are_refused_with_the_limit(bank):
    with bank.session() as s:
        row = _pending(s)
        interest.accept_interest(s, reader=KAZ_FIRM, interest_id=row.id)
        with pytest.raises(BadRequest, match="needs a text or an attachment"):
            post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="   ")
        with pytest.raises(BadRequest, match="4001 characters; at most 4000"):
            post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="x" * 4001)
        big = Attachment(name="scan.tif", content_type="image/tiff", data=b"\0" * (MAX_ATTACHMENT_BYTES + 1))
        with pytest.raises(BadRequest, match=f"'scan.tif' has {MAX_ATTACHMENT_BYTES + 1} bytes"):
            post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="scan", attachment=big)
        interest.withdraw_interest(s, reader=KAZ_FIRM, interest_id=row.id)
        with pytest.raises(Conflict, match="withdrawn"):
            post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="one more thing")
        assert list_messages(s, reader=CHN_STEWARD, interest_id=row.id) == []
