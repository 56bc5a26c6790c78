"""A product name written by another process shows in the next search: the portal keeps the HS names in
memory (the HS model) and learns of a change from the names' stamp, one row read by key per search, which
every writer of names replaces in its own transaction. Here the other process is `scobank init` run on a
bank loaded before the Russian names existed (it adds them) while this process serves searches."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import event, select, update

from scobank.access.reader import ANONYMOUS
from scobank.reference.models import HsCode

pytestmark = pytest.mark.db

HEADING = "7208"  # flat-rolled iron or non-alloy steel, hot-rolled: "прокат" in Russian


def _statements(engine):
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def _forget_russian(session, code: str) -> str:
    """The bank as loaded before the Russian names existed: `code` without its Russian name (returned)."""
    texts = session.execute(select(HsCode.descriptions).where(HsCode.revision == "HS22", HsCode.code == code)).scalar_one()
    session.execute(update(HsCode).where(HsCode.revision == "HS22", HsCode.code == code)
                    .values(descriptions={k: v for k, v in texts.items() if k != "ru"}))
    return texts["ru"]


def _product_title(session, code: str) -> dict:
    from scobank.search.service import search

    answer = search(session, reader=ANONYMOUS, q=code, kinds=["product"])
    return next(r.title for g in answer.groups for r in g.items if r.id == f"HS22:{code}")


def test_a_name_added_by_another_process_shows_in_the_next_search(bank):
    from scobank.reference.texts import product_texts_token

    with bank.session() as s:
        russian = _forget_russian(s, HEADING)
    with bank.session() as s:
        assert "ru" not in _product_title(s, HEADING)  # the HS model is built, the heading without Russian
        before = product_texts_token(s, "HS22")

    done = subprocess.run([sys.executable, "-m", "scobank", "init"], env=dict(os.environ), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Russian/Chinese names added to 1 HS22 codes" in done.stdout

    with bank.session() as s:
        seen, stop = _statements(s.get_bind())
        try:
            after = product_texts_token(s, "HS22")
        finally:
            stop()
        assert after != before
        assert len(seen) == 1 and "hs_codes" not in seen[0]  # one row by key, not an aggregate over the names
        assert _product_title(s, HEADING)["ru"] == russian


def test_the_stamp_changes_only_when_names_are_written(bank):
    from scobank.reference.load import load_reference
    from scobank.reference.texts import product_texts_token

    with bank.session() as s:
        hs, sitc = product_texts_token(s, "HS22"), product_texts_token(s, "SITC2")
        assert hs and sitc and hs != sitc
        load_reference(s)  # everything already loaded: no name written
        assert (product_texts_token(s, "hs22"), product_texts_token(s, "SITC2")) == (hs, sitc)
