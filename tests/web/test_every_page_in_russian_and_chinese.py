"""Every page of the portal's route table, read in Russian and in Chinese over demo-like data (the real
default datasets the member pages read, the demo's generated enterprises and listings): no product,
industry or country is named in English unless marked as a fallback ("[en]"), no country is a bare ISO
code, no table header is a raw column name. A route added without a sample address here fails the test."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.web.forms import log_in

DATASETS = ("sitc2-exports-1998-2000", "baci-hs17-2020-afg-zaf", "oecd-icio-2022-intermediate-flows",
            # the profile's ECI series and mirror data, the product pages' trade, the forecast page
            "growth-lab-eci-2012-2024", "india-eidb-exports-to-sco-fy2017-2024", "baci-crude-oil-2021",
            "wdi-macro-1960-2024", "oecd-icio-2022-sector-totals")
LATIN_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")  # a word with a lower-case Latin letter
PRODUCT_LABEL = re.compile(r"^([0-9]{2,6}|[A-Z][0-9A-Z_]{0,8}) — (.+)$")
ALLOWED_LATIN = {"mm", "cm", "kg", "kW", "kVA", "MPa", "cSt", "pH", "dtex", "Ni", "Co", "Cr", "Mo", "Mn", "Fe",
                 "Nb", "Ta", "Si", "Ti", "Zr", "Pb", "Zn", "Sn", "Cu", "Al", "Mg", "Cd", "Ge", "Bi", "Sb",
                 "Hg", "Se", "In", "Te", "Li", "Na", "Be", "Ca", "Sr", "Ba", "Ra", "Th", "Pu", "Tl", "Hf",
                 "Ga", "Re", "Rh", "Pd", "Ag", "Au", "Pt", "Ir", "Os", "Ru", "km", "sq", "dB", "Hz", "kHz",
                 "MHz", "GHz", "ml", "mg", "mW", "Musa", "textilis", "Nee", "Piper", "Capsicum", "Pimenta"}


def _pages(listing: int) -> dict[str, list[str]]:
    """Sample addresses for each GET page of the route table."""
    return {
        "/": ["/"], "/account": ["/account"], "/data-use": ["/data-use"], "/data-use/ask": ["/data-use/ask"],
        "/datasets": ["/datasets"],
        "/datasets/{slug}": [f"/datasets/{d}" for d in DATASETS],
        "/datasets/{slug}/diff": [f"/datasets/{DATASETS[0]}/diff?from=1&to=1"],
        "/datasets/{slug}/request-access": [f"/datasets/{DATASETS[2]}/request-access"],
        "/exchange": ["/exchange"], "/exchange/enterprises/new": ["/exchange/enterprises/new"],
        "/exchange/interests/{interest_id}/contacts": ["/exchange/interests/999999/contacts"],
        "/exchange/interests/{interest_id}/thread": ["/exchange/interests/999999/thread"],
        "/exchange/interests/{interest_id}/messages/{message_id}/attachment": [
            "/exchange/interests/999999/messages/1/attachment"],
        "/exchange/unsubscribe": ["/exchange/unsubscribe?token=x"],
        "/data-use/unsubscribe": ["/data-use/unsubscribe?token=x"],
        "/exchange/listings/new": ["/exchange/listings/new"],
        "/exchange/listings/{listing_id}": [f"/exchange/listings/{listing}"],
        "/exchange/mine": ["/exchange/mine"], "/exchange/mail": ["/exchange/mail"], "/login": ["/login"], "/members": ["/members"],
        "/members/{iso3}": ["/members/KAZ", "/members/KGZ"],
        "/members/{iso3}/product-space": ["/members/KAZ/product-space"],
        "/members/{iso3}/profile": ["/members/KAZ/profile", f"/members/KAZ/profile?flows={DATASETS[1]}",
                                    "/members/UZB/profile"],
        "/members/{iso3}/forecast": ["/members/KAZ/forecast"],
        "/opportunities/joint": ["/opportunities/joint?member=KAZ"],
        "/opportunities/substitution": ["/opportunities/substitution?member=KAZ",
                                        f"/opportunities/substitution?member=KAZ&dataset={DATASETS[1]}&level=6"],
        "/products/{classification}/{code}": ["/products/HS22/7208", "/products/SITC2/3330", "/products/HS22/270900",
                                              "/products/HS22/100630", "/products/SITC2/9710?country_set=all"],
        "/publish": ["/publish"], "/search": ["/search?q=сталь", "/search?q=钢铁"], "/sql": ["/sql"],
    }


def page_routes() -> list[str]:
    from scobank.api.app import create_app

    paths = set()
    for route in create_app().routes:
        for ctx in (route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]):
            path, methods = getattr(ctx, "path", ""), getattr(ctx, "methods", None) or set()
            # Atom feeds are not pages (tests/exchange tests their languages)
            if "GET" in methods and not path.startswith(("/api", "/docs", "/static")) and not path.endswith(".atom"):
                paths.add(path)
    return sorted(paths)


class Texts(HTMLParser):
    """Visible text nodes with their enclosing tags, chart data strings, and table headers."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.english: list[bool] = []
        self.nodes: list[tuple[str, tuple[str, ...]]] = []
        self.chart: list[str] = []
        self._json = False

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "input", "meta", "link", "img", "hr"):
            return
        self.stack.append(tag)
        # text marked as English (a dataset's own English title) or as the publisher's words (translate="no")
        self.english.append(("lang", "en") in attrs or ("translate", "no") in attrs)
        self._json = tag == "script" and ("class", "chart-data") in attrs

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            self.english.pop()
        if self.english:
            self.english.pop()
        self._json = False

    def handle_data(self, data):
        if self._json:
            self.chart.extend(_strings(json.loads(data)))
        elif data.strip() and not {"script", "style", "title"} & set(self.stack):
            self.nodes.append((data.strip(), tuple(self.stack) + (("lang=en",) if any(self.english) else ())))


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (_strings(v) if k in ("label", "name") or not
                                                      isinstance(v, str) else [])]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


