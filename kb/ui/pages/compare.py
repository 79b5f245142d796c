"""Compare (`/compare?compare=a,b,c`, else the shortlist's first four): two to four cases side
by side, field by field, the fields that differ marked, sources as links, downloads of the
cases compared. On a phone the table gives way to one card per case (CSS, by screen width)."""

from __future__ import annotations

import streamlit as st

from kb import evidence, taxonomy
from kb.errors import CaseNotFound
from kb.i18n import _, format_number, ngettext
from kb.records import CaseRecord, CaseView
from kb.reference import size_band
from kb.ui import navigation, routes, shortlist
from kb.ui.downloads import case_downloads
from kb.ui.resources import knowledge_base
from kb.ui.state import parse_slugs, slugs_param
from kb.ui.text import country_label, date_label, link, md, region_label

MAX_CASES = 4
EMPTY = "–"
PHONE = 640  # px: below this width the table is replaced by one card per case
LAYOUT_CSS = f"""<style>
@media (max-width: {PHONE}px) {{ .st-key-compare_table {{ display: none; }} }}
@media (min-width: {PHONE + 1}px) {{ .st-key-compare_cards {{ display: none; }} }}
</style>"""


def render() -> None:
    st.set_page_config(layout="wide")
    kb = knowledge_base()
    st.title(_("Compare cases"), anchor=False)
    # the cases ticked for comparison, else the first of the shortlist
    wanted = parse_slugs(st.query_params.get_all("compare")) or shortlist.slugs()
    views, missing = [], []
    for slug in wanted:
        try:
            views.append(kb.get(slug))
        except CaseNotFound:
            missing.append(slug)
    if missing:
        st.warning(
            _("No case with these identifiers, so they are left out: {slugs}").format(
                slugs=md(", ".join(missing))
            )
        )
    if len(views) > MAX_CASES:
        showing = ngettext(
            "Showing the first {shown} of {n} case: compare at most four at once.",
            "Showing the first {shown} of {n} cases: compare at most four at once.",
            len(views),
        )
        st.info(showing.format(shown=format_number(MAX_CASES), n=format_number(len(views))))
        views = views[:MAX_CASES]
    if len(views) < 2:
        _how_to_choose()
        return
    slugs = [v.record.slug for v in views]
    navigation.keep_in_address("compare", slugs_param(slugs))
    with st.container(horizontal=True):
        for view in views:
            navigation.link(
                routes.CASE,
                label=md(view.record.title),
                icon=":material/article:",
                query_params={"slug": view.record.slug},
            )
    only = st.toggle(_("Show only the fields that differ"), key="compare_only_differences")
    rows = _rows(views)
    if only:
        rows = [row for row in rows if row[2]]
    st.caption(_("Fields marked “(differs)”, in bold, are not the same in every case."))
    if any(v.record.costs for v in views):
        st.caption(_(evidence.COSTS_AS_STATED))
    st.html(LAYOUT_CSS)
    with st.container(key="compare_table"):
        st.table(
            comparison(views, rows),
            alt=_("The compared cases, one column each, one row per field."),
        )
    with st.container(key="compare_cards"):
        _cards(views, rows)
    st.subheader(_("Download these cases"), anchor=False)
    case_downloads(
        kb,
        lambda: slugs,
        name_parts=slugs,
        # in the downloaded files: English, as every file's contents
        description="Compared: " + ", ".join(v.record.title for v in views),
        stem="compare",
        key="compare_download",
    )


def _how_to_choose() -> None:
    st.info(
        _(
            "Choose two to four cases: tick “Compare” on search results, or add them to your "
            "shortlist from search results or case pages."
        )
    )
    chosen = shortlist.slugs()
    if len(chosen) >= 2:
        navigation.link(
            routes.COMPARE,
            label=_("Compare the first cases on your shortlist"),
            icon=":material/compare_arrows:",
            query_params={"compare": slugs_param(chosen[:MAX_CASES])},
        )
    navigation.link(routes.SEARCH, label=_("Find cases to compare"), icon=":material/search:")


Row = tuple[str, list[str], bool]  # field name, one Markdown cell per case, differs?


def comparison(views: list[CaseView], rows: list[Row] | None = None) -> dict[str, list[str]]:
    """Columns: the field name (marked when the cases differ), then one per case; every value
    escaped for Markdown cells, sources as links."""
    rows = _rows(views) if rows is None else rows
    headers = _unique([md(v.record.title) for v in views])
    table = {_("Field"): [_field(name, differs) for name, _values, differs in rows]}
    for n, header in enumerate(headers):
        table[header] = [values[n] for _name, values, _differs in rows]
    return table


def _field(name: str, differs: bool) -> str:
    """A field's name; in bold and marked when the cases differ in it."""
    return _("{field} (differs)").format(field=f"**{name}**") if differs else name


