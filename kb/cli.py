"""The `kb` command: a thin shell over KnowledgeBase. Parses flags, calls one method, prints.

It speaks the six UN languages: `kb --lang fr ...` (or `--lang` after the command), else the
locale of the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else
English. Headings, counts, messages and the help texts are translated (kb.i18n); JSON, exports
and the problems found in data files (FILE:LINE: FIELD: message) stay as they are, in English.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from kb import evidence, taxonomy
from kb.errors import InvalidInput, KbError
from kb.export import EXPORT_FORMATS
from kb.i18n import (
    DEFAULT,
    LANGUAGES,
    N_,
    _,
    current,
    negotiate,
    ngettext,
    region_name,
    use,
)
from kb.i18n.language import set_current
from kb.i18n.shown import city_label, country_label, region_label
from kb.records import CaseRecord, CaseView, Source
from kb.service import KnowledgeBase, Progress

EXIT_INVALID = 2


# -- languages -------------------------------------------------------------------------------


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, as gettext reads it: LC_ALL, else LC_MESSAGES,
    else LANG names the locale; unless it is C or POSIX, LANGUAGE (a colon-separated list of
    preferences) comes first. 'ru_RU.UTF-8' -> ru; nothing supported -> en."""
    environ = os.environ if environ is None else environ
    locale = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    if not locale or locale.split(".")[0] in ("C", "POSIX"):
        return DEFAULT
    return negotiate([*environ.get("LANGUAGE", "").split(":"), locale])


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        set_current(value.lower())


def _language_option() -> click.Option:
    return TranslatedOption(
        ["--lang", "language"],
        type=click.Choice(LANGUAGES, case_sensitive=False),
        is_eager=True,  # before --help, so that `kb --lang fr stats --help` is in French
        expose_value=False,
        callback=_choose_language,
        help=N_("Output language (default: from LANG, else en)."),
    )


@contextmanager
def _translated(obj: Any, *names: str) -> Iterator[None]:
    """Show an object's help texts (English, marked with N_) in the reader's language."""
    saved = {name: getattr(obj, name) for name in names}
    for name, value in saved.items():
        if value:
            setattr(obj, name, _(value))
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(obj, name, value)


class TranslatedOption(click.Option):
    """An option whose help text is translated when shown."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        with _translated(self, "help"):
            return super().get_help_record(ctx)


class TranslatedCommand(click.Command):
    """A command with a --lang option whose help text is translated when shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(_language_option())

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, "help"):
            super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self, "help", "short_help"):
            return super().get_short_help_str(limit)


class TranslatedGroup(TranslatedCommand, click.Group):
    command_class = TranslatedCommand
    group_class = type  # subgroups are of this class too


