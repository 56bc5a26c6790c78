"""Search shows a listing only while the exchange's public rule holds (published, not expired), although
each process keeps the listings' publication state in memory between searches
(`scobank.exchange.public_listings`): an expiry, a withdrawal by moderation or a new publication shows
in the very next search, and a listing whose time runs out leaves the results with no write at all."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from scobank.access.reader import ANONYMOUS
from scobank.exchange import listings
from tests.exchange.conftest import KAZ_FIRM, make_enterprise, post

pytestmark = pytest.mark.db

OFFER = {"hs_code": "720221", "volume_per_year": 1200, "unit": "t"}


@pytest.fixture(autouse=True)
def _listeners() -> None:
    from scobank.ai.kinds import register_listeners

    register_listeners()


def _found(bank, q: str) -> list[str]:
    from scobank.search.service import search

    with bank.session() as s:
        answer = search(s, reader=ANONYMOUS, q=q, kinds=["listing"], per_kind=10)
    return [r.id for g in answer.groups for r in g.items]


def test_an_expired_or_new_listing_shows_in_the_next_search(bank):
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        first = post(s, KAZ_FIRM, firm, "product_offer", OFFER, title="Ferrosilicon FeSi75 lumps")
        draft = post(s, KAZ_FIRM, firm, "product_offer", OFFER, title="Ferrosilicon FeSi65 fines", publish=False)
        firm_id, first_id, draft_id = firm.id, str(first.id), str(draft.id)
    assert _found(bank, "ferrosilicon") == [first_id]

    with bank.session() as s:
        listings.expire_listing(s, reader=KAZ_FIRM, listing_id=int(first_id))
        listings.publish_listing(s, reader=KAZ_FIRM, listing_id=int(draft_id))
    assert _found(bank, "ferrosilicon") == [draft_id]

    from scobank.db import utcnow
    from scobank.exchange.models import Listing

    with bank.session() as s:  # ends in three seconds; nothing is written when it does
        brief = Listing(enterprise_id=firm_id, kind="product_offer", side="offer", status="published",
                        expires_at=utcnow() + timedelta(seconds=3), title={"en": "Ferrosilicon briquettes"},
                        description={"en": "Ferrosilicon briquettes"}, details=OFFER)
        s.add(brief)
        s.flush()
        brief_id = str(brief.id)
    assert brief_id in _found(bank, "ferrosilicon briquettes")
    time.sleep(3.5)
    found = _found(bank, "ferrosilicon briquettes")
    assert brief_id not in found and draft_id in found
