"""Project-wide linking after every template and Terraform root is loaded: callers and failure
handling (project/events.py), CloudWatch alarms (link/alarms.py) and database endpoints in
environment variables (LL401). Called once from ``engine.build_project``."""

from __future__ import annotations

import re
from typing import Any

from ..documents.nodes import Expr, HclTemplateString, Node
from ..findings import Location
from ..formats.cloudformation.resolve import Literal, prop
from .model import Function, Project

_CFN_DB_TYPES = ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::RDS::DBProxy", "AWS::RDS::DBProxyEndpoint")
_TF_DB_REF = re.compile(r"\b(aws_db_instance|aws_rds_cluster|aws_rds_cluster_instance|aws_rds_cluster_endpoint|aws_db_proxy|aws_db_proxy_endpoint)\.")
_DB_NAME = re.compile(r"(^|_)(DB|DATABASE|RDS|PG|POSTGRES|POSTGRESQL|MYSQL|MARIADB|AURORA|SQL)(_|$|HOST)", re.I)
_DB_URL = re.compile(r"^(postgres|postgresql|mysql|mariadb|oracle|mssql|sqlserver)(\+[a-z0-9]+)?://", re.I)


def crosslink(project: Project, templates: list, roots: list) -> None:
    """``templates``: cloudformation.Template per template; ``roots``: terraform.Root per root."""
    from ..formats.cloudformation import alarms as template_alarms
    from ..formats.terraform import alarms as root_alarms
    from ..link.alarms import link_alarms
    from . import events

    for t in templates:
        functions = [f for f in project.functions if f.kind in ("sam", "cloudformation") and f.root == t.path]
        loaded = events.load_template(t, functions)
        project.unresolved_callers.extend((t.path, loc) for loc in loaded.unresolved)
        project.function_urls.extend(loaded.function_urls)
        project.event_sources.extend(loaded.event_sources)
        for fn in functions:
            fn.db_endpoints = _cfn_db_endpoints(t, fn)
        project.alarms.extend(link_alarms(template_alarms.read(t), functions))
    for root in roots:
        functions = [f for f in project.functions if f.kind.startswith("terraform") and f.root == root.dir]
        loaded = events.load_root(root, functions)
        project.unresolved_callers.extend((root.dir, loc) for loc in loaded.unresolved)
        project.function_urls.extend(loaded.function_urls)
        project.event_sources.extend(loaded.event_sources)
        for fn in functions:
            fn.db_endpoints = _tf_db_endpoints(root, fn)
        project.alarms.extend(link_alarms(root_alarms.read(root), functions))


def _db_literal(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if ".rds.amazonaws.com" in value:
        return f"{name} points at an RDS endpoint"
    if _DB_URL.match(value.strip()):
        return f"{name} is a database URL"
    return None


# ---------------------------------------------------------------- CloudFormation
def _cfn_db_endpoints(t, fn: Function) -> list[tuple[Location, str]]:
    variables = prop(t.function_prop(fn.name, "Environment"), "Variables")
    if variables is None or not variables.is_map:
        return []
    in_vpc = t.function_prop(fn.name, "VpcConfig") is not None
    out = []
    for name, value in sorted(variables.value.items()):
        why = None
        targets = _cfn_targets(value)
        if any(t.resource_type(target) in _CFN_DB_TYPES for target in targets):
            why = f"{name} references an RDS database or proxy"
        else:
            literal = t.value(value)
            why = _db_literal(name, literal.value) if isinstance(literal, Literal) else None
        if why is None and in_vpc and _DB_NAME.search(name):
            why = f"{name} configures a database for a VPC-attached function"
        if why is not None:
            out.append((t.loc(value), why))
    return out


def _cfn_targets(node: Node) -> list[str]:
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
                    out.extend(x for item in arg.value[1:] for x in _cfn_targets(item))
            else:
                out.extend(_cfn_targets(arg))
    elif isinstance(node.value, list):
        for item in node.value:
            out.extend(_cfn_targets(item))
    return out


# ---------------------------------------------------------------- Terraform
def _tf_db_endpoints(root, fn: Function) -> list[tuple[Location, str]]:
    key = fn.address.split("#", 1)[1]
    path = fn.location.path
    if key.startswith("module."):
        block = next((b for p, b in root.blocks if b.type == "module" and b.labels == [key[7:]]), None)
        if block is None:
            return []
        attr = block.attr("environment_variables")
        in_vpc = block.attr("vpc_subnet_ids") is not None
    else:
        _, block = root.resources.get(("aws_lambda_function", key.split(".", 1)[1]), (None, None))
        if block is None:
            return []
        env = next(iter(block.children("environment")), None)
        attr = env.attr("variables") if env is not None else None
        in_vpc = bool(block.children("vpc_config"))
    if attr is None or not isinstance(attr.value, dict):
        return []
    loc = Location(path, attr.line, attr.column)
    out = []
    for name, value in sorted(attr.value.items()):
        why = None
        if isinstance(value, (Expr, HclTemplateString)) and _TF_DB_REF.search(value.text):
            why = f"{name} references an RDS database or proxy"
        else:
            why = _db_literal(name, root.resolve(value))
        if why is None and in_vpc and _DB_NAME.search(name):
            why = f"{name} configures a database for a VPC-attached function"
        if why is not None:
            out.append((loc, why))
    return out
