"""SAM / CloudFormation security records: roles, the policies attached to them, each function's
role and environment variables (read by ``link/security.py``).

Only what the template declares is read: inline role policies, policy resources naming the role,
managed policies attached by ARN and SAM ``Policies``. Anything we cannot read (an intrinsic
policy document, a role from another stack) is not collected: a rule can only flag a statement
it has seen, never guess at one it has not.
"""

from __future__ import annotations

from typing import Any, Callable

from ...findings import Location
from ...documents.nodes import Node
from ...records import FunctionRef
from ...records.security import EnvVar, FunctionEnvironment, FunctionRole, ManagedPolicy, Role, RoleAttachment, RoleRef, Statement
from ...project.model import absent, present
from ..policy_documents import as_list, escaped_length, json_string_statements, statement
from .resolve import CFN_FUNCTION, SAM_FUNCTION, Template, prop

IAM_ROLE = "AWS::IAM::Role"
IAM_POLICY = "AWS::IAM::Policy"
IAM_MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
IAM_ROLE_POLICY = "AWS::IAM::RolePolicy"


def read(t: Template) -> list:
    """Security records of one template, resources in logical ID order (policies attach to a
    role in that order)."""
    out: list = []
    for logical_id in sorted(t.resources):
        reader = TABLE.get(t.resource_type(logical_id))
        if reader is not None:
            out += reader(t, logical_id)
    return out


def _located(t: Template, node: Node) -> Location:
    return Location(t.path, node.key_line or node.line, node.key_column or node.column)


# --------------------------------------------------------------------------- functions


def _function(t: Template, logical_id: str) -> list:
    where = _located(t, t.resources[logical_id])
    function = FunctionRef(t.path, logical_id, None, None, where)
    is_sam = t.resource_type(logical_id) == SAM_FUNCTION
    entries = environment_entries(t.path, prop(prop(t.properties(logical_id), "Environment"), "Variables"))
    if is_sam:  # Globals variables apply unless the function sets the same name
        own = {e.name for e in entries}
        globals_vars = environment_entries(t.path, prop(prop(t.globals, "Environment"), "Variables"), scope="Globals")
        entries += [e for e in globals_vars if e.name not in own]
    out: list = [FunctionEnvironment(function, tuple(entries))]
    role_node = prop(t.properties(logical_id), "Role")
    if role_node is None and is_sam:
        generated = _sam_role(t, logical_id, where)
        out += [generated, FunctionRole(function, RoleRef(key=generated.key), where, "")]
    elif role_node is None:
        out.append(FunctionRole(function, None, where, "no Role"))
    else:
        ref = t.reference(role_node)
        role = RoleRef(key=ref.target) if ref is not None else None
        out.append(FunctionRole(function, role, t.loc(role_node), "a role outside the template"))
    return out


def _is_intrinsic_map(node: Node) -> bool:
    return node.is_map and len(node.value) == 1 and next(iter(node.value)).startswith(("Fn::", "Ref", "Condition"))


def environment_entries(path: str, variables: Node | None, scope: str = "") -> list[EnvVar]:
    """Entries of an ``Environment.Variables`` mapping (intrinsics are not literals)."""
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


# --------------------------------------------------------------------------- roles


def _role(t: Template, logical_id: str) -> list:
    """An ``AWS::IAM::Role`` with its inline policies and managed policy ARNs."""
    where = _located(t, t.resources[logical_id])
    props = t.properties(logical_id)
    statements: list[Statement] = []
    managed: list[ManagedPolicy] = []
    for item in as_list(getattr(prop(props, "Policies"), "value", None)):
        if isinstance(item, Node) and item.is_map:
            name = getattr(prop(item, "PolicyName"), "value", None)
            label = f"inline policy {name} of role {logical_id}" if isinstance(name, str) else f"an inline policy of role {logical_id}"
            statements += statements_of(t, prop(item, "PolicyDocument"), label)
    arns = prop(props, "ManagedPolicyArns")
    for item in arns.value if arns is not None and isinstance(arns.value, list) else []:
        _managed_policy(t, item, statements, managed)
    boundary = prop(props, "PermissionsBoundary")
    names = {logical_id}
    role_name = t.literal(prop(props, "RoleName"))
    if isinstance(role_name, str):
        names.add(role_name)  # a policy may name the role by its literal name
    return [
        Role(
            document=t.path,
            key=logical_id,
            names=frozenset(names),
            address=f"{t.path}#Resources/{logical_id}",
            name=logical_id,
            location=where,
            statements=tuple(statements),
            managed=tuple(managed),
            permissions_boundary=present(True, t.loc(boundary)) if boundary is not None else absent(None, where),
        )
    ]


def _sam_role(t: Template, logical_id: str, where: Location) -> Role:
    """The role SAM generates for a function without ``Role``: its ``Policies`` (inline statements
    and managed policies; SAM policy templates are scoped and not collected)."""
    statements: list[Statement] = []
    managed: list[ManagedPolicy] = []
    policies = t.function_prop(logical_id, "Policies")
    items = policies.value if policies is not None and isinstance(policies.value, list) else ([policies] if policies is not None else [])
    for index, item in enumerate(items):
        if not isinstance(item, Node):
            continue
        if isinstance(item.value, str):
            managed.append(ManagedPolicy(item.value, Location(t.path, item.line, item.column)))
        elif item.is_map and prop(item, "Statement") is not None:
            statements += statements_of(t, item, f"inline policy #{index + 1} in Policies of {logical_id}")
        elif item.is_map and len(item.value) == 1 and next(iter(item.value)).startswith(("Fn::", "Ref")):
            _managed_policy(t, item, statements, managed)
        # anything else is a SAM policy template (S3ReadPolicy: {...}): scoped by design
    boundary = t.function_prop(logical_id, "PermissionsBoundary")
    name = f"{logical_id}Role"
    return Role(
        document=t.path,
        key=f"{logical_id} (generated role)",  # not a logical ID: no Role property can name it
        names=frozenset({name}),  # the generated role's logical ID, which policies may name
        address=f"{t.path}#Resources/{name}",
        name=name,
        location=where,
        statements=tuple(statements),
        managed=tuple(managed),
        permissions_boundary=present(True, t.loc(boundary)) if boundary is not None else absent(None, where),
    )


