"""Receiving an uploaded file into the staging folder, within the configured size limit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from scobank.config import get_settings
from scobank.errors import TooLarge

_CHUNK = 1 << 20


def safe_name(filename: str | None) -> str:
    """The last path component of a client's file name (no folders, no traversal), or 'upload'."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return name[:200] or "upload"


@contextmanager
def spooled_upload(fileobj: BinaryIO, *, filename: str | None) -> Iterator[Path]:
    """Copy `fileobj` to a private file in the staging folder (keeping the name's suffix, which the
    readers use) and yield its path; the file is removed afterwards whatever happens.

    Raises TooLarge as soon as more than SCOBANK_MAX_UPLOAD_BYTES have arrived."""
    settings = get_settings()
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    folder = settings.staging_dir / f"upload-{uuid.uuid4().hex}"
    folder.mkdir()
    path = folder / safe_name(filename)
    try:
        size = 0
        with path.open("wb") as out:
            while chunk := fileobj.read(_CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise TooLarge(f"{path.name}: larger than the upload limit of {settings.max_upload_bytes:,} bytes")
                out.write(chunk)
        yield path
    finally:
        for leftover in folder.glob("*"):
            leftover.unlink(missing_ok=True)
        folder.rmdir()
