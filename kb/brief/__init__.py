"""Talking-points briefs: from a topic (or a shortlist) to a cited brief a panelist can say.

Inside: `gathering` (the cases matching a topic, through the service, with their passages
ranked for it), `topic` (which passage fits a topic), `selection` (relevant and diverse cases,
counts over all matches), `content` (the content rules: points, one-minute version, risks,
reach, references), `model` (the Brief and its parts), and the renderers: `markdown`,
`documents` (Word, PDF), `slides` (PowerPoint), `render` (one entry for every format).
The service layer uses `make_brief`; the CLI and the app use `render`.

A brief is written in one language, `make_brief(..., language=None)` (default: the reader's,
kb.i18n.current(), so `with use("fr"): kb.brief(...)` or the app's current language gives a
French brief); it carries it (`Brief.language`) and every renderer prints it in it.
"""

from kb.brief.content import MAX_CASES, MIN_CASES
from kb.brief.gathering import make_brief
from kb.brief.model import Brief
from kb.brief.render import FORMATS, MEDIA_TYPES, render

__all__ = ["FORMATS", "MAX_CASES", "MEDIA_TYPES", "MIN_CASES", "Brief", "make_brief", "render"]
