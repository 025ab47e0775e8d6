"""Located trees that the template and Terraform parsers produce.

They are plain, picklable dataclasses so parsing can run in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


class LoadError(Exception):
    """A file could not be parsed. ``line``/``column`` are 1-based."""

    def __init__(self, reason: str, line: int = 1, column: int = 1):
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


@dataclass(slots=True)
class Node:
    """One YAML/JSON value with its source span.

    ``value`` is ``dict[str, Node]`` for mappings, ``list[Node]`` for sequences, or a scalar
    (str, int, float, bool, None). Short-form intrinsics are long-formed: ``!Ref X`` becomes a
    mapping ``{"Ref": Node("X")}``, ``!GetAtt A.B`` becomes ``{"Fn::GetAtt": Node([A, B])}``.
    ``key_line``/``key_column`` locate this value's key in its parent mapping (0 when it has none):
    findings about a property are reported there.
    """

    value: Any
    line: int
    column: int
    end_line: int
    end_column: int
    key_line: int = 0
    key_column: int = 0

    def get(self, key: str) -> "Node | None":
        if isinstance(self.value, dict):
            return self.value.get(key)
        return None

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    def plain(self) -> Any:
        """The value without positions (dicts, lists, scalars)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


@dataclass(slots=True)
class Expr:
    """A Terraform expression we keep as source text, e.g. ``var.memory`` or ``aws_lambda_function.x.arn``."""

    text: str
    # for ``jsonencode(...)`` calls: the converted arguments (with positions), else None
    call_args: Any = field(default=None, compare=False, repr=False)


class ObjectValue(dict):
    """A Terraform object literal: a dict that also knows where each key is written.

    ``positions[key]`` is the (line, column) of that key, 1-based, so findings about one entry of
    a map (one environment variable, one policy statement key) can be reported on its own line.
    """

    def __init__(self, *args, positions: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.positions: dict = positions or {}


@dataclass(slots=True)
class HclTemplateString:
    """A Terraform string with interpolations, e.g. ``"${var.name}-orders"``: kept as text without quotes."""

    text: str


HclValue = Union[str, int, float, bool, None, Expr, HclTemplateString, list, dict]


@dataclass(slots=True)
class Attribute:
    name: str
    value: Any  # HclValue; nested lists/dicts hold HclValues
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Block:
    type: str  # "resource", "module", "variable", "locals", "snap_start", ...
    labels: list[str]  # unquoted: ["aws_lambda_function", "orders"]
    line: int
    column: int
    end_line: int
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list["Block"] = field(default_factory=list)

    def attr(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    def children(self, type_: str) -> list["Block"]:
        return [b for b in self.blocks if b.type == type_]
