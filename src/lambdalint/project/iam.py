"""A function's execution role and the policy statements it grants (for LL502).

Only what is declared in the scanned project is collected: inline role policies, policies
attached to the role by other resources, managed policies attached by ARN, SAM ``Policies``,
``aws_iam_policy_document`` data sources, ``jsonencode({...})`` literals, JSON strings and the
``terraform-aws-modules/lambda/aws`` module's policy inputs. Anything we cannot read (a
``var.x`` policy, ``file(...)``, an intrinsic) is simply not collected: a rule can only flag a
statement it has seen, never guess at one it has not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..documents.nodes import Attribute, Block, Expr, HclTemplateString, Node, ObjectValue
from ..findings import Location
from ..formats.cloudformation.resolve import SAM_FUNCTION, prop
from .model import Setting, absent, present, unknown

ADMIN_POLICY = "AdministratorAccess"


@dataclass(frozen=True)
class Statement:
    """One IAM policy statement, with literal values where they could be read."""

    effect: str | None  # "Allow" / "Deny"; None when it is not a literal
    actions: tuple[str, ...]  # literal actions (expressions are left out)
    resources: tuple[str, ...]  # literal resources (expressions are left out)
    conditional: bool  # has a Condition
    location: Location  # the Action key's line (else the statement's)
    policy: str  # where the statement comes from, for messages
    not_action: bool = False  # NotAction / NotResource statements are reported by nothing
    not_resource: bool = False


@dataclass(frozen=True)
class ManagedPolicy:
    arn: str  # ARN or bare name as written (SAM accepts "AdministratorAccess")
    location: Location

    @property
    def is_admin(self) -> bool:
        return is_aws_managed(self.arn, ADMIN_POLICY)


@dataclass
class ExecutionRole:
    address: str  # "template.yaml#Resources/OrdersRole", "main.tf#aws_iam_role.orders", ...
    name: str
    location: Location
    statements: list[Statement] = field(default_factory=list)
    managed: list[ManagedPolicy] = field(default_factory=list)
    permissions_boundary: Setting | None = None  # absent = none


def is_aws_managed(arn: str, name: str) -> bool:
    """``arn`` names the AWS managed policy ``name`` (any partition), or is the bare name."""
    if arn == name:
        return True
    m = re.fullmatch(r"arn:[a-z-]+:iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)", arn.strip())
    return bool(m) and m.group(1) == name


# --------------------------------------------------------------------------- plain documents


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements_from_document(doc: Any, policy: str, locate: Callable[[Any, int], Location]) -> list[Statement]:
    """Statements of a policy document given as plain values (dicts/lists/scalars, or HCL values).

    ``locate(statement, index)`` gives the location of one statement's Action.
    """
    if not isinstance(doc, dict):
        return []
    raw = doc.get("Statement")
    out = []
    for index, st in enumerate(_as_list(raw)):
        if not isinstance(st, dict):
            continue
        out.append(_statement(st, policy, locate(st, index)))
    return out


def _literals(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _as_list(value) if type(v) is str and "${" not in v)


def _statement(st: dict, policy: str, location: Location) -> Statement:
    effect = st.get("Effect")
    return Statement(
        effect=effect if type(effect) is str else None,
        actions=_literals(st.get("Action")),
        resources=_literals(st.get("Resource")),
        conditional=st.get("Condition") is not None,
        location=location,
        policy=policy,
        not_action="NotAction" in st,
        not_resource="NotResource" in st,
    )


# --------------------------------------------------------------------------- CloudFormation / SAM

IAM_ROLE = "AWS::IAM::Role"
IAM_POLICY = "AWS::IAM::Policy"
IAM_MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
IAM_ROLE_POLICY = "AWS::IAM::RolePolicy"


def _cfn_plain(node: Node | None) -> Any:
    """Node -> plain value; intrinsic mappings become None (not literal)."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        if len(node.value) == 1 and next(iter(node.value)).startswith(("Fn::", "Ref", "Condition")):
            return None
        return {k: _cfn_plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_cfn_plain(v) for v in node.value]
    return node.value


def cfn_statements(t, document: Node | None, policy: str) -> list[Statement]:
    """Statements of a template's PolicyDocument (a mapping, or a JSON string)."""
    if document is None:
        return []
    if isinstance(document.value, str):
        place = _scalar_place(t.path, document.value, document.line, document.column, document.end_line, document.end_column)
        return _json_string_statements(document.value, policy, place)
    statements = prop(document, "Statement")
    if statements is None:
        return []
    nodes = statements.value if isinstance(statements.value, list) else [statements]
    out = []
    for st in nodes:
        if not st.is_map:
            continue
        plain = _cfn_plain(st)
        if not isinstance(plain, dict):
            continue
        action = prop(st, "Action")
        anchor = action if action is not None else st
        out.append(_statement(plain, policy, Location(t.path, anchor.key_line or anchor.line, anchor.key_column or anchor.column)))
    return out


