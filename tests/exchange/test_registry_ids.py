"""Registry identifiers: each valid example gets its check digit computed here, in the test, from the
published algorithm (written independently of the module), on a real-format head; changing one
character of it must then be refused."""

from __future__ import annotations

import pytest

from scobank.errors import BadRequest
from scobank.exchange.registry_ids import check

B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _mod11(digits: str, weights: list[int]) -> int:
    total = 0
    for digit, weight in zip(digits, weights, strict=False):
        total += int(digit) * weight
    return total % 11


def inn(head: str) -> str:
    """FNS order: n10 = (sum(w_i d_i) mod 11) mod 10; for 12 digits n11 then n12 with longer weights."""
    if len(head) == 9:
        return head + str(_mod11(head, [2, 4, 10, 3, 5, 9, 4, 6, 8]) % 10)
    n11 = str(_mod11(head, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 10)
    return head + n11 + str(_mod11(head + n11, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 10)


def ogrn(head: str) -> str:
    return head + str(int(head) % (11 if len(head) == 12 else 13))[-1]


def kz_bin(head: str) -> str:
    c = _mod11(head, list(range(1, 12)))
    if c == 10:
        c = _mod11(head, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2])
    assert c != 10, "pick another head: this one has no check digit"
    return head + str(c)


def uscc(head: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]  # GB 32100-2015: W_i = 3^(i) mod 31
    return head + USCC[-sum(USCC.index(ch) * w for ch, w in zip(head, weights, strict=True)) % 31]


def gstin(head: str) -> str:
    total = sum(divmod(B36.index(ch) * (1 + i % 2), 36)[0] + divmod(B36.index(ch) * (1 + i % 2), 36)[1]
                for i, ch in enumerate(head))
    return head + B36[-total % 36]


def unp(head: str) -> str:
    c = _mod11(head, [29, 23, 19, 17, 13, 7, 5, 3])
    assert c != 10, "pick another head"
    return head + str(c)


VALID = [  # (party, kind, value) with heads in the real formats
    ("RUS", "inn", inn("770708389")),  # Moscow tax office 77, legal entity
    ("RUS", "inn", inn("5003012345")),  # individual entrepreneur, Moscow oblast
    ("RUS", "ogrn", ogrn("102770013219")),  # 1 = OGRN, 02 = year, 77 = Moscow
    ("RUS", "ogrn", ogrn("30450110000000")),  # 3 = OGRNIP
    ("KAZ", "bin", kz_bin("08094000123")),  # 08-09 = year-month, 4 = resident legal entity
    ("CHN", "uscc", uscc("91110000MA01ABCDE")),  # 9 = enterprise, 1 = company, 110000 = Beijing
    ("IND", "gstin", gstin("27AAPFU0939F1Z")),  # 27 = Maharashtra, PAN AAPFU0939F
    ("BLR", "unp", unp("10000153")),
    ("UZB", "stir", "207123456"),
    ("KGZ", "inn", "01512200910017"),
    ("TJK", "inn", "020012345"),
    ("IND", "cin", "U72200MH2009PLC123456"),
    ("PAK", "ntn", "1234567-8"),
    ("IRN", "national_id", "10101234567"),
]


@pytest.mark.parametrize(("party", "kind", "value"), VALID)
def test_a_well_formed_identifier_with_the_right_check_digit_is_accepted(party, kind, value):
    assert check(party, kind, f" {value.lower()} ") == value


CHECKED = [v for v in VALID if v[:2] not in {("UZB", "stir"), ("KGZ", "inn"), ("TJK", "inn"), ("IND", "cin"),
                                              ("PAK", "ntn"), ("IRN", "national_id")}]


@pytest.mark.parametrize(("party", "kind", "value"), CHECKED)
def test_one_wrong_check_character_is_refused(party, kind, value):
    alphabet = USCC if kind == "uscc" else ("0123456789" if value[-1].isdigit() else B36)
    wrong = value[:-1] + alphabet[(alphabet.index(value[-1]) + 1) % len(alphabet)]
    with pytest.raises(BadRequest, match="wrong check digit"):
        check(party, kind, wrong)


def test_wrong_formats_and_unknown_kinds_are_refused_with_the_reason():
    with pytest.raises(BadRequest, match="RUS INN.*wrong format"):
        check("RUS", "inn", "77070838")  # 8 digits
    with pytest.raises(BadRequest, match="wrong format"):
        check("UZB", "stir", "20712345A")
    with pytest.raises(BadRequest, match="wrong format"):
        check("CHN", "uscc", "91110000MA01ABCDEI")  # I is not in the alphabet
    with pytest.raises(BadRequest, match="no registry identifier 'bin' for RUS"):
        check("RUS", "bin", "080940001234")


def test_the_test_algorithms_reproduce_published_identifiers():
    """Sberbank's INN and OGRN (egrul.nalog.ru), the GSTIN of India's GST portal's example and the USCC
    of GB 32100-2015's example: the heads give back the published check characters."""
    published = [inn("770708389"), ogrn("102770013219"), gstin("27AAPFU0939F1Z"), uscc("91350100M000100Y4")]
    assert published == ["7707083893", "1027700132195", "27AAPFU0939F1ZV", "91350100M000100Y43"]
    assert [check("RUS", "inn", published[0]), check("CHN", "uscc", published[3])] == [published[0], published[3]]
