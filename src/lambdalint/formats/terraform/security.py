"""Terraform security records: roles, the policies attached to them, each function's role and
environment variables (read by ``link/security.py``).

Policies are read wherever the root writes them: inline and attached role policies,
``aws_iam_policy`` resources, ``data "aws_iam_policy_document"`` sources, ``jsonencode({...})``,
JSON strings and heredocs, locals, and the ``terraform-aws-modules/lambda/aws`` module's policy
inputs. Anything we cannot read (a ``var.x`` policy, ``file(...)``) is not collected: a rule can
only flag a statement it has seen, never guess at one it has not.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ...documents.nodes import Attribute, Block, Expr, HclTemplateString, ObjectValue
from ...findings import Location
from ...project.model import absent, present
from ...records import FunctionRef
from ...records.security import EnvVar, FunctionEnvironment, FunctionRole, ManagedPolicy, Role, RoleAttachment, RoleRef, Statement
from ..policy_documents import as_list, escaped_length, json_string_statements, statements_from_document
from .resolve import Root


def read(root: Root) -> list:
    """Security records of one root, blocks in file order (policies attach to a role in that order)."""
    policies = TerraformPolicies(root)
    out: list = []
    modules: set[str] = set()
    for path, block in root.blocks:
        if block.type == "resource" and len(block.labels) == 2:
            reader = TABLE.get(block.labels[0])
            if reader is not None:
                out += reader(policies, path, block)
        elif block.type == "module" and block.labels and block.labels[0] not in modules:
            modules.add(block.labels[0])  # Terraform rejects a second module of that name: read the first
            out += _module(policies, path, block)
    return out


def _located(path: str, item: Block | Attribute) -> Location:
    return Location(path, item.line, item.column)


# --------------------------------------------------------------------------- functions


def _function(policies: TerraformPolicies, path: str, block: Block) -> list:
    where = _located(path, block)
    function = FunctionRef(policies.root.document, f"aws_lambda_function.{block.labels[1]}", None, None, where)
    entries: list[EnvVar] = []
    for env in block.children("environment"):
        attr = env.attr("variables")
        if attr is not None:
            entries += policies.environment_entries(path, attr)
    attr = block.attr("role")
    if attr is None:
        role = FunctionRole(function, None, where, "no role")
    else:
        ref = policies.root.reference(attr.value)
        named = RoleRef(key=f"aws_iam_role.{ref[1]}") if ref and ref[0] == "aws_iam_role" and ref[2] == "arn" else None
        role = FunctionRole(function, named, _located(path, attr), "a role outside the root")
    return [FunctionEnvironment(function, tuple(entries)), role]


def _module(policies: TerraformPolicies, path: str, block: Block) -> list:
    """A ``terraform-aws-modules/lambda/aws`` module's environment and role (``create_role``
    defaults to true: the module then creates the role from its policy inputs). Other modules'
    records name no function of the project and are dropped by the linker."""
    where = _located(path, block)
    name = block.labels[0]
    function = FunctionRef(policies.root.document, f"module.{name}", None, None, where)
    attr = block.attr("environment_variables")
    out: list = [FunctionEnvironment(function, tuple(policies.environment_entries(path, attr)) if attr is not None else ())]
    create = policies.flag(block, "create_role", True)
    if create is None:
        out.append(FunctionRole(function, None, where, "create_role"))
    elif not create:
        attr = block.attr("lambda_role")
        ref = policies.root.reference(attr.value) if attr is not None else None
        named = RoleRef(key=f"aws_iam_role.{ref[1]}") if ref and ref[0] == "aws_iam_role" else None
        out.append(FunctionRole(function, named, _located(path, attr) if attr is not None else where, "lambda_role"))
    else:
        role = policies.module_role(path, block, where)
        out += [role, FunctionRole(function, RoleRef(key=role.key), where, "")]
    return out


# --------------------------------------------------------------------------- roles and attachments


def _role(policies: TerraformPolicies, path: str, block: Block) -> list:
    """An ``aws_iam_role`` with its inline policies and ``managed_policy_arns``."""
    root = policies.root
    name = block.labels[1]
    where = _located(path, block)
    statements: list[Statement] = []
    managed: list[ManagedPolicy] = []
    for inline in block.children("inline_policy"):
        attr = inline.attr("policy")
        pname = root.resolve(inline.attr("name").value) if inline.attr("name") is not None else None
        label = f"inline policy {pname} of aws_iam_role.{name}" if isinstance(pname, str) else f"an inline policy of aws_iam_role.{name}"
        if attr is not None:
            statements += policies.statements(attr.value, path, attr.line, label, attr=attr)
    policies.policy_arn(block.attr("managed_policy_arns"), path, statements, managed)
    boundary = block.attr("permissions_boundary")
    literal_name = root.resolve(block.attr("name").value) if block.attr("name") is not None else None
    return [
        Role(
            document=root.document,
            key=f"aws_iam_role.{name}",
            names=frozenset({literal_name} if isinstance(literal_name, str) else ()),  # a policy may name the role by its literal name
            address=f"{path}#aws_iam_role.{name}",
            name=f"aws_iam_role.{name}",
            location=where,
            statements=tuple(statements),
            managed=tuple(managed),
            permissions_boundary=present(True, _located(path, boundary)) if boundary is not None else absent(None, where),
        )
    ]


def _role_policy(policies: TerraformPolicies, path: str, block: Block) -> list:
    role = policies.role_ref(block.attr("role"))
    attr = block.attr("policy")
    if role is None or attr is None:
        return []
    statements = policies.statements(attr.value, path, attr.line, f"aws_iam_role_policy.{block.labels[1]}", attr=attr)
    return [RoleAttachment(policies.root.document, (role,), tuple(statements))]


def _role_policy_attachment(policies: TerraformPolicies, path: str, block: Block) -> list:
    role = policies.role_ref(block.attr("role"))
    return _attached_policy(policies, path, block, (role,) if role is not None else ())


def _policy_attachment(policies: TerraformPolicies, path: str, block: Block) -> list:
    attr = block.attr("roles")
    refs = [policies.role_ref_value(v) for v in as_list(attr.value)] if attr is not None else []
    return _attached_policy(policies, path, block, tuple(r for r in refs if r is not None))


def _attached_policy(policies: TerraformPolicies, path: str, block: Block, roles: tuple[RoleRef, ...]) -> list:
    if not roles:
        return []
    statements: list[Statement] = []
    managed: list[ManagedPolicy] = []
    policies.policy_arn(block.attr("policy_arn"), path, statements, managed)
    return [RoleAttachment(policies.root.document, roles, tuple(statements), tuple(managed))]


def _tf_ref(text: str) -> str:
    text = text.strip()
    return text[2:-1].strip() if text.startswith("${") and text.endswith("}") else text


class TerraformPolicies:
    """Reads policies and variables maps in one Terraform root, following references to data
    sources, ``aws_iam_policy`` resources and locals."""

    def __init__(self, root: Root):
        self.root = root
        self.local_paths: dict[str, str] = {}  # local name -> the file declaring it
        for path, block in root.blocks:
            if block.type == "locals":
                for name in block.attributes:
                    self.local_paths[name] = path

    # ---- one policy value (the ``policy`` attribute of something)
    def statements(self, value: Any, path: str, line: int, policy: str, depth: int = 0, attr: Attribute | None = None) -> list[Statement]:
        """``attr``: the attribute whose whole value is ``value`` (for exact columns in strings)."""
        if depth > 6:
            return []
        if isinstance(value, str):
            return json_string_statements(value, policy, self._string_place(value, path, line, attr))
        if isinstance(value, Expr):
            if value.call_args:  # jsonencode({...})
                doc = value.call_args[0]
                return statements_from_document(doc, policy, self._locator(path, line))
            ref = _tf_ref(value.text)
            m = re.fullmatch(r"data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.(json|minified_json)", ref)
            if m:
                return self.document(m.group(1), policy, depth + 1)
            m = re.fullmatch(r"local\.([A-Za-z0-9_-]+)", ref)
            if m and m.group(1) in self.root.locals:
                lpath = self.local_paths.get(m.group(1), path)
                local_line = self._local_line(m.group(1))
                return self.statements(self.root.locals[m.group(1)], lpath, local_line or line, policy, depth + 1, self._local_attr(m.group(1)))
            m = re.fullmatch(r"aws_iam_policy\.([A-Za-z0-9_-]+)\.(policy)", ref)
            if m:
                return self.managed_policy_statements(m.group(1), depth + 1)
        return []

    def _string_place(self, value: str, path: str, line: int, attr: Attribute | None) -> Callable[[int, int], Location]:
        """Positions inside a Terraform string: a heredoc's content starts on the line after the
        attribute (``<<-`` heredocs lost ``indent`` columns of indentation); a one-line quoted
        string ends at the attribute's end."""
        if attr is None or attr.value is not value:
            multiline = "\n" in value
            first = line + 1 if multiline else line
            return lambda i, c: Location(path, first + i) if multiline else Location(path, first)
        if "\n" in value:
            indent = getattr(value, "indent", 0)
            return lambda i, c: Location(path, attr.line + 1 + i, indent + 1 + c if c >= 0 else 1)
        if attr.end_line == attr.line and attr.end_column:
            start = attr.end_column - 2 - escaped_length(value, '"')  # the opening quote
            if start > attr.column:
                return lambda i, c: Location(path, attr.line, start + 1 + escaped_length(value[:c], '"')) if c >= 0 else Location(path, attr.line, attr.column)
        return lambda i, c: Location(path, attr.line, attr.column)

    def _local_attr(self, name: str) -> Attribute | None:
        for _, block in self.root.blocks:
            if block.type == "locals" and name in block.attributes:
                return block.attributes[name]
        return None

    def _local_line(self, name: str) -> int | None:
        for _, block in self.root.blocks:
            if block.type == "locals" and name in block.attributes:
                return block.attributes[name].line
        return None

    def _locator(self, path: str, fallback_line: int) -> Callable[[Any, int], Location]:
        def locate(st: Any, index: int) -> Location:
            positions = st.positions if isinstance(st, ObjectValue) else {}
            pos = positions.get("Action") or (min(positions.values()) if positions else None)
            return Location(path, *pos) if pos else Location(path, fallback_line)

        return locate

    def document(self, name: str, policy: str, depth: int = 0) -> list[Statement]:
        """Statements of ``data "aws_iam_policy_document" name`` (and the documents it merges)."""
        found = self.root.data.get(("aws_iam_policy_document", name))
        if found is None or depth > 6:
            return []
        path, block = found
        label = f"{policy} (data.aws_iam_policy_document.{name})" if policy else f"data.aws_iam_policy_document.{name}"
        out = []
        for st in block.children("statement"):
            effect_attr = st.attr("effect")
            effect = self.root.resolve(effect_attr.value) if effect_attr is not None else "Allow"
            actions_attr = st.attr("actions")
            anchor = actions_attr or st
            out.append(
                Statement(
                    effect=effect if isinstance(effect, str) else None,
                    actions=self._tf_literals(actions_attr),
                    resources=self._tf_literals(st.attr("resources")),
                    conditional=bool(st.children("condition")) or bool(st.children("dynamic")),
                    location=Location(path, anchor.line, anchor.column),
                    policy=label,
                    not_action=st.attr("not_actions") is not None,
                    not_resource=st.attr("not_resources") is not None,
                )
            )
        for key in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
            attr = block.attr(key)
            if attr is None:
                continue
            for item in as_list(attr.value):
                out += self.statements(item, path, attr.line, policy, depth + 1, attr)
        return out

    def _tf_literals(self, attr) -> tuple[str, ...]:
        if attr is None:
            return ()
        value = attr.value
        if isinstance(value, Expr):
            resolved = self.root.resolve(value)
            value = resolved if isinstance(resolved, (list, str)) else []
        return tuple(v for v in as_list(value) if type(v) is str and "${" not in v)

    def managed_policy_statements(self, name: str, depth: int = 0) -> list[Statement]:
        found = self.root.resources.get(("aws_iam_policy", name))
        if found is None:
            return []
        path, block = found
        attr = block.attr("policy")
        if attr is None:
            return []
        return self.statements(attr.value, path, attr.line, f"aws_iam_policy.{name}", depth + 1, attr)

    # ---- managed policy ARNs
    def policy_arn(self, attr, path: str, statements: list[Statement], managed: list[ManagedPolicy], depth: int = 0) -> None:
        """A ``policy_arn`` value: an ``aws_iam_policy`` of the root, or a managed policy ARN."""
        if attr is None:
            return
        for item in as_list(attr.value):
            location = Location(path, attr.line, attr.column)
            m = re.fullmatch(r"data\.aws_iam_policy\.([A-Za-z0-9_-]+)\.arn", _tf_ref(item.text)) if isinstance(item, Expr) else None
            if m:
                found = self.root.data.get(("aws_iam_policy", m.group(1)))
                if found is not None:
                    _, data = found
                    for key in ("arn", "name"):
                        v = self.root.resolve(data.attr(key).value) if data.attr(key) is not None else None
                        if isinstance(v, str):
                            managed.append(ManagedPolicy(v, location))
                            break
                continue
            ref = self.root.reference(item) if isinstance(item, (Expr, HclTemplateString)) else None
            if ref and ref[0] == "aws_iam_policy" and ref[2] in ("arn", "id"):
                statements += self.managed_policy_statements(ref[1], depth + 1)
                continue
            value = self.root.resolve(item)
            if isinstance(value, str):
                value = value.replace("${data.aws_partition.current.partition}", "aws")
                managed.append(ManagedPolicy(value, location))
            elif isinstance(item, HclTemplateString):
                text = re.sub(r"\$\{[^}]*partition[^}]*\}", "aws", item.text)
                if "${" not in text:
                    managed.append(ManagedPolicy(text, location))

    # ---- roles
    def role_ref(self, attr: Attribute | None) -> RoleRef | None:
        return self.role_ref_value(attr.value) if attr is not None else None

    def role_ref_value(self, value: Any) -> RoleRef | None:
        """``aws_iam_role.x.id`` / ``.name`` names the role ``x``; a literal names a role by name."""
        ref = self.root.reference(value)
        if ref is not None:
            return RoleRef(key=f"aws_iam_role.{ref[1]}") if ref[0] == "aws_iam_role" and ref[2] in ("id", "name") else None
        resolved = self.root.resolve(value)
        return RoleRef(name=resolved) if isinstance(resolved, str) else None

    def module_role(self, path: str, block: Block, where: Location) -> Role:
        """The role the lambda module creates, from its ``attach_*`` policy inputs."""
        name = block.labels[0]
        statements: list[Statement] = []
        managed: list[ManagedPolicy] = []
        if self.flag(block, "attach_policy_statements", False):
            attr = block.attr("policy_statements")
            if attr is not None:
                statements += self._module_statements(attr, path, name)
        if self.flag(block, "attach_policy_json", False):
            attr = block.attr("policy_json")
            if attr is not None:
                statements += self.statements(attr.value, path, attr.line, f"policy_json of module.{name}", attr=attr)
        if self.flag(block, "attach_policy_jsons", False):
            attr = block.attr("policy_jsons")
            if attr is not None and isinstance(attr.value, list):
                for item in attr.value:
                    statements += self.statements(item, path, attr.line, f"policy_jsons of module.{name}")
        if self.flag(block, "attach_policy", False):
            self.policy_arn(block.attr("policy"), path, statements, managed)
        if self.flag(block, "attach_policies", False):
            self.policy_arn(block.attr("policies"), path, statements, managed)
        boundary = block.attr("role_permissions_boundary")
        return Role(
            document=self.root.document,
            key=f"module.{name}",
            names=frozenset(),  # attachments outside the module cannot name a role it names itself
            address=f"{path}#module.{name}",
            name=f"the role of module.{name}",
            location=where,
            statements=tuple(statements),
            managed=tuple(managed),
            permissions_boundary=present(True, _located(path, boundary)) if boundary is not None else absent(None, where),
        )

    def flag(self, block: Block, key: str, default: bool) -> bool | None:
        attr = block.attr(key)
        if attr is None:
            return default
        return self.root.flag(attr.value)

    def _module_statements(self, attr, path: str, module: str) -> list[Statement]:
        """``policy_statements = { name = { effect, actions, resources, condition } }``."""
        value = attr.value
        if isinstance(value, Expr):
            ref = _tf_ref(value.text)
            m = re.fullmatch(r"local\.([A-Za-z0-9_-]+)", ref)
            if not m or m.group(1) not in self.root.locals:
                return []
            path = self.local_paths.get(m.group(1), path)
            value = self.root.locals[m.group(1)]
        if not isinstance(value, dict):
            return []
        out = []
        for key, st in value.items():
            if not isinstance(st, dict):
                continue
            positions = st.positions if isinstance(st, ObjectValue) else {}
            pos = positions.get("actions") or positions.get("effect") or (value.positions.get(key) if isinstance(value, ObjectValue) else None)
            effect = self.root.resolve(st.get("effect", "Allow"))
            actions = self.root.resolve(st.get("actions"))
            resources = self.root.resolve(st.get("resources"))
            out.append(
                Statement(
                    effect=effect if isinstance(effect, str) else None,
                    actions=tuple(v for v in as_list(actions) if type(v) is str),
                    resources=tuple(v for v in as_list(resources) if type(v) is str),
                    conditional="condition" in st,
                    location=Location(path, *pos) if pos else Location(path, attr.line, attr.column),
                    policy=f"policy_statements.{key} of module.{module}",
                    not_action="not_actions" in st,
                    not_resource="not_resources" in st,
                )
            )
        return out

    # ---- environment variables
    def environment_entries(self, path: str, attr: Attribute) -> list[EnvVar]:
        """Entries of a variables map written in place, or in a ``locals`` map it names (``local.env``)."""
        value = attr.value
        root = self.root
        # in a module instance, var.env is the map the call passes: its entries are written there
        for _ in range(16):
            text = value.text.strip() if isinstance(value, Expr) else ""
            passed = root.passed.get(text[4:]) if text.startswith("var.") else None
            if passed is None:
                break
            root, path, attr = passed
            value = attr.value
        if root is not self.root:
            return _environment_entries(path, value, _located(path, attr))
        text = value.text.strip() if isinstance(value, Expr) else ""
        name = text[6:] if text.startswith("local.") and text[6:].replace("_", "").replace("-", "").isalnum() else None
        if name is not None and name in self.root.locals:
            lpath = self.local_paths.get(name, path)
            return _environment_entries(lpath, self.root.locals[name], Location(lpath, self._local_line(name) or attr.line))
        return _environment_entries(path, value, _located(path, attr))


def _environment_entries(path: str, value: Any, fallback: Location) -> list[EnvVar]:
    """Entries of a ``variables`` / ``environment_variables`` object literal."""
    if not isinstance(value, dict):
        return []  # var.env, merge(...): not literals here
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


# one reader per resource type: resource block -> records (module blocks: _module)
TABLE: dict[str, Callable[[TerraformPolicies, str, Block], list]] = {
    "aws_lambda_function": _function,
    "aws_iam_role": _role,
    "aws_iam_role_policy": _role_policy,
    "aws_iam_role_policy_attachment": _role_policy_attachment,
    "aws_iam_policy_attachment": _policy_attachment,
}
