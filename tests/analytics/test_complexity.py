"""Complexity measures (ANALYTICS.md): hand-checkable values, the peer's numbers, real world exports."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
import scipy.sparse.linalg

from scobank.analytics.complexity import complexity_year
from scobank.analytics.panel import year_matrices
from scobank.errors import AnalyticsInputError

# A tiny world: 5 countries x 6 products. Expected values below were computed by the PyPI package
# `ecomplexity` 0.5.3 (Harvard Growth Lab) on exactly this input, in a separate venv, and written out.
TINY = {"AAA": [50, 20, 10, 5, 0, 1], "BBB": [5, 40, 30, 1, 2, 0], "CCC": [1, 2, 60, 30, 5, 2],
        "DDD": [0, 1, 3, 40, 50, 6], "EEE": [30, 1, 0, 2, 20, 50]}
TINY_ECI = {"AAA": 0.329271251066, "BBB": -1.098775360786, "CCC": -1.098775360786,
            "DDD": 0.329271251066, "EEE": 1.539008219440}
TINY_COI = {"AAA": 0.953215278741, "BBB": -0.062288579966, "CCC": -0.062288579966,
            "DDD": 0.953215278741, "EEE": -1.781853397550}
TINY_PCI = [1.255743269470, -0.597200767337, -1.600349954234, -0.597200767337, 1.255743269470, 2.105538119379]
TINY_AAA_RCA = [3.157111952407, 1.696947674419, 0.527207044480, 0.348091830650, 0.0, 0.092037839968]
TINY_AAA_DENSITY = [0.60, 0.75, 0.25, 0.0, 0.20, 0.25]
TINY_AAA_COG = [0.0, 0.0, -1.054407547550, -0.580453564558, 0.753462791481, 1.205980826892]


def panel(rows: dict[str, list[float]], year: int = 2000) -> pa.Table:
    data = [(year, c, f"p{j + 1}", float(v)) for c, vs in rows.items() for j, v in enumerate(vs) if v > 0]
    return pa.table({k: [r[i] for r in data] for i, k in enumerate(("year", "exporter", "product", "value"))})


def tiny():
    return complexity_year(year_matrices(panel(TINY))[0])


@pytest.fixture(scope="module")
def world(sitc_table):
    """Complexity of the real world exports 1998-2000 (226 countries x 785 SITC products)."""
    return complexity_year(year_matrices(sitc_table)[0])


def test_tiny_world_matches_the_ecomplexity_package_to_1e9():
    r = tiny()
    assert list(r.exporters) == list(TINY_ECI)
    np.testing.assert_allclose(r.eci, list(TINY_ECI.values()), rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.pci, TINY_PCI, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.coi, list(TINY_COI.values()), rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.rca[0], TINY_AAA_RCA, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.space.density[0], TINY_AAA_DENSITY, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.cog[0], TINY_AAA_COG, rtol=0, atol=1e-9)
    assert list(r.diversity) == [2, 2, 2, 2, 3] and list(r.ubiquity) == [2, 2, 2, 2, 2, 1]


def test_tiny_world_rca_of_a_by_hand():
    # AAA exports 86 of a world 467; product p1 totals 86 of 467: RCA = (50/86) / (86/467) = 3.157.
    r = tiny()
    assert r.rca[0, 0] == pytest.approx((50 / 86) / (86 / 467), abs=1e-12) == pytest.approx(3.157, abs=1e-3)


def test_eci_of_each_country_is_the_mean_pci_of_the_products_it_exports(world):
    r = world
    mean_pci = (r.m @ r.pci) / r.diversity
    np.testing.assert_allclose(r.eci, mean_pci, rtol=0, atol=1e-10)
    assert r.eci.mean() == pytest.approx(0, abs=1e-12) and r.eci.std() == pytest.approx(1, abs=1e-12)


def test_real_world_rca_of_japan_in_passenger_cars_is_what_the_file_says(world):
    r = world
    c, p = list(r.exporters).index("JPN"), list(r.products).index("7810")
    # From the file: JPN 7810 = 292,376,399; JPN total 3,908,601,251; 7810 world 2,129,198,258;
    # world total 119,740,265,088.
    assert r.rca[c, p] == pytest.approx((292376399 / 3908601251) / (2129198258 / 119740265088), rel=1e-12)
    assert r.rca[c, p] == pytest.approx(4.2067, abs=1e-4) and r.m[c, p] == 1


def test_rich_diversified_exporters_have_high_eci_and_japan_germany_are_near_the_top(world):
    r = world
    eci = dict(zip(r.exporters, r.eci, strict=True))
    top10 = [c for c, _ in sorted(eci.items(), key=lambda kv: -kv[1])[:10]]
    assert "JPN" in top10 and "DEU" in top10
    assert all(eci[c] > 1 for c in ("JPN", "DEU", "USA", "GBR", "CHE"))
    assert all(eci[c] < -1.5 for c in ("NGA", "GNQ"))  # oil exporters at the bottom
    assert eci["CHN"] > 0 > eci["KAZ"]


def test_an_independent_product_side_solve_gives_the_same_numbers(world):
    """The textbook route (eigen-solve of the product matrix M~pp, as ecomplexity does it) agrees to 1e-9."""
    r = world
    m = r.m.astype(float)
    mpp = (m / r.ubiquity).T @ (m / r.diversity[:, None])
    values, vectors = scipy.sparse.linalg.eigs(mpp, k=3, which="LR", tol=1e-14)
    kp = np.real(vectors[:, np.argsort(np.real(values))[-2]])
    kc = (m / r.diversity[:, None]) @ kp
    sign = np.sign(np.corrcoef(r.diversity, kc)[0, 1])
    kc, kp = sign * kc, sign * kp
    np.testing.assert_allclose(r.eci, (kc - kc.mean()) / kc.std(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.pci, (kp - kc.mean()) / kc.std(), rtol=0, atol=1e-9)


def test_proximity_is_shared_presence_over_the_larger_ubiquity_with_diagonal_one():
    r = tiny()
    phi = r.space.proximity
    m = r.m.astype(int)
    p, q = 0, 5  # p1 (AAA, EEE) and p6 (EEE only): 1 shared / max(2, 1)
    assert phi[p, q] == (m[:, p] @ m[:, q]) / max(m[:, p].sum(), m[:, q].sum()) == 0.5
    assert np.all(np.diag(phi) == 1) and np.array_equal(phi, phi.T)


def test_standardised_convention_has_sample_std_one_and_the_same_ranking():
    e, s = tiny(), complexity_year(year_matrices(panel(TINY))[0], convention="standardised")
    assert s.eci.std(ddof=1) == pytest.approx(1, abs=1e-12) and s.pci.std(ddof=1) == pytest.approx(1, abs=1e-12)
    assert list(np.argsort(s.eci)) == list(np.argsort(e.eci))
    assert list(np.argsort(s.pci)) == list(np.argsort(e.pci))


def test_a_disconnected_network_fails_loudly_instead_of_a_year_of_nan():
    two_islands = {"AAA": [10, 10, 0, 0], "BBB": [10, 5, 0, 0], "CCC": [0, 0, 10, 10], "DDD": [0, 0, 5, 10]}
    with pytest.raises(AnalyticsInputError, match="year 2000: the country-product network is disconnected"):
        complexity_year(year_matrices(panel(two_islands))[0])


def test_a_cutoff_that_leaves_a_country_without_products_is_refused_with_names():
    with pytest.raises(AnalyticsInputError, match=r"year 2000: 1 country \(CCC\) exports no product with RCA >= 3"):
        complexity_year(year_matrices(panel(TINY))[0], rca_cutoff=3)


def test_density_and_cog_equal_the_textbook_products_over_the_whole_proximity_matrix(world):
    """Density and COG come from running sums over ubiquity groups (space.py), never from phi itself;
    on the real world exports (785 products, many of equal ubiquity) they equal the direct formulas."""
    r = world
    m, phi = r.m.astype(float), r.space.proximity
    weight = phi.sum(axis=0)
    density = (m @ phi) / weight
    pci_star = r.pci - (r.diversity @ r.eci) / r.diversity.sum()
    cog = (1 - m) * (((1 - m) * (pci_star / weight)) @ phi)
    np.testing.assert_allclose(r.space.density, density, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.cog, cog, rtol=0, atol=1e-12)
    assert len(np.unique(r.ubiquity)) < len(r.products) / 4  # ties are the common case


@pytest.mark.parametrize("cells", [20_000, 500])  # blocks of many rows; single rows wider than a block
def test_the_proximity_file_holds_exactly_the_pairs_of_the_matrix_above_the_diagonal(sitc_table, tmp_path, monkeypatch,
                                                                                     cells):
    """The edge list is computed in row blocks of the upper triangle and streamed to Parquet on other
    threads; small blocks (many pieces, the last ones of several rows) give exactly the matrix's pairs."""
    import pyarrow.parquet as pq

    from scobank.analytics import space
    from scobank.analytics.complexity_tables import write_complexity

    monkeypatch.setattr(space, "PAIR_CELLS", cells)
    run = write_complexity(year_matrices(sitc_table), out_dir=tmp_path, convention="ecomplexity", rca_cutoff=1)
    phi = complexity_year(year_matrices(sitc_table)[0]).space.proximity
    a, b = np.nonzero(np.triu(phi, 1) > 0)
    prox = pq.read_table(tmp_path / "proximity.parquet")
    products = np.array(pq.read_table(tmp_path / "product.parquet")["product"].to_pylist())
    assert run.products == 785 and len(a) < 785 * 784 // 2  # the pairs with phi = 0 are left out
    assert prox.num_rows == len(a)
    assert prox["product_a"].to_pylist() == list(products[a]) and prox["product_b"].to_pylist() == list(products[b])
    assert np.array_equal(prox["proximity"].to_numpy(), phi[a, b])


def test_a_degenerate_year_after_a_good_one_writes_nothing_and_leaves_no_thread_behind(sitc_table, tmp_path):
    import threading

    import pyarrow.compute as pc

    from scobank.analytics.complexity_tables import write_complexity

    good = year_matrices(sitc_table)[0]
    islands = year_matrices(panel({"AAA": [10, 10, 0, 0], "BBB": [10, 5, 0, 0], "CCC": [0, 0, 10, 10],
                                   "DDD": [0, 0, 5, 10]}, year=2001))[0]
    assert pc.unique(sitc_table["year"]).to_pylist() != [2001]
    before = threading.active_count()
    with pytest.raises(AnalyticsInputError, match="year 2001: the country-product network is disconnected"):
        write_complexity([good, islands], out_dir=tmp_path / "out", convention="ecomplexity", rca_cutoff=1)
    assert list((tmp_path / "out").iterdir()) == []
    assert threading.active_count() == before
