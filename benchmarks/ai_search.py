"""Semantic search at scale: query latency over 100,000 indexed items and indexing throughput.

    PYTHONPATH=src python benchmarks/ai_search.py [--items 100000] [--queries 200] [--texts 1000]

1. Indexing throughput: embed `--texts` real product descriptions (the evaluation set's texts, all
   languages, repeated) with the configured embedder, texts per second.
2. Query latency: a VectorIndex of `--items` rows (unit vectors: the embedded texts mixed pairwise
   with noise, so neighbourhoods are realistic without embedding 100,000 texts for minutes), queried
   with real query embeddings: p50/p95 of (embed the query + exact search + visibility filter that
   lets 1 in 2 items through). The peer in the same run: the same search without the query embedding.
"""

from __future__ import annotations

import argparse
import os
import json
import statistics
import time
from pathlib import Path

import numpy as np

from scobank.ai.embedding import embedder
from scobank.ai.vectors import VectorIndex

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "ai_eval.jsonl"


def _texts() -> list[str]:
    rows = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [v for r in rows for k, v in r.items() if k not in ("id", "kind", "heading")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--texts", type=int, default=1000)
    args = parser.parse_args()
    model = embedder()
    texts = _texts()
    model.embed(texts[:8])  # load the weights outside the timing
    corpus = (texts * (args.texts // len(texts) + 1))[: args.texts]
    started = time.perf_counter()
    base = model.embed(corpus)
    seconds = time.perf_counter() - started
    print(f"indexing throughput: {len(corpus)} texts in {seconds:.2f} s = {len(corpus) / seconds:.0f} texts/s "
          f"({model.name}, {model.dim} dims)")

    rng = np.random.default_rng(7)
    a, b = rng.integers(0, len(base), args.items), rng.integers(0, len(base), args.items)
    matrix = base[a] + 0.5 * base[b] + 0.05 * rng.standard_normal((args.items, model.dim)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    index = VectorIndex(np.array([str(i) for i in range(args.items)], dtype=object), matrix.astype(np.float32))

    def visible(ids: list[str]) -> set[str]:
        return {i for i in ids if int(i) % 2 == 0}

    queries = [texts[i] for i in rng.integers(0, len(texts), args.queries)]
    full, search_only, cpu = [], [], []
    for q in queries:
        c0, t0 = time.process_time(), time.perf_counter()
        vector = model.embed([q])[0]
        t1 = time.perf_counter()
        index.nearest(vector, visible=visible, n=50)
        t2, c2 = time.perf_counter(), time.process_time()
        full.append((t2 - t0) * 1000)
        search_only.append((t2 - t1) * 1000)
        cpu.append((c2 - c0) * 1000)

    def p95(values: list[float]) -> float:
        return float(np.percentile(values, 95))

    print(f"query latency over {args.items:,} items ({args.queries} queries): "
          f"p50 {statistics.median(full):.1f} ms, p95 {p95(full):.1f} ms (embed + search + visibility)")
    print(f"  search alone (the peer, same run): p50 {statistics.median(search_only):.1f} ms, "
          f"p95 {p95(search_only):.1f} ms; full/search-alone at the median: "
          f"{statistics.median(full) / max(statistics.median(search_only), 1e-9):.1f}x")
    print(f"  CPU time per query (what the load does not inflate): p50 {statistics.median(cpu):.1f} ms, "
          f"p95 {p95(cpu):.1f} ms")
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  matrix {matrix.nbytes / 2**20:.0f} MiB float32; exact search is linear in items: "
          f"at ~1M items (~2 GiB, ~10x the time) an ANN index (HNSW/IVF) would be needed")


if __name__ == "__main__":
    main()
