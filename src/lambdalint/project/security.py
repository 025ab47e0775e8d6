"""Security facts of functions (LL5xx): per-variable environment entries, and the execution
role with its policies. Called at the end of each format's loader. (Function URLs are callers,
``Project.function_urls``, recorded by link/callers.py.)"""

from __future__ import annotations

from ..documents.nodes import Expr
from ..findings import Location
from . import env_vars, iam
from ..formats.cloudformation.resolve import prop
from .model import Function


def attach_template(t, functions: list[Function]) -> None:
    """``t`` is a ``formats.cloudformation.resolve.Template``."""
    for function in functions:
        entries = env_vars.from_cfn(t.path, prop(prop(t.properties(function.name), "Environment"), "Variables"))
        if function.kind == "sam":
            own = {e.name for e in entries}
            globals_vars = env_vars.from_cfn(t.path, prop(prop(t.globals, "Environment"), "Variables"), scope="Globals")
            entries += [e for e in globals_vars if e.name not in own]
        function.environment_entries = entries
        function.execution_role = iam.cfn_execution_role(t, function.name, function.location)


def attach_root(root, functions: dict[str, Function]) -> None:
    """``root`` is a ``formats.terraform.resolve.Root``; ``functions`` maps addresses to Functions."""
    policies = iam.TerraformPolicies(root)
    for key, function in functions.items():
        kind, _, name = key.partition(".")
        if kind == "module":
            block = next((b for _, b in root.blocks if b.type == "module" and b.labels[:1] == [name]), None)
            if block is None:
                continue
            path = policies.path_of(block)
            where = Location(path, block.line, block.column)
            attr = block.attr("environment_variables")
            function.environment_entries = _tf_entries(policies, path, attr) if attr is not None else []
            function.execution_role = policies.module_role(path, block, where)
            continue
        found = root.resources.get((kind, name))
        if found is None:
            continue
        path, block = found
        where = Location(path, block.line, block.column)
        entries = []
        for env in block.children("environment"):
            attr = env.attr("variables")
            if attr is not None:
                entries += _tf_entries(policies, path, attr)
        function.environment_entries = entries
        function.execution_role = iam.terraform_execution_role(policies, path, block, where)


def _tf_entries(policies: iam.TerraformPolicies, path: str, attr) -> list:
    """Entries of a variables map written in place, or in a ``locals`` map it names (``local.env``)."""
    value = attr.value
    text = value.text.strip() if isinstance(value, Expr) else ""
    name = text[6:] if text.startswith("local.") and text[6:].replace("_", "").replace("-", "").isalnum() else None
    if name is not None and name in policies.root.locals:
        lpath = policies.local_paths.get(name, path)
        return env_vars.from_terraform(lpath, policies.root.locals[name], Location(lpath, policies._local_line(name) or attr.line))
    return env_vars.from_terraform(path, value, Location(path, attr.line, attr.column))
