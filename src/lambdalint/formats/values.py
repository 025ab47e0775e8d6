"""Helpers every format's resolver shares: integer meaning of a value, absolute paths, the
longest text a resolver builds, the typed values every resolver returns (:class:`Literal`,
:class:`Unknown`; each format has its own ``Reference``), and the token for a piece of a value nothing can resolve."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..findings import Location

MAX_TEXT = 65_536  # longest string a substitution may build (hostile templates multiply text)
UNKNOWN_PART = ("unknown",)  # a symbolic-parts token: an unresolvable piece


def to_int(value: Any) -> int | None:
    """``value`` as an integer setting, or None when it has no integer meaning (``.inf``, ``.nan``,
    ``1e400``, a list, "abc"): such a value is unknown, never a violation."""
    if isinstance(value, float) and not math.isfinite(value) or isinstance(value, bool):
        return None  # (True is an int to Python: `memorySize: true` is no 1 MB)
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def is_absolute(path: str) -> bool:
    """``/usr/lib/...``, ``~/src``, ``C:\\code``: a location outside the scanned tree."""
    path = path.strip()
    return path.startswith(("/", "\\", "~")) or bool(re.match(r"[A-Za-z]:[\\/]", path))


@dataclass(frozen=True)
class Literal:
    """A value the document fixes; inside a list or map, pieces that are not literal stay typed."""

    value: Any
    location: Location


@dataclass(frozen=True)
class Unknown:
    """A value only known at deploy time; ``source`` says which expression (for messages)."""

    source: str
    location: Location

    def __str__(self) -> str:
        return self.source
