"""A Terraform root's records: one reader per concern, each with its table of resource types.

The table of every concern lives in its module (``TABLE`` in functions.py, callers.py, api.py,
security.py, databases.py, alarms.py, scaling.py); this module only says which reader answers
which concern. Adding a format means writing the same readers for it (see CONTRIBUTING.md).
"""

from __future__ import annotations

from typing import Callable

from ...records import DocumentRecords, collect
from . import alarms, api, callers, databases, functions, scaling, security
from .resolve import Root

READERS: dict[str, Callable[[Root, Callable[[str], bool]], list]] = {
    "functions": lambda root, exists: functions.read(root, exists),
    "api": lambda root, exists: api.read(root),
    "security": lambda root, exists: security.read(root),
    "callers": lambda root, exists: callers.read(root),
    "databases": lambda root, exists: databases.read(root),
    "alarms": lambda root, exists: alarms.read(root),
    "scaling": lambda root, exists: scaling.read(root),
}


def first_path(root: Root) -> str:
    """Where a problem with the whole root is reported: its first file."""
    return min((path for path, _ in root.blocks), default=root.dir or ".")


def read(root: Root, exists: Callable[[str], bool]) -> DocumentRecords:
    """Every record of ``root`` and of the local module instances it creates (``root.instances``,
    modules.py: each names its functions within its own ``document``, so one document's records
    are linked together and a root's ``module.api.function_name`` finds the module's function);
    ``exists(rel)`` tells whether a code path is in the scanned tree."""
    parts = (root, *root.instances)
    readers = {concern: (lambda _, exists, reader=reader: [r for part in parts for r in reader(part, exists)]) for concern, reader in READERS.items()}
    return collect(first_path(root), readers, root, exists)
