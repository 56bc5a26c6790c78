"""The product space (Hidalgo, Klinger, Barabasi & Hausmann 2007) and what a country can reach in it.

- proximity phi[p,q] = sum_c M[c,p]M[c,q] / max(u[p], u[q]); diagonal 1 (a product is fully proximate
  to itself: sum_c M[c,p]^2 / u[p] = 1). Symmetric.
- density w[c,p] = sum_q M[c,q] phi[q,p] / sum_q phi[q,p]  (share of p's neighbourhood c already has).
- opportunity outlook (COI before standardising) = sum_p w[c,p] (1 - M[c,p]) PCI[p].
- COG[c,p] = (1 - M[c,p]) sum_q (1 - M[c,q]) phi[p,q] / (sum_k phi[q,k]) PCI[q]  (diagonal included).

The PCI passed in decides the convention (PCI* for ecomplexity, see complexity.py). Vectorised, in one
pass over row blocks of phi (never the whole P x P matrix at once): the co-occurrence counts of a block
are a float32 matrix product (small integers, exact in float32); phi's row sums are its column sums
(phi is symmetric), so g = PCI/weight is known for the block's rows, and density and COG accumulate one
float64 product `[M; M*g][:, block] @ phi[block]`. Reusing the block buffers matters on this machine:
first touch of fresh memory costs about 15x the arithmetic (1.3 s for 200 MB), and the full phi alone
is 200 MB at 5,000 products. The full matrix is built only when asked for (`ProductSpace.proximity`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class ProductSpace:
    m: np.ndarray  # C x P presence (0/1)
    ubiquity: np.ndarray  # P
    density: np.ndarray  # C x P
    outlook: np.ndarray  # C: sum_p density (1-M) PCI, before standardising
    cog: np.ndarray  # C x P

    @cached_property
    def proximity(self) -> np.ndarray:
        """The whole P x P proximity matrix (200 MB at 5,000 products: built on first use only)."""
        return proximity_matrix(self.m, self.ubiquity)


BLOCK = 1024  # rows of phi built at a time: bounds the temporaries to BLOCK x P


def proximity_blocks(m: np.ndarray, ubiquity: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, phi[rows]) for consecutive row blocks of at most BLOCK products.

    phi[p,q] = co-occurrence / max(u[p], u[q]) (float32 counts are exact below 2**24; the division is
    correctly rounded in float64). The yielded block is a reused buffer: copy it to keep it."""
    mf = m.astype(np.float32)
    u = ubiquity.astype(np.float32)
    n = m.shape[1]
    co = np.empty((min(BLOCK, n), n), dtype=np.float32)
    top = np.empty_like(co)
    phi = np.empty((min(BLOCK, n), n), dtype=np.float64)
    for start in range(0, n, BLOCK):
        rows = slice(start, min(start + BLOCK, n))
        k = rows.stop - start
        np.matmul(mf[:, rows].T, mf, out=co[:k])
        np.maximum(u[rows, None], u[None, :], out=top[:k])
        np.divide(co[:k], top[:k], out=phi[:k], dtype=np.float64)
        yield start, phi[:k]


def proximity_matrix(m: np.ndarray, ubiquity: np.ndarray) -> np.ndarray:
    """phi for all pairs of products, diagonal 1 (module docstring)."""
    n = m.shape[1]
    phi = np.empty((n, n), dtype=np.float64)
    for start, block in proximity_blocks(m, ubiquity):
        phi[start:start + len(block)] = block
    return phi


def product_space(m: np.ndarray, ubiquity: np.ndarray, *, outlook_pci: np.ndarray) -> ProductSpace:
    """Density, opportunity outlook and COG for presence matrix `m` (C x P, 0/1), in one block pass."""
    mf = m.astype(np.float64)
    n, p = m.shape
    weight = np.empty(p)
    both = np.zeros((2 * n, p))  # [M phi ; (M diag g) phi]
    g_phi = np.zeros(p)  # g @ phi
    stacked = np.empty((2 * n, min(BLOCK, p)))
    for start, block in proximity_blocks(m, ubiquity):
        rows = slice(start, start + len(block))
        k = len(block)
        weight[rows] = block.sum(axis=1)  # = column sums: phi is symmetric
        g = outlook_pci[rows] / weight[rows]
        stacked[:n, :k] = mf[:, rows]
        np.multiply(mf[:, rows], g[None, :], out=stacked[n:, :k])
        both += stacked[:, :k] @ block
        g_phi += g @ block
    density = both[:n] / weight[None, :]
    absent = 1.0 - mf
    cog = absent * (g_phi[None, :] - both[n:])
    outlook = (density * absent) @ outlook_pci
    return ProductSpace(m=m, ubiquity=ubiquity, density=density, outlook=outlook, cog=cog)
