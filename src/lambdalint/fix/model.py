"""What a fix is: text edits to one file, with ruff's applicability levels."""

from __future__ import annotations

from dataclasses import dataclass

# safe: keeps the program's meaning; applied by --fix.
# unsafe: changes behaviour in a way the author should review (when a connection opens, how fresh
#   a value is); applied only with --unsafe-fixes.
# display-only: shown in reports (SARIF, JSON, --diff) but never applied.
SAFE, UNSAFE, DISPLAY_ONLY = "safe", "unsafe", "display-only"
APPLICABILITIES = (SAFE, UNSAFE, DISPLAY_ONLY)


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` (character offsets in the decoded file) with ``replacement``.
    ``start == end`` is an insertion."""

    start: int
    end: int
    replacement: str
    # the same span in bytes of the file as stored (encoding and BOM included), for SARIF
    byte_start: int = -1
    byte_end: int = -1


@dataclass(frozen=True)
class Fix:
    path: str  # relative to the scan root, like Location.path
    edits: tuple[Edit, ...]
    applicability: str
    description: str  # imperative, for --diff headers, JSON and SARIF ("Create the S3 client once ...")
    # rules whose findings the fix may uncover rather than cause: provisioned concurrency that
    # targets $LATEST is rejected outright, so its cost rules (LL202...) only apply once it is fixed
    reveals: tuple[str, ...] = ()

    def applies(self, unsafe: bool) -> bool:
        return self.applicability == SAFE or (unsafe and self.applicability == UNSAFE)


@dataclass(frozen=True)
class Declined:
    """A fixable rule's finding that gets no fix, and why (shown by --fix and --diff)."""

    reason: str


def apply_edits(text: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """Apply non-overlapping edits (any order given) to ``text``."""
    out = []
    position = 0
    for edit in sorted(edits):
        out.append(text[position : edit.start])
        out.append(edit.replacement)
        position = edit.end
    out.append(text[position:])
    return "".join(out)


def overlaps(a: Fix, b: Fix) -> bool:
    """Two fixes conflict when their edits touch the same text, or insert at the same place (two
    hoists after the same import would fight over names and order: the next round does the second)."""
    for x in a.edits:
        for y in b.edits:
            if x.start < y.end and y.start < x.end:
                return True
            if x.start == y.start or x.end == y.end:
                return True
    return False
