"""SAM / CloudFormation API Gateway integrations -> caller records (kind "api", invocation "sync"),
for LL304.

Read: SAM ``Api`` / ``HttpApi`` events (``TimeoutInMillis`` on the event),
``AWS::ApiGateway::Method`` whose ``Integration.Uri`` names a function (or its alias) and
``AWS::ApiGatewayV2::Integration`` whose ``IntegrationUri`` does. Each caller's ``timeout_ms`` is
present when the integration sets it, else absent with API Gateway's default; ``api`` is "rest",
"http", "websocket" or "unknown".
"""

from __future__ import annotations

from typing import Any, Callable

from ...documents.nodes import Node
from ...project.model import ApiCaller, Qualifier
from ...records import FunctionRef
from ...records.callers import CallerRecord
from ..invocation import HTTP_DEFAULT_MS, PROXY_INTEGRATIONS, REST_DEFAULT_MS, qualifier_after
from ..values import UNKNOWN_PART
from .callers import FUNCTION_TYPES, sam_alias
from .resolve import SAM_FUNCTION, Literal, SymbolicParts, Template, prop


def read(t: Template) -> list[CallerRecord]:
    """Every API Gateway integration of one template that invokes a function of it."""
    out: list[CallerRecord] = []
    for logical_id in sorted(t.resources):
        if t.resource_type(logical_id) == SAM_FUNCTION:
            out.extend(_sam_events(t, logical_id))
    for logical_id in sorted(t.resources):
        reader = TABLE.get(t.resource_type(logical_id))
        if reader is None:
            continue
        props = t.properties(logical_id)
        where = t.loc(t.resources[logical_id])
        found = reader(t, props)
        if found is None:
            continue
        target, timeout_node, default, api = found
        timeout = t.setting(timeout_node, default, where, as_int=True)
        caller = ApiCaller("api", "sync", target.qualifier, where, f"{t.path}#Resources/{logical_id}", timeout, api=api)
        out.append(CallerRecord(target, caller))
    return out


def _sam_events(t: Template, logical_id: str) -> list[CallerRecord]:
    out = []
    events = prop(t.properties(logical_id), "Events")
    for name, event in sorted((events.value if events is not None and events.is_map else {}).items()):
        if not event.is_map:
            continue
        etype = t.literal(event.get("Type"))
        if not isinstance(etype, str) or etype not in ("Api", "HttpApi"):
            continue
        where = t.loc(event)
        default = REST_DEFAULT_MS if etype == "Api" else HTTP_DEFAULT_MS
        timeout = t.setting(prop(event.get("Properties"), "TimeoutInMillis"), default, where, as_int=True)
        alias = sam_alias(t, logical_id)
        caller = ApiCaller("api", "sync", alias, where, f"{t.path}#Resources/{logical_id}/Events/{name}", timeout, api="rest" if etype == "Api" else "http")
        out.append(CallerRecord(FunctionRef(t.path, logical_id, None, alias, where), caller))
    return out


# (target, timeout node, default timeout, api kind), or None when it invokes no function we know
Found = tuple[FunctionRef, Node | None, int, str]


def _method(t: Template, props: Node | None) -> Found | None:
    integration = prop(props, "Integration")
    if integration is None or _other_type(t, prop(integration, "Type")):
        return None
    target = _target(t, prop(integration, "Uri"))
    return (target, prop(integration, "TimeoutInMillis"), REST_DEFAULT_MS, "rest") if target is not None else None


def _v2_integration(t: Template, props: Node | None) -> Found | None:
    if _other_type(t, prop(props, "IntegrationType")):
        return None
    target = _target(t, prop(props, "IntegrationUri"))
    if target is None:
        return None
    api = _v2_api(t, prop(props, "ApiId"))
    return target, prop(props, "TimeoutInMillis"), REST_DEFAULT_MS if api == "websocket" else HTTP_DEFAULT_MS, api


TABLE: dict[str, Callable[[Template, Node | None], Found | None]] = {
    "AWS::ApiGateway::Method": _method,
    "AWS::ApiGatewayV2::Integration": _v2_integration,
}


class _IntegrationUriParts(SymbolicParts):
    """ResourceId-style symbolic resolution, with tokens for function and alias ARNs."""

    def ref(self, name: str) -> Any:
        if "." in name:
            base, attr = name.split(".", 1)
            return self.getatt(base, attr)
        rtype = self.t.resource_type(name)
        if rtype in FUNCTION_TYPES:
            return ("fn", name)
        if rtype == "AWS::Lambda::Alias":
            return ("alias", name)
        return super().ref(name)

    def getatt(self, logical_id: str, attribute: str) -> Any:
        rtype = self.t.resource_type(logical_id)
        if rtype in FUNCTION_TYPES and attribute == "Arn":
            return ("fn", logical_id)
        if rtype == SAM_FUNCTION and attribute == "Alias":
            return ("samalias", logical_id)
        if rtype == "AWS::Lambda::Alias" and attribute == "AliasArn":
            return ("alias", logical_id)
        return UNKNOWN_PART


def _target(t: Template, node: Node | None) -> FunctionRef | None:
    """The function an integration URI invokes, with the qualifier."""
    if node is None:
        return None
    location = t.loc(node)
    parts = _IntegrationUriParts(t).parts(node)
    for i, part in enumerate(parts):
        if not isinstance(part, tuple) or part == UNKNOWN_PART:
            continue
        kind, logical_id = part
        if kind == "fn":
            return FunctionRef(t.path, logical_id, None, qualifier_after(parts, i, location), location)
        if kind == "samalias":
            return FunctionRef(t.path, logical_id, None, sam_alias(t, logical_id) or Qualifier.unknown(location, "Alias"), location)
        if kind == "alias":
            props = t.properties(logical_id)
            ref = t.reference(prop(props, "FunctionName"))
            fn_id = ref.target if ref is not None else None
            if fn_id is not None and t.resource_type(fn_id) in FUNCTION_TYPES:
                name = t.setting(prop(props, "Name"), None, location)
                return FunctionRef(t.path, fn_id, None, Qualifier.named_alias(name, "alias name"), location)
    return None


def _other_type(t: Template, node: Node | None) -> bool:
    """An integration type that invokes no function (HTTP, MOCK...)."""
    if node is None:
        return False
    value = t.value(node)
    return isinstance(value, Literal) and value.value not in PROXY_INTEGRATIONS


def _v2_api(t: Template, api_node: Node | None) -> str:
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
