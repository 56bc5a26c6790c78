"""The import substitution's page, count and bloc totals are computed on the engine over the whole table
written there once (service.substitution_page), and are the figures the whole table gives when it is
brought into this process and cut there (the path before: substitution_report, then Arrow)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from scobank.access.reader import OPERATOR
from scobank.analytics import service
from scobank.analytics.cache import PANEL_FACTS, RESULTS
from scobank.analytics.goods import restrict
from scobank.analytics.inputs import use_panel
from scobank.analytics.panel import BILATERAL_COLUMNS
from scobank.analytics.substitution import substitution_report
from scobank.lake.engines.duckdb import DuckDBEngine

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"


# Members' exports added to the real sample (which holds AFG's and ZAF's only), so that members have an
# advantage somewhere and the allocated measure is not 0: RUS and KAZ sell diamonds and wheat outside the bloc.
MEMBER_EXPORTS = [(2020, 643, 842, 710239, 900_000.0), (2020, 643, 276, 100199, 50_000.0),
                  (2020, 398, 276, 100199, 80_000.0), (2020, 398, 156, 100199, 3_000.0)]


@pytest.fixture
def baci(bank, data_dir, tmp_path):
    RESULTS.clear(files=True)
    PANEL_FACTS.clear()
    sample = pacsv.read_csv(data_dir / BACI_2020)
    added = pa.table({name: [row[n] for row in MEMBER_EXPORTS] for n, name in enumerate(("t", "i", "j", "k", "v"))})
    added = added.append_column("q", pa.nulls(len(MEMBER_EXPORTS), pa.float64()))
    path = tmp_path / "baci_with_members.csv"
    pacsv.write_csv(pa.concat_tables([sample, added.cast(sample.schema)]), path)
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code in (0, 7)
    result = bank.cli("ingest", str(path), "--org", "cepii", "--dataset", "baci", "--kind", "trade",
                      "--hs-revision", "HS17")
    assert result.exit_code == 0, result.stderr
    yield "baci"
    RESULTS.clear(files=True)
    PANEL_FACTS.clear()


@pytest.fixture
def writes(monkeypatch) -> list[str]:
    """The folders the engine writes results into (each call still writes)."""
    seen: list[str] = []
    write = DuckDBEngine.write_parquet

    def counted(self, expr, folder):
        seen.append(folder.name)
        return write(self, expr, folder)

    monkeypatch.setattr(DuckDBEngine, "write_parquet", counted)
    return seen


def whole_table(bank, dataset: str):
    """The whole substitution table brought into this process (the old path), goods only."""
    with bank.session() as session:
        panel = use_panel(session, slug=dataset, reader=OPERATOR, columns=BILATERAL_COLUMNS, analysis="test")
        table = substitution_report(session, flows=panel.expr(), unit=panel.unit, years=list(panel.facts().years))
    return restrict(table, products="goods", kind="code", classification="HS17")


def totals_by_hand(table) -> dict[str, float]:
    frame = table.to_pandas()
    per_product = frame.groupby("product").agg({"bloc_extra_imports": "max", "redirectable_supply": "max",
                                                "allocated_value": "sum"})
    return per_product.sum().to_dict()


def test_the_page_count_and_totals_are_those_of_the_whole_table(bank, baci, writes):
    whole = whole_table(bank, baci)
    china = whole.filter(pc.equal(whole["importer"], "CHN"))
    assert china.num_rows > 20
    with bank.session() as session:
        result = service.substitution(session, reader=OPERATOR, dataset=baci, importer="chn", limit=7)
    table = result.tables["substitution"]
    assert table.rows_total == china.num_rows
    expected = china.slice(0, 7).to_pylist()
    assert [(r["importer"], r["product"]) for r in table.rows] == [(r["importer"], r["product"]) for r in expected]
    for got, want in zip(table.rows, expected, strict=True):
        assert got["allocated_value"] == pytest.approx(want["allocated_value"], rel=1e-12)
        assert got["extra_bloc_imports"] == pytest.approx(want["extra_bloc_imports"], rel=1e-12)
        assert [s["supplier"] for s in got["suppliers"]] == [s["supplier"] for s in want["suppliers"]]
        assert [s["supplier"] for s in got["allocated_suppliers"]] == [s["supplier"] for s in want["allocated_suppliers"]]
        assert got["bloc"] == want["bloc"] and got["unit"] == "USD"
    (totals,) = result.parameters["bloc_totals"]
    assert totals["year"] == 2020
    by_hand = totals_by_hand(whole)  # over every importer, not only the one asked
    assert by_hand["allocated_value"] > 0 and any(r["allocated_value"] > 0 for r in table.rows)
    for name, value in by_hand.items():
        assert totals[name] == pytest.approx(value, rel=1e-12)
    assert len(writes) == 1


def test_the_whole_table_is_written_once_and_every_page_reads_it(bank, baci, writes):
    with bank.session() as session:
        first = service.substitution(session, reader=OPERATOR, dataset=baci, importer="CHN", limit=3)
        everyone = service.substitution(session, reader=OPERATOR, dataset=baci, limit=3)
        services = service.substitution(session, reader=OPERATOR, dataset=baci, products="services", limit=3)
    assert len(writes) == 1  # one whole table; three pages asked of it
    (kept,) = (bank.home / "lake" / "results").iterdir()  # kept under a hash of the key, for later calls
    assert len(kept.name) == 64 and list(kept.glob("*.parquet"))
    assert everyone.tables["substitution"].rows_total > first.tables["substitution"].rows_total > 0
    assert services.tables["substitution"].rows_total == 0  # HS chapters 98-99 only: none in this sample
    assert services.parameters["bloc_totals"] == []
    assert len(everyone.tables["substitution"].rows) == 3


def test_with_the_cache_off_the_whole_table_is_removed_after_the_call(bank, baci, writes, monkeypatch):
    from scobank.config import reset_settings

    monkeypatch.setenv("SCOBANK_ANALYTICS_CACHE_SIZE", "0")
    reset_settings()
    try:
        with bank.session() as session:
            result = service.substitution(session, reader=OPERATOR, dataset=baci, importer="CHN", limit=3)
    finally:
        monkeypatch.delenv("SCOBANK_ANALYTICS_CACHE_SIZE")
        reset_settings()
    assert result.tables["substitution"].rows_total > 0 and len(writes) == 1
    assert list((bank.home / "lake" / "results").iterdir()) == []
