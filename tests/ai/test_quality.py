"""The quality floors of issue #5 on the evaluation set tests/data/ai_eval.jsonl (one embedding pass
per module; the same numbers as `python benchmarks/ai_eval.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "ai_eval.jsonl"


@pytest.fixture(scope="module")
def report(_template):
    """Evaluate once against the reference-loaded template bank (read only)."""
    from scobank.ai.embedding import embedder
    from scobank.ai.evaluation import evaluate, load_items
    from scobank.config import reset_settings
    from scobank.db import reset_engines, session_scope

    url, home = _template
    mp = pytest.MonkeyPatch()
    mp.setenv("SCOBANK_DATABASE_URL", url)
    mp.setenv("SCOBANK_HOME", str(home))
    reset_settings()
    reset_engines()
    try:
        with session_scope() as session:
            result = evaluate(session, load_items(EVAL_SET), model=embedder())
    finally:
        reset_engines()  # PostgreSQL copies the template only when nobody is connected to it
        mp.undo()
        reset_settings()
    return result


def test_the_evaluation_set_has_150_items_in_en_ru_zh_and_other_member_languages():
    from scobank.ai.evaluation import load_items

    items = load_items(EVAL_SET)
    assert len(items) >= 150
    assert all({"en", "ru", "zh"} <= set(i.texts) for i in items)
    assert {"hi", "ur", "fa", "kk", "ky", "uz", "tg"} <= {lang for i in items for lang in i.texts}
    assert {i.kind for i in items} == {"product", "capacity", "technology"}
    assert len({i.heading[:2] for i in items}) >= 70  # 72 chapters, in all 21 HS sections


def test_a_description_in_one_language_finds_its_twin_in_another(report):
    for r in report.recall:
        assert r.at1 >= 0.90, f"{r.source}->{r.target} recall@1 {r.at1:.3f}"
        assert r.at5 >= 0.97, f"{r.source}->{r.target} recall@5 {r.at5:.3f}"


def test_the_right_hs_heading_is_in_the_top_five_suggestions(report):
    floors = {"en": 0.80, "ru": 0.65, "zh": 0.65}
    got = {h.lang: h.at5 for h in report.hs}
    assert set(got) == set(floors)
    for lang, floor in floors.items():
        assert got[lang] >= floor, f"{lang}: {got[lang]:.3f} < {floor}"
