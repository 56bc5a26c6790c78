"""Password hashing with argon2id. Production uses argon2-cffi's defaults; settings.password_hashing
== "fast" selects cheap parameters for tests only (DEPENDENCIES.md, caveat 7)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from scobank.config import get_settings
from scobank.errors import BadRequest

MIN_LENGTH = 8


@lru_cache(maxsize=2)
def _hasher(mode: str) -> PasswordHasher:
    if mode == "fast":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hasher() -> PasswordHasher:
    return _hasher(get_settings().password_hashing)


def hash_password(password: str) -> str:
    """The argon2id hash of `password`; raises BadRequest when it is shorter than MIN_LENGTH."""
    if len(password) < MIN_LENGTH:
        raise BadRequest(f"a password needs at least {MIN_LENGTH} characters")
    return hasher().hash(password)


# Checked against when the account does not exist, so both cases take the same time.
_DUMMY: dict[str, str] = {}


def check_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches `stored_hash`. Takes as long for a missing hash as for a wrong one."""
    h = hasher()
    if stored_hash is None:
        mode = get_settings().password_hashing
        if mode not in _DUMMY:
            _DUMMY[mode] = h.hash("not-a-password-of-anyone")
        stored_hash = _DUMMY[mode]
        password = password + "\x00"  # never matches
    try:
        return h.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
