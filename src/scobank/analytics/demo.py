"""Demo step: compute the analyses behind the portal's default member pages once, so the first visitor
does not wait for them. The results land in the analytics cache (memory of this process, which
`scobank demo` goes on to serve from, and files under $SCOBANK_HOME/cache/analytics, which any later
server process reads). Each computation passes the gate and is recorded in the ledger as the operator's,
like any other use. Idempotent: a second run finds everything kept and takes milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from scobank.access.reader import OPERATOR
from scobank.analytics import profile, service
from scobank.analytics.cache import RESULTS
from scobank.analytics.opportunities import Weights
from scobank.errors import ScobankError
from scobank.reference.lookup import bloc_members

WARMER = OPERATOR  # results do not depend on the reader; the ledger names who computed them


def _pages(session: Session) -> dict[str, Callable[[], object]]:
    """The default analytics pages of the portal (web/analytics.py defaults; tests/analytics/
    test_demo_warming.py checks they are then served without computing) -> the call behind each."""
    members = bloc_members(session, 2024)
    reader = WARMER
    return {
        f"member profiles ({len(members)} members)": lambda: [
            profile.member_profile(session, reader=reader, iso3=m, flows_dataset=service.PAGE_FLOWS_DATASET, top=12)
            for m in members],
        "substitution explorer": lambda: service.substitution(session, reader=reader, dataset=service.PAGE_FLOWS_DATASET,
                                                              level=4, importer="KAZ"),
        "product space": lambda: service.year_complexity(session, reader=reader),
        "joint opportunities": lambda: service.opportunity_table(
            session, reader=reader, dataset=service.ICIO_FLOWS_DATASET, member="KAZ", weights=Weights(),
            limit=300),
    }


def populate(session: Session, *, data_dir: Path | None) -> list[str]:
    """Warm the cache for the default member pages; lines saying what was computed, in how long."""
    lines = ["analytics cache: the default member pages computed ahead of the first visitor "
             "(kept in memory and under $SCOBANK_HOME/cache/analytics):"]
    for name, call in _pages(session).items():
        start, computed = time.perf_counter(), RESULTS.misses
        try:
            call()
            outcome = "ready"
        except ScobankError as exc:  # the page shows this error; a dataset that cannot support it stays so
            outcome = f"the page will say why ({exc.code}: {exc.message})"
        new = RESULTS.misses - computed
        lines.append(f"  {name}: {outcome}; analyses computed: {new}, {time.perf_counter() - start:.1f} s")
    return lines
