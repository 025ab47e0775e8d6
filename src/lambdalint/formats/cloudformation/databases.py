"""SAM / CloudFormation database records: each environment variable of a function, with whether it
refers to an RDS resource of the template and its literal value (read by ``link/databases.py``)."""

from __future__ import annotations

import re
from typing import Callable

from ...documents.nodes import Node
from ...findings import Location
from ...records import FunctionRef
from ...records.databases import DatabaseVariable
from ..values import Literal
from .resolve import CFN_FUNCTION, SAM_FUNCTION, Template, prop

RDS_TYPES = ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::RDS::DBProxy", "AWS::RDS::DBProxyEndpoint")


def read(t: Template) -> list[DatabaseVariable]:
    out: list[DatabaseVariable] = []
    for logical_id in sorted(t.resources):
        reader = TABLE.get(t.resource_type(logical_id))
        if reader is not None:
            out += reader(t, logical_id)
    return out


def _function(t: Template, logical_id: str) -> list[DatabaseVariable]:
    """The function's variables (its own ``Environment``, else the SAM Globals one), by name."""
    variables = prop(t.function_prop(logical_id, "Environment"), "Variables")
    if variables is None or not variables.is_map:
        return []
    node = t.resources[logical_id]
    function = FunctionRef(t.path, logical_id, None, None, Location(t.path, node.key_line or node.line, node.key_column or node.column))
    in_vpc = t.function_prop(logical_id, "VpcConfig") is not None
    out = []
    for name, value in sorted(variables.value.items()):
        references = any(t.resource_type(target) in RDS_TYPES for target in _targets(value))
        literal = None if references else t.value(value)
        text = literal.value if isinstance(literal, Literal) and isinstance(literal.value, str) else None
        out.append(DatabaseVariable(function, str(name), t.loc(value), references, text, in_vpc))
    return out


def _targets(node: Node) -> list[str]:
    """Logical IDs a value refers to (Ref, GetAtt, ${X.Attr} in Sub), recursively."""
    out: list[str] = []
    if isinstance(node.value, dict):
        for key, arg in node.value.items():
            if key == "Ref" and isinstance(arg.value, str):
                out.append(arg.value)
            elif key == "Fn::GetAtt" and isinstance(arg.value, list) and arg.value and isinstance(arg.value[0].value, str):
                out.append(arg.value[0].value)
            elif key == "Fn::GetAtt" and isinstance(arg.value, str):
                out.append(arg.value.split(".", 1)[0])
            elif key == "Fn::Sub":
                template = arg.value[0].value if isinstance(arg.value, list) and arg.value else arg.value
                if isinstance(template, str):
                    out.extend(m.split(".", 1)[0] for m in re.findall(r"\$\{([^}!]+)\}", template))
                if isinstance(arg.value, list):
                    out.extend(x for item in arg.value[1:] for x in _targets(item))
            else:
                out.extend(_targets(arg))
    elif isinstance(node.value, list):
        for item in node.value:
            out.extend(_targets(item))
    return out


# one reader per resource type: resource -> records
TABLE: dict[str, Callable[[Template, str], list[DatabaseVariable]]] = {
    SAM_FUNCTION: _function,
    CFN_FUNCTION: _function,
}