class Root(TranslatedGroup):
    """The `kb` command: every run reads its language from the environment, and whatever a
    run chose (--lang) ends with it (tests invoke the command many times in one process)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with use(environment_language()):
            return super().main(*args, **kwargs)


def option(*names: str, **attrs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """click.option with a help text translated when shown (mark it with N_)."""
    return click.option(*names, cls=TranslatedOption, **attrs)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain errors into a plain message and an exit status: no stack traces."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            for problem in exc.problems:  # FILE:LINE: FIELD: message, in English
                click.echo(str(problem), err=True)
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(EXIT_INVALID)
        except KbError as exc:
            click.echo(_("error: {message}").format(message=exc), err=True)
            sys.exit(1)
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            message = _("cannot use the database: {reason}").format(reason=reason)
            click.echo(_("error: {message}").format(message=message), err=True)
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
            click.echo(_("warning: {message}").format(message=message), err=True)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(
    cls=Root,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "Urban Digital Initiatives Knowledge Base.\n\n"
        "Configuration: KB_HOME (folder for the SQLite database and search index, default "
        "./var) and KB_DATABASE_URL (any SQLAlchemy URL, e.g. "
        "postgresql+psycopg://user@host/db). The language of the output: --lang, else "
        "LANGUAGE, LC_ALL or LANG (ar, zh, en, fr, ru, es), else English.\n\n"
        "Example: kb init && kb import data/catalogue && kb --lang fr stats"
    ),
)
def main() -> None:
    pass


@main.command(
    help=N_(
        "Create or upgrade the database (idempotent). The catalogue starts empty.\n\n"
        "Example: KB_HOME=/tmp/kb kb init"
    )
)
@handle_errors
def init() -> None:
    with open_kb() as kb:
        click.echo(kb.init())
        warn_about_index(kb)


@main.command(
    "import",
    help=N_(
        "Import .jsonl, .json or .csv files (or folders of them) in one transaction.\n\n"
        "All input is checked first; if anything is invalid nothing is written and each "
        "problem is printed as FILE:LINE: FIELD: message (exit status 2).\n\n"
        "Example: kb import data/catalogue my-cases.csv"
    ),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("--dry-run", is_flag=True, help=N_("Check and count, write nothing."))
@option("--actor", help=N_("Who made the change (default: KB_ACTOR or your user name)."))
@handle_errors
def import_(paths: tuple[Path, ...], dry_run: bool, actor: str | None) -> None:
    with open_kb() as kb, progress_bar(_("Importing")) as progress:
        report = kb.import_files(paths, dry_run=dry_run, actor=actor, progress=progress)
    counts = {"added": report.added, "updated": report.updated, "unchanged": report.unchanged}
    if dry_run:
        said = _(
            "dry run, nothing written: would have added {added}, updated {updated}, "
            "unchanged {unchanged}"
        )
    else:
        said = _("added {added}, updated {updated}, unchanged {unchanged}")
    click.echo(said.format(**counts))
    if report.index_error:
        click.echo(_("warning: {message}").format(message=report.index_error), err=True)


@main.command(
    help=N_(
        "Check files as `kb import` would, without writing anything.\n\n"
        "Example: kb validate data/catalogue"
    )
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@handle_errors
def validate(paths: tuple[Path, ...]) -> None:
    with open_kb() as kb:
        records, problems = kb.validate(paths)
    if problems:
        raise InvalidInput(problems)
    n = len(records)
    click.echo(ngettext("{n} record is valid", "{n} records are valid", n).format(n=n))


@main.command(
    "export",
    help=N_(
        "Export the catalogue. JSONL and JSON are lossless and byte-stable; the file is the "
        "same whatever the language of the output.\n\n"
        "Example: kb export --format csv -o cases.csv"
    ),
)
@option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True)
@option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("File (default: standard output)."),
)
@handle_errors
def export_(fmt: str, output: Path | None) -> None:
    with open_kb() as kb:
        text = kb.export(fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(_("wrote {path}").format(path=output), err=True)
    else:
        click.echo(text, nl=False)


@main.command(
    help=N_(
        "Show one case. In another language than English its title and summary are shown in "
        "translation where the case has one; the rest is as recorded.\n\n"
        "Example: kb show barcelona-decidim --json"
    )
)
@click.argument("slug")
@option("--json", "as_json", is_flag=True, help=N_("Print the record as JSON."))
@handle_errors
def show(slug: str, as_json: bool) -> None:
    with open_kb() as kb:
        view = kb.get(slug)
    if as_json:
        print_json({**view.record.to_dict(), "revision": view.revision, "region": view.region})
    else:
        click.echo(format_case(view))


def format_case(view: CaseView) -> str:
    """The case as text: in another language than English, its translated title and summary
    (where it has them, with who translated them), places and labels in that language; its
    other fields as recorded."""
    r = view.record
    language = current()
    translation = r.translation(language) if language != (r.language or DEFAULT) else None
    years = f"{r.start_year or '?'}" + (f"-{r.end_year}" if r.end_year else "")
    status = _status(r.status) if r.status else _("status unknown")
    place = _("{city}, {country} ({region})").format(
        city=city_label(r.city),
        country=country_label(r.country, view.country_name),
        region=region_label(view.region),
    )
    themes = ", ".join(taxonomy.label("theme", t) for t in r.themes)
    lines = [
        translation.title if translation else r.title,
        f"{place} · {years} · {status}",
        _("themes: {labels}").format(labels=themes),
    ]
    if r.inclusion:
        labels = ", ".join(taxonomy.label("inclusion", c) for c in r.inclusion)
        lines.append(_("inclusion: {labels}").format(labels=labels))
    lines.append(_("evidence: {summary}").format(summary=evidence.summarise(r).text()))
    lines += ["", translation.summary if translation else r.summary]
    if translation:
        said = _("(Title and summary in translation. Translator: {translator}. Reviewed: {yes}.)")
        yes = _("yes") if translation.reviewed else _("no")
        lines.append(said.format(translator=translation.translator, yes=yes))
    if r.description:
        lines += ["", r.description]
    lines += _results_lines(r) + _costs_lines(r)
    for heading, items in ((N_("Lessons"), r.lessons), (N_("Challenges"), r.challenges)):
        if items:
            lines += ["", _("{heading}:").format(heading=_(heading))]
            lines += [f"  - {item}" for item in items]
    lines += ["", _("Sources:")] + [_source_line(n, s) for n, s in enumerate(r.sources, 1)]
    reviewed = r.last_reviewed or _("never")
    said = _("revision {revision}, last reviewed {date}")
    lines.append("\n" + said.format(revision=view.revision, date=reviewed))
    return "\n".join(lines)


def _status(code: str) -> str:
    """A status as `kb show` prints it: the code in English, the label in other languages."""
    return code if current() == DEFAULT else taxonomy.label("status", code)


RESULT_HEADINGS = {
    "output": N_("Outputs (what was delivered)"),
    "outcome": N_("Outcomes (changes in use or behaviour)"),
    "impact": N_("Impacts (longer-term changes)"),
    None: N_("Other results"),
}


def _results_lines(r: CaseRecord) -> list[str]:
    """Outcomes under their kind, each with its figure, year and [source number]."""
    groups = evidence.outcomes_by_kind(r)
    if not groups:
        return []
    numbers = evidence.source_numbers(r)
    lines = ["", _("Results:")]
    typed = any(kind is not None for kind, _items in groups)
    for kind, items in groups:
        if typed:  # a v1 record's outcomes have no kind: listed without a heading
            lines.append("  " + _("{heading}:").format(heading=_(RESULT_HEADINGS[kind])))
        for o in items:
            figure = evidence.figure_text(o)
            details = [
                _("figure: {figure}").format(figure=figure) if figure else None,
                _("year: {year}").format(year=o.year) if o.year else None,
            ]
            if o.source in numbers:
                details.append(_("source [{number}]").format(number=numbers[o.source]))
            shown = "; ".join(d for d in details if d)
            lines.append(f"    - {o.text}" + (f" ({shown})" if shown else ""))
    return lines


def _costs_lines(r: CaseRecord) -> list[str]:
    if not r.costs:
        return []
    numbers = evidence.source_numbers(r)
    lines = ["", _("Costs:"), f"  {evidence.COSTS_AS_STATED}"]
    for c in r.costs:
        source = f" [{numbers[c.source]}]" if c.source in numbers else ""
        lines.append(f"  - {evidence.cost_text(c)}{source}")
        if c.note:
            lines.append("    " + _("note: {note}").format(note=c.note))
    return lines


def _source_line(n: int, s: Source) -> str:
    """`  [1] Title, Publisher (2020) URL  (Academic study; independent)`."""
    line = f"  [{n}] {s.title}{f', {s.publisher}' if s.publisher else ''}"
    line += f"{f' ({s.year})' if s.year else ''} {s.url}"
    kind = [taxonomy.label("source_type", s.type)] if s.type else []
    kind += [_("independent")] if s.is_independent else []
    return line + (f"  ({'; '.join(kind)})" if kind else "")


INCOME_GROUPS = {
    "low": N_("Low income"),
    "lower-middle": N_("Lower-middle income"),
    "upper-middle": N_("Upper-middle income"),
    "high": N_("High income"),
}


def _stat_key(vocabulary: str | None, key: str) -> str:
    """A row of `kb stats`: the code in English (as before), its label in other languages."""
    if current() == DEFAULT:
        return key
    if vocabulary == "region":
        return region_name(key)
    if vocabulary == "income":
        return _(INCOME_GROUPS[key]) if key in INCOME_GROUPS else key
    return taxonomy.label(vocabulary, key) if vocabulary else key


@main.command(
    help=N_(
        "Coverage by theme, inclusion dimension, region and status, and the gaps: theme x "
        "inclusion and region x theme cells with few cases.\n\n"
        "Example: kb stats --gaps 5 --json"
    )
)
@option("--json", "as_json", is_flag=True, help=N_("Print as JSON."))
@option(
    "--gaps",
    "below",
    type=click.IntRange(1, 1000),
    default=3,
    show_default=True,
    help=N_("List theme x inclusion and region x theme cells with fewer cases than this."),
)
@handle_errors
def stats(as_json: bool, below: int) -> None:
    with open_kb() as kb:
        result = kb.stats()
    if as_json:
        print_json(result.to_dict(gaps_below=below))
        return
    click.echo(
        _("{cases} in {countries}, {cities}").format(
            cases=ngettext("{n} case", "{n} cases", result.total).format(n=result.total),
            countries=ngettext("{n} country", "{n} countries", result.countries).format(
                n=result.countries
            ),
            cities=ngettext("{n} city", "{n} cities", result.cities).format(n=result.cities),
        )
    )
    for title, vocabulary, counts in (
        (N_("Themes"), "theme", result.by_theme),
        (N_("Inclusion dimensions"), "inclusion", result.by_inclusion),
        (N_("Safeguards"), "safeguard", result.by_safeguard),
        (N_("Regions"), "region", result.by_region),
        (N_("Status"), "status", result.by_status),
        (N_("Income groups"), "income", result.by_income_group),
    ):
        click.echo("\n" + _("{heading}:").format(heading=_(title)))
        rows = {_stat_key(vocabulary, key): count for key, count in counts.items()}
        width = max([34, *(len(row) + 1 for row in rows)])
        for row, count in rows.items():
            click.echo(f"  {row:<{width}} {count:>6}")
    inclusion = taxonomy.codes("inclusion")
    click.echo("\n" + _("Theme x inclusion (cases):"))
    click.echo(" " * 22 + "".join(f"{c[:9]:>10}" for c in inclusion))
    for theme, row in result.matrix.items():
        click.echo(f"{theme:<22}" + "".join(f"{row[c]:>10}" for c in inclusion))
    gaps = result.gaps(below)
    said = ngettext(
        "Gaps (cells with fewer than {below} case): {n}",
        "Gaps (cells with fewer than {below} cases): {n}",
        below,
    )
    click.echo("\n" + said.format(below=below, n=len(gaps)))
    for gap in gaps:
        click.echo(f"  {gap.table}: {gap.row[1]} x {gap.column[1]}: {gap.cases}")


@main.command(
    help=N_(
        "List every revision of a case (deleted cases too).\n\n"
        "Example: kb history barcelona-decidim"
    )
)
@click.argument("slug")
@option("--json", "as_json", is_flag=True, help=N_("Print as JSON."))
@handle_errors
def history(slug: str, as_json: bool) -> None:
    with open_kb() as kb:
        revisions = kb.history(slug)
    if as_json:
        print_json([r.__dict__ | {"changed_fields": list(r.changed_fields)} for r in revisions])
        return
    for r in revisions:
        changed = ""
        if r.changed_fields:
            changed = " " + _("changed: {fields}").format(fields=", ".join(r.changed_fields))
        note = f" ({r.note})" if r.note else ""
        by = _("{action} by {actor}").format(action=f"{r.action:<8}", actor=r.actor)
        click.echo(f"{r.revision:>4}  {r.created_at}  {by}{note}{changed}")


@main.command(
    help=N_(
        "Make an earlier revision current again (saved as a new revision).\n\n"
        "Example: kb restore barcelona-decidim --revision 1"
    )
)
@click.argument("slug")
@option("--revision", "-r", type=int, required=True, help=N_("Revision number from `kb history`."))
@option("--actor", help=N_("Who made the change."))
@handle_errors
def restore(slug: str, revision: int, actor: str | None) -> None:
    with open_kb() as kb:
        new = kb.restore(slug, revision, actor=actor)
        said = _("restored {slug} to revision {revision}; it is now revision {new}")
        click.echo(said.format(slug=slug, revision=revision, new=new))
        warn_about_index(kb)


def _assignment(value: str) -> tuple[str, Any]:
    """FIELD=VALUE, the value read as JSON when it is JSON (a list, a number), else as text."""
    field, sep, raw = value.partition("=")
    if not sep or not field.strip():
        said = _("{value} is not FIELD=VALUE, e.g. status=scaled")
        raise click.BadParameter(said.format(value=repr(value)))
    try:
        parsed: Any = json.loads(raw)
    except ValueError:
        parsed = raw
    if isinstance(parsed, str | int | float | list | dict) and not isinstance(parsed, bool):
        return field.strip(), parsed
    return field.strip(), raw


@main.command(
    help=N_(
        "Change fields of one case; the previous version stays in its history.\n\n"
        "Example: kb edit cairo-harassmap --set engagement=consult --base-revision 1"
    )
)
@click.argument("slug")
@option(
    "--set",
    "assignments",
    multiple=True,
    required=True,
    metavar="FIELD=VALUE",
    help=N_("A field and its new value (JSON for lists and numbers); repeat for several."),
)
@option(
    "--base-revision",
    type=int,
    help=N_("The revision you read (`kb show`); refuse if the case has changed since."),
)
@option("--actor", help=N_("Who made the change."))
@handle_errors
def edit(
    slug: str, assignments: tuple[str, ...], base_revision: int | None, actor: str | None
) -> None:
    try:
        changes = dict(_assignment(a) for a in assignments)
    except click.BadParameter as exc:
        raise click.UsageError(str(exc)) from exc
    with open_kb() as kb:
        new = kb.update(slug, changes, actor=actor, base_revision=base_revision)
        said = _("saved {slug}: {fields} changed; it is now revision {new}")
        click.echo(said.format(slug=slug, fields=", ".join(changes), new=new))
        warn_about_index(kb)


@main.command(
    help=N_(
        "Delete a case. Its history stays; `kb restore` brings it back.\n\n"
        "Example: kb delete old-case && kb restore old-case --revision 1"
    )
)
@click.argument("slug")
@option("--actor", help=N_("Who made the change."))
@handle_errors
def delete(slug: str, actor: str | None) -> None:
    with open_kb() as kb:
        kb.delete(slug, actor=actor)
        click.echo(_("deleted {slug}; `kb history {slug}` lists its revisions").format(slug=slug))
        warn_about_index(kb)


# -- search ----------------------------------------------------------------------------------


def _search_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter options shared by `kb search` (and `kb brief`)."""
    options = [
        option(
            "--theme",
            "themes",
            multiple=True,
            type=click.Choice(taxonomy.codes("theme")),
            help=N_("Theme (repeatable: any of them)."),
        ),
        option(
            "--inclusion",
            multiple=True,
            type=click.Choice(taxonomy.codes("inclusion")),
            help=N_("Inclusion dimension (repeatable)."),
        ),
        option(
            "--safeguard",
            "safeguards",
            multiple=True,
            type=click.Choice(taxonomy.codes("safeguard")),
            help=N_("Safeguard (repeatable)."),
        ),
        option(
            "--region", help=N_('UN region, e.g. "Africa" or "Latin America and the Caribbean".')
        ),
        option("--country", help=N_("ISO 3166-1 alpha-2 code, e.g. KE.")),
        option("--status", type=click.Choice(taxonomy.codes("status"))),
        option(
            "--size",
            multiple=True,
            type=click.Choice(taxonomy.codes("city_size")),
            help=N_("City size band by population (repeatable)."),
        ),
        option(
            "--evidence",
            multiple=True,
            type=click.Choice(evidence.codes()),
            help=N_(
                "Evidence the case must have, e.g. evaluation (an evaluation, audit or review), "
                "independent (any independent source), cost, impact (repeatable: all of them)."
            ),
        ),
        option("--year-from", type=int, help=N_("Started in or after this year.")),
        option("--year-to", type=int, help=N_("Started in or before this year.")),
    ]
    for decorate in reversed(options):
        func = decorate(func)
    return func


