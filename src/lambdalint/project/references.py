"""Functions named by a literal: a physical name (``FunctionName`` / ``function_name``) or an ARN.

Every loader that meets a function written as text (an ARN in a caller, a name in a version,
alias or provisioned-concurrency resource) looks it up here, in the functions of the same
template or root. ``Function.physical_name`` is filled by the format loaders
(project/cloudformation.py, project/terraform.py).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..findings import Location
from .model import Function, Setting, present

# a function name, a partial ARN (123456789012:function:name) or a full ARN, each with an optional qualifier
_ARN = re.compile(r"^(?:arn:[^:]*:lambda:[^:]*:[^:]*:function:|[0-9]{12}:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$")


def functions_by_name(functions: Iterable[Function]) -> dict[str, Function]:
    """Physical name -> function, for the functions whose name is a known literal."""
    return {f.physical_name.value: f for f in functions if f.physical_name is not None and f.physical_name.is_set and isinstance(f.physical_name.value, str)}


def function_named(value: Any, by_name: dict[str, Function], loc: Location) -> tuple[Function | None, Setting | None]:
    """(function, qualifier) a literal name or ARN invokes; qualifier None = unqualified / ``$LATEST``."""
    if not isinstance(value, str):
        return None, None
    m = _ARN.match(value.strip())
    if not m or m.group(1) not in by_name:
        return None, None
    qual = m.group(2)
    return by_name[m.group(1)], (present(qual, loc) if qual and qual != "$LATEST" else None)