def _arn_text(t, node: Node | None) -> str | None:
    """A managed policy ARN as text; ``${AWS::Partition}``-style pseudo parameters are filled in."""
    if node is None:
        return None
    if isinstance(node.value, str):
        return node.value
    if node.is_map and len(node.value) == 1:
        (fn, arg), = node.value.items()
        if fn == "Fn::Sub":
            text = arg.value[0].value if isinstance(arg.value, list) and arg.value else arg.value
            if isinstance(text, str):
                return text.replace("${AWS::Partition}", "aws")
        if fn == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2 and isinstance(arg.value[1].value, list):
            sep = arg.value[0].value if isinstance(arg.value[0].value, str) else ""
            parts = []
            for part in arg.value[1].value:
                if isinstance(part.value, str):
                    parts.append(part.value)
                elif part.is_map and prop(part, "Ref") is not None and prop(part, "Ref").value == "AWS::Partition":
                    parts.append("aws")
                else:
                    return None
            return sep.join(parts)
    return None


def cfn_role(t, logical_id: str) -> ExecutionRole:
    """An ``AWS::IAM::Role`` of the template with everything attached to it there."""
    node = t.resources[logical_id]
    where = Location(t.path, node.key_line or node.line, node.key_column or node.column)
    props = prop(node, "Properties")
    role = ExecutionRole(f"{t.path}#Resources/{logical_id}", logical_id, where)
    for item in _as_list(getattr(prop(props, "Policies"), "value", None)):
        if isinstance(item, Node) and item.is_map:
            name = getattr(prop(item, "PolicyName"), "value", None)
            label = f"inline policy {name} of role {logical_id}" if isinstance(name, str) else f"an inline policy of role {logical_id}"
            role.statements += cfn_statements(t, prop(item, "PolicyDocument"), label)
    _cfn_managed_arns(t, prop(props, "ManagedPolicyArns"), role)
    boundary = prop(props, "PermissionsBoundary")
    role.permissions_boundary = present(True, t.loc(boundary)) if boundary is not None else absent(None, where)
    names = {logical_id}
    value = t.literal(prop(props, "RoleName"))
    if isinstance(value, str):
        names.add(value)
    attach_cfn_policies(t, role, names)
    return role


def _cfn_managed_arns(t, arns: Node | None, role: ExecutionRole) -> None:
    if arns is None or not isinstance(arns.value, list):
        return
    for item in arns.value:
        ref = t.reference(item)
        target = ref.target if ref is not None else None
        if target is not None and t.resource_type(target) == IAM_MANAGED_POLICY:
            doc = prop(prop(t.resources[target], "Properties"), "PolicyDocument")
            role.statements += cfn_statements(t, doc, f"managed policy {target}")
            continue
        text = _arn_text(t, item)
        if text:
            role.managed.append(ManagedPolicy(text, Location(t.path, item.line, item.column)))


def attach_cfn_policies(t, role: ExecutionRole, names: set[str]) -> None:
    """``AWS::IAM::Policy`` / ``ManagedPolicy`` / ``RolePolicy`` resources naming the role
    (``Roles: [!Ref Role]``, ``RoleName: !Ref Role``, or the role's literal name)."""
    for logical_id in sorted(t.resources):
        rtype = t.resource_type(logical_id)
        if rtype not in (IAM_POLICY, IAM_MANAGED_POLICY, IAM_ROLE_POLICY):
            continue
        props = prop(t.resources[logical_id], "Properties")
        refs = [prop(props, "RoleName")] if rtype == IAM_ROLE_POLICY else _as_list(getattr(prop(props, "Roles"), "value", None))
        if not any(_names_role(t, ref, names) for ref in refs if isinstance(ref, Node)):
            continue
        label = {IAM_POLICY: "policy", IAM_MANAGED_POLICY: "managed policy", IAM_ROLE_POLICY: "role policy"}[rtype]
        role.statements += cfn_statements(t, prop(props, "PolicyDocument"), f"{label} {logical_id}")


def _names_role(t, ref: Node, names: set[str]) -> bool:
    reference = t.reference(ref)
    if reference is not None:
        return reference.target in names and reference.attribute is None
    value = t.literal(ref)
    return isinstance(value, str) and value in names


