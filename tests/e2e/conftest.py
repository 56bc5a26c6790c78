"""Browser tests: a real uvicorn server of the bank on a free 127.0.0.1 port, against a bank populated
once per session by the demo steps that exist, driven by Playwright with Debian's chromium (never
`playwright install`: it downloads). Every page load fails the test on a console error, and each page
under test is saved as a screenshot in test-artifacts/ (gitignored)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.live_server import live_server

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
# `scobank demo --no-serve`, with the semantic index of datasets only: the full AI step also embeds
# every listing, enterprise and the HS nomenclature (minutes on two cores), which no page under test
# reads; the catalog's search reads the datasets' vectors (a few seconds to build).
SKIPPED_DEMO_STEPS = ("scobank.ai.demo",)
POPULATE = ("from scobank.demo import cli\n"
            f"cli.DEMO_STEPS = tuple(s for s in cli.DEMO_STEPS if s not in {SKIPPED_DEMO_STEPS!r})\n"
            "print('\\n'.join(cli.populate_demo()))\n"
            "from scobank.ai.reindex import rebuild_index\n"
            "from scobank.db import session_scope\n"
            "with session_scope() as session:\n"
            "    print(rebuild_index(session, kinds=['dataset'], include_hs=False))")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class Portal:
    """The running bank: its address, home folder and environment (for CLI calls on the same bank)."""

    url: str
    home: Path
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "scobank", *args], env=self.env, capture_output=True,
                              text=True, timeout=300)


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    home = tmp_path_factory.mktemp("e2e-home")
    env = {**os.environ, "SCOBANK_HOME": str(home), "SCOBANK_DATABASE_URL": f"sqlite:///{home / 'bank.db'}",
           "PYTHONPATH": str(REPO / "src"), "SCOBANK_PASSWORD_HASHING": "fast"}
    demo = subprocess.run([sys.executable, "-c", POPULATE], env=env, capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr[-3000:]
    with live_server(env) as url:
        yield Portal(url=url, home=home, env=env)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    browser_home = tmp_path_factory.mktemp("chromium-home")
    old_home = os.environ.get("HOME")
    os.environ["HOME"] = str(browser_home)  # chromium writes ~/.config and ~/.cache
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     env={**os.environ, "HOME": str(browser_home)})
        yield browser
        browser.close()
    if old_home is not None:
        os.environ["HOME"] = old_home


@dataclass
class Visitor:
    """One person in one browser context, with the console errors their pages produced."""

    page: object
    portal: Portal
    errors: list[str] = field(default_factory=list)

    def go(self, path: str):
        response = self.page.goto(self.portal.url + path)
        assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
        return response

    def submit(self, selector: str):
        """Click a button or link that loads a new page, and wait for that page.

        A click returns once the request is sent, so a check made right after it can read
        the old page (the wizard's report and editor share one URL, so waiting for the URL
        cannot tell them apart).
        """
        with self.page.expect_navigation():
            self.page.click(selector)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _new_visitor(browser, portal: Portal, *, width: int = 1366, height: int = 768) -> tuple[object, Visitor]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    visitor = Visitor(page=page, portal=portal)
    page.on("console", lambda msg: visitor.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: visitor.errors.append(str(exc)))
    return context, visitor


@pytest.fixture
def visitor_factory(browser, portal):
    """Make visitors (separate browser contexts, so separate logins); fail on any console error."""
    made: list[tuple[object, Visitor]] = []

    def make(**viewport) -> Visitor:
        made.append(_new_visitor(browser, portal, **viewport))
        return made[-1][1]

    yield make
    errors = [e for _, v in made for e in v.errors]
    for context, _ in made:
        context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def visitor(visitor_factory) -> Visitor:
    return visitor_factory()
