"""The web app end to end: a real `streamlit run` server on a loopback port, driven by Debian's
Chromium through Playwright. What AppTest cannot see: clicks and keys, the address bar and the
back button, downloaded files, what the page shows literally, and axe-core's accessibility
checks on every page.

Skips locally when chromium is missing; fails in CI (CI=true), where it must be installed.
Set UI_SHOTS_DIR to keep a screenshot of each page checked by axe.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kb import KnowledgeBase
from kb.config import Settings
from tests.browser import (
    DRAWN,
    blocking_violations,
    heading,
    main_links,
    press_checkbox,
    settle,
    title,
    url_of,
    visit,
)
from tests.test_ui_apptest import RICH_CASE, XSS_SLUG, XSS_TITLE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def kb(app_home: Path) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase(Settings(home=app_home))
    yield base
    base.close()


# -- journeys ------------------------------------------------------------------------------


def test_search_filter_open_a_case_follow_a_similar_case_and_go_back(page, server, kb):
    expected = kb.search("bike share", themes=["e-mobility"], limit=10)
    case = expected.hits[0]
    similar = kb.similar(case.slug, 5)[0]
    visit(page, "/")
    box = page.get_by_role("textbox", name="Search cases")
    box.fill("bike share")
    box.press("Enter")
    page.wait_for_url(url_of(server, "/?q=bike+share"))
    settle(page)
    press_checkbox(page, "E-mobility", "/?q=bike+share&theme=e-mobility")
    expect(heading(page)).to_have_text(f"{expected.total} cases, showing 1–10")

    expect(main_links(page).first).to_have_text(case.title)
    main_links(page).first.click()
    page.wait_for_url(url_of(server, f"/case?slug={case.slug}"))
    expect(title(page)).to_have_text(case.title)
    settle(page)

    page.get_by_role("link", name=similar.title, exact=True).click()
    page.wait_for_url(url_of(server, f"/case?slug={similar.slug}"))
    expect(title(page)).to_have_text(similar.title)
    settle(page)

    page.go_back()
    page.wait_for_url(url_of(server, f"/case?slug={case.slug}"))
    expect(title(page)).to_have_text(case.title)
    settle(page)
    page.go_back()
    page.wait_for_url(url_of(server, "/?q=bike+share&theme=e-mobility"))
    expect(heading(page)).to_have_text(f"{expected.total} cases, showing 1–10")
    expect(page.get_by_role("checkbox", name="E-mobility")).to_be_checked()


def test_a_pasted_link_reproduces_the_view(page, kb):
    visit(page, "/?q=bike+share&theme=e-mobility&page=2")
    expected = kb.search("bike share", themes=["e-mobility"], limit=10, offset=10)
    expect(page.get_by_role("textbox", name="Search cases")).to_have_value("bike share")
    expect(page.get_by_role("checkbox", name="E-mobility")).to_be_checked()
    last = min(20, expected.total)
    expect(heading(page)).to_have_text(f"{expected.total} cases, showing 11–{last}")
    expect(main_links(page)).to_have_text([h.title for h in expected.hits])


def tab_to(page, label: str, *, key: str = "Tab", presses: int = 80) -> None:  # noqa: ANN001
    """Press Tab (or Shift+Tab) until the element whose name (aria-label, or else its text)
    starts with `label` has the focus; fail if it never does."""
    focused = "(e => e.getAttribute('aria-label') || e.innerText.trim())(document.activeElement)"
    for _ in range(presses):
        page.keyboard.press(key)
        if page.evaluate(focused).startswith(label):
            return
    pytest.fail(f"{label!r} cannot be reached with {key}")


def test_the_search_box_and_filters_work_from_the_keyboard_alone(page, server):
    visit(page, "/")
    tab_to(page, "Search cases")
    page.keyboard.type("open data")
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(server, "/?q=open+data"))
    settle(page)
    page.evaluate(DRAWN)
    tab_to(page, "Digital governance and citizen engagement (", key="Shift+Tab")
    page.keyboard.press("Space")
    page.wait_for_url(url_of(server, "/?q=open+data&theme=digital-governance"))
    settle(page)
    tab_to(page, "Next page")  # from the filters, on through the results to the pager
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(server, "/?q=open+data&theme=digital-governance&page=2"))


def download(page, label: str) -> tuple[str, str]:  # noqa: ANN001
    """Click a download button; the file's suggested name and its text."""
    with page.expect_download() as started:
        page.get_by_role("button", name=label).click()
    return started.value.suggested_filename, Path(started.value.path()).read_text("utf-8")


# the search, Explore and Compare downloads: tests/test_ui_browser_explore.py


def test_the_shortlist_brief_downloads_as_markdown_word_and_pdf(page, kb):
    slugs = [RICH_CASE, XSS_SLUG]
    visit(page, f"/brief?slugs={','.join(slugs)}")
    with page.expect_download() as started:
        page.get_by_role("button", name="Markdown").click()
    markdown = Path(started.value.path()).read_text("utf-8")
    assert markdown == kb.brief(slugs=slugs, max_cases=3).to_markdown()
    day = dt.date.today().isoformat()
    for label, ext, magic in (("Word", "docx", b"PK"), ("PDF", "pdf", b"%PDF")):
        with page.expect_download() as started:
            page.get_by_role("button", name=label).click()
        assert started.value.suggested_filename == f"brief-shortlist_{day}.{ext}"
        assert Path(started.value.path()).read_bytes().startswith(magic)


# -- safe: catalogue text is shown, never run ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/?q=xylophonic",
        f"/case?slug={XSS_SLUG}",
        f"/compare?slugs={XSS_SLUG},{RICH_CASE}",
        f"/brief?slugs={XSS_SLUG},{RICH_CASE}",
    ],
)
def test_a_case_titled_with_a_script_tag_is_shown_literally(page, dialogs, path):
    visit(page, path)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text(XSS_TITLE)
    text = main.inner_text()
    assert XSS_TITLE in text
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], [onerror]').length") == 0
    assert (
        page.evaluate("[...document.scripts].filter(s => s.textContent.includes('alert(')).length")
        == 0
    )
    assert dialogs == []
    if "case?" in path or "q=" in path:
        assert "**not bold**" in text and "[not a link](javascript:alert(3))" in text


# -- accessible: axe-core on every page -------------------------------------------------------


AXE_PAGES = {
    "search": "/",
    "search-filtered": "/?q=bike+share&theme=e-mobility&region=Europe",
    "search-empty": "/?q=bicycel&theme=e-mobility&region=Oceania",
    "case": f"/case?slug={RICH_CASE}",
    "case-not-found": "/case?slug=no-such-case",
    "compare": f"/compare?slugs={RICH_CASE},{XSS_SLUG}",
    "explore": "/explore",
    "explore-filtered": "/explore?inclusion=disability&region=Africa&from=2015&below=5",
    "search-compare-ticked": f"/?q=matatu&compare={RICH_CASE}",
    "brief": f"/brief?slugs={RICH_CASE},{XSS_SLUG}",
    "about": "/about",
}


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_serious_or_critical_violation(page, name):
    visit(page, AXE_PAGES[name])
    shots = os.environ.get("UI_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 2400})
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    assert blocking_violations(page) == []
