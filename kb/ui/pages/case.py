"""Case (`/case?slug=SLUG`): every field of one case, similar cases with the reason each is
similar, cities like this one, and how to cite it.

In another language than English the title and summary are the case's translation when it has
one (saying who translated it and whether it was reviewed, the English original one click
away); the rest of the record is English catalogue text, and the page says so."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kb import citation, taxonomy
from kb.errors import CaseNotFound
from kb.i18n import DEFAULT, N_, _, current, format_number, language_name
from kb.records import CaseRecord, CaseView, SimilarCase, Translation
from kb.reference import INCOME_GROUPS, size_band
from kb.service import KnowledgeBase
from kb.ui import evidence, navigation, routes, shortlist
from kb.ui.resources import knowledge_base
from kb.ui.text import (
    badges,
    case_facts,
    country_label,
    date_label,
    md,
    region_label,
    sub_region_label,
)
from kb.ui.urls import app_base_url

SIMILAR = 5
ACTIONS = {  # what a revision did (kb.repository), shown with _()
    "create": N_("create"),
    "update": N_("update"),
    "restore": N_("restore"),
    "delete": N_("delete"),
}


def render() -> None:
    kb = knowledge_base()
    slug = st.query_params.get("slug", "")
    try:
        view = kb.get(slug)
    except CaseNotFound:
        not_found(slug)
        return
    record = view.record
    language = current()
    translation = record.translation(language) if language != DEFAULT else None
    title = translation.title if translation else record.title
    st.set_page_config(page_title=_("{title} · Urban digital initiatives").format(title=title))
    navigation.keep_in_address("slug", record.slug)
    st.title(md(title), anchor=False)
    if translation:
        st.caption(_translation_note(translation))
    facts = case_facts(
        city=record.city,
        country_name=country_label(record.country, view.country_name),
        start_year=record.start_year,
        status=record.status,
    )
    st.markdown(facts + "  \n" + badges(record.themes, record.inclusion, record.safeguards))
    shortlist.button(record.slug, key="shortlist_case")
    st.markdown(md(translation.summary if translation else record.summary))
    if translation:
        with st.expander(_("English original"), key="case_english_original"):
            st.markdown(f"**{md(record.title)}**")
            st.markdown(md(record.summary))
    if language != DEFAULT:
        st.caption(
            _("The rest of this case is in English.")
            if translation
            else _("This case is not translated yet: it is shown in English.")
        )
    st.markdown(evidence.summary_markdown(record))
    if record.description:
        st.header(_("Description"), anchor=False)
        st.markdown(md(record.description))
    _facts(view)
    _organizations(record)
    evidence.results(record)
    evidence.costs(record)
    for heading, items in (
        (_("Lessons"), record.lessons),
        (_("Challenges"), record.challenges),
    ):
        if items:
            st.header(heading, anchor=False)
            st.markdown(_bullets([md(item) for item in items]))
    evidence.sources(record)
    _review(kb, view)
    _related(kb, record)
    _citation(view)


def _translation_note(translation: Translation) -> str:
    """Who translated the title and summary, and whether someone has reviewed it."""
    if translation.reviewed:
        return _("Title and summary translated by {translator}, reviewed.").format(
            translator=md(translation.translator)
        )
    return _("Translated, not yet reviewed. Translation: {translator}.").format(
        translator=md(translation.translator)
    )


def not_found(slug: str) -> None:
    st.title(_("Case not found"), anchor=False)
    if slug:
        st.error(
            _(
                "There is no case with the identifier {slug}. It may have been renamed or removed."
            ).format(slug=md(slug))
        )
    else:
        st.error(
            _(
                "No case was named in the link: it should end in {param} and a case identifier."
            ).format(param="?slug=")
        )
    navigation.link(routes.SEARCH, label=_("Back to search"), icon=":material/search:")


def _bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _facts(view: CaseView) -> None:
    record = view.record
    region = _("{region} ({sub_region})").format(
        region=region_label(view.region), sub_region=sub_region_label(view.sub_region)
    )
    rows: list[tuple[str, str]] = [
        (_("City"), md(record.city)),
        (_("Country"), md(country_label(record.country, view.country_name))),
        (_("Region"), md(region)),
    ]
    if view.income_group:
        income = INCOME_GROUPS.get(view.income_group)
        rows.append(
            (
                _("Country income group (World Bank)"),
                md(_(income) if income else view.income_group),
            )
        )
    if record.city_population:
        rows.append((_("City population"), format_number(record.city_population)))
    if band := size_band(record.city_population):
        rows.append((_("City size"), md(taxonomy.label("city_size", band))))
    if record.latitude is not None and record.longitude is not None:
        rows.append((_("Coordinates"), f"{record.latitude:.4f}, {record.longitude:.4f}"))
    if record.start_year is not None:
        rows.append((_("Started"), str(record.start_year)))
    if record.end_year is not None:
        rows.append((_("Ended"), str(record.end_year)))
    if record.status:
        rows.append((_("Status"), md(_term("status", record.status))))
    if record.engagement:
        rows.append((_("Public engagement"), md(_term("engagement", record.engagement))))
    for name, vocabulary, codes in (
        (_("Themes"), "theme", record.themes),
        (_("Inclusion dimensions"), "inclusion", record.inclusion),
        (_("Safeguards"), "safeguard", record.safeguards),
    ):
        if codes:
            rows.append((name, md(", ".join(taxonomy.label(vocabulary, c) for c in codes))))
    if record.tags:  # catalogue keywords, in English
        rows.append((_("Tags"), md(", ".join(t.replace("-", " ") for t in record.tags))))
    rows.append((_("Language"), md(language_name(record.language))))
    st.header(_("Key facts"), anchor=False)
    st.table({_("Field"): [r[0] for r in rows], _("Value"): [r[1] for r in rows]}, hide_index=True)


def _term(vocabulary: str, code: str) -> str:
    """`Pilot: A trial ...`: a term's label and definition in the reader's language."""
    return _("{term}: {definition}").format(
        term=taxonomy.label(vocabulary, code), definition=taxonomy.definition(vocabulary, code)
    )


def _organizations(record: CaseRecord) -> None:
    if not record.organizations:
        return
    st.header(_("Organizations"), anchor=False)
    lines = []
    for org in record.organizations:
        details = [taxonomy.label("organization_role", org.role) if org.role else None]
        details.append(taxonomy.label("organization_type", org.type) if org.type else None)
        shown = ", ".join(d for d in details if d)
        lines.append(f"**{md(org.name)}**" + (f" — {md(shown)}" if shown else ""))
    st.markdown(_bullets(lines))


def _review(kb: KnowledgeBase, view: CaseView) -> None:
    st.header(_("Review and history"), anchor=False)
    saved = date_label(view.updated_at[:10])
    if view.record.last_reviewed:
        text = _("Last reviewed: {reviewed}. This is revision {revision}, saved {saved}.").format(
            reviewed=date_label(view.record.last_reviewed), revision=view.revision, saved=saved
        )
    else:
        text = _("Last reviewed: not recorded. This is revision {revision}, saved {saved}.").format(
            revision=view.revision, saved=saved
        )
    st.markdown(md(text))
    with st.expander(_("All revisions of this case"), key="case_revisions"):
        rows = kb.history(view.record.slug)
        st.table(
            {
                _("Revision"): [str(r.revision) for r in rows],
                _("Change"): [
                    md(_(ACTIONS[r.action]) if r.action in ACTIONS else r.action) for r in rows
                ],
                _("Date"): [date_label(r.created_at[:10]) for r in rows],
                # the record's field names, as in its exported files
                _("Fields changed"): [md(", ".join(r.changed_fields)) or "–" for r in rows],
            },
            hide_index=True,
        )


def _related(kb: KnowledgeBase, record: CaseRecord) -> None:
    for heading, cases, empty in (
        (_("Similar cases"), kb.similar(record.slug, SIMILAR), _("No similar cases found yet.")),
        (
            _("Cities like this one"),
            kb.cities_like(record.slug, SIMILAR),
            _(
                "No cases yet from cities of the same size band in the same region and income "
                "group."
            ),
        ),
    ):
        st.header(heading, anchor=False)
        if not cases:
            st.caption(empty)
        for case in cases:
            _related_case(case)


def _related_case(case: SimilarCase) -> None:
    navigation.link(routes.CASE, label=md(case.title), query_params={"slug": case.slug})
    country = country_label(None, case.country_name)
    st.caption(
        md(
            _("{city}, {country}. Why: {reason}.").format(
                city=case.city, country=country, reason=case.reason
            )
        )
    )


def _citation(view: CaseView) -> None:
    st.header(_("Cite this case"), anchor=False)
    st.caption(
        _(
            "Each citation names this revision, today's date as the retrieval date and the "
            "data licence, {licence}."
        ).format(licence=citation.LICENCE)
    )
    url = citation.case_url(app_base_url(), view.record.slug)
    today = dt.date.today()
    names = {"text": _("Plain text"), "bibtex": "BibTeX", "csl-json": "CSL-JSON"}
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
