"""Each environment variable of a function as its own located entry (for LL501).

``Function.environment`` holds the resolved map; rules that judge one variable need more: the
line of its key, and whether its value was *written* as a literal or as an expression. A
``!Ref`` to a parameter with a default resolves to a literal, but it is still a reference in the
source, and that is what LL501 is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..documents.nodes import Expr, HclTemplateString, Node, ObjectValue
from ..findings import Location


@dataclass(frozen=True)
class EnvVar:
    name: str
    location: Location  # the line of the variable's key
    literal: bool  # the value is written as a literal (string, number, boolean)
    value: Any = None  # the literal when ``literal``, else None
    source: str = ""  # the expression text when not a literal
    scope: str = ""  # "Globals" for SAM Globals variables, else ""


def _is_intrinsic_map(node: Node) -> bool:
    return node.is_map and len(node.value) == 1 and next(iter(node.value)).startswith(("Fn::", "Ref", "Condition"))


def from_cfn(path: str, variables: Node | None, scope: str = "") -> list[EnvVar]:
    """Entries of a template's ``Environment.Variables`` mapping (intrinsics are not literals)."""
    if variables is None or not variables.is_map or _is_intrinsic_map(variables):
        return []
    out = []
    for name, node in variables.value.items():
        location = Location(path, node.key_line or node.line, node.key_column or node.column)
        if isinstance(node.value, (dict, list)):
            fn = next(iter(node.value), "") if isinstance(node.value, dict) else "list"
            out.append(EnvVar(str(name), location, False, None, str(fn), scope))
        else:
            out.append(EnvVar(str(name), location, True, node.value, "", scope))
    return out


def from_terraform(path: str, value: Any, fallback: Location) -> list[EnvVar]:
    """Entries of a Terraform ``variables`` / ``environment_variables`` object literal."""
    if not isinstance(value, dict):
        return []  # var.env, merge(...), local.env: not literals here
    positions = value.positions if isinstance(value, ObjectValue) else {}
    out = []
    for name, item in value.items():
        line_col = positions.get(name)
        location = Location(path, *line_col) if line_col else fallback
        if isinstance(item, (Expr, HclTemplateString)):
            out.append(EnvVar(str(name), location, False, None, item.text))
        elif isinstance(item, (dict, list)):
            out.append(EnvVar(str(name), location, False, None, "object"))
        else:
            out.append(EnvVar(str(name), location, True, item))
    return out
