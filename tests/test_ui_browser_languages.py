"""The app in each of the six UN languages, in a real browser (Debian's Chromium): the page
tells assistive technology its language, Arabic reads right to left, the switcher and links keep
the choice, and axe-core finds no serious or critical violation in Arabic and Chinese either.

Set UI_SHOTS_DIR to keep a screenshot of each page in each language (to review by eye).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kb.i18n import LANGUAGES, _, native_name, use
from tests.browser import DRAWN, IDLE, blocking_violations
from tests.test_ui_apptest import RICH_CASE

pytestmark = pytest.mark.browser
PAGES = {
    "search": "/?q=bike+share",
    "case": f"/case?slug={RICH_CASE}",
    "explore": "/explore?region=Africa",
    "brief": "/brief?q=digital+skills+for+older+people",
}


def visit_in(page, path: str, language: str) -> None:  # noqa: ANN001
    """Open `path` in `language` and wait until it is drawn (the sidebar's shortlist heading
    comes last in every run, whatever its language)."""
    joiner = "&" if "?" in path else "?"
    page.goto(f"{path}{joiner}lang={language}")
    page.locator("[data-testid='stSidebar'] h2").first.wait_for()
    page.wait_for_selector(IDLE)
    page.evaluate(DRAWN)


def keep_shot(page, name: str) -> None:  # noqa: ANN001
    shots = os.environ.get("UI_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_is_marked_with_its_language_and_direction(page, name, language):
    visit_in(page, PAGES[name], language)
    expect(page.locator("html")).to_have_attribute("lang", language, timeout=10_000)
    direction = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stMain]')).direction"
    )
    assert direction == ("rtl" if language == "ar" else "ltr")
    with use(language):
        navigation = page.get_by_role("link", name=_("Explore"), exact=True)
    expect(navigation.first).to_be_visible()
    keep_shot(page, f"{name}-{language}")


def test_the_switcher_changes_the_language_and_links_keep_it(page):
    visit_in(page, "/?q=bike+share", "en")
    switcher = page.get_by_role("combobox", name="Language")
    switcher.click()
    page.get_by_role("option", name=native_name("fr")).click()
    page.wait_for_url(re.compile(r"lang=fr"))
    page.wait_for_selector(IDLE)
    expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=10_000)
    with use("fr"):
        explore = _("Explore")
    page.get_by_role("link", name=explore, exact=True).first.click()
    page.wait_for_url(re.compile(r"/explore\?.*lang=fr"))
    page.wait_for_selector(IDLE)
    page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first.click()
    page.wait_for_url(re.compile(r"lang=fr"))
    page.reload()
    page.wait_for_selector(IDLE)
    expect(page.locator("html")).to_have_attribute("lang", "fr", timeout=10_000)


@pytest.mark.parametrize("language", ["ar", "zh", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation_in_each_script(page, name, language):
    visit_in(page, PAGES[name], language)
    assert blocking_violations(page) == []