@main.command(
    help=N_(
        'Search the catalogue. Synonyms and typos are handled; "quoted phrases", AND / OR / '
        "NOT and field:value (theme:, country:, region:, status:, tag:) work too. An empty "
        "query with filters lists the filtered cases.\n\n"
        'Example: kb search "EV charging" --region Africa --json'
    )
)
@click.argument("query", default="")
@_search_options
@option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest", "title"]),
    default="relevance",
    show_default=True,
)
@option("--limit", type=click.IntRange(0, 1000), default=10, show_default=True)
@option("--offset", type=click.IntRange(0), default=0)
@option(
    "--match",
    type=click.Choice(["any", "all"]),
    default="any",
    show_default=True,
    help=N_(
        "any: cases matching more of the words rank higher; all: only cases matching every word."
    ),
)
@option(
    "--json",
    "as_json",
    is_flag=True,
    help=N_("Print query, total, hits, facets and suggestion as JSON."),
)
@handle_errors
def search(query: str, as_json: bool, **options: Any) -> None:
    with open_kb() as kb:
        result = kb.search(query, **options)
    if result.warning:
        click.echo(_("warning: {message}").format(message=result.warning), err=True)
    if as_json:
        print_json(result.to_dict())
        return
    if result.suggestion:
        click.echo(_("did you mean: {suggestion}").format(suggestion=result.suggestion))
    if result.message:
        click.echo(result.message)
    total = result.total
    if result.hits:
        first, last = result.offset + 1, result.offset + len(result.hits)
        said = ngettext("{first}-{last} of {n} case", "{first}-{last} of {n} cases", total)
        click.echo(said.format(first=first, last=last, n=total))
    else:
        click.echo(ngettext("{n} case", "{n} cases", total).format(n=total))
    for hit in result.hits:
        year = hit.start_year or "?"
        place = f"{hit.city}, {hit.country_name} · {year} · {hit.status or ''}"
        click.echo(f"\n{hit.title}  [{hit.slug}]\n  {place}")
        click.echo(f"  {hit.summary}")


