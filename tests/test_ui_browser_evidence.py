"""A case's evidence in Chromium at 1280 and 390 pixels: the costs as a table on a desktop and
as one card per cost on a phone, nothing wider than the screen, and no serious accessibility
violation on a case with costs or on a search filtered by evidence and city size.

The server and the browser are tests/browser.py's, shared with the other browser tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kb import KnowledgeBase, evidence
from kb.config import Settings
from tests.browser import blocking_violations, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def costed(app_home: Path):  # noqa: ANN201 - a case of the server's catalogue with two costs
    with KnowledgeBase(Settings(home=app_home)) as kb:
        return next(r for r in kb.records() if len(r.costs) >= 2 and r.outcomes)


def test_costs_are_a_table_on_a_desktop_and_cards_on_a_phone(page, costed):
    visit(page, f"/case?slug={costed.slug}")
    table = page.locator(".st-key-cost_table")
    cards = page.locator(".st-key-cost_cards")
    expect(table).to_be_visible()
    expect(cards).to_be_hidden()
    expect(table).to_contain_text(evidence.amount_text(costed.costs[0]).replace(" ", "\u00a0"))
    page.set_viewport_size(PHONE)
    expect(table).to_be_hidden()
    expect(cards.locator("[class*='st-key-cost_card_']")).to_have_count(len(costed.costs))
    expect(cards).to_contain_text("Year of money:")
    wide = page.evaluate(
        """() => { const main = document.querySelector("[data-testid='stMain']");
                   return main.scrollWidth - main.clientWidth; }"""
    )
    assert wide <= 1, "the case page scrolls sideways on a phone"


@pytest.mark.parametrize(
    "path", ["/case?slug={slug}", "/?evidence=independent&evidence=cost&size=1m-5m"]
)
def test_axe_finds_no_serious_violation_on_evidence(page, costed, path):
    visit(page, path.format(slug=costed.slug))
    assert blocking_violations(page) == []
