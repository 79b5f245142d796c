"""Page-wide CSS the theme cannot express: visible keyboard focus and wrapping link labels.

- Focus: WCAG 2.2 focus appearance (2.4.11/2.4.13) asks for an indicator at least 2 px thick
  with 3:1 contrast. Streamlit marks a focused page link only with a near-white background,
  so every link and control gets a 3 px outline in the theme's #0b5c84 (7.3:1 on white), set
  2 px off the element so that it also shows around the dark primary buttons.
- Wrapping: page-link labels (result titles, counts) are drawn on one line and cut at the edge
  of a phone screen; here they wrap between words instead.

The selectors are Streamlit's test ids, not a public API: the browser tests check the result.
"""

from __future__ import annotations

import streamlit as st

FOCUS = "#0b5c84"
CSS = f"""<style>
a:focus-visible,
button:focus-visible,
input:focus-visible,
textarea:focus-visible,
summary:focus-visible,
[role="checkbox"]:focus-visible,
[role="switch"]:focus-visible,
[role="combobox"]:focus-visible,
[tabindex]:focus-visible,
label:focus-within:has(input[type="checkbox"]:focus-visible) {{
    outline: 3px solid {FOCUS} !important;
    outline-offset: 2px !important;
    box-shadow: none !important;
}}
[data-testid="stPageLink-NavLink"]:focus-visible {{
    background-color: transparent !important;
}}
[data-testid="stPageLink"] a,
[data-testid="stPageLink"] a * {{
    white-space: normal !important;
    overflow: visible !important;
    text-overflow: clip !important;
    overflow-wrap: break-word;
    max-width: 100%;
    height: auto;
}}
</style>"""


def apply() -> None:
    """Add the CSS to the page (an element without height: nothing is drawn)."""
    st.html(CSS)
