"""Ed25519 signatures: each party has a key pair; every dataset version's content hash is signed by its
publishing party; anyone can verify a downloaded Parquet file against the signature.

The signed message is the version's content hash (sha256 hex of the Parquet bytes) as ASCII. Private
keys live in $SCOBANK_HOME/keys/<ISO3>.pem (folder 0700, file 0600), PKCS#8 encrypted with the
installation's secret key; they are never logged, printed or sent. Public keys are in `party_keys`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.models import PartyKey, VersionSignature
from scobank.access.secret_key import secret_key, write_private
from scobank.config import get_settings
from scobank.errors import BadRequest, NotFound

ALGORITHM = "Ed25519"


def _keys_dir() -> Path:
    path = get_settings().home / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _key_path(party: str) -> Path:
    if len(party) != 3 or not party.isalpha():
        raise BadRequest(f"not a party code: {party!r}")
    return _keys_dir() / f"{party.upper()}.pem"


def _raw_public(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def fingerprint(public_key_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16]


def _load_private(party: str) -> Ed25519PrivateKey:
    data = _key_path(party).read_bytes()
    key = serialization.load_pem_private_key(data, password=secret_key())
    assert isinstance(key, Ed25519PrivateKey)
    return key


def party_key(session: Session, party: str) -> PartyKey:
    """The party's public key row, making the key pair on first use."""
    party = party.upper()
    row = session.get(PartyKey, party)
    if row is not None:
        return row
    path = _key_path(party)
    if not path.exists():
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(secret_key()))
        try:
            write_private(path, pem)
        except FileExistsError:
            pass  # made by a concurrent publisher: use theirs
    public_hex = _raw_public(_load_private(party).public_key())
    row = PartyKey(party=party, public_key=public_hex, fingerprint=fingerprint(public_hex))
    session.add(row)
    session.flush()
    return row


def sign_version(session: Session, *, version_id: int, content_hash: str, party: str | None) -> VersionSignature:
    """Sign version `version_id`'s content hash with its publishing party's key (idempotent), in the
    caller's transaction. Raises NotFound when the version's organisation has no party."""
    existing = session.get(VersionSignature, version_id)
    if existing is not None:
        return existing
    if not party:
        raise NotFound(f"version {version_id} has no publishing party to sign it")
    key = party_key(session, party)
    signature = _load_private(party).sign(content_hash.encode("ascii")).hex()
    row = VersionSignature(version_id=version_id, party=party, content_hash=content_hash,
                           signature=signature, key_fingerprint=key.fingerprint)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class Verdict:
    ok: bool
    content_hash: str
    message: str


def verify_bytes_hash(*, content_hash: str, signature_hex: str, public_key_hex: str) -> bool:
    """True when `signature_hex` is `public_key_hex`'s Ed25519 signature of `content_hash` (ASCII)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(signature_hex), content_hash.encode("ascii"))
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_file(path: Path, *, signature_hex: str, public_key_hex: str) -> Verdict:
    """Check a downloaded file: its sha256 must be what the party signed. Needs no bank at all."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    content_hash = digest.hexdigest()
    if verify_bytes_hash(content_hash=content_hash, signature_hex=signature_hex, public_key_hex=public_key_hex):
        return Verdict(True, content_hash, f"{path.name}: signature valid (sha256 {content_hash})")
    return Verdict(False, content_hash, f"{path.name}: signature does NOT match this file "
                                        f"(sha256 {content_hash}) and key")


def signatures_of(session: Session, *, slug: str, numbers: Mapping[int, int], number: int | None = None) -> dict:
    """The signatures of dataset `slug`'s versions `numbers` (version id -> number; the catalog's), with
    the party's public key. The caller has checked the reader may see the dataset."""
    rows = sorted(session.scalars(select(VersionSignature).where(VersionSignature.version_id.in_(list(numbers)))),
                  key=lambda s: numbers[s.version_id])
    if number is not None and not rows:
        raise NotFound(f"no signed version {number} of {slug}")
    keys = {p.party: p for p in session.scalars(select(PartyKey).where(
        PartyKey.party.in_({s.party for s in rows})))}
    return {"dataset": slug, "algorithm": ALGORITHM,
            "message": "the version's content_hash (sha256 hex of the Parquet file) as ASCII",
            "versions": [{"number": numbers[s.version_id], "content_hash": s.content_hash, "signature": s.signature,
                          "party": s.party, "public_key": keys[s.party].public_key,
                          "key_fingerprint": s.key_fingerprint,
                          "signed_at": s.signed_at.isoformat() + "Z"} for s in rows]}
