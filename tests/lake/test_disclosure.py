"""Statistical disclosure control of aggregates-only answers (issue 17, item 2): the attacks of the
report (a range filter on the value, the suppressed-groups oracle, two totals differenced) against
the rules of scobank.lake.disclosure, on a real DuckDB engine."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scobank.errors import AccessDenied
from scobank.lake.disclosure import Disclosure
from scobank.lake.query import QuerySpec, run_query

HIDDEN = 123_456_789.0  # the cell the RUS viewer recovered exactly
KEY = ["partner", "product"]


class DuckDB:
    """The engine seam (to_arrow) on an in-memory DuckDB backend of Ibis."""

    def __init__(self) -> None:
        self.con = ibis.duckdb.connect()

    def to_arrow(self, expr):
        return self.con.to_pyarrow(expr)


ENGINE = DuckDB()


def _table(others: list[tuple[str, float]]) -> ibis.Table:
    partners = ["XXX"] + [p for p, _ in others]
    values = [HIDDEN] + [v for _, v in others]
    return ibis.memtable(pa.table({"partner": partners, "product": [f"p{i}" for i in range(len(partners))],
                                   "value": values}))


def _ask(table: ibis.Table, *, k: int = 5, **text):
    spec = QuerySpec.parse(**text, limit=1000)
    return run_query(ENGINE, table, spec, version_key="v", primary_key=KEY,
                     disclosure=Disclosure(k=k, salt="a secret of the installation"))


def _total(table, filters=None):
    out = _ask(table, aggregates=["value:sum", "count"], filters=filters or [])
    rows = out.table.to_pylist()
    return rows[0]["value_sum"] if rows else None


partners = st.lists(st.tuples(st.sampled_from(["KAZ", "CHN", "IND", "PAK", "IRN", "UZB"]),
                              st.floats(1e6, 6e7)), min_size=8, max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(others=partners)
def test_two_totals_differenced_never_recover_the_hidden_cell(others):
    table = _table(others)
    with_it = _total(table)
    without = _total(table, filters=["partner:in:" + ",".join(sorted({p for p, _ in others}))])
    # a total dominated by its largest records is itself suppressed: nothing to difference (assume, not
    # return: Hypothesis fails the test when too few examples get this far, so it cannot pass empty)
    assume(with_it is not None and without is not None)
    estimate = with_it - without
    assert abs(estimate - HIDDEN) > 0.01 * HIDDEN, (with_it, without)  # off by more than 1 %, every time


@settings(max_examples=20, deadline=None)
@given(others=partners, target=st.sampled_from(["XXX", "NONE"]))
def test_the_suppressed_groups_band_says_nothing_about_whether_a_row_matches(others, target):
    table = _table(others)
    out = _ask(table, group_by=["partner"], aggregates=["value:sum"], filters=[f"partner:eq:{target}"])
    assert out.table.num_rows == 0 and out.suppressed_groups == "fewer than 10"


@pytest.mark.parametrize("text", [{"filters": ["value:range:123456788,123456790"], "aggregates": ["count"]},
                                  {"filters": ["value:eq:123456789"], "aggregates": ["count"]},
                                  {"group_by": ["value"], "aggregates": ["count"]}])
def test_a_measure_cannot_be_filtered_or_grouped_on(text):
    with pytest.raises(AccessDenied, match="'value' is a measure"):
        _ask(_table([("KAZ", 5e6)] * 10), **text)


def test_a_group_dominated_by_two_records_is_suppressed_even_with_k_rows():
    rows = [("KAZ", 1e6)] * 8 + [("KAZ", 5e8), ("KAZ", 4e8)]  # 10 rows; the top two are 99 % of the sum
    out = _ask(_table(rows), group_by=["partner"], aggregates=["value:sum", "count"])
    assert [r["partner"] for r in out.table.to_pylist()] == []
    spread = [("KAZ", 1e6 * (i + 1)) for i in range(10)]
    shown = _ask(_table(spread), group_by=["partner"], aggregates=["value:sum", "count"]).table.to_pylist()
    assert [(r["partner"], r["count"]) for r in shown] == [("KAZ", 10)]
    assert shown[0]["value_sum"] == pytest.approx(55e6, rel=0.2) and shown[0]["value_sum"] != 55e6


def test_the_same_question_gets_the_same_answer():
    table = _table([("KAZ", 1e6 * (i + 1)) for i in range(12)])
    answers = {_total(table, filters=["partner:eq:KAZ"]) for _ in range(5)}
    assert len(answers) == 1  # the noise is fixed per record: repeating averages nothing away
