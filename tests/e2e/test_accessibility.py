"""Every page a person can reach: one h1, every form control labelled, every image described, the page's
language declared, nothing wider than a phone screen. Run in Russian and Chinese, logged in as a
steward so the account pages are included."""

from __future__ import annotations

import pytest

from tests.e2e.test_flows import KAZ, log_in

pytestmark = pytest.mark.e2e

PAGES = ["/", "/datasets", "/datasets?q=trade", "/datasets/baci-hs17-2020-afg-zaf", "/members", "/members/KAZ",
         "/exchange", "/exchange/mine", "/exchange/listings/new", "/exchange/enterprises/new", "/publish",
         "/data-use", "/account", "/login"]

UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML.slice(0, 120))"""
NO_ALT = "() => [...document.querySelectorAll('img:not([alt])')].map(el => el.outerHTML.slice(0, 120))"


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_every_page_is_labelled_and_fits_a_phone(visitor_factory, lang):
    desk = visitor_factory()
    phone = visitor_factory(width=390, height=844)
    for visitor in (desk, phone):
        log_in(visitor, KAZ)
    for path in PAGES:
        url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
        desk.go(url)
        page = desk.page
        assert page.locator("html").get_attribute("lang") == lang, path
        assert page.locator("h1").count() == 1, path
        assert page.evaluate(UNLABELLED) == [], path
        assert page.evaluate(NO_ALT) == [], path
        phone.go(url)
        overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
        if lang == "zh" and path in ("/", "/datasets/baci-hs17-2020-afg-zaf", "/exchange", "/data-use"):
            phone.shot(f"phone-zh{path.replace('/', '-').rstrip('-') or '-home'}")
