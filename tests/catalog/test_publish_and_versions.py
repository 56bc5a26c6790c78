"""Publishing files as immutable versions: `scobank ingest`, re-ingest, rejection, as-of, diff."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import duckdb
import pytest

from scobank.lake.store import path_for

from .trade_files import HS17, revised_release


def _ingest(bank, path, *extra):
    return bank.cli("ingest", str(path), "--org", "cepii", "--dataset", "baci-hs17", "--kind", "trade",
                    "--hs-revision", "HS17", "--json", *extra)


def _cepii(bank):
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code == 0


def test_a_baci_file_becomes_version_1_with_schema_report_and_provenance(bank, data_dir):
    _cepii(bank)
    result = _ingest(bank, data_dir / HS17)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    version = out["version"]
    assert out["created"] is True
    assert (version["dataset"], version["number"], version["row_count"]) == ("baci-hs17", 1, 72_097)
    assert version["content_hash"] == hashlib.sha256(path_for(version["content_hash"]).read_bytes()).hexdigest()
    assert version["source_sha256"] == hashlib.sha256((data_dir / HS17).read_bytes()).hexdigest()
    assert version["source_name"] == "baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
    assert version["created_by"] == "operator@localhost"
    assert version["table_schema"]["primaryKey"] == ["year", "exporter", "importer", "product"]
    assert out["report"]["rows_accepted"] == 72_097 and out["report"]["problems"] == []
    shown = json.loads(bank.cli("datasets", "show", "baci-hs17", "--json").stdout)
    assert (shown["kind"], shown["classification"], shown["latest_version"]) == ("trade", "HS17", 1)


def test_the_same_file_again_makes_no_new_version(bank, data_dir):
    _cepii(bank)
    first = json.loads(_ingest(bank, data_dir / HS17).stdout)
    again = _ingest(bank, data_dir / HS17)
    assert again.exit_code == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["created"] is False
    assert second["version"] == first["version"]
    versions = json.loads(bank.cli("datasets", "versions", "baci-hs17", "--json").stdout)
    assert [v["number"] for v in versions] == [1]
    assert len(list((bank.home / "lake").glob("??/*.parquet"))) == 1
    plain = bank.cli("ingest", str(data_dir / HS17), "--org", "cepii", "--dataset", "baci-hs17", "--kind", "trade")
    assert "identical content: existing version 1, 72,097 rows" in plain.stdout


def test_a_rejected_file_writes_nothing_not_even_its_new_dataset(bank, tmp_path):
    _cepii(bank)
    bad = tmp_path / "baci_negative.csv"
    bad.write_text("t,i,j,k,v,q\n2020,4,586,100630,12.5,3\n2020,4,699,100630,-7,1\n")
    result = _ingest(bank, bad)
    assert result.exit_code == 5, result.stdout
    assert "baci_negative.csv: 1 problem; nothing was written" in result.stderr
    assert json.loads(bank.cli("datasets", "list", "--json").stdout) == []
    assert not list((bank.home / "lake").glob("??/*.parquet"))


def test_skip_rows_keeps_the_valid_rows_and_reports_the_others(bank, tmp_path):
    _cepii(bank)
    bad = tmp_path / "baci_negative.csv"
    bad.write_text("t,i,j,k,v,q\n2020,4,586,100630,12.5,3\n2020,4,699,100630,-7,1\n")
    out = json.loads(_ingest(bank, bad, "--on-error", "skip-rows").stdout)
    assert out["version"]["row_count"] == 1
    assert [(p["row"], p["column"]) for p in out["report"]["problems"]] == [(2, "v")]


def test_versions_stay_readable_as_of_a_number_or_a_moment(bank, data_dir, tmp_path):
    _cepii(bank)
    revised = tmp_path / "baci_hs17_revised.csv"
    revised_release(data_dir, revised)
    assert _ingest(bank, data_dir / HS17).exit_code == 0
    assert _ingest(bank, revised).exit_code == 0
    v1, v2 = json.loads(bank.cli("datasets", "versions", "baci-hs17", "--json").stdout)
    assert (v1["number"], v2["number"]) == (1, 2)
    listed = json.loads(bank.cli("datasets", "list", "--json").stdout)
    assert [(d["slug"], d["version_count"], d["latest_version"]) for d in listed] == [("baci-hs17", 2, 2)]

    def pakistan_rows(*args):
        result = bank.cli("query", "baci-hs17", "--filter", "importer:eq:PAK", "--agg", "count", "--json", *args)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["rows"][0]["count"]

    in_file = duckdb.connect().execute("SELECT count(*) FROM read_csv($p) WHERE j = 586",
                             {"p": str(data_dir / HS17)}).fetchone()[0]
    assert pakistan_rows() == 0  # the newest version withdrew Pakistan's rows
    assert pakistan_rows("--version", "1") == in_file > 0
    from datetime import datetime

    between = datetime.fromisoformat(v2["created_at"]) - timedelta(microseconds=1)
    assert pakistan_rows("--as-of", between.isoformat()) == in_file
    before = datetime.fromisoformat(v1["created_at"]) - timedelta(seconds=1)
    missing = bank.cli("query", "baci-hs17", "--agg", "count", "--as-of", before.isoformat())
    assert missing.exit_code == 3 and "had no version at" in missing.stderr


def test_a_diff_counts_rows_added_removed_and_changed_by_key(bank, data_dir, tmp_path):
    _cepii(bank)
    revised = tmp_path / "baci_hs17_revised.csv"
    expected = revised_release(data_dir, revised)
    _ingest(bank, data_dir / HS17)
    _ingest(bank, revised)
    result = bank.cli("datasets", "diff", "baci-hs17", "1", "2", "--json")
    assert result.exit_code == 0, result.stderr
    diff = json.loads(result.stdout)
    assert {k: diff[k] for k in ("added", "removed", "changed")} == expected
    assert diff["changed_columns"] == {"value_usd": expected["changed"]}
    assert diff["primary_key"] == ["year", "exporter", "importer", "product"]
    assert {r["importer"] for r in diff["removed_sample"]} == {"PAK"}
    assert {(r["year"], r["importer"]) for r in diff["added_sample"]} == {(2021, "AUS")}
    change = diff["changed_sample"][0]
    assert change["key"]["importer"] == "IND"
    old, new = change["changes"]["value_usd"]
    assert new == pytest.approx(2 * old)
    text = bank.cli("datasets", "diff", "baci-hs17", "1", "2").stdout
    assert f"{expected['added']:,} added, {expected['removed']:,} removed, {expected['changed']:,} changed" in text


def test_a_publish_that_never_commits_leaves_only_an_orphan_file(bank, data_dir):
    from scobank.access.reader import OPERATOR
    from scobank.catalog.schemas import DatasetCreate
    from scobank.catalog import garbage
    from scobank.catalog.publish import publish_version
    from scobank.lake import store

    _cepii(bank)

    class Crash(Exception):
        pass

    new = DatasetCreate(slug="baci-hs17", organisation="cepii", kind="trade", title={"en": "BACI"})
    with pytest.raises(Crash), bank.session() as session:
        publish_version(session, dataset="baci-hs17", source=data_dir / HS17, actor=OPERATOR, new_dataset=new)
        raise Crash  # the process dies after the lake move, before the commit
    with bank.session() as session:
        orphans = garbage.orphans(session)
    assert len(orphans) == 1
    assert json.loads(bank.cli("datasets", "list", "--json").stdout) == []  # the orphan is not data
    again = json.loads(_ingest(bank, data_dir / HS17).stdout)
    assert again["created"] is True and again["version"]["number"] == 1
    assert store.path_for(again["version"]["content_hash"]) == orphans[0]
    with bank.session() as session:
        assert garbage.orphans(session) == []
