"""API Gateway integrations -> ``Function.callers`` (kind "api", invocation "sync"), for LL304.

Sources:

- SAM ``Api`` and ``HttpApi`` events (``TimeoutInMillis`` on the event);
- ``AWS::ApiGateway::Method`` whose ``Integration.Uri`` references a function (or its alias);
- ``AWS::ApiGatewayV2::Integration`` whose ``IntegrationUri`` does;
- Terraform ``aws_api_gateway_integration`` (``uri``) and ``aws_apigatewayv2_integration``
  (``integration_uri``) referencing ``aws_lambda_function.X.invoke_arn``/``arn``, an
  ``aws_lambda_alias`` or a ``terraform-aws-modules/lambda/aws`` module output.

Each caller records the integration timeout in ``timeout_ms``: present when the integration sets
it, else *absent* with API Gateway's default (29,000 ms for REST and WebSocket APIs, 30,000 ms for
HTTP APIs), unknown when unresolvable. ``qualifier`` is None for the plain function ARN, the alias
or version when the integration invokes one, unknown when we cannot tell.
``ApiCaller.api``: "rest" | "http" | "websocket" | "unknown".

Called once per template from ``cloudformation.load_template`` and once per root from
``terraform.load_root``; callers are added before project/events.py runs, which then skips SAM
API events already recorded here (same address ``<function>/Events/<name>``).
"""

from __future__ import annotations

import re
from typing import Any

from ..documents.nodes import Expr, HclTemplateString, Node
from ..findings import Location
from .model import ApiCaller, Function, Qualifier, unknown
from ..formats import arn
from .references import functions_by_name
from ..formats.cloudformation.resolve import CFN_FUNCTION, SAM_FUNCTION, Literal, SymbolicParts, prop
from ..formats.values import UNKNOWN_PART

REST_DEFAULT_MS = 29_000
HTTP_DEFAULT_MS = 30_000
_PROXY_TYPES = ("AWS", "AWS_PROXY")


def _add(fn: Function, caller: Caller) -> None:
    if not any(c.address == caller.address for c in fn.callers):
        fn.callers.append(caller)


def _qualifier_after(parts: list, index: int, location: Location) -> Qualifier | None:
    """Qualifier written right after a function ARN (``${Fn.Arn}:live/invocations``)."""
    rest = [p for p in parts[index + 1 :] if p != ""]
    if not rest:
        return None
    nxt = rest[0]
    if not isinstance(nxt, str):
        return Qualifier.unknown(location, "qualifier")
    if nxt.startswith("/"):
        return None
    qualifier = arn.leading_qualifier(nxt)
    if qualifier is not None:
        return arn.invoked_qualifier(qualifier, location)
    return Qualifier.unknown(location, "qualifier")


# ---------------------------------------------------------------- CloudFormation / SAM
class _IntegrationUriParts(SymbolicParts):
    """ResourceId-style symbolic resolution, with tokens for function and alias ARNs."""

    def ref(self, name: str) -> Any:
        if "." in name:
            base, attr = name.split(".", 1)
            return self.getatt(base, attr)
        rtype = self.t.resource_type(name)
        if rtype in (SAM_FUNCTION, CFN_FUNCTION):
            return ("fn", name)
        if rtype == "AWS::Lambda::Alias":
            return ("alias", name)
        return super().ref(name)

    def getatt(self, logical_id: str, attribute: str) -> Any:
        rtype = self.t.resource_type(logical_id)
        if rtype in (SAM_FUNCTION, CFN_FUNCTION) and attribute == "Arn":
            return ("fn", logical_id)
        if rtype == "AWS::Serverless::Function" and attribute == "Alias":
            return ("samalias", logical_id)
        if rtype == "AWS::Lambda::Alias" and attribute == "AliasArn":
            return ("alias", logical_id)
        return UNKNOWN_PART


def _cfn_target(t, node: Node | None, by_id: dict[str, Function]) -> tuple[Function | None, Qualifier | None]:
    """The function an integration URI invokes, and the qualifier."""
    if node is None:
        return None, None
    location = t.loc(node)
    parts = _IntegrationUriParts(t).parts(node)
    for i, part in enumerate(parts):
        if not isinstance(part, tuple) or part == UNKNOWN_PART:
            continue
        kind, logical_id = part
        if kind == "fn" and logical_id in by_id:
            return by_id[logical_id], _qualifier_after(parts, i, location)
        if kind == "samalias" and logical_id in by_id:
            fn = by_id[logical_id]
            return fn, t.sam_alias(fn) or Qualifier.unknown(location, "Alias")
        if kind == "alias":
            props = t.properties(logical_id)
            ref = t.reference(prop(props, "FunctionName"))
            fn_id = ref.target if ref is not None else None
            if fn_id in by_id:
                name = t.setting(prop(props, "Name"), None, location)
                return by_id[fn_id], Qualifier.named_alias(name, "alias name")
    return None, None


