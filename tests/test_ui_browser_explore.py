"""Explore, Compare and the downloads in Chromium, as a researcher uses them: links that
reproduce a view when pasted, files opened with Python's csv module and openpyxl, a page that
makes no request leaving the machine, and a 390-pixel phone screen.

The server and the browser are tests/browser.py's, shared with tests/test_ui_browser.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kb import KnowledgeBase
from kb.config import Settings
from kb.export import CSV_COLUMNS
from kb.ui.state import parse_search
from tests.browser import heading, settle, url_of, visit
from tests.test_ui_apptest import RICH_CASE, XSS_SLUG

pytestmark = pytest.mark.browser

TODAY = dt.date.today().isoformat()
AFRICA = "/explore?inclusion=disability&region=Africa&from=2015"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def kb(app_home: Path):  # noqa: ANN201 - the server's catalogue, to compare the pages with
    base = KnowledgeBase(Settings(home=app_home))
    yield base
    base.close()


def state_of(url: str):  # noqa: ANN201
    return parse_search(parse_qs(urlsplit(url).query)).state


def fetch(page, label: str) -> tuple[str, bytes]:  # noqa: ANN001
    """Click a download button; the file's suggested name and its bytes."""
    with page.expect_download() as started:
        page.get_by_role("button", name=label, exact=True).click()
    return started.value.suggested_filename, Path(started.value.path()).read_bytes()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode()), "no byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# -- shared links ------------------------------------------------------------------------------


def test_a_pasted_explore_link_shows_its_filters_and_its_counts_link_to_the_same_cases(
    page, server, kb
):
    visit(page, AFRICA)
    expected = kb.search("", inclusion=["disability"], region="Africa", year_from=2015, limit=0)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("button", name="Remove filter Region: Africa")).to_be_visible()
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text(str(expected.total))
    link = main.get_by_role("link", name=re.compile(r"^Digital literacy and accessibility × "))
    if not link.count():  # not a gap at this threshold: use the matrix's own link
        main.get_by_text("The same counts as links").first.click()
        link = main.get_by_role("link", name=re.compile(r"^Disability: \d+ case")).first
    label = link.first.inner_text()
    count = int(re.search(r"(\d+) cases?", label).group(1))
    link.first.click()
    page.wait_for_url(re.compile(r"/\?theme="))
    settle(page)
    state = state_of(page.url)
    assert state.region == ("Africa",) and state.year_from == 2015
    expect(heading(page)).to_have_text(re.compile(rf"^{count} cases?"))
    shared = page.url
    page.goto("about:blank")
    visit(page, shared)  # pasted into a new tab: the same view
    expect(heading(page)).to_have_text(re.compile(rf"^{count} cases?"))


def test_clicking_a_heat_map_cell_opens_the_search_for_it_and_that_link_reloads(page, kb):
    visit(page, "/explore?region=Africa")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    cell = chart.locator("path[aria-label*='literacy'][aria-label*='Inclusion: Age;']")
    expected = kb.search("", region="Africa", themes=["digital-literacy"], inclusion=["age"])
    cell.first.click()
    page.wait_for_url(
        re.compile(r"/\?theme=digital-literacy&inclusion=age&region=Africa(&lang=en)?$")
    )
    settle(page)
    expect(heading(page)).to_have_text(re.compile(rf"^{expected.total} cases?"))
    page.reload()
    page.locator("[data-testid='stSidebar'] h2", has_text="Shortlist (").wait_for()
    settle(page)
    assert urlsplit(page.url).path == "/"
    expect(heading(page)).to_have_text(re.compile(rf"^{expected.total} cases?"))


