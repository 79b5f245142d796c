"""The `kb` command: a thin shell over KnowledgeBase. Parses flags, calls one method, prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from kb import evidence, taxonomy
from kb.errors import InvalidInput, KbError
from kb.export import EXPORT_FORMATS
from kb.records import CaseRecord, CaseView, Source
from kb.service import KnowledgeBase, Progress

EXIT_INVALID = 2


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into a plain message and an exit status: no stack traces."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_INVALID)
        except KbError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            click.echo(f"error: cannot use the database: {reason}", err=True)
            sys.exit(1)

    return wrapper


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """A progress bar on a terminal; nothing at all when output is not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state.get("done", 0))
        state["done"] = done

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def open_kb() -> KnowledgeBase:
    return KnowledgeBase.open()


def warn_about_index(kb: KnowledgeBase) -> None:
    """Say so when a change was saved but the search index could not follow it, or when a
    read found the index damaged and rebuilt it."""
    for message in (kb.index_error, kb.index_warning):
        if message:
            click.echo(f"warning: {message}", err=True)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Urban Digital Initiatives Knowledge Base.

    Configuration: KB_HOME (folder for the SQLite database and search index, default ./var)
    and KB_DATABASE_URL (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db).

    Example: kb init && kb import data/catalogue && kb stats
    """


@main.command()
@handle_errors
def init() -> None:
    """Create or upgrade the database (idempotent). The catalogue starts empty.

    Example: KB_HOME=/tmp/kb kb init
    """
    with open_kb() as kb:
        click.echo(kb.init())
        warn_about_index(kb)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
@click.option("--actor", help="Who made the change (default: KB_ACTOR or your user name).")
@handle_errors
def import_(paths: tuple[Path, ...], dry_run: bool, actor: str | None) -> None:
    """Import .jsonl, .json or .csv files (or folders of them) in one transaction.

    All input is checked first; if anything is invalid nothing is written and each problem is
    printed as FILE:LINE: FIELD: message (exit status 2).

    Example: kb import data/catalogue my-cases.csv
    """
    with open_kb() as kb, progress_bar("Importing") as progress:
        report = kb.import_files(paths, dry_run=dry_run, actor=actor, progress=progress)
    prefix = "dry run, nothing written: would have " if dry_run else ""
    click.echo(
        f"{prefix}added {report.added}, updated {report.updated}, unchanged {report.unchanged}"
    )
    if report.index_error:
        click.echo(f"warning: {report.index_error}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@handle_errors
def validate(paths: tuple[Path, ...]) -> None:
    """Check files as `kb import` would, without writing anything.

    Example: kb validate data/catalogue
    """
    with open_kb() as kb:
        records, problems = kb.validate(paths)
    if problems:
        raise InvalidInput(problems)
    noun = "record is" if len(records) == 1 else "records are"
    click.echo(f"{len(records)} {noun} valid")


@main.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: standard output).",
)
@handle_errors
def export_(fmt: str, output: Path | None) -> None:
    """Export the catalogue. JSONL and JSON are lossless and byte-stable.

    Example: kb export --format csv -o cases.csv
    """
    with open_kb() as kb:
        text = kb.export(fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the record as JSON.")
@handle_errors
def show(slug: str, as_json: bool) -> None:
    """Show one case.

    Example: kb show barcelona-decidim --json
    """
    with open_kb() as kb:
        view = kb.get(slug)
    if as_json:
        print_json({**view.record.to_dict(), "revision": view.revision, "region": view.region})
    else:
        click.echo(format_case(view))


def format_case(view: CaseView) -> str:
    r = view.record
    years = f"{r.start_year or '?'}" + (f"-{r.end_year}" if r.end_year else "")
    lines = [
        r.title,
        f"{r.city}, {view.country_name} ({view.region}) · {years} · {r.status or 'status unknown'}",
        f"themes: {', '.join(taxonomy.label('theme', t) for t in r.themes)}",
    ]
    if r.inclusion:
        lines.append(f"inclusion: {', '.join(taxonomy.label('inclusion', c) for c in r.inclusion)}")
    lines.append(f"evidence: {evidence.summarise(r).text()}")
    lines += ["", r.summary]
    if r.description:
        lines += ["", r.description]
    lines += _results_lines(r) + _costs_lines(r)
    for heading, items in (("Lessons", r.lessons), ("Challenges", r.challenges)):
        if items:
            lines += ["", f"{heading}:"] + [f"  - {item}" for item in items]
    lines += ["", "Sources:"] + [_source_line(n, s) for n, s in enumerate(r.sources, 1)]
    lines.append(f"\nrevision {view.revision}, last reviewed {r.last_reviewed or 'never'}")
    return "\n".join(lines)


RESULT_HEADINGS = {
    "output": "Outputs (what was delivered)",
    "outcome": "Outcomes (changes in use or behaviour)",
    "impact": "Impacts (longer-term changes)",
    None: "Other results",
}


def _results_lines(r: CaseRecord) -> list[str]:
    """Outcomes under their kind, each with its figure, year and [source number]."""
    groups = evidence.outcomes_by_kind(r)
    if not groups:
        return []
    numbers = evidence.source_numbers(r)
    lines = ["", "Results:"]
    typed = any(kind is not None for kind, _ in groups)
    for kind, items in groups:
        if typed:  # a v1 record's outcomes have no kind: listed without a heading
            lines.append(f"  {RESULT_HEADINGS[kind]}:")
        for o in items:
            figure = evidence.figure_text(o)
            details = [
                f"figure: {figure}" if figure else None,
                f"year: {o.year}" if o.year else None,
            ]
            details.append(f"source [{numbers[o.source]}]" if o.source in numbers else None)
            shown = "; ".join(d for d in details if d)
            lines.append(f"    - {o.text}" + (f" ({shown})" if shown else ""))
    return lines


def _costs_lines(r: CaseRecord) -> list[str]:
    if not r.costs:
        return []
    numbers = evidence.source_numbers(r)
    lines = ["", "Costs:", f"  {evidence.COSTS_AS_STATED}"]
    for c in r.costs:
        source = f" [{numbers[c.source]}]" if c.source in numbers else ""
        lines.append(f"  - {evidence.cost_text(c)}{source}")
        if c.note:
            lines.append(f"    note: {c.note}")
    return lines


def _source_line(n: int, s: Source) -> str:
    """`  [1] Title, Publisher (2020) URL  (Academic study; independent)`."""
    line = f"  [{n}] {s.title}{f', {s.publisher}' if s.publisher else ''}"
    line += f"{f' ({s.year})' if s.year else ''} {s.url}"
    kind = [taxonomy.label("source_type", s.type)] if s.type else []
    kind += ["independent"] if s.is_independent else []
    return line + (f"  ({'; '.join(kind)})" if kind else "")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "--gaps",
    "below",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help="List theme x inclusion and region x theme cells with fewer cases than this.",
)
@handle_errors
def stats(as_json: bool, below: int) -> None:
    """Coverage by theme, inclusion dimension, region and status, and the gaps: theme x
    inclusion and region x theme cells with few cases.

    Example: kb stats --gaps 5 --json
    """
    with open_kb() as kb:
        result = kb.stats()
    if as_json:
        print_json(result.to_dict(gaps_below=below))
        return
    click.echo(f"{result.total} cases in {result.countries} countries, {result.cities} cities")
    for title, counts in (
        ("Themes", result.by_theme),
        ("Inclusion dimensions", result.by_inclusion),
        ("Safeguards", result.by_safeguard),
        ("Regions", result.by_region),
        ("Status", result.by_status),
        ("Income groups", result.by_income_group),
    ):
        click.echo(f"\n{title}:")
        for key, count in counts.items():
            click.echo(f"  {key:<34} {count:>6}")
    inclusion = taxonomy.codes("inclusion")
    click.echo("\nTheme x inclusion (cases):")
    click.echo(" " * 22 + "".join(f"{c[:9]:>10}" for c in inclusion))
    for theme, row in result.matrix.items():
        click.echo(f"{theme:<22}" + "".join(f"{row[c]:>10}" for c in inclusion))
    gaps = result.gaps(below)
    click.echo(f"\nGaps (cells with fewer than {below} cases): {len(gaps)}")
    for gap in gaps:
        click.echo(f"  {gap.table}: {gap.row[1]} x {gap.column[1]}: {gap.cases}")


@main.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def history(slug: str, as_json: bool) -> None:
    """List every revision of a case (deleted cases too).

    Example: kb history barcelona-decidim
    """
    with open_kb() as kb:
        revisions = kb.history(slug)
    if as_json:
        print_json([r.__dict__ | {"changed_fields": list(r.changed_fields)} for r in revisions])
        return
    for r in revisions:
        changed = f" changed: {', '.join(r.changed_fields)}" if r.changed_fields else ""
        note = f" ({r.note})" if r.note else ""
        click.echo(f"{r.revision:>4}  {r.created_at}  {r.action:<8} by {r.actor}{note}{changed}")


@main.command()
@click.argument("slug")
@click.option(
    "--revision", "-r", type=int, required=True, help="Revision number from `kb history`."
)
@click.option("--actor", help="Who made the change.")
@handle_errors
def restore(slug: str, revision: int, actor: str | None) -> None:
    """Make an earlier revision current again (saved as a new revision).

    Example: kb restore barcelona-decidim --revision 1
    """
    with open_kb() as kb:
        new = kb.restore(slug, revision, actor=actor)
        click.echo(f"restored {slug} to revision {revision}; it is now revision {new}")
        warn_about_index(kb)


def _assignment(value: str) -> tuple[str, Any]:
    """FIELD=VALUE, the value read as JSON when it is JSON (a list, a number), else as text."""
    field, sep, raw = value.partition("=")
    if not sep or not field.strip():
        raise click.BadParameter(f"{value!r} is not FIELD=VALUE, e.g. status=scaled")
    try:
        parsed: Any = json.loads(raw)
    except ValueError:
        parsed = raw
    if isinstance(parsed, str | int | float | list | dict) and not isinstance(parsed, bool):
        return field.strip(), parsed
    return field.strip(), raw


@main.command()
@click.argument("slug")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    required=True,
    metavar="FIELD=VALUE",
    help="A field and its new value (JSON for lists and numbers); repeat for several.",
)
@click.option(
    "--base-revision",
    type=int,
    help="The revision you read (`kb show`); refuse if the case has changed since.",
)
@click.option("--actor", help="Who made the change.")
@handle_errors
def edit(
    slug: str, assignments: tuple[str, ...], base_revision: int | None, actor: str | None
) -> None:
    """Change fields of one case; the previous version stays in its history.

    Example: kb edit cairo-harassmap --set engagement=consult --base-revision 1
    """
    try:
        changes = dict(_assignment(a) for a in assignments)
    except click.BadParameter as exc:
        raise click.UsageError(str(exc)) from exc
    with open_kb() as kb:
        new = kb.update(slug, changes, actor=actor, base_revision=base_revision)
        click.echo(f"saved {slug}: {', '.join(changes)} changed; it is now revision {new}")
        warn_about_index(kb)


@main.command()
@click.argument("slug")
@click.option("--actor", help="Who made the change.")
@handle_errors
def delete(slug: str, actor: str | None) -> None:
    """Delete a case. Its history stays; `kb restore` brings it back.

    Example: kb delete old-case && kb restore old-case --revision 1
    """
    with open_kb() as kb:
        kb.delete(slug, actor=actor)
        click.echo(f"deleted {slug}; `kb history {slug}` lists its revisions")
        warn_about_index(kb)


# -- search ----------------------------------------------------------------------------------


def _search_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter options shared by `kb search` (and `kb brief`)."""
    options = [
        click.option(
            "--theme",
            "themes",
            multiple=True,
            type=click.Choice(taxonomy.codes("theme")),
            help="Theme (repeatable: any of them).",
        ),
        click.option(
            "--inclusion",
            multiple=True,
            type=click.Choice(taxonomy.codes("inclusion")),
            help="Inclusion dimension (repeatable).",
        ),
        click.option(
            "--safeguard",
            "safeguards",
            multiple=True,
            type=click.Choice(taxonomy.codes("safeguard")),
            help="Safeguard (repeatable).",
        ),
        click.option(
            "--region", help='UN region, e.g. "Africa" or "Latin America and the Caribbean".'
        ),
        click.option("--country", help="ISO 3166-1 alpha-2 code, e.g. KE."),
        click.option("--status", type=click.Choice(taxonomy.codes("status"))),
        click.option(
            "--size",
            multiple=True,
            type=click.Choice(taxonomy.codes("city_size")),
            help="City size band by population (repeatable).",
        ),
        click.option(
            "--evidence",
            multiple=True,
            type=click.Choice(evidence.codes()),
            help="Evidence the case must have, e.g. evaluation (an evaluation, audit or review), "
            "independent (any independent source), cost, impact (repeatable: all of them).",
        ),
        click.option("--year-from", type=int, help="Started in or after this year."),
        click.option("--year-to", type=int, help="Started in or before this year."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.argument("query", default="")
@_search_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest", "title"]),
    default="relevance",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(0, 1000), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option(
    "--match",
    type=click.Choice(["any", "all"]),
    default="any",
    show_default=True,
    help="any: cases matching more of the words rank higher; all: only cases matching every word.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print query, total, hits, facets and suggestion as JSON.",
)
@handle_errors
def search(query: str, as_json: bool, **options: Any) -> None:
    """Search the catalogue. Synonyms and typos are handled; "quoted phrases", AND / OR / NOT
    and field:value (theme:, country:, region:, status:, tag:) work too. An empty query with
    filters lists the filtered cases.

    Example: kb search "EV charging" --region Africa --json
    """
    with open_kb() as kb:
        result = kb.search(query, **options)
    if result.warning:
        click.echo(f"warning: {result.warning}", err=True)
    if as_json:
        print_json(result.to_dict())
        return
    if result.suggestion:
        click.echo(f"did you mean: {result.suggestion}")
    if result.message:
        click.echo(result.message)
    shown = f"{result.offset + 1}-{result.offset + len(result.hits)} of " if result.hits else ""
    click.echo(f"{shown}{result.total} cases")
    for hit in result.hits:
        year = hit.start_year or "?"
        place = f"{hit.city}, {hit.country_name} · {year} · {hit.status or ''}"
        click.echo(f"\n{hit.title}  [{hit.slug}]\n  {place}")
        click.echo(f"  {hit.summary}")


@main.command()
@click.argument("slug")
@click.option("-n", "count", type=click.IntRange(1, 50), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def similar(slug: str, count: int, as_json: bool) -> None:
    """Cases most similar to SLUG, with the reason each is similar.

    Example: kb similar cairo-harassmap -n 3
    """
    with open_kb() as kb:
        found = kb.similar(slug, count)
        warn_about_index(kb)
    if as_json:
        print_json([c.__dict__ for c in found])
        return
    for case in found:
        click.echo(
            f"{case.title}  [{case.slug}]\n  {case.city}, {case.country_name}: {case.reason}"
        )


@main.group()
def index() -> None:
    """Maintain the search index (a cache of the database, kept in step automatically).

    Example: kb index check
    """


@index.command("rebuild")
@handle_errors
def index_rebuild() -> None:
    """Rebuild the search index from the database, swapping it in atomically.

    Example: kb index rebuild
    """
    with open_kb() as kb, progress_bar("Indexing") as progress:
        count = kb.rebuild_index(progress)
    click.echo(f"indexed {count} cases")


@index.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@handle_errors
def index_check(as_json: bool) -> None:
    """Report cases missing from, stale in, or left over in the search index (exit 1 if any).

    Example: kb index check
    """
    with open_kb() as kb:
        report = kb.check_index()
    if as_json:
        print_json(report.__dict__)
    else:
        click.echo(f"{report.in_database} cases in the database, {report.indexed} in the index")
        for label, slugs in (
            ("missing", report.missing),
            ("stale", report.stale),
            ("extra", report.extra),
        ):
            if slugs:
                click.echo(f"{label} ({len(slugs)}): {', '.join(slugs[:20])}")
        if report.ok:
            click.echo("the index is in step with the database")
        else:
            click.echo("Run `kb index rebuild` to repair the index.")
    if not report.ok:
        sys.exit(1)


# -- briefs ----------------------------------------------------------------------------------


@main.command("brief")
@click.argument("query", required=False)
@_search_options
@click.option("--cases", help="Comma-separated slugs: a brief on these cases instead of a search.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "docx", "pdf", "pptx"]),
    help="md, docx, pdf or pptx slides (default: from the -o file's extension, else md).",
)
@click.option(
    "--max-cases",
    type=click.IntRange(3, 7),
    default=6,
    show_default=True,
    help="Cases to cite, one talking point each.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output, Markdown only).",
)
@handle_errors
def brief_command(
    query: str | None,
    cases: str | None,
    fmt: str | None,
    max_cases: int,
    output: Path | None,
    **filters: Any,
) -> None:
    """Write a cited talking-points brief on a topic (QUERY and filters) or on given cases.

    Starts with a one-minute version (three sentences, each with its reference). Each talking
    point leads with the passage of its case that best fits the topic, then where, since when
    and its status, then one number with its source; cases with no passage on the topic are
    left out. Cases come from different regions, city sizes and statuses, with at least one
    discontinued or contested case when one matches. The risks name every matching case that
    was discontinued, is contested or records a challenge on the topic. Every statement and
    number comes from the catalogue: a cited case's record or a count.

    Example: kb brief "women drivers" -o brief.pptx
    """
    from kb.brief import FORMATS, render

    fmt = fmt or (output.suffix.lstrip(".").lower() if output else "md")
    if fmt not in FORMATS:
        choices = "|".join(FORMATS)
        raise click.UsageError(f"Cannot tell the format from {output}; add --format {choices}.")
    if fmt != "md" and output is None:
        raise click.UsageError(f"A {fmt} brief needs a file: add -o brief.{fmt}.")
    slugs = [s.strip() for s in cases.split(",") if s.strip()] if cases else None
    with open_kb() as kb:
        result = kb.brief(query, slugs=slugs, max_cases=max_cases, **filters)
    data = render(result, fmt)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    output.write_bytes(data)
    click.echo(
        f"wrote {output}: {len(result.points)} talking points, {len(result.references)} references",
        err=True,
    )