# A data period or unit label left in English ("1998-2000 average", "FY2024-25", "relative weight", "US$
# thousand", "mirror data"): periods and units come from the catalogs (`analytics.reader_labels`).
ENGLISH_PERIOD_OR_UNIT = re.compile(
    r"\b\d{4}-\d{4} average\b|\bFY\d{4}-\d{2}\b|\brelative weights?\b|\b(?:US ?\$|USD) ?(?:thousand|million|billion)\b"
    r"|\b(?:thousand |million |billion )?US dollars\b|\bmirror data\b|\baverage of\b", re.IGNORECASE)
NATIVE_SCRIPT = re.compile(r"[\u0400-\u04ff\u4e00-\u9fff]")
BRACKETED = re.compile(r"\([^()]*\)")


def english_words(text: str) -> list[str]:
    """Latin words a reader of a Russian or Chinese name should not meet. In a name written in Cyrillic
    or Chinese, a bracketed Latin term is the nomenclature's own (a species, a formula: "(Beta vulgaris
    var. conditiva)", "(Al2O3)"), as the official texts print it."""
    if NATIVE_SCRIPT.search(BRACKETED.sub("", text)):
        text = BRACKETED.sub("", text)
    return [w for w in LATIN_WORD.findall(text) if w not in ALLOWED_LATIN and len(w) > 1]


def problems_of(html: str, codes: set[str], english_names: set[str]) -> list[str]:
    """What a Russian or Chinese reader should not see on this page."""
    page = Texts()
    page.feed(html)
    found = []
    # beside a name (<small>) or as an identifier (<code>) a code is what it should be
    nodes = [(t, s) for t, s in page.nodes if not {"small", "code"} & set(s[-1:])] + [(t, ("chart",)) for t in page.chart]
    for text, stack in nodes:
        label = PRODUCT_LABEL.match(text)
        if label and english_words(label.group(2)) and not label.group(2).startswith("[en] "):
            found.append(f"product named in English without [en]: {text!r}")
        if text in codes and "th" not in stack:  # a header "COG" is the opportunity gain, not Congo
            found.append(f"bare country code {text!r} in <{'/'.join(stack)}>")
        elif {"h1", "h2", "figcaption", "caption"} & set(stack) and set(re.findall(r"\b[A-Z]{3}\b", text)) & codes:
            found.append(f"country code in a heading: {text!r}")
        if text in english_names and "fallback" not in html.split(text, 1)[1][:80]:
            found.append(f"country named in English without [en]: {text!r}")
        for english in ENGLISH_PERIOD_OR_UNIT.finditer(text if "lang=en" not in stack else ""):
            if not text[:english.start()].rstrip().endswith("[en]"):
                found.append(f"period or unit in English without [en]: {english.group(0)!r} in {text!r}")
        if "th" in stack and re.fullmatch(r"[a-z]+(_[a-z]+)+", text):
            found.append(f"raw column name as a table header: {text!r}")
    return found


