"""Functions named by a literal: a physical name (``FunctionName`` / ``function_name``) or an ARN.

Every loader that meets a function written as text (an ARN in a caller, a name in a version,
alias or provisioned-concurrency resource) looks it up here, in the functions of the same
template or root. ``Function.physical_name`` is filled by the format loaders
(formats/cloudformation/functions.py, formats/terraform/functions.py).
"""

from __future__ import annotations

from typing import Any, Iterable

from ..findings import Location
from ..formats import arn
from .model import Function, Qualifier



def functions_by_name(functions: Iterable[Function]) -> dict[str, Function]:
    """Physical name -> function, for the functions whose name is a known literal."""
    return {f.physical_name.value: f for f in functions if f.physical_name is not None and f.physical_name.is_set and isinstance(f.physical_name.value, str)}


def function_named(value: Any, by_name: dict[str, Function], loc: Location) -> tuple[Function | None, Qualifier | None]:
    """(function, qualifier) a literal name or ARN invokes; qualifier None = unqualified / ``$LATEST``."""
    parsed = arn.function_and_qualifier(value)
    if parsed is None or parsed[0] not in by_name:
        return None, None
    name, qual = parsed
    return by_name[name], (arn.invoked_qualifier(qual, loc) if qual else None)
