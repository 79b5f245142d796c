"""The web app end to end: a real `streamlit run` server on a loopback port, driven by Debian's
Chromium through Playwright. What AppTest cannot see: clicks and keys, the address bar and the
back button, downloaded files, what the page shows literally, and axe-core's accessibility
checks on every page.

Skips locally when chromium is missing; fails in CI (CI=true), where it must be installed.
Set UI_SHOTS_DIR to keep a screenshot of each page checked by axe.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kb import KnowledgeBase
from kb.config import Settings
from tests.conftest import require
from tests.test_ui_apptest import RICH_CASE, XSS_SLUG, XSS_TITLE, build_catalogue

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING = ("serious", "critical")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    require(path is not None, "chromium is not installed (apt-get install -y chromium)")
    return path  # type: ignore[return-value]


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_catalogue(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def kb(home: Path) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase(Settings(home=home))
    yield base
    base.close()


@pytest.fixture(scope="session")
def server(chromium: str, home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "KB_DATABASE_URL"} | {"KB_HOME": str(home)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "streamlit"),
                "run",
                str(ROOT / "app.py"),
                "--server.headless=true",
                f"--server.port={port}",
                "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser(chromium: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def dialogs() -> list[str]:
    """Messages of any alert() the page opened: catalogue text that ran as script."""
    return []


@pytest.fixture
def page(browser, server: str, dialogs: list[str]):
    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 1000}, accept_downloads=True
    )
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def settle(page) -> None:  # noqa: ANN001
    """Wait for the end of the script run: call it once the run has visibly started (the
    address changed), since the app reads `notRunning` before a run begins too."""
    page.wait_for_selector(IDLE)


DRAWN = """async () => {
    // the page is drawn once its element count has not changed for half a second
    let last = -1, stableSince = performance.now();
    while (performance.now() - stableSince < 500) {
        await new Promise(r => setTimeout(r, 100));
        const count = document.getElementsByTagName('*').length;
        if (count !== last) { last = count; stableSince = performance.now(); }
    }
}"""


def visit(page, path: str) -> None:  # noqa: ANN001
    """Open a page and wait until it is drawn: the router draws the shortlist panel after the
    page, so its heading marks the end of the run; the browser then still loads the code of
    element types it has not drawn before and draws them, hence the wait for a still page."""
    page.goto(path)
    page.locator("[data-testid='stSidebar'] h2", has_text="Shortlist (").wait_for()
    page.wait_for_selector(IDLE)
    page.evaluate(DRAWN)


def heading(page):  # noqa: ANN001, ANN201
    """The results heading, e.g. `15 cases, showing 1–10`."""
    return page.locator("[data-testid='stMain'] h2").first


def title(page):  # noqa: ANN001, ANN201
    return page.locator("[data-testid='stMain'] h1").first


def main_links(page):  # noqa: ANN001, ANN201
    return page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a")


def press_checkbox(page, name: str, url: str) -> None:  # noqa: ANN001
    """Tick or untick a filter the way a keyboard user does (focus it, press Space), then wait
    for the address to become `url` and the page to be drawn."""
    page.get_by_role("checkbox", name=name).focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(re.escape(url) + "$"))
    settle(page)


# -- journeys ------------------------------------------------------------------------------


def test_search_filter_open_a_case_follow_a_similar_case_and_go_back(page, server, kb):
    expected = kb.search("bike share", themes=["e-mobility"], limit=10)
    case = expected.hits[0]
    similar = kb.similar(case.slug, 5)[0]
    visit(page, "/")
    box = page.get_by_role("textbox", name="Search cases")
    box.fill("bike share")
    box.press("Enter")
    page.wait_for_url(f"{server}/?q=bike+share")
    settle(page)
    press_checkbox(page, "E-mobility", "/?q=bike+share&theme=e-mobility")
    expect(heading(page)).to_have_text(f"{expected.total} cases, showing 1–10")

    expect(main_links(page).first).to_have_text(case.title)
    main_links(page).first.click()
    page.wait_for_url(f"{server}/case?slug={case.slug}")
    expect(title(page)).to_have_text(case.title)
    settle(page)

    page.get_by_role("link", name=similar.title, exact=True).click()
    page.wait_for_url(f"{server}/case?slug={similar.slug}")
    expect(title(page)).to_have_text(similar.title)
    settle(page)

    page.go_back()
    page.wait_for_url(f"{server}/case?slug={case.slug}")
    expect(title(page)).to_have_text(case.title)
    settle(page)
    page.go_back()
    page.wait_for_url(f"{server}/?q=bike+share&theme=e-mobility")
    expect(heading(page)).to_have_text(f"{expected.total} cases, showing 1–10")
    expect(page.get_by_role("checkbox", name="E-mobility")).to_be_checked()


def test_a_pasted_link_reproduces_the_view(page, kb):
    visit(page, "/?q=bike+share&theme=e-mobility&page=2")
    expected = kb.search("bike share", themes=["e-mobility"], limit=10, offset=10)
    expect(page.get_by_role("textbox", name="Search cases")).to_have_value("bike share")
    expect(page.get_by_role("checkbox", name="E-mobility")).to_be_checked()
    expect(heading(page)).to_have_text(f"{expected.total} cases, showing 11–{expected.total}")
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
    page.wait_for_url(f"{server}/?q=open+data")
    settle(page)
    page.evaluate(DRAWN)
    tab_to(page, "Digital governance and citizen engagement (", key="Shift+Tab")
    page.keyboard.press("Space")
    page.wait_for_url(f"{server}/?q=open+data&theme=digital-governance")
    settle(page)
    tab_to(page, "Next page")  # from the filters, on through the results to the pager
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/?q=open+data&theme=digital-governance&page=2")


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
    for label, name, magic in (("Word", "brief.docx", b"PK"), ("PDF", "brief.pdf", b"%PDF")):
        with page.expect_download() as started:
            page.get_by_role("button", name=label).click()
        assert started.value.suggested_filename == name
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
    from axe_playwright_python.sync_playwright import Axe

    visit(page, AXE_PAGES[name])
    shots = os.environ.get("UI_SHOTS_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 2400})
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    blocking = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
