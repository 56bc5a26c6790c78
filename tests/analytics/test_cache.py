"""Analysis results are kept by (analysis, input versions' content hashes, parameters); the gate and the
ledger still run on every call, cached or not."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from sqlalchemy import select

from scobank.access.reader import ANONYMOUS, OPERATOR
from scobank.access.models import LedgerEntry
from scobank.analytics import service
from scobank.analytics.cache import PANEL_FACTS, RESULTS
from scobank.errors import AccessDenied, NotFound

BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"
DIAMONDS = "710239"  # non-industrial diamonds: China's largest extra-bloc import in the sample


@pytest.fixture(autouse=True)
def cold_cache():
    RESULTS.clear()
    PANEL_FACTS.clear()
    yield
    RESULTS.clear()
    PANEL_FACTS.clear()


def publish(bank, path, slug: str = "baci") -> None:
    assert bank.cli("orgs", "create", "cepii", "--party", "FRA", "--name", "CEPII").exit_code in (0, 7)
    result = bank.cli("ingest", str(path), "--org", "cepii", "--dataset", slug, "--kind", "trade",
                      "--hs-revision", "HS17")
    assert result.exit_code == 0, result.stderr


def china_diamonds(bank, *, reader=OPERATOR, version: int | None = None) -> float:
    with bank.session() as session:
        result = service.substitution(session, reader=reader, dataset="baci", version=version, importer="CHN",
                                      limit=100_000)
        session.commit()
    return next(r for r in result.tables["substitution"].rows if r["product"] == DIAMONDS)["extra_bloc_imports"]


def analytics_entries(bank) -> list[tuple[str, int, int, str]]:
    with bank.session() as session:
        entries = session.scalars(select(LedgerEntry).where(LedgerEntry.action == "analytics")
                                  .order_by(LedgerEntry.seq)).all()
        return [(e.actor, e.rows, e.cells, json.loads(e.detail)["analysis"]) for e in entries]


def test_a_repeated_analysis_is_served_from_the_cache_and_still_writes_its_ledger_entry(bank, data_dir):
    publish(bank, data_dir / BACI_2020)
    first = china_diamonds(bank)
    second = china_diamonds(bank)
    assert first == second == 3_044_457_918
    assert (RESULTS.misses, RESULTS.hits) == (1, 1)  # computed once (the exporters it names come with the facts)
    entry = ("operator@localhost", 72097, 72097 * 5, "substitution")
    assert analytics_entries(bank) == [entry, entry]  # the hit is recorded exactly like the read


def test_a_reader_who_may_not_see_the_dataset_is_refused_even_when_the_result_is_cached(bank, data_dir):
    publish(bank, data_dir / BACI_2020)  # no policy: members' users may use it, others may not know it
    china_diamonds(bank)  # the operator's call leaves the result in the cache
    with pytest.raises(NotFound):
        china_diamonds(bank, reader=ANONYMOUS)
    assert bank.cli("policy", "set", "baci", "--audience", "public", "--aggregates-only", "5").exit_code == 0
    with pytest.raises(AccessDenied, match="aggregates only"):
        china_diamonds(bank, reader=ANONYMOUS)
    assert [e[0] for e in analytics_entries(bank)] == ["operator@localhost"]  # refusals read nothing
    assert RESULTS.hits == 0


def test_a_new_version_is_a_new_key_and_the_old_version_keeps_its_result(bank, data_dir, tmp_path):
    raw = pacsv.read_csv(data_dir / BACI_2020)
    publish(bank, data_dir / BACI_2020)
    assert china_diamonds(bank) == 3_044_457_918
    diamonds_to_china = pc.and_(pc.equal(raw["j"], 156), pc.equal(raw["k"], int(DIAMONDS)))
    doubled = pc.if_else(diamonds_to_china, pc.multiply(raw["v"], 2.0), raw["v"].cast(pa.float64()))
    pacsv.write_csv(raw.set_column(raw.column_names.index("v"), "v", doubled), tmp_path / "baci_v2.csv")
    publish(bank, tmp_path / "baci_v2.csv")
    assert china_diamonds(bank) == 2 * 3_044_457_918  # the newest version, computed (no invalidation needed)
    assert china_diamonds(bank, version=1) == 3_044_457_918  # still kept for version 1
    assert (RESULTS.misses, RESULTS.hits) == (2, 1)  # the substitution: v2 and v1 computed, v1 hit


def test_the_next_process_reads_the_result_from_its_file_and_still_records_the_use(bank, data_dir):
    publish(bank, data_dir / BACI_2020)
    china_diamonds(bank)
    files = list((bank.home / "cache" / "analytics" / "results").glob("*.arrow"))
    assert len(files) == 1  # the substitution table of every member, as an Arrow file
    RESULTS.clear()  # a new server process: nothing in memory
    PANEL_FACTS.clear()
    assert china_diamonds(bank) == 3_044_457_918
    assert (RESULTS.misses, RESULTS.file_hits) == (0, 1)  # the substitution table (exporters: the panel facts)
    assert analytics_entries(bank)[-1] == ("operator@localhost", 72097, 72097 * 5, "substitution")


def test_a_damaged_result_file_is_computed_again(bank, data_dir):
    publish(bank, data_dir / BACI_2020)
    china_diamonds(bank)
    [path] = (bank.home / "cache" / "analytics" / "results").glob("*.arrow")
    path.write_bytes(path.read_bytes()[:1000])
    RESULTS.clear()
    assert china_diamonds(bank) == 3_044_457_918
    assert RESULTS.misses == 1 and path.stat().st_size > 1000  # computed and written whole again


def test_a_dataset_that_cannot_support_an_analysis_is_refused_again_without_computing(bank, data_dir):
    from scobank.errors import AnalyticsInputError

    publish(bank, data_dir / BACI_2020)  # two exporters, one of them outside the stated country set
    seen = []
    for _ in range(2):
        with bank.session() as session, pytest.raises(AnalyticsInputError, match="needs at least 2 countries"):
            service.opportunity_table(session, reader=OPERATOR, dataset="baci", member="KAZ")
        seen.append((RESULTS.misses, RESULTS.hits))
    (first_misses, first_hits), (second_misses, second_hits) = seen
    assert first_misses >= 1 and first_hits == 0  # computed (and refused) once
    assert second_misses == first_misses and second_hits == first_misses  # the refusal read back, nothing computed


def test_a_complexity_result_read_back_from_its_file_is_the_same(sitc_table, tmp_path):
    import numpy as np

    from scobank.analytics import result_files
    from scobank.analytics.complexity import complexity_year
    from scobank.analytics.panel import year_matrices

    computed = complexity_year(year_matrices(sitc_table)[0], convention="ecomplexity", rca_cutoff=1.0)
    back = result_files.read(result_files.write(tmp_path / "complexity", computed))
    assert (back.year, back.convention, back.exporters.dtype) == (2000, "ecomplexity", computed.exporters.dtype)
    assert list(back.exporters) == list(computed.exporters) and list(back.products) == list(computed.products)
    for name in ("value", "rca", "m", "eci", "pci", "coi", "cog"):
        np.testing.assert_array_equal(getattr(back, name), getattr(computed, name))
    np.testing.assert_array_equal(back.space.density, computed.space.density)
    np.testing.assert_array_equal(back.space.proximity, computed.space.proximity)  # rebuilt on demand


def test_the_cache_files_are_bounded_oldest_written_out_first(bank, monkeypatch):
    import os

    import pyarrow as pa

    from scobank.analytics import cache

    monkeypatch.setattr(cache, "MAX_FILES", 3)
    files = cache.ResultFiles("bounded")
    for n in range(5):
        files.save(("analysis", n), pa.table({"n": [n]}))
        for path in files.folder().iterdir():  # file times one second apart, oldest first
            os.utime(path, (path.stat().st_mtime - 1,) * 2)
    assert [files.load(("analysis", n)) for n in range(5)][:2] == [cache._MISSING] * 2
    assert [files.load(("analysis", n))["n"][0].as_py() for n in range(2, 5)] == [2, 3, 4]
