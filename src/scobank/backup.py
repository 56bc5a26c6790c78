"""Backups: `scobank backup DIR` and `scobank restore DIR`.

A backup is a folder holding
- `bank.db`: a consistent copy of the metadata database (SQLite's online backup API, so a server may
  keep writing meanwhile: the copy is one committed state of the whole database, ledger included);
- `manifest.json`: the lake manifest, every version's content hash, size and file, and when it was made;
- `lake/`: those Parquet files (immutable, addressed by their hash; checked against it on restore);
- `keys/` and `secret.key`: the parties' and the ledger's signing keys (0600), without which the
  restored bank could not verify its own checkpoints nor sign new versions.

`restore` refuses a home that already has a database, checks every lake file's hash, and copies
everything in; then `scobank ledger verify` proves the restored ledger intact. PostgreSQL metadata
stores are backed up with pg_dump (this command says so rather than half-copying them).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from scobank.config import get_settings
from scobank.db import utcnow
from scobank.errors import BadRequest, Conflict
from scobank.lake.store import path_for, sha256_of


def _sqlite_path() -> Path:
    url = get_settings().resolved_database_url
    if not url.startswith("sqlite:///"):
        raise BadRequest("this metadata store is PostgreSQL: back it up with pg_dump (and the lake folder); "
                         "scobank backup copies SQLite stores")
    return Path(url.split("///", 1)[1])


def _private_copy(source: Path, target: Path) -> None:
    if source.is_dir():
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        for item in source.iterdir():
            _private_copy(item, target / item.name)
    elif source.exists():
        shutil.copy2(source, target)
        target.chmod(0o600)


def _content_hashes(database: Path) -> set[str]:
    """The lake objects a database copy refers to (the whole file is the unit here, not an area)."""
    db = sqlite3.connect(database)
    try:
        return {row[0] for row in db.execute("SELECT content_hash FROM dataset_versions")}
    finally:
        db.close()


def backup(target: Path) -> dict:
    """Write a backup of this bank into the empty or new folder `target`; returns its manifest."""
    if target.exists() and any(target.iterdir()):
        raise Conflict(f"{target} is not empty: back up into a new folder")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(target / "bank.db")
    try:
        source.backup(copy)  # one consistent state, while others may write
    finally:
        copy.close()
        source.close()
    files = []
    for content_hash in sorted(_content_hashes(target / "bank.db")):
        path = path_for(content_hash)
        (target / "lake" / content_hash[:2]).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / "lake" / content_hash[:2] / path.name)
        files.append({"content_hash": content_hash, "bytes": path.stat().st_size,
                      "file": f"lake/{content_hash[:2]}/{path.name}"})
    home = get_settings().home
    _private_copy(home / "keys", target / "keys")
    _private_copy(home / "secret.key", target / "secret.key")
    manifest = {"made_at": utcnow().isoformat() + "Z", "database": "bank.db", "lake": files}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def restore(source: Path) -> dict:
    """Restore the backup in `source` into this (fresh) SCOBANK_HOME; returns its manifest."""
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BadRequest(f"{source}: no readable manifest.json; is this a scobank backup?") from None
    database = _sqlite_path()
    if database.exists() and database.stat().st_size > 0:
        raise Conflict(f"{database} exists: restore into a fresh SCOBANK_HOME")
    for item in manifest["lake"]:
        if sha256_of(source / item["file"]) != item["content_hash"]:
            raise BadRequest(f"{source / item['file']}: its content does not match its hash; the backup is damaged")
    home = get_settings().home
    home.mkdir(parents=True, exist_ok=True)
    for item in manifest["lake"]:
        target = path_for(item["content_hash"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / item["file"], target)
    _private_copy(source / "keys", home / "keys")
    _private_copy(source / "secret.key", home / "secret.key")
    shutil.copy2(source / "bank.db", database)
    if _content_hashes(database) != {item["content_hash"] for item in manifest["lake"]}:
        raise BadRequest(f"{source}: the database and the lake manifest disagree")
    return manifest
