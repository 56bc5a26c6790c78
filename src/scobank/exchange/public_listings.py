"""Which listings anyone may see now (the exchange's public rule: published and not expired), with each
listing's publication state kept in memory per process and database.

A search asks about a few hundred candidate listings several times per query; reading their rows by key
each time cost about a millisecond of SQLAlchemy per call at 100,000 listings. A listing's state is kept
while the listings' stamp (newest id and edit time: index reads) is unchanged, and at most
`KEPT_SECONDS` in any case: every writer of a listing sets its edit time, so a change shows in the next
search; a change committed late with an earlier edit time than the newest shows within KEPT_SECONDS.
Expiry is judged at each call against the kept expiry time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.db import utcnow
from scobank.exchange.models import Listing

KEPT_SECONDS = 60.0
KEPT_MAX = 500_000  # listings' states kept per database before they are read afresh

# database -> (listings' stamp, listing id -> (when read, its expiry if published, else None))
_KEPT: dict[str, tuple[tuple, dict[int, tuple[float, datetime | None]]]] = {}
_LOCK = threading.Lock()


def public_ids(session: Session, ids: Iterable[int], stamp: tuple) -> set[int]:
    """Those of `ids` that are published and not expired now; `stamp`: the listings' stamp just read."""
    ids = list(ids)
    clock, now = time.monotonic(), utcnow()
    key = str(session.get_bind().url)
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is None or kept[0] != stamp or len(kept[1]) > KEPT_MAX:
            kept = _KEPT[key] = (stamp, {})
        states = kept[1]
        wanted = [i for i in ids if (s := states.get(i)) is None or clock - s[0] > KEPT_SECONDS]
    if wanted:
        read = {i: (clock, None) for i in wanted}
        for i, status, expires in session.execute(select(Listing.id, Listing.status, Listing.expires_at)
                                                  .where(Listing.id.in_(wanted))):
            read[i] = (clock, expires if status == "published" else None)
        with _LOCK:
            states.update(read)
    return {i for i in ids if (s := states.get(i)) is not None and s[1] is not None and s[1] > now}
