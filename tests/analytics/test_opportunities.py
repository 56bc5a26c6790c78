"""Joint-production opportunities on the real world exports; weights visible and overridable."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from scobank.analytics.opportunities import Weights, opportunities, top_per_member
from scobank.errors import BadRequest

MEMBERS_2000 = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


def world_flows(sitc_table: pa.Table) -> pa.Table:
    """The real SITC world exports as flows to one importer 'WLD' (exports to the rest of the world)."""
    return sitc_table.append_column("importer", pa.array(["WLD"] * sitc_table.num_rows)).select(
        ["year", "exporter", "importer", "product", "value"])


@pytest.fixture(scope="module")
def found(sitc_table):
    return opportunities(world_flows(sitc_table), members_by_year={2000: MEMBERS_2000})


def test_candidates_are_products_members_do_not_yet_export_competitively(found):
    assert set(found["member"].to_pylist()) == set(MEMBERS_2000)
    assert pc.max(found["rca"]).as_py() < 1
    assert found.column_names[-3:] == ["w_density", "w_pci", "w_cog"]
    assert set(found["w_density"].to_pylist()) == {0.6} and set(found["w_cog"].to_pylist()) == {0.25}


def test_feasibility_is_the_weighted_sum_of_min_max_normalised_measures(found):
    kaz = found.to_pandas().query("member == 'KAZ'")
    norm = {c: (kaz[c] - kaz[c].min()) / (kaz[c].max() - kaz[c].min()) for c in ("density", "pci", "cog")}
    np.testing.assert_allclose(kaz.feasibility, 0.6 * norm["density"] + 0.15 * norm["pci"] + 0.25 * norm["cog"],
                               atol=1e-12)
    assert kaz.feasibility.is_monotonic_decreasing  # ranked within member
    # the most feasible products sit in denser parts of Kazakhstan's product space than the least
    assert kaz.density.head(20).mean() > kaz.density.tail(20).mean()


def test_weights_can_be_overridden_and_bad_weights_are_refused(sitc_table):
    only_density = opportunities(world_flows(sitc_table), members_by_year={2000: ["KAZ"]},
                                 weights=Weights(density=1, pci=0, cog=0)).to_pandas()
    assert only_density.density.is_monotonic_decreasing
    with pytest.raises(BadRequest, match="weights must be >= 0"):
        Weights(density=-1).check()


def test_attractiveness_is_the_blocs_imports_from_outside():
    from test_complexity import TINY

    rows = [(2023, c, "ZZZ", f"p{j + 1}", float(v)) for c, vs in TINY.items() for j, v in enumerate(vs) if v]
    rows += [(2023, "USA", "CHN", "p1", 90.0), (2023, "AAA", "CHN", "p1", 5.0), (2023, "DEU", "KAZ", "p1", 10.0)]
    cols = ("year", "exporter", "importer", "product", "value")
    t = pa.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
    got = opportunities(t, members_by_year={2023: ["AAA", "BBB", "CHN", "KAZ"]}).to_pylist()
    assert {r["member"] for r in got} == {"AAA", "BBB"}  # CHN and KAZ export nothing here: no position
    p1 = {r["attractiveness"] for r in got if r["product"] == "p1"}
    assert p1 == {100.0}  # CHN buys 90 from the USA, KAZ 10 from DEU; AAA's 5 to CHN is inside the bloc


def test_top_keeps_the_n_best_per_member(found):
    top = top_per_member(found, 3)
    assert top.num_rows == 3 * len(MEMBERS_2000)
