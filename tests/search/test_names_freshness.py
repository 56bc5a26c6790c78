"""A name changed in the reference tables by another process (a reload from the CLI while the portal
serves) shows in search within seconds, and no search waits for the check: after the first read the
request path runs no SQL for the names' change token; a background thread re-reads it."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, event, select, update

from scobank.reference.models import HsCode

pytestmark = pytest.mark.db


def _statements(engine):
    """The statements this thread (a search's) sends; the background check's are not counted."""
    seen: list[str] = []
    me = threading.get_ident()

    def count(conn, cursor, statement, *args):
        if threading.get_ident() == me:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def _rename_chapter_elsewhere(url: str, chapter: str, name: str) -> None:
    """As another process would: its own engine and transaction, and no call into this process."""
    other = create_engine(url)
    with other.begin() as conn:
        texts = conn.execute(select(HsCode.descriptions).where(
            HsCode.revision == "HS22", HsCode.code == chapter)).scalar_one()
        conn.execute(update(HsCode).where(HsCode.revision == "HS22", HsCode.code == chapter)
                     .values(descriptions={**texts, "en": name}))
    other.dispose()


def test_a_name_changed_by_another_process_shows_within_seconds_and_no_search_waits(bank, monkeypatch):
    from scobank.ai.hs_model import hs_model
    from scobank.reference import texts

    monkeypatch.setattr(texts, "TOKEN_SECONDS", 0.2)
    with bank.session() as s:
        before = hs_model(s)
        assert before.nom.texts("en")["03"] != "Fish, renamed"
        engine = s.get_bind()
        seen, stop = _statements(engine)
        try:
            first = texts.product_texts_token(s, "HS22")
            assert seen == []  # read when the model was first asked for, not again per search
        finally:
            stop()
    _rename_chapter_elsewhere(bank.url, "03", "Fish, renamed")

    deadline = time.monotonic() + 15
    with bank.session() as s:
        seen, stop = _statements(s.get_bind())
        try:
            while texts.product_texts_token(s, "HS22") == first and time.monotonic() < deadline:
                time.sleep(0.05)
            assert seen == []  # the check ran beside the searches, never inside one
        finally:
            stop()
        assert texts.product_texts_token(s, "HS22") != first
        assert hs_model(s).nom.texts("en")["03"] == "Fish, renamed"
