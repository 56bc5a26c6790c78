"""The product space (Hidalgo, Klinger, Barabasi & Hausmann 2007) and what a country can reach in it.

- proximity phi[p,q] = sum_c M[c,p]M[c,q] / max(u[p], u[q]); diagonal 1 (a product is fully proximate
  to itself: sum_c M[c,p]^2 / u[p] = 1). Symmetric.
- density w[c,p] = sum_q M[c,q] phi[q,p] / sum_q phi[q,p]  (share of p's neighbourhood c already has).
- opportunity outlook (COI before standardising) = sum_p w[c,p] (1 - M[c,p]) PCI[p].
- COG[c,p] = (1 - M[c,p]) sum_q (1 - M[c,q]) phi[p,q] / (sum_k phi[q,k]) PCI[q]  (diagonal included).

The PCI passed in decides the convention (PCI* for ecomplexity, see complexity.py). Vectorised: the
co-occurrence counts are one float32 matrix product (counts are small integers, exact in float32);
density and COG share one float64 product `[M; M*g] @ phi`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ProductSpace:
    proximity: np.ndarray  # P x P
    density: np.ndarray  # C x P
    outlook: np.ndarray  # C: sum_p density (1-M) PCI, before standardising
    cog: np.ndarray  # C x P


BLOCK = 1024  # rows of phi built at a time: bounds the temporaries to BLOCK x P


def proximity_matrix(m: np.ndarray, ubiquity: np.ndarray) -> np.ndarray:
    """phi[p,q] = co-occurrence / max(u[p], u[q]), diagonal 1, built in row blocks of BLOCK products
    (float32 counts are exact below 2**24; the division is correctly rounded in float64)."""
    mf = m.astype(np.float32)
    u = ubiquity.astype(np.float32)
    n = m.shape[1]
    phi = np.empty((n, n), dtype=np.float64)
    for start in range(0, n, BLOCK):
        rows = slice(start, min(start + BLOCK, n))
        co = mf[:, rows].T @ mf
        np.divide(co, np.maximum(u[rows, None], u[None, :]), out=phi[rows], dtype=np.float64)
    return phi


def product_space(m: np.ndarray, ubiquity: np.ndarray, *, outlook_pci: np.ndarray) -> ProductSpace:
    """Proximity, density, opportunity outlook and COG for presence matrix `m` (C x P, 0/1)."""
    phi = proximity_matrix(m, ubiquity)
    weight = phi.sum(axis=0)  # = row sums (phi is symmetric)
    g = outlook_pci / weight
    mf = m.astype(np.float64)
    n = m.shape[0]
    both = np.vstack([mf, mf * g[None, :]]) @ phi  # [M phi ; (M diag g) phi]
    density = both[:n] / weight[None, :]
    absent = 1.0 - mf
    cog = absent * ((g @ phi)[None, :] - both[n:])
    outlook = (density * absent) @ outlook_pci
    return ProductSpace(proximity=phi, density=density, outlook=outlook, cog=cog)
