"""Economic complexity for one year of a country x product export matrix (definitions: ANALYTICS.md).

- RCA (Balassa 1965): `(X[c,p]/X[c]) / (X[p]/X)`; M = 1 where RCA >= cutoff (exactly the cutoff counts).
- diversity d = row sums of M, ubiquity u = column sums of M.
- ECI/PCI (Hidalgo & Hausmann 2009) solved on the country side: `S = D^-1/2 M U^-1 M' D^-1/2` is small
  and symmetric; v = eigenvector of its second-largest eigenvalue (`numpy.linalg.eigh`);
  `kp = U^-1 M' (D^-1/2 v)`, `kc = D^-1 M kp` (kc recomputed from kp), both signs flipped so that kc
  correlates positively with diversity. No iteration, no dense product-side eigen-solve.
- Proximity and density, COI and COG: see `scobank.analytics.space`.

Conventions (`Convention`):
- "ecomplexity" (Harvard Growth Lab `ecomplexity` 0.5.3): mu, sigma = mean and population std of kc;
  ECI = (kc - mu)/sigma, PCI = (kp - mu)/sigma (so ECI[c] is the mean PCI of the products c exports);
  PCI* = PCI - sum_c d[c] ECI[c] / sum_c d[c]; COI = z-score (ddof 0) of sum_p w[c,p](1-M[c,p])PCI*[p];
  COG[c,p] = (1-M[c,p]) sum_q (1-M[c,q]) phi[p,q] / (sum_k phi[q,k]) PCI*[q]. Matches the package to 1e-9.
- "standardised" (OEC `economic-complexity` 0.3.0): ECI and PCI each z-scored with the sample std
  (ddof 1); COI and COG use that PCI, COI z-scored with ddof 1. Matches OEC by rank (its reflections
  method is an approximation of the same eigenvector).

Degenerate input raises AnalyticsInputError, never a year of NaN: a country with no product at
RCA >= cutoff, a product no country has at RCA >= cutoff, or a disconnected country-product network
(second eigenvalue of S equal to 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from threadpoolctl import threadpool_limits

from scobank.analytics.panel import YearMatrix
from scobank.analytics.space import ProductSpace, product_space
from scobank.errors import AnalyticsInputError

Convention = Literal["ecomplexity", "standardised"]
CONVENTIONS: tuple[str, ...] = ("ecomplexity", "standardised")
# 1 - lambda_2 below this means the country-product network falls apart into separate pieces.
DISCONNECTED_GAP = 1e-9


@dataclass(frozen=True)
class YearComplexity:
    """Every measure of one year; arrays are indexed like `exporters` (rows) and `products` (columns)."""

    year: int
    convention: str
    exporters: np.ndarray
    products: np.ndarray
    value: np.ndarray  # C x P exports
    rca: np.ndarray  # C x P
    m: np.ndarray  # C x P, int8 0/1
    diversity: np.ndarray  # C
    ubiquity: np.ndarray  # P
    eci: np.ndarray  # C
    pci: np.ndarray  # P
    space: ProductSpace  # proximity (P x P, diagonal 1), density (C x P)
    coi: np.ndarray  # C
    cog: np.ndarray  # C x P


def rca_matrix(values: np.ndarray) -> np.ndarray:
    """Balassa RCA `(X[c,p]/X[c]) / (X[p]/X)` for a matrix with positive row and column totals."""
    rca = values / values.sum(axis=1)[:, None]
    rca /= (values.sum(axis=0) / values.sum())[None, :]  # in place: one C x P array, not two
    return rca


def presence(rca: np.ndarray, *, cutoff: float, year: int, exporters: np.ndarray,
             products: np.ndarray) -> np.ndarray:
    """M[c,p] = 1 where RCA >= cutoff; raises when a country or product would have none."""
    m = (rca >= cutoff).astype(np.int8)
    for axis, codes, what, wording in ((1, exporters, "country", "exports no product"),
                                       (0, products, "product", "is exported by no country")):
        empty = codes[m.sum(axis=axis) == 0]
        if len(empty):
            raise AnalyticsInputError(
                f"year {year}: {len(empty)} {what}{'s' if len(empty) != 1 else ''} "
                f"({', '.join(map(str, empty[:5]))}{', ...' if len(empty) > 5 else ''}) {wording} "
                f"with RCA >= {cutoff:g}; lower --rca-cutoff or drop them"
            )
    return m


def eigen_kc_kp(m: np.ndarray, diversity: np.ndarray, ubiquity: np.ndarray, *, year: int,
                mf: np.ndarray | None = None, mf_u: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """kc, kp from the second eigenvector of the symmetric country matrix S (signs: corr(kc, d) > 0).
    `mf` = M as float64 and `mf_u` = M U^-1 may be passed in to share them with the product space.

    Runs with one BLAS thread: S is only C x C (about 225 x 225), and OpenBLAS's threads on a problem
    this small cost 10-50x more time synchronising than computing (measured: eigh 0.73 s CPU on two
    threads, 0.008 s on one)."""
    mf = m.astype(np.float64) if mf is None else mf
    mf_u = mf / ubiquity if mf_u is None else mf_u
    with threadpool_limits(limits=1, user_api="blas"):
        return _eigen_kc_kp(mf, mf_u, diversity, ubiquity, year=year)


def _eigen_kc_kp(mf: np.ndarray, mf_u: np.ndarray, diversity: np.ndarray, ubiquity: np.ndarray, *,
                 year: int) -> tuple[np.ndarray, np.ndarray]:
    inv_sqrt_d = 1.0 / np.sqrt(diversity)
    s = (mf_u @ mf.T) * np.outer(inv_sqrt_d, inv_sqrt_d)  # D^-1/2 M U^-1 M' D^-1/2
    eigenvalues, eigenvectors = np.linalg.eigh(s)
    if eigenvalues[-1] - eigenvalues[-2] < DISCONNECTED_GAP:
        raise AnalyticsInputError(
            f"year {year}: the country-product network is disconnected (second eigenvalue "
            f"{eigenvalues[-2]:.12f} equals 1): some countries share no product at RCA >= cutoff with "
            "the rest; complexity is undefined"
        )
    kp = (mf.T @ (inv_sqrt_d * eigenvectors[:, -2])) / ubiquity
    kc = (mf @ kp) / diversity
    if _orientation(kc, kp, diversity, ubiquity) < 0:
        kc, kp = -kc, -kp
    return kc, kp


def _orientation(kc: np.ndarray, kp: np.ndarray, diversity: np.ndarray, ubiquity: np.ndarray) -> float:
    """Sign of corr(kc, diversity); when diversity is constant, of -corr(kp, ubiquity); else of kc[0]."""
    if diversity.std() > 0:
        return float(np.corrcoef(diversity, kc)[0, 1])
    if ubiquity.std() > 0:
        return -float(np.corrcoef(ubiquity, kp)[0, 1])
    return float(kc[0] - kc.mean())


def standardise(kc: np.ndarray, kp: np.ndarray, diversity: np.ndarray, *,
                convention: Convention) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ECI, PCI, PCI used for COI/COG) in the chosen convention (module docstring)."""
    if convention == "ecomplexity":
        mu, sigma = kc.mean(), kc.std()
        eci, pci = (kc - mu) / sigma, (kp - mu) / sigma
        return eci, pci, pci - (diversity @ eci) / diversity.sum()
    if convention == "standardised":
        eci = (kc - kc.mean()) / kc.std(ddof=1)
        pci = (kp - kp.mean()) / kp.std(ddof=1)
        return eci, pci, pci
    raise AnalyticsInputError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")