def _cfn_known_other(t, node: Node | None, allowed: tuple[str, ...]) -> bool:
    if node is None:
        return False
    value = t.value(node)
    return isinstance(value, Literal) and value.value not in allowed


def _cfn_v2_api(t, api_node: Node | None) -> str:
    ref = t.reference(api_node)
    api_id = ref.target if ref is not None else None
    rtype = t.resource_type(api_id or "")
    if rtype == "AWS::Serverless::HttpApi":
        return "http"
    if rtype == "AWS::ApiGatewayV2::Api":
        protocol = t.value(prop(t.properties(api_id), "ProtocolType"))
        if isinstance(protocol, Literal):
            return "websocket" if protocol.value == "WEBSOCKET" else "http"
    return "unknown"


def attach_cfn_api_callers(t, functions: list[Function]) -> None:
    by_id = {f.name: f for f in functions}
    for fn in functions:
        if fn.kind != "sam":
            continue
        events = prop(t.properties(fn.name), "Events")
        for name, event in sorted((events.value if events is not None and events.is_map else {}).items()):
            if not event.is_map:
                continue
            etype = t.literal(event.get("Type"))
            if not isinstance(etype, str) or etype not in ("Api", "HttpApi"):
                continue
            where = t.loc(event)
            default = REST_DEFAULT_MS if etype == "Api" else HTTP_DEFAULT_MS
            timeout = t.setting(prop(event.get("Properties"), "TimeoutInMillis"), default, where, as_int=True)
            api = "rest" if etype == "Api" else "http"
            _add(fn, ApiCaller("api", "sync", t.sam_alias(fn), where, f"{fn.address}/Events/{name}", timeout, api=api))
    for logical_id in sorted(t.resources):
        rtype = t.resource_type(logical_id)
        node = t.resources[logical_id]
        props = t.properties(logical_id)
        where = t.loc(node)
        if rtype == "AWS::ApiGateway::Method":
            integration = prop(props, "Integration")
            if integration is None or _cfn_known_other(t, prop(integration, "Type"), _PROXY_TYPES):
                continue
            fn, qualifier = _cfn_target(t, prop(integration, "Uri"), by_id)
            default, api = REST_DEFAULT_MS, "rest"
            timeout_node = prop(integration, "TimeoutInMillis")
        elif rtype == "AWS::ApiGatewayV2::Integration":
            if _cfn_known_other(t, prop(props, "IntegrationType"), _PROXY_TYPES):
                continue
            fn, qualifier = _cfn_target(t, prop(props, "IntegrationUri"), by_id)
            api = _cfn_v2_api(t, prop(props, "ApiId"))
            default = REST_DEFAULT_MS if api == "websocket" else HTTP_DEFAULT_MS
            timeout_node = prop(props, "TimeoutInMillis")
        else:
            continue
        if fn is None:
            continue
        timeout = t.setting(timeout_node, default, where, as_int=True)
        _add(fn, ApiCaller("api", "sync", qualifier, where, f"{t.path}#Resources/{logical_id}", timeout, api=api))


# ---------------------------------------------------------------- Terraform
_TF_FN_ATTRS = {"invoke_arn": False, "arn": False, "qualified_invoke_arn": True, "qualified_arn": True}
_TF_MODULE_ATTRS = {
    "lambda_function_invoke_arn": False,
    "lambda_function_arn": False,
    "lambda_function_qualified_invoke_arn": True,
    "lambda_function_qualified_arn": True,
}


def _tf_parts(root, value: Any) -> list:
    if isinstance(value, HclTemplateString):
        if "%{" in value.text:
            return [UNKNOWN_PART]
        out: list = []
        pos = 0
        for m in re.finditer(r"\$\{([^}]*)\}", value.text):
            out.append(value.text[pos:m.start()])
            pos = m.end()
            out.append(_tf_token(root, m.group(1).strip()))
        out.append(value.text[pos:])
        return out
    if isinstance(value, Expr):
        return [_tf_token(root, value.text.strip())]
    return [str(value)] if isinstance(value, (str, int)) else [UNKNOWN_PART]


