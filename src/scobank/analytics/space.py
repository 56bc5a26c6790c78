"""The product space (Hidalgo, Klinger, Barabasi & Hausmann 2007) and what a country can reach in it.

- proximity phi[p,q] = sum_c M[c,p]M[c,q] / max(u[p], u[q]); diagonal 1 (a product is fully proximate
  to itself: sum_c M[c,p]^2 / u[p] = 1). Symmetric.
- density w[c,p] = sum_q M[c,q] phi[q,p] / sum_q phi[q,p]  (share of p's neighbourhood c already has).
- opportunity outlook (COI before standardising) = sum_p w[c,p] (1 - M[c,p]) PCI[p].
- COG[c,p] = (1 - M[c,p]) sum_q (1 - M[c,q]) phi[p,q] / (sum_k phi[q,k]) PCI[q]  (diagonal included).

The PCI passed in decides the convention (PCI* for ecomplexity, see complexity.py).

Density, COI and COG never build phi. They need only products `X @ phi` for a few hundred rows X
(ones for phi's column sums, M, M diag(g), g), and phi has a structure that makes those cheap:
phi = (M'M) * W with W[p,q] = 1/max(u[p], u[q]). With products sorted by ubiquity and grouped by its
distinct values (at most one group per possible ubiquity; 81 groups at 225 x 5,000), for q in the
group G of ubiquity u_G:

    (X phi)[:, q] = ( sum_{p: u[p] <= u_G} X[:, p] M[:, p]' / u_G  +  sum_{p: u[p] > u_G} X[:, p] M[:, p]' / u[p] ) M[:, q]

The two bracketed R x C sums are running sums over the groups, so `X @ phi` costs about three
R x C x P products (3 GFlop for R = 451 rows at 225 x 5,000) instead of the R x P x P product over phi
(22.5 GFlop) plus the C x P x P co-occurrence product (5.6 GFlop), and touches no P x P memory (first
touch of fresh memory costs up to 1.3 s per 200 MB on this VM). Counts are exact in float64; the
result equals the direct product to about 1e-14. The loop's small products run on one BLAS thread
(OpenBLAS's threads cost more synchronising than they save at these sizes, see complexity.py).
The full P x P matrix is built only when asked for (`ProductSpace.proximity`); the edge list of the
`complexity` command comes from `proximity_pairs` (row blocks of the upper triangle, pairs with phi > 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from threadpoolctl import threadpool_limits


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


PAIR_CELLS = 1 << 20  # cells of phi's upper triangle walked at a time by `proximity_pairs`


def proximity_pairs(m: np.ndarray, ubiquity: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(a, b, phi[a, b]) for every pair a < b with phi > 0, rows a ascending, then b ascending; in
    consecutive row blocks of about PAIR_CELLS cells each (int32 indices, float64 values, fresh arrays).

    Only the upper triangle is multiplied (block rows x the columns from the block's first row on:
    half the co-occurrence product of `proximity_blocks`), only kept pairs are divided, and the block
    buffers are small and reused (first touch of fresh memory is the dominant cost on this VM).
    Values equal `proximity_matrix` exactly (same float32 counts, same float64 division)."""
    mf = m.astype(np.float32)
    u = ubiquity.astype(np.float64)
    n = m.shape[1]
    co_buffer = np.empty(max(min(PAIR_CELLS, n * n), n), dtype=np.float32)  # a block has at least one row
    keep_buffer = np.empty(len(co_buffer), dtype=bool)
    square = min(n, int(PAIR_CELLS ** 0.5))  # a block never has more rows than this
    below = np.tril(np.ones((square, square), dtype=bool))  # b <= a in the block's leading square
    start = 0
    while start < n:
        width = n - start
        k = max(1, min(width, PAIR_CELLS // width))
        co, keep = co_buffer[:k * width].reshape(k, width), keep_buffer[:k * width].reshape(k, width)
        with threadpool_limits(limits=1, user_api="blas"):  # the other core encodes Parquet meanwhile
            np.matmul(mf[:, start:start + k].T, mf[:, start:], out=co)
        np.greater(co, 0, out=keep)
        keep[:, :k] &= ~below[:k, :k]
        flat = np.flatnonzero(keep)  # below PAIR_CELLS: int32 arithmetic from here on
        counts = np.count_nonzero(keep, axis=1)
        a = np.repeat(np.arange(k, dtype=np.int32), counts)  # row within the block
        b = flat.astype(np.int32)
        b -= a * np.int32(width)
        b += start
        values = co.ravel()[flat].astype(np.float64)
        top = np.repeat(u[start:start + k], counts)  # u[a]: a is sorted
        np.maximum(top, u[b], out=top)
        values /= top
        a += start
        yield a, b, values
        start += k


def proximity_matrix(m: np.ndarray, ubiquity: np.ndarray) -> np.ndarray:
    """phi for all pairs of products, diagonal 1 (module docstring)."""
    n = m.shape[1]
    phi = np.empty((n, n), dtype=np.float64)
    for start, block in proximity_blocks(m, ubiquity):
        phi[start:start + len(block)] = block
    return phi


Groups = list[tuple[float, np.ndarray, np.ndarray]]  # (ubiquity, its products, M[:, products]) ascending


def ubiquity_groups(mf: np.ndarray, ubiquity: np.ndarray) -> Groups:
    """The products grouped by ubiquity, smallest first, each with its columns of M (float64)."""
    order = np.argsort(ubiquity, kind="stable")
    levels, starts = np.unique(ubiquity[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    return [(float(level), order[start:end], mf[:, order[start:end]])
            for level, start, end in zip(levels, starts, ends, strict=True)]


def times_proximity(x: np.ndarray, mf_u: np.ndarray, groups: Groups) -> np.ndarray:
    """`x @ phi` for rows x (R x P), given `mf_u` = M U^-1 and `ubiquity_groups` (module docstring:
    two running R x C sums over the ubiquity groups; phi never built)."""
    outside = x @ mf_u.T  # sum over all p of X[:, p] M[:, p]' / u[p]
    prefix, prefix_u = np.zeros_like(outside), np.zeros_like(outside)
    delta, left = np.empty_like(outside), np.empty_like(outside)
    out = np.empty_like(x)
    for level, products, columns in groups:
        np.matmul(x[:, products], columns.T, out=delta)
        prefix += delta
        delta /= level
        prefix_u += delta
        np.subtract(outside, prefix_u, out=left)  # the groups of larger ubiquity
        left += prefix / level  # this group and those of smaller ubiquity
        out[:, products] = left @ columns
    return out


def product_space(m: np.ndarray, ubiquity: np.ndarray, *, outlook_pci: np.ndarray,
                  mf: np.ndarray | None = None, mf_u: np.ndarray | None = None) -> ProductSpace:
    """Density, opportunity outlook and COG for presence matrix `m` (C x P, 0/1); phi is never built.
    `mf` = M as float64 and `mf_u` = M U^-1 may be passed in when the caller has them."""
    mf = m.astype(np.float64) if mf is None else mf
    mf_u = mf / ubiquity if mf_u is None else mf_u
    with threadpool_limits(limits=1, user_api="blas"):
        return _product_space(m, mf, mf_u, ubiquity, outlook_pci=outlook_pci)


def _product_space(m: np.ndarray, mf: np.ndarray, mf_u: np.ndarray, ubiquity: np.ndarray, *,
                   outlook_pci: np.ndarray) -> ProductSpace:
    """With as few C x P arrays as the outputs allow (each is 9 MB at 225 x 5,000, and fresh memory
    costs more than the arithmetic on this VM): the groups' columns, M diag(g), density and COG."""
    groups = ubiquity_groups(mf, ubiquity)
    weight = times_proximity(np.ones((1, m.shape[1])), mf_u, groups)[0]  # column sums of phi (= row sums)
    g = outlook_pci / weight
    g_phi = times_proximity(g[None, :], mf_u, groups)[0]
    density = times_proximity(mf, mf_u, groups)
    density /= weight
    cog = times_proximity(mf * g, mf_u, groups)  # (M diag g) phi
    np.subtract(g_phi, cog, out=cog)
    np.putmask(cog, m != 0, 0.0)  # (1 - M) * ...
    outlook = density @ outlook_pci - np.einsum("cp,cp,p->c", density, mf, outlook_pci)  # sum density (1-M) PCI
    return ProductSpace(m=m, ubiquity=ubiquity, density=density, outlook=outlook, cog=cog)
