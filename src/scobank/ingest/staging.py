"""The staging folder: files being written carry a temporary suffix and their writer's process id, and
become staged files only by an atomic rename at the very end. Anything left by a process that is gone
(kill -9, power cut) is stale and removed by the next `stage_file`; it never counts as data."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

TEMP_SUFFIX = ".partial"


def temp_path(staging: Path, stem: str) -> Path:
    """A new temporary name in `staging` owned by this process: .<pid>-<uuid>-<stem>.partial"""
    return staging / f".{os.getpid()}-{uuid.uuid4().hex}-{stem}{TEMP_SUFFIX}"


def final_path(staging: Path) -> Path:
    return staging / f"{uuid.uuid4().hex}.parquet"


def _owner_alive(path: Path) -> bool:
    try:
        pid = int(path.name[1:].split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(staging: Path) -> list[Path]:
    """Remove temporary files and folders whose writing process no longer runs; return what went."""
    removed = []
    for path in staging.glob(f".*{TEMP_SUFFIX}"):
        if _owner_alive(path):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed
