"""The shared layout in a real browser: language switch, keyboard skip link, phone width, the map."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_switching_language_keeps_the_page_and_is_remembered(visitor):
    visitor.go("/login")
    visitor.page.get_by_role("link", name="中文").click()
    visitor.page.wait_for_url("**/login?lang=zh")
    assert visitor.page.locator("html").get_attribute("lang") == "zh"
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "登录"
    visitor.go("/")  # no ?lang= any more: the cookie keeps Chinese
    assert visitor.page.locator("html").get_attribute("lang") == "zh"
    visitor.shot("home-zh")


def test_the_skip_link_is_the_first_stop_of_the_keyboard(visitor):
    visitor.go("/?lang=ru")
    visitor.page.keyboard.press("Tab")
    focused = visitor.page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Перейти к содержанию"
    visitor.page.keyboard.press("Enter")
    assert visitor.page.evaluate("location.hash") == "#main"


def test_pages_fit_a_phone_screen(visitor_factory):
    phone = visitor_factory(width=390, height=844)
    phone.go("/?lang=ru")
    overflow = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    phone.shot("home-phone-ru")


def test_the_home_page_shows_the_members_on_a_map(visitor):
    visitor.go("/?lang=en")
    figure = visitor.page.locator("figure[data-chart=map]")
    figure.and_(visitor.page.locator("[data-rendered=true]")).wait_for()
    members = figure.locator("path.country[fill='#0b4f8a']")
    assert members.count() == 10  # the ten member states on the map, in the member colour
    assert figure.locator("path.country[aria-label='China: Member']").count() == 1
    visitor.shot("home-en")
