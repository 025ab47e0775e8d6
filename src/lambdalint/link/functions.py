"""Which function a record's :class:`~lambdalint.records.FunctionRef` names."""

from __future__ import annotations

from typing import Iterable

from ..formats import arn
from ..project.model import Function
from ..records import FunctionRef


def function_key(function: Function) -> str:
    """The function's key in its document: its logical ID, or its Terraform address."""
    if function.kind.startswith("terraform"):
        return function.address.split("#", 1)[1]
    return function.name


class FunctionIndex:
    """The project's functions by (document, key) and by (document, literal physical name)."""

    def __init__(self, functions: Iterable[Function]):
        self.by_key: dict[tuple[str, str], Function] = {}
        self.by_name: dict[tuple[str, str], Function] = {}
        for f in functions:
            self.by_key[(f.root, function_key(f))] = f
            name = f.physical_name
            if name is not None and name.is_set and isinstance(name.value, str):
                self.by_name.setdefault((f.root, name.value), f)

    def find(self, ref: FunctionRef | None) -> Function | None:
        """The function ``ref`` names within its own document, or None."""
        if ref is None:
            return None
        if ref.key is not None:
            return self.by_key.get((ref.document, ref.key))
        if ref.name is not None:
            parsed = arn.function_and_qualifier(ref.name)
            return self.by_name.get((ref.document, parsed[0])) if parsed is not None else None
        return None
