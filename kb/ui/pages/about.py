"""About (`/about`): what the catalogue is, how cases are chosen, the licence, corrections and
the accessibility statement."""

from __future__ import annotations

import streamlit as st

from kb import taxonomy
from kb.citation import CATALOGUE, LICENCE, LICENCE_URL
from kb.i18n import _
from kb.ui import navigation, routes


def render() -> None:
    st.title(_("About the catalogue"), anchor=False)
    st.markdown(
        _(
            "The {catalogue} is an open catalogue of real digital initiatives in cities: how "
            "city governments, companies, universities and community groups use digital tools "
            "in transport, public services, skills and infrastructure, and whom those tools "
            "include or leave out. Each case says what was done, where and when, who was "
            "involved, what came of it, what others can learn from it, and which public "
            "sources back it."
        ).format(catalogue=CATALOGUE)
    )

    st.header(_("How cases are chosen"), anchor=False)
    themes = ", ".join(taxonomy.label("theme", t) for t in taxonomy.codes("theme"))
    st.markdown(
        _(
            "A case is a named initiative that really ran in a named city, under one of four "
            "themes ({themes}). It must be backed by at least one public source that a reader "
            "can check: an official page, an evaluation, a research paper or press coverage. "
            "Failures and withdrawn projects are included on purpose, because they teach as "
            "much as successes. Each case records the inclusion dimensions it addresses "
            "(gender, age, disability, income, place, connectivity, race and ethnicity, "
            "migrants and language) and the safeguards it put in place, using controlled "
            "vocabularies with published definitions, and the date it was last reviewed."
        ).format(themes=themes)
    )

    st.header(_("Licence"), anchor=False)
    st.markdown(
        _(
            "The case data is published under the [Creative Commons Attribution 4.0 "
            "International licence ({licence})]({url}): you may copy, adapt and share it for "
            "any purpose, including commercially, as long as you credit the {catalogue} and "
            "say if you changed it. Each case page offers a ready-made citation naming the "
            "revision you used. The sources each case cites belong to their publishers."
        ).format(licence=LICENCE, url=LICENCE_URL, catalogue=CATALOGUE)
    )

    st.header(_("Propose a correction"), anchor=False)
    st.markdown(
        _(
            "Found an error, an outdated status or a missing source? Open an issue in the "
            "project's repository with the case identifier (the `slug` in the case page's "
            "address), the revision shown on the case page, what should change, and a public "
            "source for the change. Editors review each proposal against its source; an "
            "accepted correction becomes a new revision of the case, and earlier revisions "
            "stay in its history so that existing citations still point at the text they "
            "cited."
        )
    )

    st.header(_("Accessibility statement"), anchor=False)
    st.markdown("\n\n".join(_accessibility()))
    navigation.link(routes.SEARCH, label=_("Start searching"), icon=":material/search:")


def _accessibility() -> list[str]:
    """The accessibility statement, one paragraph per message."""
    return [
        _("We aim to meet the **Web Content Accessibility Guidelines (WCAG) 2.2 at level AA**."),
        _(
            "**What we do.** Every input has a visible label. Headings follow a single outline "
            "on each page. Information is never carried by colour alone: badges carry their "
            "group name in words, matched search words are shown in bold, and every chart has a "
            "text or table alternative with the same numbers. Text colours meet a contrast "
            "ratio of at least 4.5 to 1. Everything can be done with the keyboard: links and "
            "buttons rather than chart clicks lead to every view. Case text is always shown "
            "exactly as written, never interpreted as markup."
        ),
        _(
            "**Languages.** The interface is available in Arabic, Chinese, English, French, "
            "Russian and Spanish; the language menu names each language in itself, and the "
            "choice is kept in the page's address and in a cookie. The case data is written "
            "in English: some cases have their title and summary translated, marked as such "
            "with the English original one click away, and the rest of a case stays in "
            "English. The Streamlit framework always declares the page as English (`<html "
            'lang="en">`): a small script sets the page\'s real language, so that screen '
            "readers pronounce it correctly. Arabic is laid out right to left by styling the "
            "main area and the side panel. Some texts built into the framework cannot be "
            "translated and stay in English: the file uploader, the month and day names of "
            "the date picker, the main menu (the three dots at the top right) and the toolbar "
            "of data tables."
        ),
        _(
            "**How we test.** Automated checks with axe-core run in Chromium on every page in "
            "our continuous integration, and fail the build on any serious or critical "
            "violation. End-to-end tests in a real browser search, filter and page through "
            "results with the keyboard alone (Tab, Shift+Tab, Space and Enter)."
        ),
        _(
            "**Known limits.** The map is a picture of dots: the list of cities under it "
            "carries the same information. Chart tooltips appear on mouse hover only; the "
            "tables next to the charts hold the same numbers. Some controls come from the "
            "Streamlit framework, whose tooltips (the small question-mark help icons) are not "
            "reachable by keyboard; nothing essential is only in a tooltip. With the keyboard, "
            "the filters in the side panel come before the page menu and the results; a 'Skip "
            "to main content' link is the first stop. The app needs JavaScript."
        ),
        _(
            "If something is hard to use for you, tell us in the project's repository (as for "
            "a correction) and we will look for a fix or send you the information another way."
        ),
    ]


if __name__ == "__main__":
    render()
