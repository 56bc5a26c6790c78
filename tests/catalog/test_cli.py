"""The catalog's commands as a steward types them: help, query tables, export to a file, lake upkeep."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from .trade_files import HS17

COMMANDS = [("orgs", "create"), ("orgs", "list"), ("ingest",), ("datasets", "list"), ("datasets", "show"),
            ("datasets", "versions"), ("datasets", "diff"), ("query",), ("export",), ("lake", "gc")]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_explains_itself(bank, command):
    result = bank.cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: scobank " + " ".join(command) in " ".join(result.stdout.split())


@pytest.fixture
def published(bank, data_dir):
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0
    result = bank.cli("ingest", str(data_dir / HS17), "--org", "cepii", "--dataset", "baci-hs17", "--kind", "trade",
                      "--title", "BACI HS17 sample")
    assert result.exit_code == 0, result.stderr
    return result


def test_ingest_prints_the_version_and_the_report(published):
    lines = published.stdout.splitlines()
    assert lines[0].startswith("baci-hs17: new version 1, 72,097 rows, sha256 ")
    assert lines[1] == "report: 72,097 rows read, 72,097 accepted, 0 problems"


def test_query_prints_a_table_and_the_next_cursor(bank, published):
    result = bank.cli("query", "baci-hs17", "--filter", "exporter:eq:AFG", "--group-by", "importer",
                      "--agg", "value_usd:sum", "--sort", "-value_usd_sum", "--limit", "3")
    assert result.exit_code == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "┃" in line)
    first, *_ = [line for line in result.stdout.splitlines() if "│" in line]
    assert "importer" in header and "value_usd_sum" in header
    assert "PAK" in first  # Pakistan, Afghanistan's first market
    assert "more: --cursor " in result.stdout
    bad = bank.cli("query", "baci-hs17", "--filter", "tariff:eq:1")
    assert bad.exit_code == 2 and "unknown column 'tariff'" in bad.stderr


def test_export_writes_a_file_that_reads_back(bank, published, tmp_path):
    target = tmp_path / "baci.parquet"
    result = bank.cli("export", "baci-hs17", "--format", "parquet", "--version", "1", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert pq.read_table(target).num_rows == 72_097
    assert "72,097 rows written" in result.stderr
    missing = bank.cli("export", "baci-hs17", "--format", "dbf", "-o", str(tmp_path / "x.dbf"))
    assert missing.exit_code == 2 and "choose one of csv, ndjson, json, parquet, xlsx, sdmx-csv" in missing.stderr
    assert not (tmp_path / "x.dbf").exists()


def test_lake_gc_removes_only_files_no_version_refers_to(bank, published, tmp_path):
    import pyarrow as pa

    from scobank.lake import store

    staged = tmp_path / "orphan.parquet"
    pq.write_table(pa.table({"x": [1]}), staged)
    orphan = store.put(staged)
    listed = bank.cli("lake", "gc", "--dry-run", "--min-age", "0")
    assert listed.stdout.split() == [str(orphan.path)]
    removed = bank.cli("lake", "gc", "--min-age", "0")
    assert removed.exit_code == 0 and "1 orphan file removed" in removed.stderr
    assert not orphan.path.exists()
    versions = json.loads(bank.cli("datasets", "versions", "baci-hs17", "--json").stdout)
    assert store.path_for(versions[0]["content_hash"]).exists()