@main.command(
    help=N_(
        "Cases most similar to SLUG, with the reason each is similar.\n\n"
        "Example: kb similar cairo-harassmap -n 3"
    )
)
@click.argument("slug")
@option("-n", "count", type=click.IntRange(1, 50), default=5, show_default=True)
@option("--json", "as_json", is_flag=True, help=N_("Print as JSON."))
@handle_errors
def similar(slug: str, count: int, as_json: bool) -> None:
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


@main.group(
    help=N_(
        "Maintain the search index (a cache of the database, kept in step automatically).\n\n"
        "Example: kb index check"
    )
)
def index() -> None:
    pass


@index.command(
    "rebuild",
    help=N_(
        "Rebuild the search index from the database, swapping it in atomically.\n\n"
        "Example: kb index rebuild"
    ),
)
@handle_errors
def index_rebuild() -> None:
    with open_kb() as kb, progress_bar(_("Indexing")) as progress:
        count = kb.rebuild_index(progress)
    click.echo(ngettext("indexed {n} case", "indexed {n} cases", count).format(n=count))


@index.command(
    "check",
    help=N_(
        "Report cases missing from, stale in, or left over in the search index (exit 1 if "
        "any).\n\n"
        "Example: kb index check"
    ),
)
@option("--json", "as_json", is_flag=True, help=N_("Print as JSON."))
@handle_errors
def index_check(as_json: bool) -> None:
    with open_kb() as kb:
        report = kb.check_index()
    if as_json:
        print_json(report.__dict__)
    else:
        said = ngettext(
            "{n} case in the database, {indexed} in the index",
            "{n} cases in the database, {indexed} in the index",
            report.in_database,
        )
        click.echo(said.format(n=report.in_database, indexed=report.indexed))
        for label, slugs in (
            (N_("missing"), report.missing),
            (N_("stale"), report.stale),
            (N_("extra"), report.extra),
        ):
            if slugs:
                click.echo(f"{_(label)} ({len(slugs)}): {', '.join(slugs[:20])}")
        if report.ok:
            click.echo(_("the index is in step with the database"))
        else:
            click.echo(_("Run `kb index rebuild` to repair the index."))
    if not report.ok:
        sys.exit(1)