def _managed_policy(t: Template, item: Node, statements: list[Statement], managed: list[ManagedPolicy]) -> None:
    """A managed policy given by reference or ARN: an ``AWS::IAM::ManagedPolicy`` of the template
    contributes its statements, anything else its ARN."""
    ref = t.reference(item)
    target = ref.target if ref is not None else None
    if target is not None and t.resource_type(target) == IAM_MANAGED_POLICY:
        statements += statements_of(t, prop(t.properties(target), "PolicyDocument"), f"managed policy {target}")
        return
    text = _arn_text(t, item)
    if text:
        managed.append(ManagedPolicy(text, Location(t.path, item.line, item.column)))


def _attachment(t: Template, logical_id: str) -> list:
    """``AWS::IAM::Policy`` / ``ManagedPolicy`` / ``RolePolicy``: its statements, for the roles it
    names (``Roles: [!Ref Role]``, ``RoleName: !Ref Role``, or a role's literal name)."""
    rtype = t.resource_type(logical_id)
    props = t.properties(logical_id)
    nodes = [prop(props, "RoleName")] if rtype == IAM_ROLE_POLICY else as_list(getattr(prop(props, "Roles"), "value", None))
    roles = tuple(r for r in (_role_ref(t, n) for n in nodes if isinstance(n, Node)) if r is not None)
    if not roles:
        return []
    label = {IAM_POLICY: "policy", IAM_MANAGED_POLICY: "managed policy", IAM_ROLE_POLICY: "role policy"}[rtype]
    return [RoleAttachment(t.path, roles, tuple(statements_of(t, prop(props, "PolicyDocument"), f"{label} {logical_id}")))]


def _role_ref(t: Template, node: Node) -> RoleRef | None:
    reference = t.reference(node)
    if reference is not None:  # !Ref Role names it; !GetAtt Role.Arn is not a role name
        return RoleRef(name=reference.target) if reference.attribute is None else None
    value = t.literal(node)
    return RoleRef(name=value) if isinstance(value, str) else None


def _arn_text(t: Template, node: Node | None) -> str | None:
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


# --------------------------------------------------------------------------- policy documents


def _plain(node: Node | None) -> Any:
    """Node -> plain value; intrinsic mappings become None (not literal)."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        if len(node.value) == 1 and next(iter(node.value)).startswith(("Fn::", "Ref", "Condition")):
            return None
        return {k: _plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(v) for v in node.value]
    return node.value


def statements_of(t: Template, document: Node | None, policy: str) -> list[Statement]:
    """Statements of a PolicyDocument (a mapping, or a JSON string)."""
    if document is None:
        return []
    if isinstance(document.value, str):
        place = _scalar_place(t.path, document.value, document.line, document.column, document.end_line, document.end_column)
        return json_string_statements(document.value, policy, place)
    statements = prop(document, "Statement")
    if statements is None:
        return []
    nodes = statements.value if isinstance(statements.value, list) else [statements]
    out = []
    for st in nodes:
        if not st.is_map:
            continue
        plain = _plain(st)
        if not isinstance(plain, dict):
            continue
        action = prop(st, "Action")
        out.append(statement(plain, policy, _located(t, action if action is not None else st)))
    return out


def _scalar_place(path: str, text: str, line: int, column: int, end_line: int | None, end_column: int | None) -> Callable[[int, int], Location]:
    """Where a position inside a string value is in the file, for a value spanning
    ``line:column`` to ``end_line:end_column`` (end exclusive). Exact for one-line strings (plain,
    double- or single-quoted) and for block scalars whose content lines are verbatim; otherwise
    the value's own position."""
    fallback = Location(path, line, column)
    lines = text.split("\n")
    if end_line is None or end_column is None:
        return lambda i, c: fallback
    if end_line == line and len(lines) == 1:
        span = end_column - column
        if span == len(text):  # plain scalar
            return lambda i, c: Location(path, line, column + c) if c >= 0 else fallback
        for quote in ('"', "'"):
            if span == escaped_length(text, quote) + 2:
                return lambda i, c, q=quote: Location(path, line, column + 1 + escaped_length(text[:c], q)) if c >= 0 else fallback
        return lambda i, c: fallback
    # block scalar (YAML "|"): the content starts on the line after ``line``
    content = lines[:-1] if lines and lines[-1] == "" else lines
    if content and end_line == line + len(content):
        indent = end_column - 1 - len(content[-1])
        if indent >= 0:
            return lambda i, c: Location(path, line + 1 + i, indent + 1 + c if c >= 0 else 1)
    return lambda i, c: fallback


# one reader per resource type: resource -> records
TABLE: dict[str, Callable[[Template, str], list]] = {
    SAM_FUNCTION: _function,
    CFN_FUNCTION: _function,
    IAM_ROLE: _role,
    IAM_POLICY: _attachment,
    IAM_MANAGED_POLICY: _attachment,
    IAM_ROLE_POLICY: _attachment,
}
