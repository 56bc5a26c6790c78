"""The lake: immutable Parquet files addressed by the sha256 of their bytes.

Layout: `$SCOBANK_HOME/lake/<hash[:2]>/<hash>.parquet`. A file gets there by `put`, which moves a
staged file in with an atomic rename after an fsync, so a reader sees either no file or the whole file.
Identical content is stored once. The lake knows files by their hash only; what makes a file data is
that a catalog version refers to its hash. A file no version refers to is an orphan (left by a crash
between `put` and the commit) and never counts: given the hashes the catalog refers to, `orphans` lists
the others and `collect_garbage` removes the ones old enough not to belong to a publish still in flight
(`scobank.catalog.garbage` supplies the hashes).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from scobank.config import get_settings

_HASH_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class LakeObject:
    content_hash: str  # sha256 hex of the Parquet bytes
    path: Path
    byte_size: int


def lake_root() -> Path:
    return get_settings().lake_dir.resolve()


def path_for(content_hash: str) -> Path:
    """Where the object with this hash lives (whether or not it exists). Rejects anything but hex."""
    if len(content_hash) != 64 or any(c not in "0123456789abcdef" for c in content_hash):
        raise ValueError(f"not a sha256 hex digest: {content_hash!r}")
    return lake_root() / content_hash[:2] / f"{content_hash}.parquet"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def put(staged_path: Path) -> LakeObject:
    """Move `staged_path` into the lake under its content hash and return where it is.

    The staged file is consumed (moved, or deleted when the lake already holds the same bytes).
    The move is fsync + rename (a copy into the lake folder first when staging is on another
    filesystem), so the lake never holds a partial object under a final name.
    """
    staged_path = Path(staged_path)
    content_hash = sha256_of(staged_path)
    target = path_for(content_hash)
    size = staged_path.stat().st_size
    if target.exists() and target.stat().st_size == size:
        staged_path.unlink()
        return LakeObject(content_hash, target, size)
    target.parent.mkdir(parents=True, exist_ok=True)
    _fsync_file(staged_path)
    try:
        os.replace(staged_path, target)
    except OSError:  # another filesystem: copy beside the target, then rename
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(staged_path, tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
        staged_path.unlink()
    _fsync_dir(target.parent)
    return LakeObject(content_hash, target, size)


def _fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lake_files() -> Iterator[Path]:
    root = lake_root()
    if root.is_dir():
        yield from root.glob("??/*.parquet")


def orphans(referenced: Collection[str]) -> list[Path]:
    """Lake files whose hash is not in `referenced` (the hashes data refers to): not data, never served."""
    referenced = set(referenced)
    return sorted(p for p in _lake_files() if p.stem not in referenced)


def collect_garbage(referenced: Collection[str], *, min_age_seconds: float = 3600.0,
                    dry_run: bool = False) -> list[Path]:
    """Delete the orphans (files whose hash is not in `referenced`) older than `min_age_seconds`
    (younger ones may belong to a publish in flight).

    Returns the paths removed (or, with dry_run, that would be removed)."""
    cutoff = time.time() - min_age_seconds
    old = [p for p in orphans(referenced) if p.stat().st_mtime <= cutoff]
    if not dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return old
