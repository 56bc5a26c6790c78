"""Cross-lingual listing search (issue #15): recall@1/@5 by direction, on the tuning and the held-out set.

    SCOBANK_DATA_DIR=../shared/data PYTHONPATH=src python benchmarks/listings_xling.py [--set tuning|heldout|both]

Each set's listings go into a throwaway bank (`scobank init` in a temporary folder; the HS vectors from
SCOBANK_AI_CACHE_DIR, default var/ai-cache) as published offers of one enterprise, without an HS code, as
tests/search/test_listings_quality.py does; every (listing, query) pair is searched through the search
service. Develop against `tuning` (tests/data/listings_xling_tuning.jsonl); `heldout`
(tests/data/listings_xling.jsonl) is only reported. Also prints each query's wall time (p50/p95).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETS = {"tuning": REPO / "tests" / "data" / "listings_xling_tuning.jsonl",
        "heldout": REPO / "tests" / "data" / "listings_xling.jsonl"}


def _publish(session, items) -> dict[str, str]:
    from scobank.db import utcnow
    from scobank.exchange.models import Enterprise, Listing

    ent = Enterprise(party="KAZ", name={"en": "Benchmark LLP"}, description={"en": "x"}, products=[], sectors=[],
                     size_band="medium", contacts={"email": "x@y.kz"})
    session.add(ent)
    session.flush()
    ids = {}
    for item in items:
        listing = Listing(enterprise_id=ent.id, kind="offer", side="offer", status="published",
                          expires_at=utcnow() + timedelta(days=30), title={item.lang: item.title},
                          description={item.lang: item.description})
        session.add(listing)
        session.flush()
        ids[item.id] = str(listing.id)
    return ids


def measure(name: str, *, misses: bool) -> None:
    from scobank.access.reader import ANONYMOUS
    from scobank.db import session_scope
    from scobank.exchange.models import Listing
    from scobank.search.evaluation import listing_recall, load_xling
    from scobank.search.service import search

    items = load_xling(SETS[name])
    with session_scope() as s:
        s.query(Listing).update({"status": "expired"})  # the other set's listings, if any
        ids = _publish(s, items)
    with session_scope() as s:
        search(s, reader=ANONYMOUS, q="warm-up", kinds=["listing"])  # loads the embedder, HS model, indexes
        started = time.perf_counter()
        recall = listing_recall(s, reader=ANONYMOUS, items=items, listing_ids=ids)
        per_query = (time.perf_counter() - started) / recall.pairs
        print(f"{name}: {len(items)} listings, {recall.pairs} pairs: recall@1 {recall.at1:.3f}, "
              f"recall@5 {recall.at5:.3f}; {per_query * 1000:.0f} ms per query (whole search, listings only)")
        for direction, (n, at5) in recall.by_direction.items():
            print(f"  {direction}: {at5:.2f} of {n}")
        if misses:
            _print_misses(s, items, ids)


def _print_misses(session, items, ids) -> None:
    """Each missed pair: the query, the listing it should find (its rank among the first 50, its score and
    why it matched) and the five that ranked above it, each with its score and reason."""
    from scobank.access.reader import ANONYMOUS
    from scobank.search.service import search

    titles = {ids[i.id]: i.title for i in items}
    for item in items:
        for lang, q in item.queries.items():
            found = [r for g in search(session, reader=ANONYMOUS, q=q, kinds=["listing"], per_kind=50).groups
                     for r in g.items]
            rank = next((n for n, r in enumerate(found) if r.id == ids[item.id]), None)
            if rank is not None and rank < 5:
                continue
            wanted = "not among the first 50" if rank is None else f"rank {rank + 1}, {_why(found[rank])}"
            print(f"  MISS {lang}->{item.lang} {q!r} -> {item.title!r} ({wanted}); above it:")
            for r in found[:5]:
                print(f"      {titles.get(r.id, r.id)!r}: {_why(r)}")


def _why(result) -> str:
    m = result.match
    return f"score {m.score} (meaning {m.meaning}, {m.reason_code or 'words' if m.words else m.reason_code or 'meaning'})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=["tuning", "heldout", "both"], default="tuning")
    parser.add_argument("--misses", action="store_true", help="print the missed pairs (tuning set only)")
    args = parser.parse_args()
    os.environ.setdefault("SCOBANK_AI_CACHE_DIR", str(REPO / "var" / "ai-cache"))
    with tempfile.TemporaryDirectory() as home:
        os.environ["SCOBANK_HOME"] = home
        os.environ["SCOBANK_DATABASE_URL"] = f"sqlite:///{home}/bank.db"
        from scobank.bank import init_bank

        init_bank()
        print(f"load average {os.getloadavg()[0]:.1f} (2 cores, shared)", file=sys.stderr)
        for name in (["tuning", "heldout"] if args.set == "both" else [args.set]):
            measure(name, misses=args.misses and name == "tuning")


if __name__ == "__main__":
    main()