def test_ticking_results_for_comparison_fills_compare_and_survives_a_reload(page, server, kb):
    hits = kb.search("bike share", limit=3).hits
    visit(page, "/?q=bike+share")
    for n, hit in enumerate((hits[0], hits[2]), 1):
        card = page.locator("[data-testid='stVerticalBlock']").filter(
            has=page.get_by_role("link", name=hit.title, exact=True)
        )
        card.last.get_by_role("checkbox", name="Compare").focus()
        page.keyboard.press("Space")
        page.wait_for_url(
            re.compile(r"compare=" + "%2C".join(h.slug for h in (hits[0], hits[2])[:n]))
        )
        settle(page)
    page.reload()
    page.locator("[data-testid='stSidebar'] h2", has_text="Shortlist (").wait_for()
    page.get_by_role("link", name="Compare the 2 ticked cases").click()
    page.wait_for_url(url_of(server, f"/compare?compare={hits[0].slug}%2C{hits[2].slug}"))
    settle(page)
    expect(page.locator("[data-testid='stMain'] [data-testid='stTable']")).to_contain_text(
        "(differs)"
    )


# -- downloads ---------------------------------------------------------------------------------


def test_search_downloads_are_dated_in_screen_order_and_open_cleanly(page, kb):
    visit(page, "/?q=bike+share&theme=e-mobility&sort=title")
    expected = [h.slug for h in kb.search("bike share", themes=["e-mobility"], sort="title",
                                          limit=99).hits]  # fmt: skip
    assert expected != sorted(expected) or len(expected) > 10

    name, data = fetch(page, "CSV")
    assert name == f"cases_bike-share_e-mobility_{TODAY}.csv"
    rows = csv_rows(data)
    assert [r["slug"] for r in rows] == expected
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert all(r["country_name"] and r["region"] and r["income_group"] for r in rows)

    name, data = fetch(page, "Excel")
    assert name == f"cases_bike-share_e-mobility_{TODAY}.xlsx"
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Cases", "Sources", "About"]
    assert [r[0].value for r in book["Cases"].iter_rows(min_row=2)] == expected
    about = {r[0].value: r[1].value for r in book["About"].iter_rows() if r[0].value}
    assert about["Selection"] == "Words: bike share; Theme: E-mobility"
    assert "CC BY 4.0" in about["Licence"]

    name, data = fetch(page, "JSON Lines")
    assert name.endswith(".jsonl")
    assert [json.loads(line)["slug"] for line in data.decode().splitlines()] == expected

    name, data = fetch(page, "CSL-JSON")
    assert [i["id"].rsplit("-r", 1)[0] for i in json.loads(data)] == [f"kb-{s}" for s in expected]

    name, data = fetch(page, "BibTeX")
    keys = re.findall(r"^@misc\{kb-(.+)-r\d+,$", data.decode(), flags=re.MULTILINE)
    assert keys == expected


def test_explore_and_compare_download_their_own_cases(page, kb):
    visit(page, AFRICA)
    name, data = fetch(page, "CSV")
    assert name == f"cases_disability_africa_from-2015_{TODAY}.csv"
    expected = kb.search("", inclusion=["disability"], region="Africa", year_from=2015, limit=99)
    assert [r["slug"] for r in csv_rows(data)] == [h.slug for h in expected.hits]

    name, data = fetch(page, "Gaps as CSV")
    assert name == f"gaps_disability_africa_from-2015_below-3_{TODAY}.csv"
    gaps = csv_rows(data)
    assert gaps and all(int(g["cases"]) < 3 for g in gaps)
    assert all(urlsplit(g["search"]).query.count("region=Africa") == 1 for g in gaps)

    slugs = [RICH_CASE, XSS_SLUG]
    visit(page, f"/compare?slugs={','.join(slugs)}")
    name, data = fetch(page, "Excel")
    assert name.startswith("compare_") and name.endswith(f"_{TODAY}.xlsx")
    book = load_workbook(io.BytesIO(data))
    assert [r[0].value for r in book["Cases"].iter_rows(min_row=2)] == slugs


# -- offline -----------------------------------------------------------------------------------


OFFLINE_PAGES = [
    "/",
    "/?q=bike+share&theme=e-mobility",
    "/explore",
    AFRICA,
    f"/case?slug={RICH_CASE}",
    f"/compare?slugs={RICH_CASE},{XSS_SLUG}",
    f"/brief?slugs={RICH_CASE},{XSS_SLUG}",
    "/about",
]


