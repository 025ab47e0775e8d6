"""Terraform database records: each environment variable of a function, with whether it refers to
an RDS instance, cluster or proxy and its literal value (read by ``link/databases.py``)."""

from __future__ import annotations

import re
from typing import Callable

from ...documents.nodes import Attribute, Block, Expr, HclTemplateString
from ...findings import Location
from ...records import FunctionRef
from ...records.databases import DatabaseVariable
from .resolve import Root

RDS_REFERENCE = re.compile(r"\b(aws_db_instance|aws_rds_cluster|aws_rds_cluster_instance|aws_rds_cluster_endpoint|aws_db_proxy|aws_db_proxy_endpoint)\.")


def read(root: Root) -> list[DatabaseVariable]:
    out: list[DatabaseVariable] = []
    modules: set[str] = set()
    for path, block in root.blocks:
        if block.type == "resource" and len(block.labels) == 2:
            reader = TABLE.get(block.labels[0])
            if reader is not None:
                out += reader(root, path, block)
        elif block.type == "module" and len(block.labels) == 1 and block.labels[0] not in modules:
            modules.add(block.labels[0])  # Terraform rejects a second module of that name: read the first
            out += _module(root, path, block)
    return out


def _function(root: Root, path: str, block: Block) -> list[DatabaseVariable]:
    if root.resources.get(("aws_lambda_function", block.labels[1]), (None, None))[1] is not block:
        return []  # a second block of the same address: the root keeps the last one
    env = next(iter(block.children("environment")), None)
    attr = env.attr("variables") if env is not None else None
    key = f"aws_lambda_function.{block.labels[1]}"
    return _variables(root, path, block, key, attr, in_vpc=bool(block.children("vpc_config")))


def _module(root: Root, path: str, block: Block) -> list[DatabaseVariable]:
    """A lambda module's ``environment_variables`` (other modules name no function of the project)."""
    attr = block.attr("environment_variables")
    return _variables(root, path, block, f"module.{block.labels[0]}", attr, in_vpc=block.attr("vpc_subnet_ids") is not None)


def _variables(root: Root, path: str, block: Block, key: str, attr: Attribute | None, in_vpc: bool) -> list[DatabaseVariable]:
    """Variables of a map written in place, by name, each located at the map."""
    if attr is None or not isinstance(attr.value, dict):
        return []
    function = FunctionRef(root.document, key, None, None, Location(path, block.line, block.column))
    where = Location(path, attr.line, attr.column)
    out = []
    for name, value in sorted(attr.value.items()):
        references = isinstance(value, (Expr, HclTemplateString)) and bool(RDS_REFERENCE.search(value.text))
        literal = None if references else root.resolve(value)
        out.append(DatabaseVariable(function, str(name), where, references, literal if isinstance(literal, str) else None, in_vpc))
    return out


# one reader per resource type: resource block -> records (module blocks: _module)
TABLE: dict[str, Callable[[Root, str, Block], list[DatabaseVariable]]] = {
    "aws_lambda_function": _function,
}
