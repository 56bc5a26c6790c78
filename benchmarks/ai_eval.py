"""AI quality on the evaluation set (tests/data/ai_eval.jsonl): cross-lingual recall and HS accuracy.

    PYTHONPATH=src python benchmarks/ai_eval.py

Uses the bank in SCOBANK_HOME (needs `scobank init`: the HS nomenclature from the reference tables)."""

from __future__ import annotations

import time
from pathlib import Path

from scobank.ai.embedding import embedder
from scobank.ai.evaluation import ALL_LANGUAGES, evaluate, format_report, load_items
from scobank.bank import init_bank
from scobank.db import session_scope

EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "ai_eval.jsonl"


def main() -> None:
    init_bank()
    started = time.perf_counter()
    with session_scope() as session:
        report = evaluate(session, load_items(EVAL_SET), model=embedder(), hs_languages=ALL_LANGUAGES)
    print(format_report(report))
    print(f"\n({time.perf_counter() - started:.1f} s, model {embedder().name})")


if __name__ == "__main__":
    main()