def test_no_page_requests_an_address_outside_this_machine(page, server):
    outside: list[str] = []

    def note(request) -> None:  # noqa: ANN001
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in (
            "127.0.0.1",
            "localhost",
        ):
            outside.append(request.url)

    page.on("request", note)
    for path in OFFLINE_PAGES:
        visit(page, path)
        if path.startswith("/explore"):  # the map and its basemap were drawn
            world = page.locator("[data-testid='stVegaLiteChart']").last.locator(".mark-shape path")
            expect(world).to_have_count(177)
    assert outside == []


def test_the_map_draws_country_outlines_under_the_city_dots(page, kb):
    visit(page, "/explore")
    world_map = page.locator("[data-testid='stVegaLiteChart']").last
    world_map.scroll_into_view_if_needed()
    shapes = world_map.locator(".mark-shape path")
    expect(shapes).to_have_count(177)
    dots = world_map.locator(".mark-symbol path")
    located = [p for p in kb.coverage().places if p.latitude is not None]
    expect(dots).to_have_count(len(located))


# -- phone and keyboard ------------------------------------------------------------------------


def no_sideways_scroll(page) -> bool:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def cut_links(page) -> list[str]:  # noqa: ANN001
    """Link labels in the main area drawn wider than their box (cut, not wrapped)."""
    return page.evaluate(
        """[...document.querySelectorAll("[data-testid='stMain'] [data-testid='stPageLink'] a")]
            .filter(a => a.scrollWidth > a.clientWidth + 1).map(a => a.innerText)"""
    )


def test_at_phone_width_titles_wrap_and_compare_stacks_one_card_per_case(page, kb):
    page.set_viewport_size(PHONE)
    visit(page, "/?q=matatu+open+transit+data+minibus")
    assert cut_links(page) == []
    assert no_sideways_scroll(page)
    visit(page, f"/compare?slugs={RICH_CASE},{XSS_SLUG}")
    expect(page.locator(".st-key-compare_table")).to_be_hidden()
    expect(page.locator(".st-key-compare_cards [data-testid='stHeading']")).to_have_count(2)
    assert cut_links(page) == []
    page.set_viewport_size({"width": 1280, "height": 1000})
    expect(page.locator(".st-key-compare_table")).to_be_visible()
    expect(page.locator(".st-key-compare_cards")).to_be_hidden()


def test_at_phone_width_explore_charts_fit_and_heat_map_labels_do_not_overlap(page):
    page.set_viewport_size(PHONE)
    visit(page, "/explore")
    page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for()  # drawn after the run
    widths = page.evaluate(
        "[...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]"
        ".map(s => s.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= PHONE["width"]
    labels = page.evaluate(
        """(() => {
            const svg = document.querySelector('[data-testid=stVegaLiteChart] svg');
            return [...svg.querySelectorAll('.role-axis-label text')].map(t => {
                const r = t.getBoundingClientRect();
                return [t.textContent, r.left, r.right, r.top, r.bottom];
            });
        })()"""
    )
    assert len(labels) >= 12  # 8 inclusion rows and 4 theme columns, none hidden
    boxes = [b for b in labels if b[2] > b[1]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[1] < b[2] - 1 and b[1] < a[2] - 1 and a[3] < b[4] - 1 and b[3] < a[4] - 1
            assert not overlap, (a[0], b[0])
    assert no_sideways_scroll(page)


def test_keyboard_focus_on_a_result_link_is_a_visible_outline(page):
    visit(page, "/?q=matatu")
    first = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").first
    first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        "(s => [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor])"
        "(getComputedStyle(document.activeElement))"
    )
    assert style == ["solid", 3.0, "rgb(11, 92, 132)"]
    for name in ("Add to shortlist", "Compare"):
        control = (
            page.locator("[data-testid='stMain']")
            .get_by_role("checkbox" if name == "Compare" else "button", name=name)
            .first
        )
        control.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        width = page.evaluate(
            "(e => { const s = getComputedStyle(e); const l = e.closest('label');"
            " return Math.max(parseFloat(s.outlineWidth) * (s.outlineStyle !== 'none'),"
            " l ? parseFloat(getComputedStyle(l).outlineWidth) *"
            " (getComputedStyle(l).outlineStyle !== 'none') : 0); })(document.activeElement)"
        )
        assert width >= 2, name
