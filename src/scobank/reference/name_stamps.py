"""The product names' change stamps: one row per classification, replaced by every writer of its names in
the writer's own transaction, read by key on every search (a fraction of a millisecond).

A process that keeps names in memory (the HS model, search's SITC terms) keys them by the stamp, so a
name written by any process (a `scobank init` that adds the Russian and Chinese names while the portal
serves) shows in the next search after the writer commits. No aggregate over the names is read, and no
connection is held between reads.
"""

from __future__ import annotations

import uuid

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from scobank.reference.models import ProductNamesStamp


_MEMO = "scobank.product_name_stamps"  # session.info: (transaction, {classification: stamp})


def names_changed(session: Session, classification: str) -> None:
    """Record, in `session`'s transaction, that names of `classification` were added, edited or removed.
    Every writer of `HsCode.descriptions` or `ClassificationCode.names` calls it."""
    session.info.pop(_MEMO, None)
    stamp = uuid.uuid4().hex
    updated = session.execute(update(ProductNamesStamp).where(ProductNamesStamp.classification == classification)
                              .values(stamp=stamp).execution_options(synchronize_session=False))
    if not updated.rowcount:
        session.execute(insert(ProductNamesStamp).values(classification=classification, stamp=stamp))


def names_stamp(session: Session, classification: str) -> str:
    """The stamp of `classification`'s names: it changes whenever one of them does ("" while no writer has
    written any since the bank was migrated). Every classification's stamp is read in one SELECT, once
    per transaction of `session` (a search asks for HS and SITC)."""
    memo = session.info.get(_MEMO)
    if memo is None or memo[0] is not session.get_transaction():
        stamps = dict(session.execute(select(ProductNamesStamp.classification, ProductNamesStamp.stamp)).all())
        memo = session.info[_MEMO] = (session.get_transaction(), stamps)
    return memo[1].get(classification, "")