def sam_role(t, logical_id: str, where: Location) -> ExecutionRole:
    """The role SAM generates for a function without ``Role``: its ``Policies`` (inline statements
    and managed policies; SAM policy templates are scoped and not collected)."""
    role = ExecutionRole(f"{t.path}#Resources/{logical_id}Role", f"{logical_id}Role", where)
    policies = t.function_prop(logical_id, "Policies")
    items = policies.value if policies is not None and isinstance(policies.value, list) else ([policies] if policies is not None else [])
    for index, item in enumerate(items):
        if not isinstance(item, Node):
            continue
        if isinstance(item.value, str):
            role.managed.append(ManagedPolicy(item.value, Location(t.path, item.line, item.column)))
        elif item.is_map and prop(item, "Statement") is not None:
            role.statements += cfn_statements(t, item, f"inline policy #{index + 1} in Policies of {logical_id}")
        elif item.is_map and len(item.value) == 1 and next(iter(item.value)).startswith(("Fn::", "Ref")):
            ref = t.reference(item)
            target = ref.target if ref is not None else None
            if target is not None and t.resource_type(target) == IAM_MANAGED_POLICY:
                doc = prop(prop(t.resources[target], "Properties"), "PolicyDocument")
                role.statements += cfn_statements(t, doc, f"managed policy {target}")
            else:
                text = _arn_text(t, item)
                if text:
                    role.managed.append(ManagedPolicy(text, Location(t.path, item.line, item.column)))
        # anything else is a SAM policy template (S3ReadPolicy: {...}): scoped by design
    boundary = t.function_prop(logical_id, "PermissionsBoundary")
    role.permissions_boundary = present(True, t.loc(boundary)) if boundary is not None else absent(None, where)
    attach_cfn_policies(t, role, {f"{logical_id}Role"})
    return role


def cfn_execution_role(t, logical_id: str, where: Location) -> Setting:
    """The function's execution role as a Setting (value: ExecutionRole); unknown when the role
    lives outside the template or cannot be resolved."""
    role_node = prop(t.properties(logical_id), "Role")
    if role_node is None and t.resource_type(logical_id) == SAM_FUNCTION:
        return present(sam_role(t, logical_id, where), where)
    if role_node is None:
        return unknown(where, "no Role")
    location = t.loc(role_node)
    ref = t.reference(role_node)
    target = ref.target if ref is not None else None
    if target is not None and t.resource_type(target) == IAM_ROLE:
        return present(cfn_role(t, target), location)
    return unknown(location, "a role outside the template")


# --------------------------------------------------------------------------- JSON strings


def _json_string_statements(text: str, policy: str, place: Callable[[int, int], Location]) -> list[Statement]:
    """Statements of a JSON policy written as a string (heredoc, block scalar or quoted). Each
    statement is located at its ``"Action"`` key: ``place(line, column)`` maps a 0-based line and
    column inside the string's text to a location in the file."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return []
    keys = []
    for line_no, line in enumerate(text.split("\n")):
        keys += [(line_no, m.start()) for m in re.finditer(r'(?<![A-Za-z])"Action"\s*:', line)]
    counter = iter(keys)

    def locate(st: Any, index: int) -> Location:
        if isinstance(st, dict) and "Action" in st:
            offset = next(counter, None)
            if offset is not None:
                return place(*offset)
        return place(0, -1)

    return statements_from_document(doc, policy, locate)


def _escaped_length(text: str, quote: str) -> int:
    """Length of ``text`` written inside ``quote`` quotes (YAML/JSON/HCL double quotes, YAML single)."""
    if quote == "'":
        return len(text) + text.count("'")
    return len(text) + text.count("\\") + text.count('"') + text.count("\t") + text.count("\r")


def _scalar_place(path: str, text: str, line: int, column: int, end_line: int | None, end_column: int | None) -> Callable[[int, int], Location]:
    """Where a position inside a string value is in the file, for a value spanning
    ``line:column`` to ``end_line:end_column`` (end exclusive). Exact for one-line strings (plain,
    double- or single-quoted) and for block scalars / heredocs whose content lines are verbatim;
    otherwise the value's own position."""
    fallback = Location(path, line, column)
    lines = text.split("\n")
    if end_line is None or end_column is None:
        return lambda i, c: fallback
    if end_line == line and len(lines) == 1:
        span = end_column - column
        if span == len(text):  # plain scalar
            return lambda i, c: Location(path, line, column + c) if c >= 0 else fallback
        for quote in ('"', "'"):
            if span == _escaped_length(text, quote) + 2:
                return lambda i, c, q=quote: Location(path, line, column + 1 + _escaped_length(text[:c], q)) if c >= 0 else fallback
        return lambda i, c: fallback
    # block scalar (YAML "|") or heredoc: the content starts on the line after ``line``
    content = lines[:-1] if lines and lines[-1] == "" else lines
    if content and end_line == line + len(content):
        indent = end_column - 1 - len(content[-1])
        if indent >= 0:
            return lambda i, c: Location(path, line + 1 + i, indent + 1 + c if c >= 0 else 1)
    return lambda i, c: fallback


