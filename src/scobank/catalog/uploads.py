"""The one upload spooler: a client's file received into `$SCOBANK_HOME/staging/uploads`, within the
configured size limit, for the API (one request) and the publish wizard (a file that waits between
its steps under an unguessable token).

    .<pid>-<uuid>-upload.partial/NAME   being received, or spooled for one API request
    <token>/NAME                        waiting for the wizard's next step

A folder in the first form belongs to its process: when that process is gone (a crash, kill -9) the
folder is abandoned and the next start-up (`scobank serve`, `init`, `demo`) or `scobank lake gc`
removes it. A waiting upload that nobody finished is removed a day after it arrived (UPLOAD_TTL).
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from scobank.config import get_settings
from scobank.errors import NotFound, TooLarge
from scobank.ingest.staging import clean_stale, temp_path

_CHUNK = 1 << 20
UPLOAD_TTL = 24 * 3600  # seconds a waiting upload is kept


def uploads_dir() -> Path:
    path = get_settings().staging_dir / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_name(filename: str | None) -> str:
    """The last path component of a client's file name (no folders, no traversal), or 'upload'."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return name[:200] or "upload"


def _receive(fileobj: BinaryIO, filename: str | None) -> Path:
    """Copy `fileobj` into a new folder of this process; its path. TooLarge (and nothing left) as
    soon as more than SCOBANK_MAX_UPLOAD_BYTES have arrived."""
    limit = get_settings().max_upload_bytes
    folder = temp_path(uploads_dir(), "upload")
    folder.mkdir()
    path = folder / safe_name(filename)
    try:
        size = 0
        with path.open("wb") as out:
            while chunk := fileobj.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"{path.name}: larger than the upload limit of {limit:,} bytes "
                                   "(SCOBANK_MAX_UPLOAD_BYTES)")
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


@contextmanager
def spooled_upload(fileobj: BinaryIO, *, filename: str | None) -> Iterator[Path]:
    """The uploaded file for the length of one request (keeping the name's suffix, which the readers
    use); removed afterwards whatever happens."""
    path = _receive(fileobj, filename)
    try:
        yield path
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def keep_upload(fileobj: BinaryIO, *, filename: str | None) -> str:
    """Receive a file that waits for later steps (the wizard); its token."""
    path = _receive(fileobj, filename)
    token = secrets.token_urlsafe(18)
    path.parent.rename(uploads_dir() / token)
    return token


def upload_path(token: str) -> Path:
    """The file waiting under `token` (NotFound when the token is unknown, malformed or expired)."""
    folder = uploads_dir() / token
    if not token.replace("-", "").replace("_", "").isalnum() or not folder.is_dir():
        raise NotFound("this upload is no longer waiting; upload the file again")
    files = [p for p in folder.iterdir() if p.is_file()]
    if len(files) != 1:
        raise NotFound("this upload is no longer waiting; upload the file again")
    return files[0]


def discard_upload(token: str) -> None:
    """Remove the file waiting under `token` (nothing when it is already gone)."""
    if token.replace("-", "").replace("_", "").isalnum():
        shutil.rmtree(uploads_dir() / token, ignore_errors=True)


def remove_abandoned(*, max_age: float = UPLOAD_TTL, now: float | None = None) -> list[Path]:
    """Remove uploads whose process is gone and waiting uploads older than `max_age` seconds, and the
    staging folder's leftovers of dead processes; what went."""
    staging = get_settings().staging_dir
    folder_of_uploads = staging / "uploads"
    if not folder_of_uploads.is_dir():
        return clean_stale(staging) if staging.is_dir() else []
    removed = clean_stale(folder_of_uploads) + clean_stale(staging)
    now = time.time() if now is None else now
    for folder in folder_of_uploads.iterdir():
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        if now - folder.stat().st_mtime > max_age:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
