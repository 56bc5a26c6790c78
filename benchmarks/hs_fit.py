"""Fit the HS suggestion model's weights and match gate on the TUNING sets only (never the held-out set).

    SCOBANK_DATA_DIR=../shared/data PYTHONPATH=src python benchmarks/hs_fit.py

Reads tests/data/ai_eval.jsonl and hs_short_tuning.jsonl (en/ru/zh, with headings) and
hs_nonsense_tuning.txt. Prints:
- WEIGHTS for `scobank.ai.hs_model`: softmax regression (cross-entropy over all 1,228 headings, L2 1e-3,
  gradient descent from the previous weights) on the signals of every tuning description;
- the match gate for `scobank.ai.hs_suggest`: class-balanced logistic regression of (log p(best), its
  lexical score, its English similarity, coverage) for real (1) vs nonsense with words (0), and the
  share of each rejected at thresholds 0.05..0.9, from which MATCH_THRESHOLD is chosen mid-plateau.
Needs a bank with the HS nomenclature (`scobank init`; the demo's SCOBANK_HOME will do).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def _signals(session, texts):
    from scobank.ai.embedding import embedder
    from scobank.ai.hs_model import hs_model
    from scobank.ai.hs_suggest import prepare

    model = embedder()
    hs = hs_model(session, model=model)
    prepared = [prepare(t) for t in texts]
    vectors = model.embed(prepared)
    return hs, [hs.signals(t, v) for t, v in zip(prepared, vectors, strict=True)], prepared


def fit_weights(X: np.ndarray, y: np.ndarray, w: np.ndarray, iters: int = 200) -> np.ndarray:
    for _ in range(iters):
        S = X @ w
        S -= S.max(1, keepdims=True)
        P = np.exp(S)
        P /= P.sum(1, keepdims=True)
        gold = X[np.arange(len(y)), y]
        w = w - 5 * (-(gold - np.einsum("qh,qhf->qf", P, X)).mean(0) + 1e-3 * w)
    return w


def fit_gate(F: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, sd = F.mean(0), F.std(0)
    Z = np.c_[(F - mean) / sd, np.ones(len(F))]
    balance = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (1 - y).sum()))
    b = np.zeros(Z.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-Z @ b))
        b -= 0.1 * (Z.T @ ((p - y) * balance) / len(y) + 1e-3 * b)
    return mean, sd, b


def main() -> None:
    from scobank.ai.evaluation import load_labelled, load_lines
    from scobank.ai.hs_model import FEATURES, WEIGHTS
    from scobank.db import session_scope
    from scobank.tokens import has_words

    labelled = [pair for name in ("ai_eval.jsonl", "hs_short_tuning.jsonl") for lang in ("en", "ru", "zh")
                for pair in load_labelled(DATA / name, lang)]
    nonsense = [t for t in load_lines(DATA / "hs_nonsense_tuning.txt") if has_words(t)]
    with session_scope() as session:
        hs, sig, _ = _signals(session, [t for t, _ in labelled])
        _, bad, bad_texts = _signals(session, nonsense)
        X = np.stack([np.stack([s[f] for f in FEATURES], 1) for s in sig]).astype(np.float32)
        y = np.array([hs.position[h] for _, h in labelled])
        w = fit_weights(X, y, WEIGHTS.astype(np.float32))
        print("WEIGHTS =", np.round(w, 2).tolist())
        rows = []
        for signals, text in [(s, t) for s, (t, _) in zip(sig, labelled, strict=True)] + list(zip(bad, bad_texts, strict=True)):
            p = hs.probabilities(signals)
            i = int(np.argmax(p))
            rows.append([np.log(p[i]), signals["lexical_raw"][i], signals["en6"][i], hs.bm25.coverage(text)])
    F = np.array(rows)
    target = np.r_[np.ones(len(labelled)), np.zeros(len(nonsense))]
    mean, sd, b = fit_gate(F, target)
    print("_GATE_MEAN =", np.round(mean, 4).tolist(), "\n_GATE_SD =", np.round(sd, 4).tolist(),
          "\n_GATE_COEF =", np.round(b, 4).tolist())
    p = 1 / (1 + np.exp(-(np.c_[(F - mean) / sd, np.ones(len(F))] @ b)))
    for t in np.arange(0.05, 0.95, 0.05):
        print(f"threshold {t:.2f}: real rejected {(p[target == 1] < t).mean():.3f}, "
              f"nonsense rejected {(p[target == 0] < t).mean():.3f}")


if __name__ == "__main__":
    main()
