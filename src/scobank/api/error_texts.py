"""The API's error messages in the reader's language (`?lang=`, else Accept-Language; English otherwise).

Services raise errors with English messages (`scobank.errors`). Here each known message pattern is a msgid
of the portal's Babel catalogs (`scobank.catalogs`) with named placeholders, e.g. "no dataset %(slug)s":
an error whose message (or a problem's message) has that form is answered with the catalog's
translation, the placeholders filled with the values the English message held (names of datasets,
parameters and routes stay as they are). A message of no known form, or one whose translation is
missing, is answered in English with the visible marker "[en] " in front: never silently English.
The shape stays `{ok, code, message, problems}`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from scobank.catalogs import DEFAULT_LANGUAGE, translations

FALLBACK_MARK = "[en] "


def N_(message: str) -> str:  # noqa: N802 - the extractor's keyword: "translate this where it is shown"
    return message


# The messages an API caller meets most, as services and the API's own checks write them.
PATTERNS = (
    N_("no dataset %(slug)s"),
    N_("no such address: %(method)s %(path)s"),
    N_("%(path)s does not take %(method)s"),
    N_("invalid request parameters: %(names)s"),
    N_("unknown query parameter: %(names)s"),
    N_("unknown query parameters: %(names)s"),
    N_("%(name)s: this route takes no such parameter"),
    N_("%(name)s: Field required"),
    N_("%(name)s: Input should be a valid integer, unable to parse string as an integer"),
    N_("%(name)s: Input should be greater than or equal to %(limit)s"),
    N_("%(name)s: Input should be less than or equal to %(limit)s"),
    N_("%(name)s: Input should be a valid boolean, unable to interpret input"),
    N_("%(name)s: Input should be a valid date or datetime, input is too short"),
    N_("this token's scope does not allow %(action)s"),
    N_("this token's scope does not allow %(action)s; create one with --scope %(scope)s"),
    N_("a %(role)s may read %(slug)s but not change it"),
    N_("only the owners of %(slug)s may change it"),
    N_("only the party's steward may change the policy of %(slug)s or decide requests for it"),
    N_("the owner allows queries of %(slug)s but not bulk export"),
    N_("%(slug)s is available as aggregates only (at least %(k)s per cell); bulk export is not allowed"),
    N_("%(slug)s is under embargo until %(day)s"),
    N_("log in to request access"),
    N_("log in to see your notices"),
    N_("log in to see who used your data"),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str]]:
    out = []
    for msgid in PATTERNS:
        pieces = _PLACEHOLDER.split(msgid)  # literal, name, literal, name, ..., literal
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(pieces))
        out.append((re.compile(regex, re.DOTALL), msgid))
    return out


def translated(message: str, lang: str) -> str:
    """`message` in `lang`: the catalog's translation of its pattern, else the English with the marker."""
    if lang == DEFAULT_LANGUAGE or not message:
        return message
    catalog = translations(lang)
    for regex, msgid in _compiled():
        found = regex.fullmatch(message)
        if found is None:
            continue
        text = catalog.gettext(msgid)
        if text != msgid:
            return text % found.groupdict()
    return FALLBACK_MARK + message


def in_language(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """The error body `{ok, code, message, problems}` with its message and each problem's in `lang`."""
    if lang == DEFAULT_LANGUAGE:
        return body
    problems = [{**p, "message": translated(p.get("message") or "", lang)} for p in body.get("problems", [])]
    return {**body, "message": translated(body.get("message") or "", lang), "problems": problems}
