"""Browser test support, shared by every browser test module: a real `streamlit run` server on
a loopback port (one per test session), Debian's Chromium through Playwright (one per session:
a second sync Playwright in the same process fails), and helpers that wait for the page.

Skips locally when chromium is missing; fails in CI (CI=true), where it must be installed.
Its fixtures are made visible to every test module by tests/conftest.py.
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium() -> str:
    from tests.conftest import require  # imported here: conftest imports this module

    path = shutil.which("chromium")
    require(path is not None, "chromium is not installed (apt-get install -y chromium)")
    return path  # type: ignore[return-value]


@pytest.fixture(scope="session")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's KB_HOME: the catalogue of tests/test_ui_apptest.py, built once per session."""
    from tests.test_ui_apptest import build_catalogue

    return build_catalogue(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def server(
    chromium: str, app_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "KB_DATABASE_URL"} | {
        "KB_HOME": str(app_home)
    }
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


def url_of(server: str, path: str) -> re.Pattern[str]:
    """The address `server + path`, with or without the language parameter that every run of
    the app writes into it (`lang=`)."""
    return re.compile(re.escape(server + path) + r"([?&]lang=[a-z]{2})?$")


def main_links(page):  # noqa: ANN001, ANN201
    """The links to cases in the page's main area (results, similar cases), in order."""
    return page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a[href^='case?']")


def press_checkbox(page, name: str, url: str) -> None:  # noqa: ANN001
    """Tick or untick a filter the way a keyboard user does (focus it, press Space), then wait
    for the address to become `url` and the page to be drawn."""
    page.get_by_role("checkbox", name=name).focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(re.escape(url) + "$"))
    settle(page)


def blocking_violations(page) -> list[tuple[str, str, list]]:  # noqa: ANN001
    """axe-core's serious and critical violations on the page as drawn: (rule, impact, the
    first three elements)."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
