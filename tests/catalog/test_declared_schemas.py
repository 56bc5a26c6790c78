"""A steward declares a Table Schema from the command line or the API; the dataset keeps it, every next
version is checked against it, another schema is a stated change, and `datasets diff` pairs rows by
its key. The file is the Growth Lab's real ECI table (macro-wdi-imf/atlas_2024_growth_projections.csv:
year, iso3_code, eci, growth_proj; 1,885 rows, 145 economies x 2012-2024)."""

from __future__ import annotations

import json

import pytest

ATLAS = "macro-wdi-imf/atlas_2024_growth_projections.csv"
SCHEMA = {
    "fields": [
        {"name": "year", "type": "year", "constraints": {"required": True}},
        {"name": "iso3_code", "type": "string", "constraints": {"required": True}},
        {"name": "eci", "type": "number", "title": "Economic Complexity Index",
         "constraints": {"minimum": -5, "maximum": 5}},
        {"name": "growth_proj", "type": "number", "unit": "percent"},
    ],
    "primaryKey": ["iso3_code", "year"],
    "missingValues": ["", "n/a"],
}


@pytest.fixture
def org(bank):
    assert bank.cli("orgs", "create", "growth-lab", "--party", "USA", "--name", "Harvard Growth Lab").exit_code == 0


def _write(path, schema) -> str:
    path.write_text(json.dumps(schema))
    return str(path)


def _edited(source, target, edits: dict[str, str]):
    """A copy of the real file with some lines replaced ("2021,KAZ," -> new line)."""
    lines = source.read_text().splitlines()
    out = [next((new for prefix, new in edits.items() if line.startswith(prefix)), line) for line in lines]
    target.write_text("\n".join(out) + "\n")
    return target


def _ingest(bank, path, *extra):
    return bank.cli("ingest", str(path), "--org", "growth-lab", "--dataset", "eci", "--json", *extra)


def test_a_declared_schema_is_kept_and_the_next_version_is_checked_against_it(bank, org, data_dir, tmp_path):
    schema = _write(tmp_path / "schema.json", SCHEMA)
    first = _ingest(bank, data_dir / ATLAS, "--schema", schema)
    assert first.exit_code == 0, first.stderr
    version = json.loads(first.stdout)["version"]
    assert version["row_count"] == 1885
    assert version["table_schema"]["primaryKey"] == ["iso3_code", "year"]
    assert {f["name"]: f["type"] for f in version["table_schema"]["fields"]} == {
        "year": "integer", "iso3_code": "string", "eci": "number", "growth_proj": "number"}
    shown = json.loads(bank.cli("datasets", "show", "eci", "--json").stdout)
    assert shown["declared_schema"]["primaryKey"] == ["iso3_code", "year"]

    # No --schema the second time: the kept one applies. Kazakhstan's 2021 ECI typed as 44.67 breaks
    # the maximum; a repeated key is a duplicate. Both rows are named.
    bad = _edited(data_dir / ATLAS, tmp_path / "atlas_v2.csv",
                  {"2021,KAZ,": "2021,KAZ,44.668004,3.21", "2022,KAZ,": "2021,KAZ,0.24127923,3.6"})
    rejected = _ingest(bank, bad)
    assert rejected.exit_code == 5
    problems = {(p.split(":")[0].strip(), p.split(":", 1)[1].strip()) for p in rejected.stderr.splitlines()[1:]}
    assert ("atlas_v2.csv, row 881, column 'eci'", "44.668004 is above the maximum 5") in problems
    assert any(where == "atlas_v2.csv, row 882" and "repeats row 881" in why for where, why in problems)


def test_a_different_schema_must_be_stated_and_is_recorded(bank, org, data_dir, tmp_path):
    assert _ingest(bank, data_dir / ATLAS, "--schema", _write(tmp_path / "s1.json", SCHEMA)).exit_code == 0
    changed = dict(SCHEMA, fields=[*SCHEMA["fields"][:3], {"name": "growth_proj", "type": "string", "unit": "percent"}])
    edited = _edited(data_dir / ATLAS, tmp_path / "atlas_v2.csv", {"2021,KAZ,": "2021,KAZ,-0.44668004,3.5"})
    refused = _ingest(bank, edited, "--schema", _write(tmp_path / "s2.json", changed))
    assert refused.exit_code == 7
    assert "type of 'growth_proj': 'number' -> 'string'" in refused.stderr and "--schema-change" in refused.stderr
    assert json.loads(bank.cli("datasets", "versions", "eci", "--json").stdout)[-1]["number"] == 1
    stated = _ingest(bank, edited, "--schema", str(tmp_path / "s2.json"), "--schema-change")
    assert stated.exit_code == 0, stated.stderr
    assert json.loads(stated.stdout)["version"]["schema_change"] == "type of 'growth_proj': 'number' -> 'string'"
    ledger = json.loads(bank.cli("ledger", "show", "--dataset", "eci", "--json").stdout)
    assert any(e["action"] == "schema-change" for e in ledger)


