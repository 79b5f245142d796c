"""The Explore page's charts (Altair / Vega-Lite), built to be honest and to fit a phone.

- Colour scales start at 1: a cell with no case is white with a dashed border and reads "0",
  so zero never looks like a small count.
- Year axes are continuous: the data has every year, zeros included (kb.coverage).
- Long axis labels wrap onto several lines rather than being cut, and charts take the width
  of their column, so they fit a 390-pixel screen.
- The map draws a world basemap shipped in data/reference (Natural Earth, inline TopoJSON):
  no tile server, no request leaving the machine.
- Field names in the data are fixed English identifiers ("Cases", "Year", ...); what a reader
  sees (axis, legend and tooltip titles) is given in the reader's language, at render time.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import altair as alt
import pandas as pd

from kb.config import DATA_DIR
from kb.i18n import _

WORLD_FILE = DATA_DIR / "reference" / "world-countries-110m.json"
BLUES = ["#c6dbef", "#08306b"]  # light to dark; white is kept for zero
BAR_COLOUR = "#0b5c84"
HEIGHT = 260
WRAP = r"split(datum.label, '\n')"  # a Vega expression: labels broken where wrapped() broke them
LINE = 18  # characters per line of an axis label
INK = "#333333"  # axis text: 12.6:1 on white
EMPTY_EDGE = "#6b6b6b"  # the dashed frame of a cell with no case: 5.3:1 on white


def wrapped(frame: pd.DataFrame, *fields: str) -> pd.DataFrame:
    """A copy whose `fields` hold labels broken into short lines, so that axis labels wrap
    instead of being cut or overlapping at phone width."""
    return frame.assign(
        **{
            f: frame[f].map(
                lambda text: "\n".join(textwrap.wrap(str(text), LINE, break_long_words=False))
            )
            for f in fields
        }
    )


def cells_frame(
    table: Mapping[str, Mapping[str, int]],
    params: tuple[str, str],
    titles: tuple[str, str],
    label: Callable[[str, str], str],
) -> pd.DataFrame:
    """A two-way table as rows for a heat map: the codes (for links), labels and counts.
    `titles` name the label columns (fixed identifiers: heat_map() is told what to show)."""
    return pd.DataFrame(
        [
            {
                params[0]: row,
                params[1]: column,
                titles[0]: label(params[0], row),
                titles[1]: label(params[1], column),
                "Cases": n,
            }
            for row, counts in table.items()
            for column, n in counts.items()
        ]
    )


def heat_map(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str | None = None,
    y_title: str | None = None,
    name: str | None = None,
) -> alt.Chart:
    """Counts as coloured cells with the number written in each; `name` makes cells
    selectable (a point selection over the code columns). Column labels stand upright, so
    they never overlap however narrow the columns; row labels wrap. `x_title` and `y_title`
    title the tooltips (in the reader's language; the field names by default)."""
    top = max(int(frame["Cases"].max()), 1)
    base = alt.Chart(wrapped(frame, y), height=alt.Step(52), width="container").encode(
        x=alt.X(
            f"{x}:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelAngle=-90, labelLimit=0, labelFontSize=12, labelOverlap=False),
        ),
        y=alt.Y(
            f"{y}:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelLimit=0, labelExpr=WRAP, labelFontSize=12, labelOverlap=False),
        ),
    )
    zero = alt.datum.Cases == 0
    cells = base.mark_rect().encode(
        color=alt.condition(
            zero,
            alt.value("#ffffff"),
            alt.Color(
                "Cases:Q",
                scale=alt.Scale(domain=[1, top], range=BLUES),
                legend=alt.Legend(title=_("Cases (white: none)"), orient="bottom"),
            ),
        ),
        stroke=alt.value("#ffffff"),
        strokeWidth=alt.value(1.5),
        tooltip=[
            alt.Tooltip(f"{y}:N", title=y_title or y),
            alt.Tooltip(f"{x}:N", title=x_title or x),
            alt.Tooltip("Cases:Q", title=_("Cases")),
        ],
    )
    # an unfilled dashed frame on each empty cell: clicks pass through to the cell below
    empty = base.transform_filter(zero).mark_rect(
        filled=False, stroke=EMPTY_EDGE, strokeDash=[4, 3], strokeWidth=1.5, aria=False
    )
    labels = base.mark_text(fontSize=14).encode(
        text="Cases:Q",
        color=alt.condition(alt.datum.Cases > top / 2, alt.value("white"), alt.value("#111111")),
    )
    chart = cells + empty + labels
    if name:
        codes = [c for c in frame.columns if c not in (x, y, "Cases")]
        chart = chart.add_params(alt.selection_point(fields=codes, name=name))
    return readable(chart)


def readable(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Dark axis and legend text (Vega's default grey is faint on white)."""
    return chart.configure_axis(labelColor=INK, titleColor=INK).configure_legend(
        labelColor=INK, titleColor=INK
    )


def bars(frame: pd.DataFrame, field: str, title: str | None = None) -> alt.Chart:
    """Horizontal bars of `Cases` by `field`; `title` names the field in tooltips."""
    return readable(
        alt.Chart(frame, height=HEIGHT, width="container")
        .mark_bar(color=BAR_COLOUR)
        .encode(
            x=alt.X("Cases:Q", title=_("Cases"), axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y(
                f"{field}:N", title=None, sort=None, axis=alt.Axis(labelLimit=0, labelExpr=WRAP)
            ),
            tooltip=[
                alt.Tooltip(f"{field}:N", title=title or field),
                alt.Tooltip("Cases:Q", title=_("Cases")),
            ],
        )
    )


def years(frame: pd.DataFrame) -> alt.Chart:
    """Bars on a continuous year axis (the frame has every year, zeros included)."""
    return readable(
        alt.Chart(frame, height=HEIGHT, width="container")
        .mark_bar(color=BAR_COLOUR)
        .encode(
            x=alt.X(
                "Year:O",
                title=_("Start year"),
                axis=alt.Axis(labelAngle=-90, labelOverlap="greedy", labelSeparation=4),
            ),
            y=alt.Y("Cases:Q", title=_("Cases"), axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[
                alt.Tooltip("Year:O", title=_("Year")),
                alt.Tooltip("Cases:Q", title=_("Cases")),
            ],
        )
    )


@cache
def world_topology() -> dict[str, Any]:
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))


def world_map(cities: pd.DataFrame) -> alt.LayerChart:
    """Country outlines from the bundled basemap, a dot per city sized by its cases (the
    frame's `City`, `Country`, `latitude`, `longitude` and `Cases` columns)."""
    land = alt.Chart(
        alt.InlineData(
            values=world_topology(), format=alt.TopoDataFormat(type="topojson", feature="countries")
        )
    ).mark_geoshape(fill="#e4e4e4", stroke="#ffffff", strokeWidth=0.5, aria=False)
    dots = (
        alt.Chart(cities)
        .mark_circle(color=BAR_COLOUR, opacity=0.75, stroke="#ffffff", strokeWidth=0.8)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("Cases:Q", scale=alt.Scale(range=[25, 500]), legend=None),
            tooltip=[
                alt.Tooltip("City:N", title=_("City")),
                alt.Tooltip("Country:N", title=_("Country")),
                alt.Tooltip("Cases:Q", title=_("Cases")),
            ],
        )
    )
    return alt.layer(land, dots).project("equalEarth").properties(width="container", height=380)
