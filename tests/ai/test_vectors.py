"""The in-memory vector index: a large index scans reduced vectors first and still returns the exact
nearest items; an item's rows are replaced in place when it changes (no reload of the other rows)."""

from __future__ import annotations

import numpy as np

from scobank.ai.vectors import REDUCE_FROM, VectorIndex


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _exact(matrix: np.ndarray, ids: list[str], query: np.ndarray, n: int) -> list[str]:
    return [ids[j] for j in np.argsort(-(matrix @ query))[:n]]


def test_a_large_index_finds_the_same_nearest_items_as_an_exact_scan():
    rng = np.random.default_rng(3)
    topics = _unit(rng.standard_normal((300, 512)))  # items cluster around topics, as listings do
    n = REDUCE_FROM + 5000
    matrix = _unit(topics[rng.integers(0, 300, n)] + 0.6 * _unit(rng.standard_normal((n, 512))))
    ids = [str(i) for i in range(len(matrix))]
    index = VectorIndex(ids, matrix)
    assert index.reduced
    agree = []
    for query in _unit(topics[:20] + 0.3 * _unit(rng.standard_normal((20, 512)))):
        found = [i for i, _ in index.nearest(query, visible=None, n=10)]
        agree.append(len(set(found) & set(_exact(matrix, ids, query, 10))) / 10)
    assert np.mean(agree) >= 0.95


def test_a_changed_item_is_found_by_its_new_vector_and_no_longer_by_its_old_one():
    rng = np.random.default_rng(4)
    matrix = _unit(rng.standard_normal((50, 512)))
    index = VectorIndex([str(i) for i in range(50)], matrix)
    old, new = matrix[7].copy(), _unit(rng.standard_normal((1, 512)))[0]
    assert index.nearest(old, visible=None, n=1)[0][0] == "7"
    index.replace([("7", new)])
    (item, similarity), = index.nearest(new, visible=None, n=1)
    assert (item, round(similarity, 4)) == ("7", 1.0)
    assert index.nearest(old, visible=None, n=1)[0][0] != "7"
    assert len(index.item_ids) == 51  # its old row is masked, the 49 others untouched


def test_visibility_is_asked_and_hidden_items_are_never_returned():
    rng = np.random.default_rng(5)
    matrix = _unit(rng.standard_normal((REDUCE_FROM, 512)))
    index = VectorIndex([str(i) for i in range(REDUCE_FROM)], matrix)
    hidden = {str(i) for i in range(0, REDUCE_FROM, 2)}  # half the items, e.g. expired listings
    found = index.nearest(matrix[4], visible=lambda ids: set(ids) - hidden, n=20)
    assert len(found) == 20 and not {i for i, _ in found} & hidden


def test_best_of_gives_each_items_best_language_for_any_query_scored_or_not():
    """Items with two rows (two languages), some among the reduced scan's exactly scored rows and some
    not: each gets the exact best similarity over its rows and the queries."""
    rng = np.random.default_rng(6)
    n = REDUCE_FROM + 1000
    matrix = _unit(rng.standard_normal((n, 512)))
    ids = [str(i // 2) for i in range(n)]  # item k has rows 2k and 2k+1
    index = VectorIndex(ids, matrix)
    queries = [matrix[10], _unit(rng.standard_normal((1, 512)))[0]]
    scored = index.similarities(queries)
    assert not scored.complete
    asked = {"5", "7", "0", str(n // 4), "unknown"}  # item 5 holds row 10 (scored); most others are not
    best = index.best_of(queries, scored, asked)
    exact = matrix @ np.stack(queries, axis=1)
    assert set(best) == asked - {"unknown"}
    for item, value in best.items():
        rows = [2 * int(item), 2 * int(item) + 1]
        assert abs(value - float(exact[rows].max())) < 1e-5, item
    assert abs(best["5"] - 1.0) < 1e-5


def test_each_items_languages_are_kept_through_replacement_and_compaction():
    """The languages of an item's texts (its rows) survive a changed item and the compaction of masked rows:
    cross-lingual listing search reads them (`scobank.search.groups._across_languages`)."""
    rng = np.random.default_rng(7)
    matrix = _unit(rng.standard_normal((6, 512)))
    index = VectorIndex(["a", "a", "b", "c", "d", "e"], matrix, ["ru", "zh", "zh", "en", "ru", "zh"])
    assert (index.languages_of("a"), index.languages_of("b"), index.languages_of("x")) == ({"ru", "zh"}, {"zh"}, set())
    for _ in range(3):  # masked rows pile up until the index compacts itself
        index.replace([("b", matrix[2], "en"), ("c", matrix[3], "ru"), ("c", matrix[1], "zh")])
    assert len(index.item_ids) < 6 + 3 * 3  # compacted
    assert (index.languages_of("a"), index.languages_of("b"), index.languages_of("c"), index.languages_of("e")) == (
        {"ru", "zh"}, {"en"}, {"ru", "zh"}, {"zh"})
