"""Rendering a page: one Jinja2 environment with the i18n extension, filters that format per language,
and `render(request, template, **context)` which every page handler returns.

Each page passes `json_url`, the API address of the same data (its JSON twin), shown in the footer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.ext import _make_new_gettext, _make_new_ngettext
from markupsafe import Markup
from starlette.requests import Request

from scobank.web import formats
from scobank.web.i18n import COOKIE, LANGUAGES, pick, request_language, translations

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

env = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_null_translations(newstyle=True)  # real ones are passed per render (see `render`)


def _lang(ctx) -> str:
    return ctx.get("lang", "en")


@pass_context
def _number(ctx, value, digits: int = 0) -> str:
    return formats.number(value, _lang(ctx), digits=digits)


@pass_context
def _compact(ctx, value) -> str:
    return formats.compact(value, _lang(ctx))


@pass_context
def _usd(ctx, value) -> str:
    return formats.usd(value, _lang(ctx))


@pass_context
def _percent(ctx, value, digits: int = 1) -> str:
    return formats.percent(value, _lang(ctx), digits=digits)


@pass_context
def _day(ctx, value) -> str:
    return formats.day(value, _lang(ctx))


@pass_context
def _moment(ctx, value) -> str:
    return formats.moment(value, _lang(ctx))


@pass_context
def _tr(ctx, texts) -> Markup:
    """A multilingual text in the page's language; a fallback is shown with its language marked."""
    text, used = pick(texts, _lang(ctx))
    if used is None:
        return Markup.escape(text)
    return Markup('<span lang="{0}">{1}</span> <small class="fallback">[{0}]</small>').format(used, text)


def _json(value: Any) -> Markup:
    """Data for a chart, safe inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


env.filters.update(number=_number, compact=_compact, usd=_usd, percent=_percent, day=_day,
                   moment=_moment, tr=_tr, tojson_script=_json)


def language_links(request: Request) -> dict[str, str]:
    """The current page in each language (path and query kept, `lang` replaced)."""
    return {code: str(request.url.include_query_params(lang=code).replace(scheme="", netloc=""))
            .removeprefix("//") for code in LANGUAGES}


@lru_cache(maxsize=len(LANGUAGES))
def _gettext_callables(lang: str) -> dict[str, Any]:
    tr = translations(lang)
    gettext = _make_new_gettext(tr.gettext)
    return {"gettext": gettext, "_": gettext, "ngettext": _make_new_ngettext(tr.ngettext)}


def gettext(request: Request, message: str) -> str:
    """`message` translated into the request's language (for texts made in Python, e.g. redirects)."""
    return translations(request_language(request)).gettext(message)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` in the request's language; remember a language chosen with `?lang=`."""
    lang = request_language(request)
    html = env.get_template(template).render(
        request=request, lang=lang, languages=LANGUAGES, language_links=language_links(request),
        **_gettext_callables(lang),
        reader=getattr(request.state, "reader", None), csrf_token=getattr(request.state, "csrf", ""),
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response
