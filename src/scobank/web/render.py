"""Rendering a page: one Jinja2 environment with the i18n extension, filters that format per language,
and `render(request, template, **context)` which every page handler returns.

The language of the page being rendered is held in a context variable, so gettext and the format
filters work the same in templates, included files and imported macros. Each page passes `json_url`,
the API address of the same data (its JSON twin), shown in the footer.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request

from scobank.analytics.reader_labels import period_text, unit_text
from scobank.exchange.messages import COUNTRY_ARGS, WORD_ARGS, read_message
from scobank.web import formats
from scobank.web.country_names import country_label, is_fallback
from scobank.web.i18n import COOKIE, LANGUAGES, pick, request_language, translations

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
PRELOGIN_COOKIE = "scobank_prelogin"

_page_lang: ContextVar[str] = ContextVar("page_lang", default="en")


def current_language() -> str:
    return _page_lang.get()


def _gettext(message: str) -> str:
    return translations(_page_lang.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_page_lang.get()).ngettext(singular, plural, n)


env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_callables(_gettext, _ngettext, newstyle=True)


def _tr(texts) -> Markup:
    """A multilingual text in the page's language; a fallback is shown with its language marked."""
    text, used = pick(texts, _page_lang.get())
    if used is None:
        return Markup.escape(text)
    return Markup('<span lang="{0}">{1}</span> <small class="fallback">[{0}]</small>').format(used, text)


def _country(code) -> Markup:
    """An ISO3 code as the country's name in the page's language (a fallback to English marked [en])."""
    label = country_label(code, _page_lang.get())
    if is_fallback(label):
        return Markup('<span lang="en">{0}</span> <small class="fallback">[en]</small>').format(
            label.split(" ", 1)[1])
    return Markup.escape(label)


def _countries(codes) -> Markup:
    """Several ISO3 codes as names, joined the reader's way ("、" in Chinese)."""
    separator = "、" if _page_lang.get() == "zh" else ", "
    return Markup(separator).join(_country(c) for c in (codes or []))


def _say(template: str, args: dict | None = None) -> str:
    """A text another area made as an English msgid and its arguments (an exchange match note), in the
    page's language; arguments that are countries are shown by name."""
    lang = _page_lang.get()
    words = translations(lang).gettext
    named = {k: country_label(v, lang) if k in COUNTRY_ARGS else words(v) if k in WORD_ARGS else v
             for k, v in (args or {}).items()}
    text = words(template)
    return text % named if named else text


def _message(text: str) -> str:
    """A stored exchange notification in the page's language (its English text when no template made it)."""
    note = read_message(text)
    return _say(note.template, note.args) if note else text


COUNTRY_COLUMNS = ("exporter", "importer", "partner", "country", "member", "supplier", "reporter", "party", "iso3",
                   "iso3_code", "location_code", "partner_code")  # the WDI/Atlas and BACI crude-oil tables


def _country_labels(data: dict, by: str) -> dict:
    """A bar chart's data with its labels named as countries when it is grouped by a country column."""
    if by not in COUNTRY_COLUMNS or "items" not in data:
        return data
    lang = _page_lang.get()
    return {**data, "items": [{**i, "label": country_label(i["label"], lang)} for i in data["items"]]}


def _json(value: Any) -> Markup:
    """Data for a chart, safe inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


env.filters.update(
    number=lambda v, digits=0: formats.number(v, _page_lang.get(), digits=digits),
    compact=lambda v: formats.compact(v, _page_lang.get()),
    usd=lambda v: formats.usd(v, _page_lang.get()),
    percent=lambda v, digits=1: formats.percent(v, _page_lang.get(), digits=digits),
    day=lambda v: formats.day(v, _page_lang.get()),
    moment=lambda v: formats.moment(v, _page_lang.get()),
    cell=lambda v: formats.cell(v, _page_lang.get()),
    tr=_tr,
    country=_country,
    countries=_countries,
    say=_say,
    country_labels=_country_labels,
    message=_message,
    named_series=lambda series: [{**s, "name": country_label(s["name"], _page_lang.get())} for s in series],
    tojson_script=_json,
    period=lambda v: period_text(v, _page_lang.get()),
    unit_text=lambda v: unit_text(v, _page_lang.get()),
)
env.tests["country_column"] = lambda c: c in COUNTRY_COLUMNS


def language_links(request: Request) -> dict[str, str]:
    """The current page in each language (path and query kept, `lang` replaced)."""
    links = {}
    for code in LANGUAGES:
        url = request.url.include_query_params(lang=code)
        links[code] = url.path + "?" + url.query
    return links


def translate(request: Request, message: str) -> str:
    """`message` translated into the request's language (for texts made in Python; the extractor
    knows this function)."""
    return translations(request_language(request)).gettext(message)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` in the request's language; remember a language chosen with `?lang=`."""
    lang = request_language(request)
    token = _page_lang.set(lang)
    try:
        html = env.get_template(template).render(
            request=request, lang=lang, languages=LANGUAGES, language_links=language_links(request),
            reader=getattr(request.state, "reader", None), csrf_token=getattr(request.state, "csrf", ""),
            **context,
        )
    finally:
        _page_lang.reset(token)
    response = HTMLResponse(html, status_code=status)
    new_token = getattr(request.state, "new_prelogin_cookie", None)
    if new_token:
        response.set_cookie(PRELOGIN_COOKIE, new_token, httponly=True, samesite="strict")
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