@pytest.fixture
def demo_bank(bank, data_dir):
    """Beside the datasets the member pages read by default (the marker: open to everyone), the demo's
    generated enterprises and listings and an administrator who is logged in."""
    from scobank.access.users import create_user
    from scobank.exchange import demo as exchange_demo

    with bank.session() as session:
        exchange_demo.populate(session, data_dir=data_dir)
        create_user(session, email="admin@bank.example", organisation=None, role="admin", password="admin pass 1",
                    platform_admin=True)
        session.commit()


def _reference(bank) -> tuple[set[str], dict[str, set[str]], int]:
    from sqlalchemy import select

    from scobank.exchange.models import Listing
    from scobank.reference.models import Country

    with bank.session() as session:
        rows = session.execute(select(Country.iso3, Country.names)).all()
        listing = session.scalar(select(Listing.id).order_by(Listing.id).limit(1))
    codes = {iso3 for iso3, names in rows if names.get("ru") and names.get("zh")}
    english = {lang: {n["en"] for _, n in rows if n.get("en") and n.get(lang) and n["en"] != n[lang]}
               for lang in ("ru", "zh")}
    return codes, english, listing


@pytest.mark.open_demo(*DATASETS)
def test_every_page_names_products_and_countries_in_russian_and_chinese(client, bank, demo_bank):
    codes, english, listing = _reference(bank)
    samples = _pages(listing)
    assert sorted(samples) == page_routes(), "a page of the route table has no sample address in this test"
    log_in(client, "admin@bank.example", "admin pass 1")
    problems, walked = [], 0
    for lang in ("ru", "zh"):
        for urls in samples.values():
            for url in urls:
                answer = client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
                assert answer.status_code in (200, 400, 403, 404), f"{url}: HTTP {answer.status_code}"  # errors: pages too
                assert f'<html lang="{lang}">' in answer.text, url
                problems += [f"{lang} {url}: {p}" for p in problems_of(answer.text, codes, english[lang])]
                walked += 1
    assert walked >= 2 * 25
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_walk_finds_what_a_reader_should_not_see():
    """The checks themselves: an English product name, a bare code, a raw header are each caught."""
    html = ('<html><body><h1>Профиль: KAZ</h1><table><tr><th>trade_complementarity</th></tr>'
            '<tr><td>3330 — Crude petroleum</td><td>KAZ</td><td>Kazakhstan</td>'
            '<td>2709 — [en] Petroleum oils</td><td>7208 — 热轧钢，宽≥600mm [归纳]</td></tr></table>'
            '<p>Экспорт, 1998-2000 average (relative weights (not money))</p><p>[en] FY2024-25</p><p>2024-25财年</p>'
            '<dl><dd lang="en"><strong>Exports, 1998-2000 average</strong></dd><dd translate="no">FY2021-22</dd></dl>'
            '<script type="application/json" class="chart-data">{"items": [{"label": "C20 — Chemicals"}]}'
            '</script></body></html>')
    assert problems_of(html, {"KAZ"}, {"Kazakhstan"}) == [
        "country code in a heading: 'Профиль: KAZ'",
        "raw column name as a table header: 'trade_complementarity'",
        "product named in English without [en]: '3330 — Crude petroleum'",
        "bare country code 'KAZ' in <html/body/table/tr/td>",
        "country named in English without [en]: 'Kazakhstan'",
        "period or unit in English without [en]: '1998-2000 average' in "
        "'Экспорт, 1998-2000 average (relative weights (not money))'",
        "period or unit in English without [en]: 'relative weights' in "
        "'Экспорт, 1998-2000 average (relative weights (not money))'",
        "product named in English without [en]: 'C20 — Chemicals'"]
