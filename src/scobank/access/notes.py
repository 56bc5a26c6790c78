"""Signed notes (C2SP signed-note) with Ed25519 signatures, and tlog checkpoints (C2SP tlog-checkpoint).

A note is UTF-8 text ending in a newline, a blank line, then signature lines
`— <key name> base64(key ID || signature)`; the key ID is the first 4 bytes of
SHA-256(key name || 0x0A || 0x01 || 32-byte public key). A verifier key (vkey) is
`<name>+<hex key ID>+base64(0x01 || public key)`. A checkpoint's text is the origin, the tree size
in decimal and the base64 root hash, one per line. Verifiers ignore signatures of unknown keys and
reject a note when no known key's signature verifies.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from scobank.errors import BadRequest

ED25519 = b"\x01"
DASH = "\u2014 "


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def vkey(name: str, public: Ed25519PublicKey) -> str:
    raw = _raw(public)
    return f"{name}+{key_id(name, raw).hex()}+{base64.b64encode(ED25519 + raw).decode()}"


@dataclass(frozen=True)
class Verifier:
    name: str
    id: bytes
    public: Ed25519PublicKey

    @classmethod
    def parse(cls, text: str) -> Verifier:
        try:
            name, hex_id, b64 = text.strip().split("+", 2)
            material = base64.b64decode(b64, validate=True)
            if not name or material[:1] != ED25519 or len(material) != 33:
                raise ValueError
            public = Ed25519PublicKey.from_public_bytes(material[1:])
            if bytes.fromhex(hex_id) != key_id(name, material[1:]):
                raise ValueError
        except ValueError:
            raise BadRequest(f"not an Ed25519 verifier key (NAME+KEYID+BASE64): {text.strip()[:80]!r}") from None
        return cls(name, bytes.fromhex(hex_id), public)


def sign(text: str, *, name: str, private: Ed25519PrivateKey) -> str:
    """The signed note of `text` (which must end in a newline) by key `name`."""
    if not text.endswith("\n") or "\n\n" in text:
        raise ValueError("a note's text ends in one newline and has no blank line")
    raw = _raw(private.public_key())
    signature = base64.b64encode(key_id(name, raw) + private.sign(text.encode())).decode()
    return f"{text}\n{DASH}{name} {signature}\n"


@dataclass(frozen=True)
class Note:
    text: str
    signatures: list[tuple[str, bytes]]  # (key name, key ID || signature)


def parse(note: str) -> Note:
    """Split a signed note into its text and signature lines. Raises BadRequest when malformed."""
    text, sep, sigs = note.rpartition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise BadRequest("not a signed note: no blank line before the signature lines")
    signatures = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith(DASH):
            raise BadRequest(f"not a signature line: {line[:80]!r}")
        name, _, b64 = line[len(DASH):].rpartition(" ")
        try:
            signatures.append((name, base64.b64decode(b64, validate=True)))
        except ValueError:
            raise BadRequest(f"signature of {name!r} is not base64") from None
    return Note(text + "\n", signatures)


def verify(note: str, verifier: Verifier) -> str:
    """The note's text when `verifier`'s signature on it is valid; BadRequest otherwise."""
    parsed = parse(note)
    for name, blob in parsed.signatures:
        if name == verifier.name and blob[:4] == verifier.id:
            try:
                verifier.public.verify(blob[4:], parsed.text.encode())
                return parsed.text
            except InvalidSignature:
                raise BadRequest(f"the signature of {name} on this note is forged or the text was "
                                 "changed") from None
    raise BadRequest(f"the note carries no signature of {verifier.name}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        try:
            origin, size, root = lines[0], lines[1], base64.b64decode(lines[2], validate=True)
            if not origin or not size.isdigit() or (size != "0" and size.startswith("0")) or len(root) != 32:
                raise ValueError
        except (IndexError, ValueError):
            raise BadRequest("not a checkpoint: expected origin, tree size and base64 root hash lines") from None
        return cls(origin, int(size), root)


def split_notes(text: str) -> list[str]:
    """The signed notes of a file where a party kept them one after another (blank lines between)."""
    notes, current, in_signatures = [], [], False
    for line in text.splitlines():
        if line.startswith(DASH):
            current.append(line)
            in_signatures = True
        elif not line.strip():
            if not in_signatures and current:
                current.append("")
        else:
            if in_signatures:
                notes.append("\n".join(current) + "\n")
                current, in_signatures = [], False
            current.append(line)
    if current and in_signatures:
        notes.append("\n".join(current) + "\n")
    elif current:
        raise BadRequest("the last note of the file has no signature line")
    return notes
