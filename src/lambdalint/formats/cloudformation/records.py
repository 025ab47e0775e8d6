"""A template's records: one reader per concern, each with its table of resource types.

The table of every concern lives in its module (``TABLE`` in functions.py, callers.py, api.py,
security.py, databases.py, alarms.py, scaling.py); this module only says which reader answers
which concern. Adding a format means writing the same readers for it (see CONTRIBUTING.md).
"""

from __future__ import annotations

from typing import Callable

from ...records import DocumentRecords, collect
from . import alarms, api, callers, databases, functions, scaling, security
from .resolve import Template

READERS: dict[str, Callable[[Template, Callable[[str], bool]], list]] = {
    "functions": lambda t, exists: functions.read(t, exists),
    "api": lambda t, exists: api.read(t),
    "security": lambda t, exists: security.read(t),
    "callers": lambda t, exists: callers.read(t),
    "databases": lambda t, exists: databases.read(t),
    "alarms": lambda t, exists: alarms.read(t),
    "scaling": lambda t, exists: scaling.read(t),
}


def read(t: Template, exists: Callable[[str], bool]) -> DocumentRecords:
    """Every record of ``t``; ``exists(rel)`` tells whether a code path is in the scanned tree."""
    return collect(t.path, READERS, t, exists)
