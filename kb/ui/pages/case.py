"""Case (`/case?slug=SLUG`): every field of one case, similar cases with the reason each is
similar, cities like this one, and how to cite it."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kb import citation, taxonomy
from kb.errors import CaseNotFound
from kb.records import CaseRecord, CaseView, SimilarCase
from kb.reference import size_band
from kb.service import KnowledgeBase
from kb.ui import evidence, navigation, routes, shortlist
from kb.ui.resources import knowledge_base
from kb.ui.text import badges, case_facts, md
from kb.ui.urls import app_base_url

SIMILAR = 5


def render() -> None:
    kb = knowledge_base()
    slug = st.query_params.get("slug", "")
    try:
        view = kb.get(slug)
    except CaseNotFound:
        not_found(slug)
        return
    record = view.record
    st.set_page_config(page_title=f"{record.title} · Urban digital initiatives")
    navigation.keep_in_address("slug", record.slug)
    st.title(md(record.title), anchor=False)
    facts = case_facts(
        city=record.city,
        country_name=view.country_name,
        start_year=record.start_year,
        status=record.status,
    )
    st.markdown(facts + "  \n" + badges(record.themes, record.inclusion, record.safeguards))
    shortlist.button(record.slug, key="shortlist_case")
    st.markdown(md(record.summary))
    st.markdown(evidence.summary_markdown(record))
    if record.description:
        st.header("Description", anchor=False)
        st.markdown(md(record.description))
    _facts(view)
    _organizations(record)
    evidence.results(record)
    evidence.costs(record)
    for heading, items in (
        ("Lessons", record.lessons),
        ("Challenges", record.challenges),
    ):
        if items:
            st.header(heading, anchor=False)
            st.markdown(_bullets([md(item) for item in items]))
    evidence.sources(record)
    _review(kb, view)
    _related(kb, record)
    _citation(view)


def not_found(slug: str) -> None:
    st.title("Case not found", anchor=False)
    if slug:
        st.error(
            f"There is no case with the identifier {md(slug)}. It may have been renamed or removed."
        )
    else:
        st.error("No case was named in the link: it should end in ?slug= and a case identifier.")
    st.page_link(routes.SEARCH, label="Back to search", icon=":material/search:")


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _facts(view: CaseView) -> None:
    record = view.record
    rows: list[tuple[str, str]] = [
        ("City", md(record.city)),
        ("Country", md(view.country_name)),
        ("Region", md(f"{view.region} ({view.sub_region})")),
    ]
    if view.income_group:
        rows.append(("Country income group (World Bank)", md(view.income_group)))
    if record.city_population:
        rows.append(("City population", f"{record.city_population:,}"))
    if band := size_band(record.city_population):
        rows.append(("City size", md(taxonomy.label("city_size", band))))
    if record.latitude is not None and record.longitude is not None:
        rows.append(("Coordinates", f"{record.latitude:.4f}, {record.longitude:.4f}"))
    if record.start_year is not None:
        rows.append(("Started", str(record.start_year)))
    if record.end_year is not None:
        rows.append(("Ended", str(record.end_year)))
    if record.status:
        status = taxonomy.label("status", record.status)
        rows.append(("Status", md(f"{status}: {_definition('status', record.status)}")))
    if record.engagement:
        label = taxonomy.label("engagement", record.engagement)
        rows.append(
            ("Public engagement", md(f"{label}: {_definition('engagement', record.engagement)}"))
        )
    for name, vocabulary, codes in (
        ("Themes", "theme", record.themes),
        ("Inclusion dimensions", "inclusion", record.inclusion),
        ("Safeguards", "safeguard", record.safeguards),
    ):
        if codes:
            rows.append((name, md(", ".join(taxonomy.label(vocabulary, c) for c in codes))))
    if record.tags:
        rows.append(("Tags", md(", ".join(t.replace("-", " ") for t in record.tags))))
    rows.append(("Language", md(record.language)))
    st.header("Key facts", anchor=False)
    st.table({"Field": [r[0] for r in rows], "Value": [r[1] for r in rows]}, hide_index=True)


def _definition(vocabulary: str, code: str) -> str:
    for term in taxonomy.load_vocabularies()[vocabulary]:
        if term.code == code:
            return term.definition
    return ""


def _organizations(record: CaseRecord) -> None:
    if not record.organizations:
        return
    st.header("Organizations", anchor=False)
    lines = []
    for org in record.organizations:
        details = [taxonomy.label("organization_role", org.role) if org.role else None]
        details.append(taxonomy.label("organization_type", org.type) if org.type else None)
        shown = ", ".join(d for d in details if d)
        lines.append(f"**{md(org.name)}**" + (f" — {md(shown)}" if shown else ""))
    st.markdown(_bullets(lines))


def _review(kb: KnowledgeBase, view: CaseView) -> None:
    st.header("Review and history", anchor=False)
    reviewed = view.record.last_reviewed or "not recorded"
    saved = view.updated_at[:10]
    st.markdown(md(f"Last reviewed: {reviewed}. This is revision {view.revision}, saved {saved}."))
    with st.expander("All revisions of this case"):
        rows = kb.history(view.record.slug)
        st.table(
            {
                "Revision": [str(r.revision) for r in rows],
                "Change": [md(r.action) for r in rows],
                "Date": [r.created_at[:10] for r in rows],
                "Fields changed": [md(", ".join(r.changed_fields)) or "–" for r in rows],
            },
            hide_index=True,
        )


def _related(kb: KnowledgeBase, record: CaseRecord) -> None:
    for heading, cases, empty in (
        ("Similar cases", kb.similar(record.slug, SIMILAR), "No similar cases found yet."),
        (
            "Cities like this one",
            kb.cities_like(record.slug, SIMILAR),
            "No cases yet from cities of the same size band in the same region and income group.",
        ),
    ):
        st.header(heading, anchor=False)
        if not cases:
            st.caption(empty)
        for case in cases:
            _related_case(case)


def _related_case(case: SimilarCase) -> None:
    st.page_link(routes.CASE, label=md(case.title), query_params={"slug": case.slug})
    st.caption(md(f"{case.city}, {case.country_name}. Why: {case.reason}."))


def _citation(view: CaseView) -> None:
    st.header("Cite this case", anchor=False)
    st.caption(
        "Each citation names this revision, today's date as the retrieval date and the data "
        f"licence, {citation.LICENCE}."
    )
    url = citation.case_url(app_base_url(), view.record.slug)
    today = dt.date.today()
    names = {"text": "Plain text", "bibtex": "BibTeX", "csl-json": "CSL-JSON"}
    languages = {"text": None, "bibtex": "latex", "csl-json": "json"}
    for tab, fmt in zip(st.tabs(list(names.values())), names, strict=True):
        with tab:
            st.code(
                citation.cite(view, fmt, retrieved=today, url=url),
                language=languages[fmt],
                wrap_lines=True,
            )


if __name__ == "__main__":
    render()
