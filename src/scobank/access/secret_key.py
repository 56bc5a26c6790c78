"""The installation's secret key (signs session cookies and CSRF tokens, encrypts party keys).

SCOBANK_SECRET_KEY when set; otherwise a random key made once in $SCOBANK_HOME/secret.key (0600).
Never logged or printed.
"""

from __future__ import annotations

import os
import secrets as _random  # the standard library
from pathlib import Path

from scobank.config import get_settings


def _write_private(path: Path, data: bytes) -> None:
    """Create `path` readable by its owner only; never widen an existing file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def secret_key() -> bytes:
    """The key bytes; created on first use when neither the setting nor the file exists."""
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.home / "secret.key"
    if not path.exists():
        try:
            _write_private(path, _random.token_hex(32).encode())
        except FileExistsError:
            pass  # another process made it first
    return path.read_bytes().strip()


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file with mode 0600 (raises FileExistsError rather than overwrite)."""
    _write_private(path, data)
