"""What the naming test found the CLI lacking, now there as in the API: export --labels/--lang for SDMX-CSV
names and --as-of, ledger show --since/--until/--before; each shown doing what its API twin does."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta


def test_export_names_sdmx_csv_codes_in_the_readers_language_and_reads_as_of(bank, populated, tmp_path):
    target = tmp_path / "named.csv"
    done = bank.cli("export", "kz-industry", "--format", "sdmx-csv", "--labels", "both", "--lang", "ru", "-o", str(target))
    assert done.exit_code == 0, done.stderr
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert table[0][3:] == ["REGION: [en] region", "MEASURE: Показатель", "TIME_PERIOD: Отчётный период",
                            "OBS_VALUE: Значение наблюдения"]
    assert sorted({row[3].split(": ", 1)[1] for row in table[1:]}) == ["Абай", "Акмола", "Алматы"]
    before = bank.cli("export", "kz-industry", "--format", "csv", "--as-of", "2000-01-01T00:00:00")
    assert before.exit_code != 0 and "had no version at 2000-01-01" in before.stderr
    # a second ahead: the version was published within this second, and the text drops the fraction
    later = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")
    now = bank.cli("export", "kz-industry", "--format", "csv", "--as-of", later)
    assert now.exit_code == 0 and now.stdout.count("\n") == 5  # the header and the 4 rows


def test_ledger_show_takes_the_apis_days_and_pages(bank, populated):
    today, tomorrow = date.today().isoformat(), (date.today() + timedelta(days=1)).isoformat()
    everything = json.loads(bank.cli("ledger", "show", "--dataset", "kz-industry", "--json").stdout)
    assert everything
    assert json.loads(bank.cli("ledger", "show", "--dataset", "kz-industry", "--since", today, "--until", tomorrow,
                               "--json").stdout) == everything
    assert json.loads(bank.cli("ledger", "show", "--dataset", "kz-industry", "--until", today, "--json").stdout) == []
    assert json.loads(bank.cli("ledger", "show", "--dataset", "kz-industry", "--since", tomorrow, "--json").stdout) == []
    newest = everything[0]["seq"]
    older = json.loads(bank.cli("ledger", "show", "--dataset", "kz-industry", "--before", str(newest), "--json").stdout)
    assert [e["seq"] for e in older] == [e["seq"] for e in everything[1:]]