# -- briefs ----------------------------------------------------------------------------------


@main.command(
    "brief",
    help=N_(
        "Write a cited talking-points brief on a topic (QUERY and filters) or on given "
        "cases.\n\n"
        "Starts with a one-minute version (three sentences, each with its reference). Each "
        "talking point leads with the passage of its case that best fits the topic, then where, "
        "since when and its status, then one number with its source; cases with no passage on "
        "the topic are left out. Cases come from different regions, city sizes and statuses, "
        "with at least one discontinued or contested case when one matches. The risks name "
        "every matching case that was discontinued, is contested or records a challenge on the "
        "topic. Every statement and number comes from the catalogue: a cited case's record or "
        "a count.\n\n"
        "In another language (--lang) the brief's own words are translated, each case's title "
        "and summary are its translation where it has one, and the case details quoted in "
        "English are marked (English); a note under the title says so.\n\n"
        'Example: kb brief "women drivers" -o brief.pptx'
    ),
)
@click.argument("query", required=False)
@_search_options
@option("--cases", help=N_("Comma-separated slugs: a brief on these cases instead of a search."))
@option(
    "--format",
    "fmt",
    type=click.Choice(["md", "docx", "pdf", "pptx"]),
    help=N_("md, docx, pdf or pptx slides (default: from the -o file's extension, else md)."),
)
@option(
    "--max-cases",
    type=click.IntRange(3, 7),
    default=6,
    show_default=True,
    help=N_("Cases to cite, one talking point each."),
)
@option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("File to write (default: standard output, Markdown only)."),
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
    from kb.brief import FORMATS, render

    fmt = fmt or (output.suffix.lstrip(".").lower() if output else "md")
    if fmt not in FORMATS:
        said = _("Cannot tell the format from {output}; add --format {choices}.")
        raise click.UsageError(said.format(output=output, choices="|".join(FORMATS)))
    if fmt != "md" and output is None:
        said = _("A {format} brief needs a file: add -o brief.{format}.")
        raise click.UsageError(said.format(format=fmt))
    slugs = [s.strip() for s in cases.split(",") if s.strip()] if cases else None
    with open_kb() as kb:  # the brief is written in the language of the command (--lang)
        result = kb.brief(query, slugs=slugs, max_cases=max_cases, **filters)
    data = render(result, fmt)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    output.write_bytes(data)
    points, references = len(result.points), len(result.references)
    said = _("wrote {output}: {points}, {references}").format(
        output=output,
        points=ngettext("{n} talking point", "{n} talking points", points).format(n=points),
        references=ngettext("{n} reference", "{n} references", references).format(n=references),
    )
    click.echo(said, err=True)
