"""The one search service at scale: end-to-end latency of `scobank.search.service.search` (every kind:
products, datasets, listings, enterprises, members) with 100,000 published listings in the bank.

    SCOBANK_HOME=/tmp/bench-home PYTHONPATH=src python benchmarks/search_service.py [--items 100000] [--queries 100]

SCOBANK_HOME must be a bank with reference data (`scobank init`, or `scobank demo --no-serve`). The
first run adds `--items` listings (texts: the evaluation set's descriptions in every language, cycled;
vectors: their embeddings mixed pairwise with noise, as benchmarks/ai_search.py does, so 100,000 texts
need not be embedded) in one transaction, and reads each listing's products with the HS model as indexing
does (`scobank.ai.stored_products`; several minutes once); later runs reuse them. Each timing is one full call as the
API makes it: normalise, detect the language, embed the query, HS model, the catalog's search with
facets, listings and enterprises by meaning and words, members, the ledger entry; anonymous reader.
The first query of the process (it builds the in-memory indexes: BM25 over the listings, vectors) is
reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, insert, select

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data"
QUERIES = ["steel", "сталь", "прокат", "钢铁", "梳棉机", "8445", "cotton yarn", "хлопковая пряжа", "尿素化肥",
           "ferroalloys", "ферросплавы", "CNC machining capacity", "数控加工", "Казахстан", "wheat", "пшеница",
           "solar panels", "光伏组件", "crude oil", "нефть сырая"]


def _texts() -> list[tuple[str, str]]:
    rows = [json.loads(x) for x in (EVAL / "ai_eval.jsonl").read_text(encoding="utf-8").splitlines() if x]
    return [(lang, r[lang]) for r in rows for lang in ("en", "ru", "zh")]


def add_listings(session, n: int) -> int:
    from scobank.ai.embedding import embedder
    from scobank.ai.models import Embedding
    from scobank.db import utcnow
    from scobank.exchange.models import Enterprise, Listing

    have = session.scalar(select(func.count()).select_from(Listing).where(Listing.kind == "bench")) or 0
    if have >= n:
        return have
    model = embedder()
    texts = _texts()
    base = model.embed([t for _, t in texts])
    ent = Enterprise(party="KAZ", name={"en": "Benchmark LLP"}, description={"en": "x"}, products=[], sectors=[],
                     size_band="medium", contacts={})
    session.add(ent)
    session.flush()
    rng = np.random.default_rng(7)
    later = utcnow() + timedelta(days=365)
    for start in range(0, n, 5000):
        picks = rng.integers(0, len(texts), min(5000, n - start))
        rows = [{"enterprise_id": ent.id, "kind": "bench", "side": "offer", "status": "published", "expires_at": later,
                 "title": {texts[i][0]: texts[i][1][:60]}, "description": {texts[i][0]: texts[i][1]},
                 "original_language": texts[i][0]} for i in picks]
        ids = session.execute(insert(Listing).returning(Listing.id), rows).scalars().all()
        mix = rng.integers(0, len(texts), len(picks))
        vectors = base[picks] + 0.3 * base[mix] + 0.05 * rng.standard_normal((len(picks), model.dim)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        session.execute(insert(Embedding), [
            {"kind": "listing", "item_id": str(i), "part": texts[p][0], "model": model.name,
             "text_hash": hashlib.sha256(texts[p][1].encode()).hexdigest(), "dim": model.dim,
             "vector": v.astype(np.float32).tobytes(), "updated_at": utcnow()}
            for i, p, v in zip(ids, picks, vectors, strict=True)])
    return n


def add_products(session) -> int:
    """The products each listing names, read as `scobank.ai.index` does when it writes an item's vectors
    (the listings above were written straight into the store); those already stored are skipped."""
    from scobank.ai.embedding import embedder
    from scobank.ai.kinds import LISTINGS
    from scobank.ai.stored_products import fill

    def texts(ids: list[str]) -> dict[str, str]:
        return {item: ". ".join(t.values()) for item, t in LISTINGS.texts(session, ids)}

    return fill(session, "listing", embedder().name, texts)


def main() -> None:
    from scobank.access.reader import ANONYMOUS
    from scobank.db import session_scope
    from scobank.search.service import search

    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    started = time.perf_counter()
    with session_scope() as session:
        print(f"benchmark listings in the bank: {add_listings(session, args.items)} "
              f"({time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    with session_scope() as session:
        print(f"listings whose products were read now, as indexing does: {add_products(session)} "
              f"({time.perf_counter() - started:.1f} s)")
    with session_scope() as session:
        t0 = time.perf_counter()
        search(session, reader=ANONYMOUS, q="steel")
        print(f"first query of the process (builds the in-memory indexes): {1000 * (time.perf_counter() - t0):.0f} ms")
    times, cpu, empty = [], [], set()
    for k in range(args.queries):
        with session_scope() as session:
            t0, c0 = time.perf_counter(), time.process_time()
            answer = search(session, reader=ANONYMOUS, q=QUERIES[k % len(QUERIES)])
            times.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))
            if not answer.groups:
                empty.add(QUERIES[k % len(QUERIES)])
    if len(cpu) > len(QUERIES):  # each query's first time (its candidates read for the first time) and the repeats
        first, again = sorted(cpu[:len(QUERIES)]), sorted(cpu[len(QUERIES):])
        print(f"CPU of each query's first run ({len(first)}): p50 {statistics.median(first):.1f} ms, max "
              f"{first[-1]:.1f} ms; of the repeats ({len(again)}): p50 {statistics.median(again):.1f} ms, p95 "
              f"{again[int(0.95 * (len(again) - 1))]:.1f} ms")
    times.sort()
    cpu.sort()
    p95, cpu95 = times[int(0.95 * (len(times) - 1))], cpu[int(0.95 * (len(cpu) - 1))]
    print(f"search over {args.items:,} listings, {len(times)} queries: wall p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms; CPU p50 {statistics.median(cpu):.1f} ms, p95 {cpu95:.1f} ms "
          f"(ratio to the 50 ms limit: wall {p95 / 50:.2f}, CPU {cpu95 / 50:.2f}); "
          f"queries with no result: {sorted(empty) or 'none'}")


if __name__ == "__main__":
    main()