@dataclass(frozen=True)
class YearPresence:
    """The first stage of a year: RCA, M, diversity and ubiquity (all that proximity needs)."""

    year: int
    exporters: np.ndarray
    products: np.ndarray
    value: np.ndarray  # C x P exports
    rca: np.ndarray  # C x P
    m: np.ndarray  # C x P, int8 0/1
    diversity: np.ndarray  # C
    ubiquity: np.ndarray  # P


def year_presence(matrix: YearMatrix, *, rca_cutoff: float = 1.0) -> YearPresence:
    """RCA and M of one year; raises AnalyticsInputError when a country or product has no M = 1."""
    if len(matrix.rows) < 2 or len(matrix.cols) < 2:
        raise AnalyticsInputError(f"year {matrix.year}: needs at least 2 countries and 2 products with exports")
    rca = rca_matrix(matrix.values)
    m = presence(rca, cutoff=rca_cutoff, year=matrix.year, exporters=matrix.rows, products=matrix.cols)
    return YearPresence(year=matrix.year, exporters=matrix.rows, products=matrix.cols, value=matrix.values,
                        rca=rca, m=m, diversity=m.sum(axis=1, dtype=np.float64),
                        ubiquity=m.sum(axis=0, dtype=np.float64))


def complexity_year(matrix: YearMatrix, *, convention: Convention = "ecomplexity",
                    rca_cutoff: float = 1.0) -> YearComplexity:
    """All complexity measures of one year (module docstring), on the world panel given."""
    check_convention(convention)
    return complexity_of(year_presence(matrix, rca_cutoff=rca_cutoff), convention=convention)


def check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise AnalyticsInputError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")


def complexity_of(p: YearPresence, *, convention: Convention = "ecomplexity") -> YearComplexity:
    """ECI, PCI, density, COI and COG of a year whose RCA and M are known (`year_presence`)."""
    check_convention(convention)
    mf = p.m.astype(np.float64)  # shared by the eigenproblem and the product space
    mf_u = mf / p.ubiquity
    kc, kp = eigen_kc_kp(p.m, p.diversity, p.ubiquity, year=p.year, mf=mf, mf_u=mf_u)
    eci, pci, pci_star = standardise(kc, kp, p.diversity, convention=convention)
    space = product_space(p.m, p.ubiquity, outlook_pci=pci_star, mf=mf, mf_u=mf_u)
    ddof = 0 if convention == "ecomplexity" else 1
    coi = (space.outlook - space.outlook.mean()) / space.outlook.std(ddof=ddof)
    return YearComplexity(
        year=p.year, convention=convention, exporters=p.exporters, products=p.products, value=p.value,
        rca=p.rca, m=p.m, diversity=p.diversity, ubiquity=p.ubiquity, eci=eci, pci=pci, space=space,
        coi=coi, cog=space.cog,
    )
