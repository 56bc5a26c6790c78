"""Which text encoding a file is in, from its first block, with a confidence and the runner-up.

Order of evidence: a byte-order mark (UTF-8, UTF-16); UTF-16 without a mark (NUL bytes on one side);
valid UTF-8; then each legacy encoding the members' offices use is decoded and its text scored by
letter statistics: words of one script in a plausible case pattern score, mojibake does not
(Chinese read as cp1251 gives "ТЁКЕЛ¤" runs; Russian read as GB18030 gives rare hanzi or fails).

cp1251 and KZ-1048 differ in 16 bytes only: where cp1251 reads Serbian letters (Ќ ћ Ј Ѕ) or the
Ukrainian Ґ Є Ї, KZ-1048 reads the Kazakh Қ Һ Ә Ң Ө Ғ Ү Ұ. A sample holding such bytes in Cyrillic
words is KZ-1048 (no member writes Serbian, and Ukrainian is not a working language), except when only
the Belarusian ў (0xA1/0xA2) is found: that stays cp1251.
"""

from __future__ import annotations

import unicodedata

from scobank.errors import BadFile
from scobank.ingest.guess import Guess

LEGACY = ("cp1251", "kz1048", "gb18030", "cp1252", "iso-8859-1")
# Bytes where KZ-1048 has a Kazakh letter and cp1251 something else; 0xA1/0xA2 are also Belarusian ў.
KAZAKH_BYTES = frozenset(b"\x8d\x8e\x9d\x9e\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf")
CYRILLIC_LETTERS = frozenset(
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ӘәҒғҚқҢңӨөҰұҮүҺһІіЎўЄєЇїҐґ"  # Kazakh, Kyrgyz (Ң Ө Ү), Belarusian, Ukrainian
)
PUNCTUATION = frozenset("«»№–—…“”„‘’·°±×÷€‰§©®™\u00a0\u202f\u2009²³¹¼½¾µ")
UTF8_BOM = b"\xef\xbb\xbf"


def detect_encoding(sample: bytes, *, name: str) -> Guess:
    """The encoding of `sample` (see the module docstring). BadFile when a file mixes UTF-8 and
    another encoding (naming the first row that is not UTF-8) or when no encoding reads it."""
    if sample.startswith(UTF8_BOM):
        return Guess("utf-8-sig", 1.0)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Guess("utf-16", 1.0)
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return Guess(utf16, 0.95)
    utf8_lines, first_bad = _utf8_lines(sample)
    if first_bad is None:
        return Guess("utf-8", 1.0)
    if utf8_lines:
        raise BadFile(f"{name}, row {first_bad - 1}: not UTF-8 text, though earlier rows are UTF-8 "
                      "(the file mixes encodings; save it in one encoding, preferably UTF-8)")
    scores, seen = {}, set()
    for encoding in LEGACY:  # an encoding that reads the same text as an earlier one is no runner-up
        text = _decode(sample, encoding)
        if text not in seen:
            seen.add(text)
            scores[encoding] = _score(text)
    if _kazakh(sample) and "kz1048" in scores:
        scores["kz1048"] += 0.01  # a tie with cp1251 on these bytes goes to Kazakh (see the docstring)
    guess = Guess.ranked(scores)
    if guess.confidence < 0.5:
        raise BadFile(f"{name}: the text encoding is not recognised (tried UTF-8, UTF-16, {', '.join(LEGACY)}); "
                      "give it with --encoding")
    return Guess(guess.value, min(guess.confidence, 1.0), guess.runner_up, guess.runner_up_confidence)


def looks_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(sample) is not None


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:4096]
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def _utf8_lines(sample: bytes) -> tuple[int, int | None]:
    """(lines with non-ASCII UTF-8 text, 1-based number of the first line that is not UTF-8)."""
    utf8, first_bad = 0, None
    lines = sample.split(b"\n")
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            if number == len(lines) and exc.start >= len(line) - 3 and exc.reason == "unexpected end of data":
                continue  # the sample ends inside a character
            first_bad = first_bad or number
            continue
        if not line.isascii():
            utf8 += 1
    return utf8, first_bad


def _kazakh(sample: bytes) -> bool:
    return any(byte in KAZAKH_BYTES for byte in sample)


def _decode(sample: bytes, encoding: str) -> str | None:
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            return sample[: len(sample) - cut].decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _score(text: str | None) -> float:
    """Share of the non-ASCII characters that sit in plausible words or are common punctuation."""
    if text is None:
        return 0.0
    good = total = 0
    for word in _words(text):
        weight = sum(1 for ch in word if not ch.isascii())
        if weight:
            total += weight
            good += weight * _word_score(word)
    for ch in text:
        if not ch.isascii() and not ch.isalpha():
            total += 1
            good += ch in PUNCTUATION or _cjk_punctuation(ch)
    return good / total if total else 0.0


def _words(text: str) -> list[str]:
    words, current = [], []
    for ch in text:
        if ch.isalpha():
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _word_score(word: str) -> float:
    if all(_cjk(ch) for ch in word):
        return sum(_hanzi_weight(ch) for ch in word) / len(word)
    letters = [ch for ch in word if not ch.isascii()]
    if all(ch in CYRILLIC_LETTERS for ch in letters) and all(not ch.isascii() for ch in word):
        return 1.0 if _cased(word) else 0.2
    if all(_latin(ch) for ch in word) and _cased(word):
        return 1.0 if len(letters) * 2 <= len(word) or len(word) <= 2 else 0.3
    return 0.0


def _cased(word: str) -> bool:
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _latin(ch: str) -> bool:
    return ch.isascii() or "LATIN" in unicodedata.name(ch, "")


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _cjk_punctuation(ch: str) -> bool:
    return "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _hanzi_weight(ch: str) -> float:
    """1 for the 3,755 common hanzi (GB2312 level 1), 0.5 for level 2, 0.1 for the rest."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0.1
    return 1.0 if 0xB0 <= lead <= 0xD7 else 0.5