def _tf_token(root, text: str) -> Any:
    ref = root.reference(Expr(text))
    if ref is None:
        value = root.resolve_expr(text, 0)
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else UNKNOWN_PART
    rtype, name, attr = ref
    if rtype == "aws_lambda_function" and attr in _TF_FN_ATTRS:
        return ("fn", f"aws_lambda_function.{name}", _TF_FN_ATTRS[attr])
    if rtype == "module" and attr in _TF_MODULE_ATTRS:
        return ("fn", f"module.{name}", _TF_MODULE_ATTRS[attr])
    if rtype == "aws_lambda_alias" and attr in ("invoke_arn", "arn"):
        return ("alias", name, False)
    return UNKNOWN_PART


def _tf_alias_function(root, label: str, functions: dict[str, Function]) -> tuple[Function | None, Qualifier | None, Location | None]:
    path, alias = root.resources.get(("aws_lambda_alias", label), (None, None))
    if alias is None:
        return None, None, None
    target = alias.attr("function_name")
    ref = root.reference(target.value) if target is not None else None
    fn = None
    if ref is not None and ref[0] in ("aws_lambda_function", "module"):
        fn = functions.get(f"{ref[0]}.{ref[1]}")
    elif target is not None:
        literal = root.resolve(target.value)
        fn = functions_by_name(functions.values()).get(literal) if isinstance(literal, str) else None
    name_attr = alias.attr("name")
    loc = Location(path, alias.line, alias.column)
    name = root.setting(path, name_attr, None, loc) if name_attr is not None else unknown(loc, "alias name")
    return fn, Qualifier.named_alias(name, "alias name"), loc


def _tf_target(root, path: str, attr, functions: dict[str, Function]) -> tuple[Function | None, Qualifier | None]:
    if attr is None:
        return None, None
    location = Location(path, attr.line, attr.column, attr.end_line, attr.end_column)
    parts = _tf_parts(root, attr.value)
    for i, part in enumerate(parts):
        if not isinstance(part, tuple) or part == UNKNOWN_PART:
            continue
        kind, key, qualified = part
        if kind == "fn" and key in functions:
            fn = functions[key]
            if qualified:
                p = fn.publishes_versions
                return fn, (Qualifier.unknown(location, "publish") if not p.known else Qualifier.version(location, resource=fn.address, published=True) if p.value else None)
            return fn, _qualifier_after(parts, i, location)
        if kind == "alias":
            fn, name, _ = _tf_alias_function(root, key, functions)
            if fn is not None:
                return fn, name
    return None, None


def _tf_v2_api(root, block) -> str:
    attr = block.attr("api_id")
    ref = root.reference(attr.value) if attr is not None else None
    if ref is not None and ref[0] == "aws_apigatewayv2_api" and ("aws_apigatewayv2_api", ref[1]) in root.resources:
        _, api = root.resources[("aws_apigatewayv2_api", ref[1])]
        protocol = api.attr("protocol_type")
        value = root.resolve(protocol.value) if protocol is not None else None
        if isinstance(value, str):
            return "websocket" if value == "WEBSOCKET" else "http"
    return "unknown"


def attach_tf_api_callers(root, functions: dict[str, Function]) -> None:
    """``functions``: "aws_lambda_function.X" / "module.M" -> Function, as terraform.load_root keeps them."""
    for path, block in root.blocks:
        if not (block.type == "resource" and len(block.labels) == 2):
            continue
        rtype, name = block.labels
        if rtype == "aws_api_gateway_integration":
            uri, type_attr, api = block.attr("uri"), block.attr("type"), "rest"
            default = REST_DEFAULT_MS
        elif rtype == "aws_apigatewayv2_integration":
            uri, type_attr = block.attr("integration_uri"), block.attr("integration_type")
            api = _tf_v2_api(root, block)
            default = REST_DEFAULT_MS if api == "websocket" else HTTP_DEFAULT_MS
        else:
            continue
        kind = root.resolve(type_attr.value) if type_attr is not None else None
        if isinstance(kind, str) and kind not in _PROXY_TYPES:
            continue
        fn, qualifier = _tf_target(root, path, uri, functions)
        if fn is None:
            continue
        where = Location(path, block.line, block.column)
        timeout = root.setting(path, block.attr("timeout_milliseconds"), default, where, as_int=True)
        _add(fn, ApiCaller("api", "sync", qualifier, where, f"{path}#{rtype}.{name}", timeout, api=api))

