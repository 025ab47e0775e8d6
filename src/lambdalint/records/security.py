"""Security records: execution roles with the policy statements they grant (LL502) and each
environment variable of a function (LL501).

Readers (``formats/<format>/security.py``) emit one record per role, per resource attaching
policies to roles, and per function (its role, its environment); ``link/security.py`` puts the
pieces together into ``Function.execution_role`` and ``Function.environment_entries``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..findings import Location
from ..project.model import Setting
from . import FunctionRef

ADMIN_POLICY = "AdministratorAccess"


# --------------------------------------------------------------------------- model values


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
    """A function's execution role with everything the project attaches to it
    (``Function.execution_role`` holds one as its value)."""

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


@dataclass(frozen=True)
class EnvVar:
    """One environment variable of a function (``Function.environment_entries``).

    ``Function.environment`` holds the resolved map; a rule judging one variable needs more: the
    line of its key, and whether its value was *written* as a literal. A ``!Ref`` to a parameter
    with a default resolves to a literal, but it is still a reference in the source, and that is
    what LL501 is about."""

    name: str
    location: Location  # the line of the variable's key
    literal: bool  # the value is written as a literal (string, number, boolean)
    value: Any = None  # the literal when ``literal``, else None
    source: str = ""  # the expression text when not a literal
    scope: str = ""  # "Globals" for SAM Globals variables, else ""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RoleRef:
    """How a resource names a role of its own document: by its key there (``aws_iam_role.x``),
    or by a name (a logical ID or a literal role name)."""

    key: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Role:
    """A role declared in a document (``AWS::IAM::Role``, ``aws_iam_role``) or created for one
    function (SAM's generated role, the Terraform lambda module's role), with the statements
    and managed policies it declares itself."""

    document: str  # template path / Terraform root dir
    key: str  # unique in the document; what a FunctionRole's RoleRef.key names
    names: frozenset[str]  # what RoleRef.name may say to attach a policy to it
    address: str
    name: str  # for messages
    location: Location
    statements: tuple[Statement, ...] = ()
    managed: tuple[ManagedPolicy, ...] = ()
    permissions_boundary: Setting | None = None

    def named_by(self, ref: RoleRef) -> bool:
        return (ref.key is not None and ref.key == self.key) or (ref.name is not None and ref.name in self.names)


@dataclass(frozen=True)
class RoleAttachment:
    """A resource that attaches policies to the roles it names (``AWS::IAM::Policy``,
    ``aws_iam_role_policy_attachment``, ...). Attachments apply in the order they are read."""

    document: str
    roles: tuple[RoleRef, ...]
    statements: tuple[Statement, ...] = ()
    managed: tuple[ManagedPolicy, ...] = ()


@dataclass(frozen=True)
class FunctionRole:
    """The role a function runs with: ``role`` names a :class:`Role` of the same document; when
    it names none (or is None) the role is unknown, for ``reason``."""

    function: FunctionRef
    role: RoleRef | None
    location: Location  # where the role is set (the function's own location when it is not)
    reason: str  # why the role is unknown when ``role`` names no Role of the document


@dataclass(frozen=True)
class FunctionEnvironment:
    function: FunctionRef
    entries: tuple[EnvVar, ...]
