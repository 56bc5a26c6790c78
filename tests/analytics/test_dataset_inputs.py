"""Analyses over datasets in the bank: read through the access gate, recorded in the ledger."""

from __future__ import annotations

import json

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import select

from scobank.access.models import LedgerEntry

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"


def publish(bank, path, slug: str, kind: str) -> None:
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code in (0, 7)
    result = bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", kind)
    assert result.exit_code == 0, result.stderr


def test_substitution_over_a_trade_dataset_in_the_bank(bank, data_dir, tmp_path):
    publish(bank, data_dir / BACI_2020, "baci-hs17", "trade")
    result = bank.cli("analytics", "substitution", "--dataset", "baci-hs17", "--out", tmp_path / "s.parquet")
    assert result.exit_code == 0, result.stderr
    rows = pq.read_table(tmp_path / "s.parquet").to_pandas()
    china = rows[(rows.importer == "CHN") & (rows["product"] == "710239")].iloc[0]
    assert china.extra_bloc_imports == 3_044_457_918  # USD: the bank stores BACI's thousands as USD
    with bank.session() as session:
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.action == "analytics")).all()
        assert [(e.purpose, json.loads(e.detail)["analysis"]) for e in entries] == [("statistics", "substitution")]
        assert entries[0].rows == 72097


def test_complexity_over_a_country_product_table_in_the_bank(bank, sitc_table, tmp_path):
    pacsv.write_csv(sitc_table, tmp_path / "sitc_2000.csv")
    publish(bank, tmp_path / "sitc_2000.csv", "sitc-exports", "table")
    result = bank.cli("analytics", "complexity", "--dataset", "sitc-exports", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    # a bank dataset is computed over the Growth Lab's ranked set by default, the whole panel on request
    assert "122 countries x 782 products (ecomplexity; country set ranked: 122 countries, 3 products" in result.stdout
    every = bank.cli("analytics", "complexity", "--dataset", "sitc-exports", "--country-set", "all",
                     "--out", tmp_path / "all")
    assert "226 countries x 785 products (ecomplexity; country set all)" in every.stdout


def test_an_unknown_dataset_is_not_found(bank, tmp_path):
    result = bank.cli("analytics", "complexity", "--dataset", "no-such-thing", "--out", tmp_path / "o")
    assert result.exit_code == 3 and "no-such-thing" in result.stderr