def _cards(views: list[CaseView], rows: list[Row]) -> None:
    """The same comparison as one card per case, stacked: for narrow screens."""
    for n, view in enumerate(views):
        with st.container(border=True):
            st.subheader(md(view.record.title), anchor=False)
            st.markdown(
                "  \n".join(
                    _("{field}: {value}").format(field=_field(name, differs), value=values[n])
                    for name, values, differs in rows
                )
            )


def _rows(views: list[CaseView]) -> list[Row]:
    def each(get) -> list[str]:  # noqa: ANN001 - a function of a CaseView
        return [md(value) if (value := get(v)) not in (None, "", ()) else EMPTY for v in views]

    def sources(view: CaseView) -> str:
        items = [link(s.title, s.url) for s in view.record.sources]
        return " • ".join(items) if items else EMPTY

    def labels(vocabulary: str, codes: tuple[str, ...]) -> str:
        return ", ".join(taxonomy.label(vocabulary, c) for c in codes)

    def joined(items: tuple[str, ...]) -> str:
        return " • ".join(items)

    rows = [
        (_("City"), each(lambda v: v.record.city)),
        (_("Country"), each(lambda v: country_label(v.record.country, v.country_name))),
        (_("Region"), each(lambda v: region_label(v.region) if v.region else None)),
        (
            _("City population"),
            each(
                lambda v: (
                    format_number(v.record.city_population) if v.record.city_population else None
                )
            ),
        ),
        (
            _("City size"),
            each(lambda v: (band := size_band(v.record.city_population)) and size_label(band)),
        ),
        (_("Started"), each(lambda v: v.record.start_year)),
        (_("Ended"), each(lambda v: v.record.end_year)),
        (
            _("Status"),
            each(lambda v: v.record.status and taxonomy.label("status", v.record.status)),
        ),
        (_("Themes"), each(lambda v: labels("theme", v.record.themes))),
        (_("Inclusion dimensions"), each(lambda v: labels("inclusion", v.record.inclusion))),
        (_("Safeguards"), each(lambda v: labels("safeguard", v.record.safeguards))),
        (
            _("Public engagement"),
            each(
                lambda v: v.record.engagement and taxonomy.label("engagement", v.record.engagement)
            ),
        ),
        (_("Summary"), each(lambda v: v.record.summary)),
        (
            _("Organizations"),
            each(lambda v: joined(tuple(_org(o) for o in v.record.organizations))),
        ),
        (_("Results"), each(lambda v: joined(v.record.outcome_texts))),
        (_("Lessons"), each(lambda v: joined(v.record.lessons))),
        (_("Challenges"), each(lambda v: joined(v.record.challenges))),
        (_("Source types"), each(lambda v: evidence.summarise(v.record).types_text())),
        (_("Independent sources"), each(lambda v: independent(v.record))),
        (
            _("Costs"),
            each(lambda v: joined(tuple(evidence.cost_text(c) for c in v.record.costs))),
        ),
        (_("Impact outcomes"), each(lambda v: joined(impacts(v.record)))),
        (_("Language"), each(lambda v: v.record.language)),
        (_("Sources"), [sources(v) for v in views]),
        (
            _("Last reviewed"),
            each(lambda v: v.record.last_reviewed and date_label(v.record.last_reviewed)),
        ),
        (_("Revision"), each(lambda v: v.revision)),
    ]
    return [(name, values, len(set(values)) > 1) for name, values in rows]


def size_label(band: str) -> str:
    return taxonomy.label("city_size", band)


def independent(record: CaseRecord) -> str:
    """`2 of 5`, `none of 3`, `1 of 4 (2 of unknown type)`, or `not recorded` when no source
    has a type (in the reader's language)."""
    summary = evidence.summarise(record)
    if summary.untyped == summary.sources:
        return _("not recorded")
    numbers = {
        "independent": format_number(summary.independent),
        "n": format_number(summary.sources),
        "unknown": format_number(summary.untyped),
    }
    if summary.untyped:
        if summary.independent:
            text = _("{independent} of {n} ({unknown} of unknown type)")
        else:
            text = _("none of {n} ({unknown} of unknown type)")
    else:
        text = _("{independent} of {n}") if summary.independent else _("none of {n}")
    return text.format(**numbers)


def impacts(record: CaseRecord) -> tuple[str, ...]:
    return tuple(o.text for o in record.outcomes if o.kind == "impact")


def _org(org) -> str:  # noqa: ANN001 - an Organization
    role = taxonomy.label("organization_role", org.role) if org.role else None
    return _("{name} ({role})").format(name=org.name, role=role) if role else org.name


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


if __name__ == "__main__":
    render()
