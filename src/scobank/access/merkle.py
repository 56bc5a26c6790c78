"""Merkle tree hashes, inclusion and consistency proofs exactly as RFC 9162 section 2.1 (RFC 6962).

Pure functions over a list of leaf hashes (32 bytes each); nothing of the bank. Leaf hash =
SHA-256(0x00 || leaf data), interior node = SHA-256(0x01 || left || right); the tree over n leaves
splits at k, the largest power of two smaller than n. The empty tree's hash is SHA-256 of nothing.

- `root(leaves, n)`: MTH(D[0:n]);
- `inclusion_proof(index, leaves, n)` / `verify_inclusion`: that one leaf is in the tree of size n;
- `consistency_proof(m, leaves, n)` / `verify_consistency`: that the tree of size m is a prefix of the
  tree of size n, so nothing of the first m leaves was changed, removed or reordered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

EMPTY = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes], n: int | None = None, start: int = 0) -> bytes:
    """MTH of leaves[start:start+n], level by level (an odd last node moves up unchanged, which gives
    the RFC's left-balanced tree)."""
    n = len(leaves) - start if n is None else n
    if n == 0:
        return EMPTY
    level = list(leaves[start:start + n])
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def inclusion_proof(index: int, leaves: Sequence[bytes], n: int | None = None) -> list[bytes]:
    """PATH(index, D[0:n]) (RFC 9162 2.1.3.1)."""
    n = len(leaves) if n is None else n
    if not 0 <= index < n <= len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {n}")
    path: list[bytes] = []
    start = 0
    while n > 1:
        k = _split(n)
        if index < k:
            path.append(root(leaves, n - k, start + k))
            n = k
        else:
            path.append(root(leaves, k, start))
            start, index, n = start + k, index - k, n - k
    return path[::-1]


def consistency_proof(m: int, leaves: Sequence[bytes], n: int | None = None) -> list[bytes]:
    """PROOF(m, D[0:n]) (RFC 9162 2.1.4.1); empty for m == 0 or m == n."""
    n = len(leaves) if n is None else n
    if not 0 <= m <= n <= len(leaves):
        raise ValueError(f"no consistency proof from {m} to {n}")
    if m in (0, n):
        return []
    proof: list[bytes] = []
    start, complete = 0, True
    while m != n:
        k = _split(n)
        if m <= k:
            proof.append(root(leaves, n - k, start + k))
            n = k
        else:
            proof.append(root(leaves, k, start))
            start, m, n, complete = start + k, m - k, n - k, False
    if not complete:
        proof.append(root(leaves, n, start))
    return proof[::-1]


def verify_inclusion(*, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show leaf hash `leaf` at `index` of the tree `root_hash` of `size`?"""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(*, first: int, second: int, first_hash: bytes, second_hash: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: is the tree (`first`, `first_hash`) a prefix of (`second`, `second_hash`)?"""
    if first > second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if first == 0:
        return not proof and first_hash == EMPTY
    proof = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the first tree is a node of the second
        proof.insert(0, first_hash)
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_hash and sr == second_hash
