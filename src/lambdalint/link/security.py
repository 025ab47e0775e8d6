"""Security linker: each function's execution role, with the policies attached to it anywhere in
its document (``Function.execution_role``, LL502), and its environment variables
(``Function.environment_entries``, LL501)."""

from __future__ import annotations

from typing import Iterable

from ..project.model import Function, present, unknown
from ..records.security import ExecutionRole, FunctionEnvironment, FunctionRole, Role, RoleAttachment
from .functions import FunctionIndex


def attach(functions: Iterable[Function], records: list) -> None:
    """Fill the security facts of ``functions`` from one document's security records."""
    index = FunctionIndex(functions)
    roles = {(r.document, r.key): r for r in records if isinstance(r, Role)}
    attachments = [r for r in records if isinstance(r, RoleAttachment)]
    for record in records:
        if isinstance(record, FunctionEnvironment):
            function = index.find(record.function)
            if function is not None:
                function.environment_entries = list(record.entries)
        elif isinstance(record, FunctionRole):
            function = index.find(record.function)
            if function is None:
                continue
            role = roles.get((record.function.document, record.role.key)) if record.role is not None else None
            if role is None:
                function.execution_role = unknown(record.location, record.reason)
            else:
                function.execution_role = present(execution_role(role, attachments), record.location)


def execution_role(role: Role, attachments: list[RoleAttachment]) -> ExecutionRole:
    """The role with every attachment of its document that names it, in reading order."""
    out = ExecutionRole(role.address, role.name, role.location, list(role.statements), list(role.managed), role.permissions_boundary)
    for attachment in attachments:
        if attachment.document == role.document and any(role.named_by(ref) for ref in attachment.roles):
            out.statements += attachment.statements
            out.managed += attachment.managed
    return out
