"""Explore (`/explore`): what the catalogue covers. Every chart has a text alternative: a table
with the same numbers, and for the theme × inclusion matrix a link per cell that opens the
matching search."""

from __future__ import annotations

from collections import Counter

import altair as alt
import pandas as pd
import streamlit as st

from kb import taxonomy
from kb.records import Stats
from kb.reference import countries
from kb.service import KnowledgeBase
from kb.ui import routes
from kb.ui.resources import knowledge_base
from kb.ui.state import SearchState
from kb.ui.text import md, plural

CHART_HEIGHT = 260


def render() -> None:
    st.set_page_config(layout="wide")
    kb = knowledge_base()
    stats = kb.stats()
    st.title("Explore the catalogue", anchor=False)
    with st.container(horizontal=True):
        st.metric("Cases", f"{stats.total:,}")
        st.metric("Countries", f"{stats.countries:,}")
        st.metric("Cities", f"{stats.cities:,}")
    if not stats.total:
        st.info("The catalogue is empty.")
        return
    _matrix(stats)
    cities, years = _places(kb)
    left, right = st.columns(2)
    with left:
        _bars(
            "Cases by region",
            pd.DataFrame(
                {"Region": list(stats.by_region), "Cases": list(stats.by_region.values())}
            ),
            "Region",
        )
    with right:
        status = {taxonomy.label("status", k): v for k, v in stats.by_status.items()}
        _bars(
            "Status",
            pd.DataFrame({"Status": list(status), "Cases": list(status.values())}),
            "Status",
        )
    _years(years)
    _map(cities)


def search_link_params(theme: str, inclusion: str) -> dict[str, list[str]]:
    return SearchState(theme=(theme,), inclusion=(inclusion,)).to_params()  # type: ignore[return-value]


def _matrix(stats: Stats) -> None:
    st.header("Themes by inclusion dimension", anchor=False)
    st.caption(
        "How many cases address each theme and each inclusion dimension. "
        "Choose a cell, or a link below the chart, to see those cases."
    )
    rows = [
        {
            "theme": theme,
            "inclusion": dim,
            "Theme": taxonomy.label("theme", theme),
            "Inclusion": taxonomy.label("inclusion", dim),
            "Cases": n,
        }
        for theme, row in stats.matrix.items()
        for dim, n in row.items()
    ]
    frame = pd.DataFrame(rows)
    pick = alt.selection_point(fields=["theme", "inclusion"], name="cell")
    base = alt.Chart(frame, height=alt.Step(44), width="container").encode(
        x=alt.X(
            "Inclusion:N",
            title="Inclusion dimension",
            sort=None,
            axis=alt.Axis(labelAngle=-30, labelOverlap=False, labelLimit=200),
        ),
        y=alt.Y("Theme:N", title=None, sort=None, axis=alt.Axis(labelLimit=150)),
    )
    heat = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "Cases:Q",
            scale=alt.Scale(scheme="blues"),
            legend=alt.Legend(title="Cases", orient="bottom"),
        ),
        tooltip=["Theme", "Inclusion", "Cases"],
    )
    labels = base.mark_text(fontSize=13).encode(
        text="Cases:Q",
        color=alt.condition(
            alt.datum.Cases > frame["Cases"].max() / 2, alt.value("white"), alt.value("black")
        ),
    )
    event = st.altair_chart(
        (heat + labels).add_params(pick),
        key="matrix_chart",
        on_select="rerun",
        selection_mode="cell",
        alt="Heat map of cases by theme and inclusion dimension; "
        "the same numbers are listed below it as links.",
    )
    chosen = (event or {}).get("selection", {}).get("cell") or []
    if chosen:
        cell = chosen[0]
        st.switch_page(
            routes.SEARCH, query_params=search_link_params(cell["theme"], cell["inclusion"])
        )
    with st.expander("The same counts as links", expanded=False):
        for theme, row in stats.matrix.items():
            st.subheader(taxonomy.label("theme", theme), anchor=False)
            with st.container(horizontal=True):
                for dim, n in row.items():
                    st.page_link(
                        routes.SEARCH,
                        label=f"{taxonomy.label('inclusion', dim)}: {plural(n, 'case')}",
                        query_params=search_link_params(theme, dim),
                    )


def _bars(title: str, frame: pd.DataFrame, field: str) -> None:
    st.header(title, anchor=False)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Cases:Q", title="Cases"),
            y=alt.Y(f"{field}:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
            tooltip=[field, "Cases"],
        )
        .properties(height=CHART_HEIGHT)
    )
    st.altair_chart(chart, alt=f"Bar chart: {title.lower()}; the table below has the same numbers.")
    st.table(frame, hide_index=True)


def _years(years: pd.DataFrame) -> None:
    st.header("Cases by start year", anchor=False)
    if years.empty:
        st.caption("No case has a start year.")
        return
    chart = (
        alt.Chart(years)
        .mark_bar()
        .encode(
            x=alt.X("Year:O", title="Start year"), y=alt.Y("Cases:Q"), tooltip=["Year", "Cases"]
        )
        .properties(height=CHART_HEIGHT)
    )
    first, last = int(years["Year"].min()), int(years["Year"].max())
    st.altair_chart(
        chart, alt=f"Bar chart of cases by start year, {first} to {last}; a table follows."
    )
    with st.expander("Cases by start year as a table"):
        st.table(years.astype({"Year": str}), hide_index=True)


def _map(cities: pd.DataFrame) -> None:
    st.header("Map of cities", anchor=False)
    located = cities.dropna(subset=["latitude", "longitude"])
    st.caption(
        f"{len(located)} cities with known coordinates; the size of a dot grows with its cases."
    )
    st.map(
        located,
        latitude="latitude",
        longitude="longitude",
        size="radius",
        alt=f"World map with a dot for each of {len(located)} cities; "
        "a table of the cities follows.",
    )
    with st.expander("Cities as a table"):
        table = cities.sort_values(["Cases", "City"], ascending=[False, True])[
            ["City", "Country", "Cases"]
        ]
        st.table(
            table.assign(City=table["City"].map(md), Country=table["Country"].map(md)),
            hide_index=True,
        )


def _places(kb: KnowledgeBase) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases per city (with coordinates) and per start year, from all records; cached per
    catalogue version, since it reads every record."""
    return _places_at(kb.settings.url, kb.version())


@st.cache_data(show_spinner="Counting cases by city and year…", max_entries=4)
def _places_at(database: str, version: int) -> tuple[pd.DataFrame, pd.DataFrame]:  # noqa: ARG001
    records = knowledge_base().records()
    names = countries()
    by_city: Counter[tuple[str, str]] = Counter((r.city, r.country) for r in records)
    where = {
        (r.city, r.country): (r.latitude, r.longitude) for r in records if r.latitude is not None
    }
    cities = pd.DataFrame(
        [
            {
                "City": city,
                "Country": names[code].name if code in names else code,
                "latitude": where.get((city, code), (None, None))[0],
                "longitude": where.get((city, code), (None, None))[1],
                "Cases": n,
                "radius": 20000 + 15000 * n,
            }
            for (city, code), n in by_city.items()
        ]
    )
    years = Counter(r.start_year for r in records if r.start_year is not None)
    frame = pd.DataFrame(sorted(years.items()), columns=["Year", "Cases"])
    return cities, frame


if __name__ == "__main__":
    render()
