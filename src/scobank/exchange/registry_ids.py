"""Company registry identifiers of the members, checked for format and, where the registry publishes
one, the check digit: Russia INN (10 or 12 digits) and OGRN (13, or 15 for an OGRNIP), Kazakhstan BIN
(12), China USCC (18 characters), India GSTIN (15), Belarus UNP (9). Others are checked for format
only: Uzbekistan STIR (9 digits), Kyrgyzstan INN (14), Tajikistan INN (9), India CIN (21), Pakistan NTN
(7 digits, optional check digit), Iran national id of a legal entity (11).

`check(party, kind, value)` returns the compact value or raises BadRequest saying what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable

from scobank.errors import BadRequest

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
BIN_WEIGHTS = ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))
UNP_WEIGHTS = (29, 23, 19, 17, 13, 7, 5, 3)


def _weighted(digits: str, weights: tuple[int, ...], modulus: int = 11) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % modulus


def inn_check_digits(first: str) -> str:
    """The check digit(s) of a Russian INN from its first 9 (legal entity) or 10 (individual) digits."""
    if len(first) == 9:
        return str(_weighted(first, INN10_WEIGHTS) % 10)
    d11 = str(_weighted(first, INN11_WEIGHTS) % 10)
    return d11 + str(_weighted(first + d11, INN12_WEIGHTS) % 10)


def ogrn_check_digit(first: str) -> str:
    """OGRN: the first 12 digits mod 11; OGRNIP: the first 14 digits mod 13; then the last digit."""
    return str(int(first) % (11 if len(first) == 12 else 13) % 10)


def bin_check_digit(first: str) -> str | None:
    """Kazakhstan BIN/IIN: weights 1..11, and when that gives 10 the second set; None when both give 10."""
    for weights in BIN_WEIGHTS:
        if (c := _weighted(first, weights)) != 10:
            return str(c)
    return None


def uscc_check_character(first: str) -> str:
    """China's unified social credit code: weighted sum mod 31 over its 31-character alphabet."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def gstin_check_character(first: str) -> str:
    """India GSTIN: Luhn mod 36 over the first 14 characters."""
    total = 0
    for i, ch in enumerate(first):
        product = BASE36.index(ch) * (2 if i % 2 else 1)
        total += product // 36 + product % 36
    return BASE36[(36 - total % 36) % 36]


def unp_check_digit(first: str) -> str | None:
    """Belarus UNP (digits form): weights 29, 23, ..., 3 mod 11; None when that gives 10."""
    c = _weighted(first, UNP_WEIGHTS)
    return None if c > 9 else str(c)


def _with_check(pattern: str, split: int, compute: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """A checker: the value matches `pattern` and its tail after `split` characters is computed from
    its head. Returns None when valid, else the reason."""
    def checker(value: str) -> str | None:
        if not re.fullmatch(pattern, value):
            return "has the wrong format"
        expected = compute(value[:split])
        if expected is None or value[split:] != expected:
            return "has a wrong check digit"
        return None
    return checker


def _format(pattern: str) -> Callable[[str], str | None]:
    return lambda value: None if re.fullmatch(pattern, value) else "has the wrong format"


def _inn(value: str) -> str | None:
    if len(value) == 10:
        return _with_check(r"\d{10}", 9, inn_check_digits)(value)
    return _with_check(r"\d{12}", 10, inn_check_digits)(value)


def _ogrn(value: str) -> str | None:
    return _with_check(r"\d{13}|\d{15}", len(value) - 1, ogrn_check_digit)(value)


KINDS: dict[tuple[str, str], tuple[str, Callable[[str], str | None], bool]] = {
    # (party, kind): (what it is, checker, has a check digit)
    ("RUS", "inn"): ("INN, 10 digits (12 for an individual entrepreneur)", _inn, True),
    ("RUS", "ogrn"): ("OGRN, 13 digits (15 for an OGRNIP)", _ogrn, True),
    ("KAZ", "bin"): ("BIN, 12 digits", _with_check(r"\d{12}", 11, bin_check_digit), True),
    ("CHN", "uscc"): ("unified social credit code, 18 characters",
                      _with_check(rf"[{USCC_ALPHABET}]{{18}}", 17, uscc_check_character), True),
    ("IND", "gstin"): ("GSTIN, 15 characters",
                       _with_check(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]", 14, gstin_check_character), True),
    ("IND", "cin"): ("CIN, 21 characters", _format(r"[LU]\d{5}[A-Z]{2}\d{4}[A-Z]{3}\d{6}"), False),
    ("BLR", "unp"): ("UNP, 9 digits", _with_check(r"\d{9}", 8, unp_check_digit), True),
    ("UZB", "stir"): ("STIR (INN), 9 digits", _format(r"\d{9}"), False),
    ("KGZ", "inn"): ("INN, 14 digits", _format(r"\d{14}"), False),
    ("TJK", "inn"): ("INN, 9 digits", _format(r"\d{9}"), False),
    ("PAK", "ntn"): ("NTN, 7 digits and an optional check digit", _format(r"\d{7}(-?\d)?"), False),
    ("IRN", "national_id"): ("national id of a legal entity, 11 digits", _format(r"\d{11}"), False),
}


def compact(value: str) -> str:
    """Without spaces, dashes between groups (kept for NTN), dots and slashes; upper case."""
    return re.sub(r"[\s./]", "", value).upper()


def check(party: str, kind: str, value: str) -> str:
    """The compact identifier when it is well formed for `party` and `kind`; BadRequest otherwise."""
    key = (party.upper(), kind.lower())
    if key not in KINDS:
        known = ", ".join(f"{p} {k}" for p, k in KINDS)
        raise BadRequest(f"no registry identifier {kind!r} for {party}; known: {known}")
    label, checker, _ = KINDS[key]
    number = compact(value)
    if key != ("PAK", "ntn"):
        number = number.replace("-", "")
    reason = checker(number)
    if reason:
        raise BadRequest(f"{party} {label}: {value!r} {reason}")
    return number
