"""RFC 6962 / 9162 Merkle trees and C2SP signed notes, checked against the published vectors and the
RFC's recursive definitions."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scobank.access import merkle, notes
from scobank.errors import BadRequest

# RFC 6962's test leaves and the roots of their first 1..8 (from the certificate-transparency tests).
RFC_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43", bytes(range(0x50, 0x58)),
              bytes(range(0x60, 0x70))]
RFC_ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
             "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
             "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
             "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
             "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
             "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]


def _mth(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 2.1.1 writes it (recursive)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"entry {i}".encode()) for i in range(n)]


def test_the_roots_of_rfc_6962_test_vectors():
    leaves = [merkle.leaf_hash(d) for d in RFC_LEAVES]
    assert [merkle.root(leaves, n).hex() for n in range(1, 9)] == RFC_ROOTS
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 70), data=st.data())
def test_every_inclusion_and_consistency_proof_verifies_and_a_changed_leaf_does_not(n, data):
    leaves = _leaves(n)
    assert merkle.root(leaves) == _mth(leaves)
    i = data.draw(st.integers(0, n - 1))
    path = merkle.inclusion_proof(i, leaves)
    assert merkle.verify_inclusion(index=i, size=n, leaf=leaves[i], proof=path, root_hash=_mth(leaves))
    assert not merkle.verify_inclusion(index=i, size=n, leaf=merkle.leaf_hash(b"forged"), proof=path,
                                       root_hash=_mth(leaves))
    m = data.draw(st.integers(0, n))
    proof = merkle.consistency_proof(m, leaves)
    assert merkle.verify_consistency(first=m, second=n, first_hash=_mth(leaves[:m]), second_hash=_mth(leaves),
                                     proof=proof)
    if m > 0:
        j = data.draw(st.integers(0, m - 1))
        changed = [*leaves[:j], merkle.leaf_hash(b"rewritten"), *leaves[j + 1:]]
        assert not merkle.verify_consistency(first=m, second=n, first_hash=_mth(leaves[:m]),
                                             second_hash=_mth(changed), proof=merkle.consistency_proof(m, changed))


def test_the_signed_note_example_of_the_c2sp_specification_verifies():
    key = notes.Verifier.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    note = ("This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ON"
            "ncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")
    assert notes.verify(note, key) == "This is an example message.\n"
    with pytest.raises(BadRequest, match="forged or the text was changed"):
        notes.verify(note.replace("example message", "example massage"), key)
