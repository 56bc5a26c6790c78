"""Atom 1.0 feeds (RFC 4287) of new exchange listings: /exchange/feed.atom?kind=&side=&hs=&party=&
certification=&size_band=&lang= (party may repeat). The criteria are a saved search's (`alerts.Criteria`:
an unknown parameter is refused, 400, naming it); titles and summaries in the reader's language, a
listing title in another language marked with xml:lang and "[en]". Service: `scobank.exchange.feed`."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from scobank.deps import DbSession
from scobank.errors import BadRequest
from scobank.exchange import feed
from scobank.exchange.alerts import Criteria
from scobank.web.country_names import country_label
from scobank.web.i18n import pick, request_language, translations
from scobank.web.visitor import PageReader

router = APIRouter(prefix="/exchange")
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ET.register_namespace("", ATOM)


def N_(message: str) -> str:  # noqa: N802 - marks a msgid for the catalog extractor
    return message


KIND_LABELS = {
    "capacity_offer": N_("Free production capacity"), "product_offer": N_("Product offer"),
    "product_request": N_("Product need"), "technology_offer": N_("Technology offer"),
    "technology_request": N_("Technology need"), "project": N_("Joint project"),
    "capacity_request": N_("Production capacity needed"),
}
FEED_TITLE = N_("New listings of the SCO cooperation exchange")
AUTHOR = N_("SCO Data Bank")


def criteria_of(request: Request) -> Criteria:
    """The feed's criteria from the query string (`lang` aside); BadRequest naming a bad parameter."""
    params = {k: v for k, v in request.query_params.items() if k not in ("lang", "party")}
    parties = request.query_params.getlist("party")
    try:
        return Criteria(**params, parties=[p.strip().upper() for p in parties if p.strip()])
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise BadRequest(f"feed parameters are not valid: {reasons}") from None


def _stamp(moment: datetime | None) -> str:
    moment = moment or datetime.now(UTC)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _entry(root: ET.Element, item, base: str, lang: str, _) -> None:
    entry = _sub(root, "entry")
    url = f"{base}/exchange/listings/{item.id}"
    _sub(entry, "id", url)
    title, used = pick(item.title, lang)
    node = _sub(entry, "title", f"{title} [{used}]" if used else title)
    if used:
        node.set(XML_LANG, used)
    _sub(entry, "updated", _stamp(item.published_at))
    _sub(entry, "published", _stamp(item.published_at))
    _sub(entry, "link", rel="alternate", type="text/html", href=f"{url}?lang={lang}")
    _sub(entry, "category", term=item.kind, label=_(KIND_LABELS.get(item.kind, item.kind)))
    parts = [_(KIND_LABELS.get(item.kind, item.kind)), country_label(item.enterprise.party, lang)]
    if item.hs_code:
        parts.insert(1, f"HS {item.hs_code}")
    _sub(entry, "summary", " · ".join(parts))


def atom_document(items: list, *, self_url: str, alternate: str, base: str, lang: str) -> bytes:
    _ = translations(lang).gettext
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    _sub(root, "id", self_url)
    _sub(root, "title", _(FEED_TITLE))
    _sub(root, "updated", _stamp(max((i.published_at for i in items if i.published_at), default=None)))
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=alternate)
    _sub(_sub(root, "author"), "name", _(AUTHOR))
    _sub(root, "generator", "scobank")
    for item in items:
        _entry(root, item, base, lang, _)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@router.get("/feed.atom", response_class=Response)
def listings_feed(request: Request, session: DbSession, reader: PageReader) -> Response:
    """The newest listings satisfying the query's criteria, as an Atom feed."""
    criteria = criteria_of(request)
    lang = request_language(request)
    items = feed.new_listings(session, reader=reader, criteria=criteria)
    base = str(request.base_url).rstrip("/")
    query = request.url.query
    body = atom_document(items, self_url=str(request.url), base=base, lang=lang,
                         alternate=f"{base}/exchange" + (f"?{query}" if query else ""))
    return Response(body, media_type="application/atom+xml; charset=utf-8")