# --------------------------------------------------------------------------- Terraform


def _tf_ref(text: str) -> str:
    text = text.strip()
    return text[2:-1].strip() if text.startswith("${") and text.endswith("}") else text


class TerraformPolicies:
    """Reads policies in one Terraform root (``root`` is a ``formats.terraform.resolve.Root``)."""

    def __init__(self, root):
        self.root = root
        self.paths: dict[int, str] = {}
        self.local_paths: dict[str, str] = {}
        for path, block in root.blocks:
            self.paths[id(block)] = path
            if block.type == "locals":
                for name in block.attributes:
                    self.local_paths[name] = path

    def path_of(self, block: Block) -> str:
        return self.paths.get(id(block), "")

    # ---- one policy value (the ``policy`` attribute of something)
    def statements(self, value: Any, path: str, line: int, policy: str, depth: int = 0, attr: Attribute | None = None) -> list[Statement]:
        """``attr``: the attribute whose whole value is ``value`` (for exact columns in strings)."""
        if depth > 6:
            return []
        if isinstance(value, str):
            return _json_string_statements(value, policy, self._string_place(value, path, line, attr))
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
            start = attr.end_column - 2 - _escaped_length(value, '"')  # the opening quote
            if start > attr.column:
                return lambda i, c: Location(path, attr.line, start + 1 + _escaped_length(value[:c], '"')) if c >= 0 else Location(path, attr.line, attr.column)
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
            for item in _as_list(attr.value):
                out += self.statements(item, path, attr.line, policy, depth + 1, attr)
        return out

    def _tf_literals(self, attr) -> tuple[str, ...]:
        if attr is None:
            return ()
        value = attr.value
        if isinstance(value, Expr):
            resolved = self.root.resolve(value)
            value = resolved if isinstance(resolved, (list, str)) else []
        return tuple(v for v in _as_list(value) if type(v) is str and "${" not in v)

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
    def policy_arn(self, attr, path: str, role: ExecutionRole, depth: int = 0) -> None:
        """A ``policy_arn`` value: an ``aws_iam_policy`` of the root, or a managed policy ARN."""
        if attr is None:
            return
        for item in _as_list(attr.value):
            location = Location(path, attr.line, attr.column)
            m = re.fullmatch(r"data\.aws_iam_policy\.([A-Za-z0-9_-]+)\.arn", _tf_ref(item.text)) if isinstance(item, Expr) else None
            if m:
                found = self.root.data.get(("aws_iam_policy", m.group(1)))
                if found is not None:
                    _, data = found
                    for key in ("arn", "name"):
                        v = self.root.resolve(data.attr(key).value) if data.attr(key) is not None else None
                        if isinstance(v, str):
                            role.managed.append(ManagedPolicy(v, location))
                            break
                continue
            ref = self.root.reference(item) if isinstance(item, (Expr, HclTemplateString)) else None
            if ref and ref[0] == "aws_iam_policy" and ref[2] in ("arn", "id"):
                role.statements += self.managed_policy_statements(ref[1], depth + 1)
                continue
            value = self.root.resolve(item)
            if isinstance(value, str):
                value = value.replace("${data.aws_partition.current.partition}", "aws")
                role.managed.append(ManagedPolicy(value, location))
            elif isinstance(item, HclTemplateString):
                text = re.sub(r"\$\{[^}]*partition[^}]*\}", "aws", item.text)
                if "${" not in text:
                    role.managed.append(ManagedPolicy(text, location))

    # ---- roles
    def role(self, name: str) -> ExecutionRole | None:
        found = self.root.resources.get(("aws_iam_role", name))
        if found is None:
            return None
        path, block = found
        where = Location(path, block.line, block.column)
        role = ExecutionRole(f"{path}#aws_iam_role.{name}", f"aws_iam_role.{name}", where)
        for inline in block.children("inline_policy"):
            attr = inline.attr("policy")
            pname = self.root.resolve(inline.attr("name").value) if inline.attr("name") is not None else None
            label = f"inline policy {pname} of aws_iam_role.{name}" if isinstance(pname, str) else f"an inline policy of aws_iam_role.{name}"
            if attr is not None:
                role.statements += self.statements(attr.value, path, attr.line, label, attr=attr)
        self.policy_arn(block.attr("managed_policy_arns"), path, role)
        boundary = block.attr("permissions_boundary")
        role.permissions_boundary = present(True, Location(path, boundary.line, boundary.column)) if boundary is not None else absent(None, where)
        literal_name = self.root.resolve(block.attr("name").value) if block.attr("name") is not None else None
        for rpath, other in self.root.blocks:
            if other.type != "resource" or len(other.labels) != 2:
                continue
            rtype, rname = other.labels
            if rtype == "aws_iam_role_policy" and self._names_role(other.attr("role"), name, literal_name):
                attr = other.attr("policy")
                if attr is not None:
                    role.statements += self.statements(attr.value, rpath, attr.line, f"aws_iam_role_policy.{rname}", attr=attr)
            elif rtype == "aws_iam_role_policy_attachment" and self._names_role(other.attr("role"), name, literal_name):
                self.policy_arn(other.attr("policy_arn"), rpath, role)
            elif rtype == "aws_iam_policy_attachment":
                roles = other.attr("roles")
                if roles is not None and any(self._names_role_value(v, name, literal_name) for v in _as_list(roles.value)):
                    self.policy_arn(other.attr("policy_arn"), rpath, role)
        return role

    def _names_role(self, attr, name: str, literal_name: Any) -> bool:
        return attr is not None and self._names_role_value(attr.value, name, literal_name)

    def _names_role_value(self, value: Any, name: str, literal_name: Any) -> bool:
        ref = self.root.reference(value)
        if ref is not None:
            return ref[0] == "aws_iam_role" and ref[1] == name and ref[2] in ("id", "name")
        resolved = self.root.resolve(value)
        return isinstance(literal_name, str) and resolved == literal_name

    def module_role(self, path: str, block: Block, where: Location) -> Setting:
        """The role ``terraform-aws-modules/lambda/aws`` creates (``create_role`` defaults to true)."""
        create = self._flag(block, "create_role", True)
        if create is None:
            return unknown(where, "create_role")
        if not create:
            attr = block.attr("lambda_role")
            ref = self.root.reference(attr.value) if attr is not None else None
            if ref and ref[0] == "aws_iam_role":
                role = self.role(ref[1])
                if role is not None:
                    return present(role, Location(path, attr.line, attr.column))
            return unknown(Location(path, attr.line, attr.column) if attr is not None else where, "lambda_role")
        name = block.labels[0]
        role = ExecutionRole(f"{path}#module.{name}", f"the role of module.{name}", where)
        if self._flag(block, "attach_policy_statements", False):
            attr = block.attr("policy_statements")
            if attr is not None:
                role.statements += self._module_statements(attr, path, name)
        if self._flag(block, "attach_policy_json", False):
            attr = block.attr("policy_json")
            if attr is not None:
                role.statements += self.statements(attr.value, path, attr.line, f"policy_json of module.{name}", attr=attr)
        if self._flag(block, "attach_policy_jsons", False):
            attr = block.attr("policy_jsons")
            if attr is not None and isinstance(attr.value, list):
                for item in attr.value:
                    role.statements += self.statements(item, path, attr.line, f"policy_jsons of module.{name}")
        if self._flag(block, "attach_policy", False):
            self.policy_arn(block.attr("policy"), path, role)
        if self._flag(block, "attach_policies", False):
            self.policy_arn(block.attr("policies"), path, role)
        boundary = block.attr("role_permissions_boundary")
        role.permissions_boundary = present(True, Location(path, boundary.line, boundary.column)) if boundary is not None else absent(None, where)
        return present(role, where)

    def _flag(self, block: Block, key: str, default: bool) -> bool | None:
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
                    actions=tuple(v for v in _as_list(actions) if type(v) is str),
                    resources=tuple(v for v in _as_list(resources) if type(v) is str),
                    conditional="condition" in st,
                    location=Location(path, *pos) if pos else Location(path, attr.line, attr.column),
                    policy=f"policy_statements.{key} of module.{module}",
                    not_action="not_actions" in st,
                    not_resource="not_resources" in st,
                )
            )
        return out


def terraform_execution_role(policies: TerraformPolicies, path: str, block: Block, where: Location) -> Setting:
    attr = block.attr("role")
    if attr is None:
        return unknown(where, "no role")
    location = Location(path, attr.line, attr.column)
    ref = policies.root.reference(attr.value)
    if ref and ref[0] == "aws_iam_role" and ref[2] in ("arn",):
        role = policies.role(ref[1])
        if role is not None:
            return present(role, location)
    return unknown(location, "a role outside the root")
