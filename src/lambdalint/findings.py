"""Locations, findings and notices: the values every stage of the pipeline passes on."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("error", "warning", "note")
LEVEL_RANK = {"note": 1, "warning": 2, "error": 3}


@dataclass(frozen=True, order=True)
class Location:
    """A span in a scanned file. ``path`` is POSIX, relative to the scan root; lines and columns are 1-based."""

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Related:
    """Evidence that belongs to a finding but lives elsewhere (SARIF ``relatedLocations``)."""

    location: Location
    message: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    level: str
    message: str
    location: Location
    related: tuple[Related, ...] = ()
    # What the finding is about (resource address, function qualname, ...): the part of the
    # baseline fingerprint that survives line shifts.
    subject: str = ""
    suppression: str | None = None  # justification when suppressed in source

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message, self.subject)


@dataclass(frozen=True, order=True)
class Notice:
    """Something the user should know that is not a finding: a skipped file, a file needing a newer Python."""

    path: str
    line: int
    message: str
    level: str = "warning"  # SARIF notification level: error | warning | note


@dataclass(frozen=True)
class ParseFailure:
    """A file of a kind we analyse that could not be parsed. Becomes an LL001 finding."""

    path: str
    line: int
    column: int
    reason: str


def fingerprint(finding: Finding, base: str = "") -> str:
    """A stable identity for a finding that ignores line numbers, so code that merely moved
    keeps matching its baseline entry: rule, file, subject and the message with digits that
    look like positions removed.

    ``base`` is the scan root's path inside the repository: paths are keyed from the
    repository root, so a baseline made from the root matches a run from a subfolder."""
    import hashlib
    import re

    message = re.sub(r"\b(line|lines|col|column) \d+\b", r"\1 N", finding.message)
    message = re.sub(r":\d+(:\d+)?\b", ":N", message)
    path, subject = finding.location.path, finding.subject
    if base:
        path = _rebase(path, base)
        # subjects start with the file or folder they are about ("app.py:handler", "main.tf#...")
        cut = min((i for i in (subject.find("#"), subject.find(":")) if i >= 0), default=len(subject))
        if cut:
            subject = _rebase(subject[:cut], base) + subject[cut:]
    key = "\x1f".join((finding.rule_id, path, subject, message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rebase(path: str, base: str) -> str:
    import posixpath

    if path.startswith("/"):
        return path
    return posixpath.normpath(posixpath.join(base, path))
