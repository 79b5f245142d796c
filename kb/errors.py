"""Domain errors. Each message names the thing and, where there is one, the next step."""

from __future__ import annotations

from dataclasses import dataclass

from kb.i18n.catalogues import _, ngettext


class KbError(Exception):
    """Base class: an error the user can act on (shown without a stack trace)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as FILE:LINE: FIELD: message."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return printable(f"{self.file}:{self.line}:{field} {self.message}")


def printable(text: str) -> str:
    """Text that any terminal can print: lone surrogates (from undecodable bytes or JSON
    escapes such as \\ud800) become escapes instead of raising UnicodeEncodeError."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class InvalidInput(KbError):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{len(problems)} {noun} found; nothing was written.")


class CaseNotFound(KbError):
    def __init__(self, slug: str):
        self.slug = slug
        super().__init__(printable(f"No case with slug {slug!r}. Try `kb search` to find it."))


class RevisionNotFound(KbError):
    def __init__(self, slug: str, revision: int):
        super().__init__(
            f"Case {slug!r} has no revision {revision}. Run `kb history {slug}` to list them."
        )


class DatabaseNotReady(KbError):
    def __init__(self, url: str):
        super().__init__(f"The database at {url} is not initialised. Run `kb init` first.")


class DatabaseTooNew(KbError):
    def __init__(self, url: str, revision: str, head: str | None):
        super().__init__(
            f"The database at {url} was written by a newer version of this software (schema "
            f"revision {revision!r}; this version knows up to {head!r}). Upgrade the software, "
            "or point KB_DATABASE_URL or KB_HOME at another database."
        )


class DatabaseUnreadable(KbError):
    def __init__(self, url: str, reason: str):
        super().__init__(
            f"Cannot read the database at {url}: {reason}. If it is damaged, restore it from a "
            "backup (see README, 'Backup and restore'), or move it aside and run `kb init`."
        )


class UpdateConflict(KbError):
    """The case changed after the caller read it: applying the edit would overwrite that."""

    def __init__(self, slug: str, base: int, current: int):
        self.slug, self.base, self.current = slug, base, current
        super().__init__(
            f"Case {slug!r} has changed since you read it (you edited revision {base}; it is now "
            f"at revision {current}). Nothing was saved. Reload it (`kb show {slug}`), then "
            "apply your change to the current version."
        )


class IndexBusy(KbError):
    def __init__(self, seconds: float):
        super().__init__(
            f"The search index is locked by another process (waited {seconds:g} s). "
            "Try again when the other import or rebuild has finished."
        )


class IndexDamaged(KbError):
    def __init__(self, reason: str):
        super().__init__(
            _(
                "The search index cannot be read ({reason}). Run `kb index rebuild` to rebuild "
                "it from the database (a search also rebuilds it by itself)."
            ).format(reason=reason)
        )


class CatalogueBusy(KbError):
    def __init__(self, seconds: float):
        super().__init__(
            _(
                "Another process is writing to the catalogue (waited {seconds} s). "
                "Try again when the other import has finished."
            ).format(seconds=f"{seconds:g}")
        )


class EmptyBrief(KbError):
    """Nothing matched, so there is nothing to brief on (and no empty file is written)."""

    def __init__(self, query: str | None = None, suggestion: str | None = None, searched: int = 0):
        hint = (
            " " + _("Did you mean '{suggestion}'?").format(suggestion=suggestion)
            if suggestion
            else ""
        )
        if searched:
            message = ngettext(
                "{n} case uses words of '{query}', but none has a passage about it, so no brief "
                "was made.{hint} Try the words a case would use, or fewer filters.",
                "{n} cases use words of '{query}', but none has a passage about it, so no brief "
                "was made.{hint} Try the words a case would use, or fewer filters.",
                searched,
            )
            super().__init__(message.format(n=searched, query=query, hint=hint))
            return
        if query:
            message = _(
                "No case in the catalogue matches '{query}', so no brief was made.{hint} Try "
                "fewer or broader words, or fewer filters; a search shows what the catalogue holds."
            )
        else:
            message = _(
                "No case in the catalogue matches these filters, so no brief was made.{hint} Try "
                "fewer or broader words, or fewer filters; a search shows what the catalogue holds."
            )
        super().__init__(message.format(query=query, hint=hint))