def test_diff_pairs_rows_by_the_declared_key(bank, org, data_dir, tmp_path):
    assert _ingest(bank, data_dir / ATLAS, "--schema", _write(tmp_path / "s.json", SCHEMA)).exit_code == 0
    edited = _edited(data_dir / ATLAS, tmp_path / "atlas_v2.csv", {"2021,KAZ,": "2021,KAZ,-0.44668004,3.5"})
    assert _ingest(bank, edited).exit_code == 0
    diff = json.loads(bank.cli("datasets", "diff", "eci", "1", "2", "--json").stdout)
    assert (diff["added"], diff["removed"], diff["changed"]) == (0, 0, 1)
    assert diff["changed_sample"] == [{"key": {"iso3_code": "KAZ", "year": 2021},
                                       "changes": {"growth_proj": [3.21, 3.5]}}]


def test_diff_says_plainly_when_a_dataset_has_no_key(bank, org, data_dir, tmp_path):
    assert _ingest(bank, data_dir / ATLAS).exit_code == 0
    edited = _edited(data_dir / ATLAS, tmp_path / "atlas_v2.csv", {"2021,KAZ,": "2021,KAZ,-0.44668004,3.5"})
    assert _ingest(bank, edited).exit_code == 0
    result = bank.cli("datasets", "diff", "eci", "1", "2")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "dataset 'eci' has no primary key" in result.stderr and "--schema schema.json" in result.stderr


def test_formats_marks_enums_and_missing_values_of_a_schema(bank, org, tmp_path):
    """A regional table as a CIS office writes it: dd.mm.yyyy dates, "1 234,5" numbers, a region code
    list, "н/д" for not available."""
    (tmp_path / "regions.csv").write_text(
        "date;region;output\n31.12.2022;KZ-AST;1 234,5\n31.12.2022;KZ-ALA;н/д\n31.12.2022;KZ-XXX;7,25\n",
        encoding="utf-8")
    schema = {"fields": [{"name": "date", "type": "date", "format": "%d.%m.%Y"},
                         {"name": "region", "type": "string", "constraints": {"enum": ["KZ-AST", "KZ-ALA"]}},
                         {"name": "output", "type": "number", "decimalChar": ",", "groupChar": " "}],
              "primaryKey": ["date", "region"], "missingValues": ["н/д"]}
    path = _write(tmp_path / "regions.json", schema)
    args = ["--org", "growth-lab", "--dataset", "regions", "--json", "--schema", path, "--delimiter", ";"]
    rejected = bank.cli("ingest", str(tmp_path / "regions.csv"), *args)
    assert rejected.exit_code == 5, rejected.stderr
    assert rejected.stderr.splitlines()[1:] == [
        "  regions.csv, row 3, column 'region': 'KZ-XXX' is not one of the allowed values (KZ-AST, KZ-ALA)"]
    kept = bank.cli("ingest", str(tmp_path / "regions.csv"), *args, "--on-error", "skip-rows")
    assert kept.exit_code == 0, kept.stderr
    rows = json.loads(bank.cli("query", "regions", "--sort", "region", "--json").stdout)["rows"]
    assert rows == [{"date": "2022-12-31", "region": "KZ-ALA", "output": None, "output_status": "н/д"},
                    {"date": "2022-12-31", "region": "KZ-AST", "output": 1234.5, "output_status": None}]


def test_an_unreadable_or_unsupported_schema_is_a_clear_error(bank, org, data_dir, tmp_path):
    (tmp_path / "broken.json").write_text("{fields: [")
    broken = _ingest(bank, data_dir / ATLAS, "--schema", str(tmp_path / "broken.json"))
    assert broken.exit_code == 2 and "broken.json: not a readable JSON Table Schema" in broken.stderr
    odd = _write(tmp_path / "odd.json", {"fields": [{"name": "year", "type": "geopoint"}]})
    result = _ingest(bank, data_dir / ATLAS, "--schema", odd)
    assert result.exit_code == 2 and "field 'year': type 'geopoint' is not supported" in result.stderr
