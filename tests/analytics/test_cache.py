"""Analysis results are kept by (analysis, input versions' content hashes, parameters); the gate and the
ledger still run on every call, cached or not."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest
from sqlalchemy import select

from scobank.access.gate import ANONYMOUS, OPERATOR
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
    assert (RESULTS.misses, RESULTS.hits) == (1, 1)  # computed once
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
    assert (RESULTS.misses, RESULTS.hits) == (2, 1)
