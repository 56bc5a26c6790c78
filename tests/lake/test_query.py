"""Queries over a version in the lake: typed specs, checked columns, pages that cover every row once,
aggregates-only answers with small cells suppressed and figures rounded."""

from __future__ import annotations

import duckdb
import pytest

from scobank.errors import AccessDenied, BadRequest
from scobank.lake.engine import get_engine, open_engine
from scobank.lake.query import QuerySpec, run_query


AFG, ZAF, PAKISTAN = 4, 710, 586  # BACI country codes
BACI_HS17 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
PRIMARY_KEY = ["year", "exporter", "importer", "product"]


def _run(version, k=None, **text):
    engine = get_engine()
    return run_query(engine, engine.table(version.content_hash), QuerySpec.parse(**text), version_key=version.content_hash,
                     primary_key=PRIMARY_KEY, k=k)


def test_afghanistan_exports_by_importer_match_the_source_file(baci_version, data_dir):
    out = _run(baci_version, filters=[f"exporter:eq:{AFG}"], group_by=["importer"],
               aggregates=["value_usd:sum", "count"], sort=["-value_usd_sum"], limit=1000)
    expected = duckdb.connect().execute(
        "SELECT j, sum(v) * 1000, count(*) FROM read_csv($p) WHERE i = 4 GROUP BY j ORDER BY 2 DESC",
        {"p": str(data_dir / BACI_HS17)}).fetchall()
    got = [(r["importer"], r["value_usd_sum"], r["count"]) for r in out.table.to_pylist()]
    assert got[0][0] == PAKISTAN  # Pakistan is Afghanistan's first market in 2020
    assert [g[1] for g in got] == sorted((g[1] for g in got), reverse=True)
    assert {g[0]: g[2] for g in got} == {e[0]: e[2] for e in expected}
    assert {g[0]: g[1] for g in got} == pytest.approx({e[0]: e[1] for e in expected})
    assert out.next_cursor is None


def test_sorting_by_a_group_key_orders_the_groups(baci_version):
    out = _run(baci_version, filters=[f"exporter:eq:{AFG}"], group_by=["importer"],
               aggregates=["value_usd:sum"], sort=["-importer"], limit=1000)
    importers = [r["importer"] for r in out.table.to_pylist()]
    assert importers == sorted(importers, reverse=True) and len(importers) > 10


def test_filters_in_range_and_prefix_combine(baci_version, data_dir):
    out = _run(baci_version, filters=["product:prefix:72", f"exporter:in:{AFG},{ZAF}", "year:range:2019,2021",
                                      "value_usd:range:1000000,"], limit=10000)
    rows = out.table.to_pylist()
    assert rows and all(r["product"].startswith("72") and r["value_usd"] >= 1_000_000 for r in rows)
    expected = duckdb.connect().execute(
        "SELECT i, count(*) FROM read_csv($p, types={'k': 'VARCHAR'}) "
        "WHERE lpad(k, 6, '0') LIKE '72%' AND v >= 1000 GROUP BY i", {"p": str(data_dir / BACI_HS17)}).fetchall()
    assert {(e, sum(1 for r in rows if r["exporter"] == e)) for e in (AFG, ZAF)} == set(expected)


def test_pages_cover_every_row_exactly_once(baci_version):
    whole = _run(baci_version, filters=[f"exporter:eq:{AFG}"], select=["importer", "product", "value_usd"],
                 limit=10000).table
    seen, cursor, pages = [], None, 0
    while True:
        page = _run(baci_version, filters=[f"exporter:eq:{AFG}"], select=["importer", "product", "value_usd"],
                    limit=700, cursor=cursor)
        seen += [(r["importer"], r["product"]) for r in page.table.to_pylist()]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == whole.num_rows == len(set(seen))
    assert set(seen) == {(r["importer"], r["product"]) for r in whole.to_pylist()}
    assert pages == -(-whole.num_rows // 700)


def test_a_cursor_only_continues_its_own_query(baci_version):
    first = _run(baci_version, filters=[f"exporter:eq:{AFG}"], limit=10)
    with pytest.raises(BadRequest, match="another query"):
        _run(baci_version, filters=[f"exporter:eq:{ZAF}"], limit=10, cursor=first.next_cursor)
    with pytest.raises(BadRequest, match="cursor is not valid"):
        _run(baci_version, limit=10, cursor="not-a-cursor")


@pytest.mark.parametrize(("text", "message"), [
    ({"select": ["exporter", "tariff"]}, "unknown column 'tariff'"),
    ({"filters": ["partner:eq:KAZ"]}, "unknown column 'partner'"),
    ({"group_by": ["region"]}, "unknown column 'region'"),
    ({"filters": ["year:eq:twenty"]}, "'twenty' is not a valid int32 value"),
    ({"filters": ["year:prefix:20"]}, "prefix works on text columns"),
    ({"filters": ["year:between:1,2"]}, "expected COLUMN:OP:VALUES"),
    ({"group_by": ["importer"], "aggregates": ["product:sum"]}, "sum needs a numeric column"),
    ({"sort": ["-tariff"]}, "unknown column 'tariff'"),
])
def test_a_bad_query_is_refused_naming_what_is_wrong(baci_version, text, message):
    with pytest.raises(BadRequest, match=message):
        _run(baci_version, **text)


def test_aggregates_only_refuses_rows_and_min_max(baci_version):
    with pytest.raises(AccessDenied, match="aggregates only"):
        _run(baci_version, k=10, filters=[f"exporter:eq:{AFG}"])
    with pytest.raises(AccessDenied, match="min and max"):
        _run(baci_version, k=10, group_by=["importer"], aggregates=["value_usd:max"])


def test_aggregates_only_suppresses_small_groups_and_rounds(baci_version):
    exact = {r["importer"]: r for r in _run(baci_version, filters=[f"exporter:eq:{AFG}"], group_by=["importer"],
                                             aggregates=["value_usd:sum", "count"], limit=1000).table.to_pylist()}
    out = _run(baci_version, k=20, filters=[f"exporter:eq:{AFG}"], group_by=["importer"],
               aggregates=["value_usd:sum", "count"], limit=1000)
    rows = {r["importer"]: r for r in out.table.to_pylist()}
    large = {i for i, r in exact.items() if r["count"] >= 20}
    assert PAKISTAN in rows and set(rows) <= large  # groups dominated by two records are left out too
    assert out.suppressed_groups == "10-99"  # a band, never the exact number (it answered "does a row match?")
    assert out.rounded and not [c for c in out.table.column_names if c.startswith("__")]
    pakistan = rows[PAKISTAN]
    assert pakistan["count"] % 5 == 0 and abs(pakistan["count"] - exact[PAKISTAN]["count"]) <= 2
    # each record carries a fixed noise factor of 1 +/- 10-20 %: the sum is close, never exact
    assert pakistan["value_usd_sum"] == pytest.approx(exact[PAKISTAN]["value_usd_sum"], rel=0.2)
    assert pakistan["value_usd_sum"] != float(f"{exact[PAKISTAN]['value_usd_sum']:.3g}")


def test_the_engine_reads_nothing_outside_the_lake(baci_version):
    with open_engine() as engine:
        raw = engine._con.con
        with pytest.raises(duckdb.PermissionException):
            raw.execute("SELECT * FROM read_csv('/etc/passwd')")
        settings = dict(raw.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                                    "('autoinstall_known_extensions', 'autoload_known_extensions', "
                                    "'enable_external_access')").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
                        "enable_external_access": "false"}
