"""Each analysis asks the engine as few questions as it can: on a Spark cluster every query is several
jobs (a 1M-row overview took 19 jobs and 219 s), so the panel's facts (rows, years, exporters) come in
one query and the analysis in one more (the substitution in three: its whole table is written on the
engine, then its totals and its page are read); the notices and the bloc need no query of their own.
An overview of more than `service.OVERVIEW_ROWS_PER_QUERY` panel rows (60M) sums its years in batches,
one query each, and finishes in one more (5 queries at 200M rows): DuckDB's memory grows with the years
one query holds (tests/analytics/test_overview_by_year.py, benchmarks/RESULTS.md)."""

from __future__ import annotations

import pytest

from scobank.access.reader import OPERATOR
from scobank.analytics import service
from scobank.analytics.cache import PANEL_FACTS
from scobank.lake.engines.duckdb import DuckDBEngine
from test_engine_analytics import PAIRS, baci  # noqa: F401 (the fixture: 3,000 rows of the real BACI sample)


@pytest.fixture
def queries(bank, monkeypatch) -> list[str]:
    """The queries the engine runs (each call still runs: counted, not replaced); no cached result."""
    from scobank.config import reset_settings

    monkeypatch.setenv("SCOBANK_ANALYTICS_CACHE_SIZE", "0")
    monkeypatch.setenv("SCOBANK_ANALYTICS_CACHE_DISK", "false")
    reset_settings()
    seen: list[str] = []
    to_arrow = DuckDBEngine.to_arrow

    def counted(self, expr):
        seen.append(", ".join(expr.columns))
        return to_arrow(self, expr)

    monkeypatch.setattr(DuckDBEngine, "to_arrow", counted)
    write_parquet = DuckDBEngine.write_parquet

    def written(self, expr, folder):
        seen.append(f"written: {', '.join(expr.columns)}")
        return write_parquet(self, expr, folder)

    monkeypatch.setattr(DuckDBEngine, "write_parquet", written)
    yield seen
    PANEL_FACTS.clear()
    reset_settings()


ASKED = {"overview": {}, "substitution": {}, "complementarity": {"countries": PAIRS}}
# The substitution's whole table (every member, product, year) is written where the engine runs and two small
# queries over it bring back the totals with the count, and the page: only the page crosses (service.substitution_page)
QUERIES = {"overview": 1, "substitution": 3, "complementarity": 1}


@pytest.mark.parametrize("analysis", list(ASKED))
def test_an_analysis_is_the_facts_query_and_its_own_queries(bank, baci, queries, analysis):  # noqa: F811
    PANEL_FACTS.clear()
    with bank.session() as session:
        result = getattr(service, analysis)(session, reader=OPERATOR, dataset=baci, **ASKED[analysis])
    assert next(iter(result.tables.values())).rows_total > 0
    assert len(queries) == 1 + QUERIES[analysis], queries
    queries.clear()
    with bank.session() as session:  # the facts are known now: the analysis's own queries only
        getattr(service, analysis)(session, reader=OPERATOR, dataset=baci, **ASKED[analysis])
    assert len(queries) == QUERIES[analysis], queries
