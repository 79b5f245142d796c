"""Spreadsheet-safe text cells (OWASP "CSV injection").

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, so catalogue text such as `=HYPERLINK(...)` could act when a CSV or workbook is opened.
Every text cell the product writes to CSV or XLSX goes through `neutralise`, which puts a
single quote in front of such a cell. `restore` undoes exactly that on import: a cell that
already began with quotes before such a character gets one quote more on the way out and loses
one on the way in, so export -> import gives back the original text, whatever it was.
"""

from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_RISKY = re.compile(r"'*[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """`=SUM(A1)` -> `'=SUM(A1)`; any other text is returned unchanged."""
    return "'" + text if _RISKY.match(text) else text


def restore(text: str) -> str:
    """The inverse of `neutralise`: `'=SUM(A1)` -> `=SUM(A1)`; other text unchanged."""
    return text[1:] if text.startswith("'") and _RISKY.match(text, 1) else text
