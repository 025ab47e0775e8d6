"""Terraform API Gateway integrations -> caller records (kind "api", invocation "sync"), for LL304.

Read: ``aws_api_gateway_integration`` (``uri``) and ``aws_apigatewayv2_integration``
(``integration_uri``) naming ``aws_lambda_function.X.invoke_arn`` / ``arn``, an
``aws_lambda_alias`` or a ``terraform-aws-modules/lambda/aws`` module output. Each caller's
``timeout_ms`` is present when ``timeout_milliseconds`` is set, else absent with API Gateway's
default; ``api`` is "rest", "http", "websocket" or "unknown".
"""

from __future__ import annotations

from typing import Any, Callable

from ...documents.nodes import Block
from ...findings import Location
from ...project.model import ApiCaller, Qualifier, unknown
from ...records import FunctionRef
from ...records.callers import CallerRecord
from .. import arn
from ..invocation import HTTP_DEFAULT_MS, PROXY_INTEGRATIONS, REST_DEFAULT_MS, qualifier_after
from ..values import UNKNOWN_PART
from .callers import Reader
from .resolve import Reference, Root, SymbolicParts

# attribute -> whether it names the published version (the qualified ARN)
_FUNCTION_ATTRS = {"invoke_arn": False, "arn": False, "qualified_invoke_arn": True, "qualified_arn": True}
_MODULE_ATTRS = {
    "lambda_function_invoke_arn": False,
    "lambda_function_arn": False,
    "lambda_function_qualified_invoke_arn": True,
    "lambda_function_qualified_arn": True,
}


def read(root: Root) -> list[CallerRecord]:
    """Every API Gateway integration of one root that invokes a function of it."""
    r = Reader(root)
    out: list[CallerRecord] = []
    for path, block in root.blocks:
        if not (block.type == "resource" and len(block.labels) == 2):
            continue
        rtype, name = block.labels
        reader = TABLE.get(rtype)
        if reader is None:
            continue
        uri, type_attr, api = reader(root, block)
        default = REST_DEFAULT_MS if api in ("rest", "websocket") else HTTP_DEFAULT_MS
        kind = root.resolve(type_attr.value) if type_attr is not None else None
        if isinstance(kind, str) and kind not in PROXY_INTEGRATIONS:
            continue
        target = _target(r, path, uri)
        if target is None:
            continue
        where = Location(path, block.line, block.column)
        timeout = root.setting(path, block.attr("timeout_milliseconds"), default, where, as_int=True)
        out.append(CallerRecord(target, ApiCaller("api", "sync", target.qualifier, where, root.address(path, f"{rtype}.{name}"), timeout, api=api)))
    return out


def _rest_integration(root: Root, block: Block) -> tuple[Any, Any, str]:
    return block.attr("uri"), block.attr("type"), "rest"


def _v2_integration(root: Root, block: Block) -> tuple[Any, Any, str]:
    return block.attr("integration_uri"), block.attr("integration_type"), _v2_api(root, block)


# resource type -> (URI attribute, integration type attribute, api kind)
TABLE: dict[str, Callable[[Root, Block], tuple[Any, Any, str]]] = {
    "aws_api_gateway_integration": _rest_integration,
    "aws_apigatewayv2_integration": _v2_integration,
}


class _IntegrationUriParts(SymbolicParts):
    """Tokens for function, module output and alias ARNs: ``("fn", key, qualified)`` /
    ``("alias", name, False)``."""

    def token(self, ref: Reference, depth: int) -> Any:
        if ref.type == "aws_lambda_function" and ref.attribute in _FUNCTION_ATTRS:
            return ("fn", ref.address, _FUNCTION_ATTRS[ref.attribute])
        if ref.type == "module" and ref.attribute in _MODULE_ATTRS:
            return ("fn", ref.address, _MODULE_ATTRS[ref.attribute])
        if ref.type == "aws_lambda_alias" and ref.attribute in ("invoke_arn", "arn"):
            return ("alias", ref.name, False)
        return UNKNOWN_PART


def _target(r: Reader, path: str, attr) -> FunctionRef | None:
    """The function an integration URI invokes, with the qualifier."""
    if attr is None:
        return None
    location = Location(path, attr.line, attr.column, attr.end_line, attr.end_column)
    parts = _IntegrationUriParts(r.root).parts(attr.value)
    for i, part in enumerate(parts):
        if not isinstance(part, tuple) or part == UNKNOWN_PART:
            continue
        kind, key, qualified = part
        if kind == "fn" and key in r.functions:
            qualifier = r.published_version(key, location) if qualified else qualifier_after(parts, i, location)
            return FunctionRef(r.root.document, key, None, qualifier, location)
        if kind == "alias":
            found = _alias_function(r, key)
            if found is not None:
                return found
    return None


def _alias_function(r: Reader, label: str) -> FunctionRef | None:
    """The function an ``aws_lambda_alias`` points at, qualified by the alias's name."""
    root = r.root
    path, alias = root.resources.get(("aws_lambda_alias", label), (None, None))
    if alias is None:
        return None
    target = alias.attr("function_name")
    ref = root.reference(target.value) if target is not None else None
    key = name = None
    if ref is not None and ref[0] in ("aws_lambda_function", "module"):
        key = f"{ref[0]}.{ref[1]}"
        if key not in r.functions:
            return None
    elif target is not None:
        literal = root.resolve(target.value)
        parsed = arn.function_and_qualifier(literal)
        name = literal if parsed is not None else None
    if key is None and name is None:
        return None
    loc = Location(path, alias.line, alias.column)
    name_attr = alias.attr("name")
    alias_name = root.setting(path, name_attr, None, loc) if name_attr is not None else unknown(loc, "alias name")
    return FunctionRef(root.document, key, name, Qualifier.named_alias(alias_name, "alias name"), loc)


def _v2_api(root: Root, block: Block) -> str:
    attr = block.attr("api_id")
    ref = root.reference(attr.value) if attr is not None else None
    if ref is not None and ref[0] == "aws_apigatewayv2_api" and ("aws_apigatewayv2_api", ref[1]) in root.resources:
        _, api = root.resources[("aws_apigatewayv2_api", ref[1])]
        protocol = api.attr("protocol_type")
        value = root.resolve(protocol.value) if protocol is not None else None
        if isinstance(value, str):
            return "websocket" if value == "WEBSOCKET" else "http"
    return "unknown"
