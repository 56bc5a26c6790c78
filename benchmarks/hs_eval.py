"""HS suggestion quality on the HELD-OUT set (issue #15 floors), as tests/ai/test_hs_quality.py asserts.

    SCOBANK_DATA_DIR=../shared/data PYTHONPATH=src python benchmarks/hs_eval.py [--tuning]

Held-out: tests/data/hs_heldout.jsonl (70 goods x en/ru/zh) and hs_nonsense_heldout.txt (50), written
fresh and never used for fitting (tests/data/hs_heldout.SOURCE.md). `--tuning` prints the same figures
on the tuning sets, for comparison. Also: calibration (mean confidence of the first suggestion vs the
share right), upper/lower case agreement, and the member languages' answers.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FLOORS = {"en": (0.80, 0.95), "ru": (0.70, 0.90), "zh": (0.65, 0.85)}


def _calibration(session, labelled) -> tuple[float, float]:
    from scobank.ai.hs_suggest import suggest_hs

    conf, right = [], []
    for text, gold in labelled:
        answer = suggest_hs(session, text)
        if answer.suggestions:
            conf.append(answer.suggestions[0].score)
            right.append(answer.suggestions[0].heading == gold)
    return float(np.mean(conf)), float(np.mean(right))


def report(session, *, labelled_file: str, nonsense_file: str) -> list[str]:
    from scobank.ai.evaluation import hs_accuracy, load_labelled, load_lines, no_match_rate
    from scobank.ai.hs_suggest import suggest_hs

    lines = [f"{labelled_file}: language  n   top-1   top-5   (floors top-1 / top-5)   mean confidence of #1 / share right"]
    real = []
    for lang in ("en", "ru", "zh"):
        labelled = load_labelled(DATA / labelled_file, lang)
        real += [t for t, _ in labelled]
        acc = hs_accuracy(session, labelled, lang=lang)
        conf, right = _calibration(session, labelled)
        lines.append(f"  {lang}  {acc.n:4d}  {acc.at1:6.3f}  {acc.at5:6.3f}   ({FLOORS[lang][0]:.2f} / {FLOORS[lang][1]:.2f})"
                     f"   {conf:.3f} / {right:.3f}")
    nonsense = load_lines(DATA / nonsense_file)
    lines.append(f"  'no good match': nonsense {no_match_rate(session, nonsense):.3f} of {len(nonsense)} (floor >= 0.95), "
                 f"real descriptions {no_match_rate(session, real):.3f} of {len(real)} (floor <= 0.05)")
    differ = sum([s.heading for s in suggest_hs(session, t.upper()).suggestions]
                 != [s.heading for s in suggest_hs(session, t.lower()).suggestions]
                 for lang in ("en", "ru") for t, _ in load_labelled(DATA / labelled_file, lang))
    lines.append(f"  upper vs lower case: top 5 differ for {differ} descriptions (en and ru)")
    return lines


def member_languages(session) -> str:
    from scobank.ai.hs_suggest import suggest_hs

    rows = [json.loads(x) for x in (DATA / "ai_eval.jsonl").read_text(encoding="utf-8").splitlines() if x]
    texts = [(lang, r[lang]) for r in rows for lang in ("kk", "uz", "tg", "fa", "ur", "hi") if r.get(lang)]
    told = sum(suggest_hs(session, t).status == "language-not-supported" for _, t in texts)
    return f"member languages (kk/uz/tg/fa/ur/hi of ai_eval.jsonl): {told} of {len(texts)} told 'not yet supported'"


def main() -> None:
    from scobank.db import session_scope

    parser = argparse.ArgumentParser()
    parser.add_argument("--tuning", action="store_true", help="also the tuning sets, for comparison")
    args = parser.parse_args()
    started = time.perf_counter()
    with session_scope() as session:
        lines = report(session, labelled_file="hs_heldout.jsonl", nonsense_file="hs_nonsense_heldout.txt")
        if args.tuning:
            lines += report(session, labelled_file="ai_eval.jsonl", nonsense_file="hs_nonsense_tuning.txt")
        lines.append(member_languages(session))
    print("\n".join(lines))
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
