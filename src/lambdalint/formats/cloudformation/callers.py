"""SAM / CloudFormation -> caller records: who invokes each function (event sources, S3 / SNS /
EventBridge / Scheduler / Logs / IoT targets, permissions, function URLs) and where its failed
asynchronous events go (dead-letter queue, on-failure destinations).

``TABLE`` maps each resource type to its reader; a function's own properties (SAM ``Events``,
``FunctionUrlConfig``, ``EventInvokeConfig``, ``DeadLetterQueue`` / ``DeadLetterConfig``) are read
by :func:`_function`. A function reference becomes a :class:`FunctionRef`: the function's logical
ID, or a literal name / ARN, with the qualifier it invokes (None: the unqualified function, that
is ``$LATEST``; an unknown :class:`Qualifier` when we cannot tell). API Gateway integrations are
read by ``api.py``.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ...documents.nodes import Node
from ...findings import Location
from .functions import CFN_PHRASES
from ...project.model import Caller, EventSourceCaller, PermissionCaller, Qualifier, Reference, Setting, UrlCaller, absent, present, unknown
from ...records import FunctionRef
from ...records.callers import (
    CallerRecord,
    CallerRecords,
    DeadLetterRecord,
    EventSourceRecord,
    FailureDestination,
    FailureDestinationRecord,
    UnresolvedCaller,
    UrlRecord,
)
from .. import arn
from ..invocation import DEFAULT_BATCH_SIZE, invocation_for_source, principal_invocation, source_default, source_from_arn
from .resolve import CFN_FUNCTION, SAM_FUNCTION, Literal, Template, is_intrinsic

FUNCTION_TYPES = (SAM_FUNCTION, CFN_FUNCTION)

# SAM event type -> (caller kind, invocation)
SAM_EVENTS = {
    "S3": ("s3", "async"),
    "SNS": ("sns", "async"),
    "EventBridgeRule": ("eventbridge", "async"),
    "CloudWatchEvent": ("eventbridge", "async"),
    "Schedule": ("schedule", "async"),
    "ScheduleV2": ("schedule", "async"),
    "CloudWatchLogs": ("logs", "async"),
    "IoTRule": ("iot", "async"),
    "SQS": ("esm", "queue"),
    "MQ": ("esm", "queue"),
    "Kinesis": ("esm", "stream"),
    "DynamoDB": ("esm", "stream"),
    "MSK": ("esm", "stream"),
    "SelfManagedKafka": ("esm", "stream"),
    "DocumentDB": ("esm", "stream"),
    "Api": ("api", "sync"),
    "HttpApi": ("api", "sync"),
}
_SAM_SOURCE = {"SQS": "sqs", "MQ": "mq", "Kinesis": "kinesis", "DynamoDB": "dynamodb", "MSK": "kafka", "SelfManagedKafka": "kafka", "DocumentDB": "docdb"}
_SOURCE_TYPES = {
    "AWS::SQS::Queue": "sqs",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::DynamoDB::GlobalTable": "dynamodb",
    "AWS::MSK::Cluster": "kafka",
    "AWS::AmazonMQ::Broker": "mq",
}
# EventSourceCaller field -> (property, value when not written, integer); the same names on an
# AWS::Lambda::EventSourceMapping and a SAM queue / stream event (on_failure is read apart)
BATCHING = {
    "batch_size": ("BatchSize", DEFAULT_BATCH_SIZE, True),
    "batching_window": ("MaximumBatchingWindowInSeconds", 0, True),
    "response_types": ("FunctionResponseTypes", [], False),
    "retry_attempts": ("MaximumRetryAttempts", -1, True),
    "max_record_age": ("MaximumRecordAgeInSeconds", -1, True),
}


def read(t: Template) -> list[CallerRecords]:
    """Every caller, DLQ and failure-destination record of one template, in document order."""
    r = _Reader(t)
    for logical_id in sorted(t.resources):
        if t.resource_type(logical_id) in FUNCTION_TYPES:
            _function(r, logical_id)
    for logical_id in sorted(t.resources):
        reader = TABLE.get(t.resource_type(logical_id))
        if reader is None:
            continue
        node = t.resources[logical_id]
        props = r.props(logical_id)
        where = t.loc(node)
        address = f"{t.path}#Resources/{logical_id}"
        if props is None and node.is_map and is_intrinsic(node.get("Properties")):
            # a caller written as one big expression may invoke any function (and qualifier)
            r.out.append(UnresolvedCaller(t.path, where))
            if reader is _event_invoke_config:
                r.out.append(FailureDestinationRecord(None, t.path, FailureDestination(unknown(where, "EventInvokeConfig is an expression"), None, where, address)))
            continue
        if props is not None:
            reader(r, props, where, address)
    return r.out


class _Reader:
    """One template's reading: the function references it resolves and the records it makes."""

    def __init__(self, t: Template):
        self.t = t
        self.out: list[CallerRecords] = []
        self.sam_functions = [name for name in sorted(t.resources) if t.resource_type(name) == SAM_FUNCTION]

    def props(self, logical_id: str) -> Node | None:
        """The resource's ``Properties`` mapping; None when missing or an expression."""
        props = self.t.properties(logical_id)
        return props if props is not None and props.is_map and not is_intrinsic(props) else None

    def ref(self, key: str | None, loc: Location, qualifier: Qualifier | None = None, name: str | None = None) -> FunctionRef:
        return FunctionRef(self.t.path, key, name, qualifier, loc)

    def named(self, value: Any, loc: Location) -> FunctionRef:
        """A function written as a literal name or ARN (its qualifier from the ARN)."""
        parsed = arn.function_and_qualifier(value)
        if parsed is None:
            return self.ref(None, loc)
        return self.ref(None, loc, arn.invoked_qualifier(parsed[1], loc) if parsed[1] else None, name=value)

    def is_function(self, logical_id: str | None) -> bool:
        return logical_id is not None and self.t.resource_type(logical_id) in FUNCTION_TYPES

    def function_ref(self, node: Node | None, depth: int = 0) -> FunctionRef:
        """The function (and qualifier) a FunctionName / Arn / Endpoint value invokes."""
        t = self.t
        if node is None or depth > 5:
            return self.ref(None, t.loc(node) if node is not None else Location(t.path, 0, 0))
        loc = t.loc(node)
        nothing = self.ref(None, loc)
        if node.is_map and len(node.value) == 1:
            (fn_key, arg), = node.value.items()
            if fn_key == "Ref" and isinstance(arg.value, str):
                return self._ref(arg.value, loc, depth)
            if fn_key == "Fn::GetAtt":
                ref = t.reference(node)
                target, attr = (ref.target, ref.attribute) if ref is not None else (None, None)
                return self.ref(target, loc) if self.is_function(target) and attr in ("Arn", None) else nothing
            if fn_key == "Fn::Sub":
                template = arg.value[0].value if isinstance(arg.value, list) and arg.value else arg.value
                if isinstance(template, str):
                    m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z]+))?\}(?::(.+))?", template.strip())
                    if m:
                        target = m.group(1)
                        if self.is_function(target) and m.group(2) in (None, "Arn"):
                            found = self.ref(target, loc)
                        elif m.group(2) is None:
                            found = self._ref(target, loc, depth)
                        else:
                            found = nothing
                        if found.resolved and m.group(3):
                            suffix = m.group(3)
                            qual = arn.invoked_qualifier(suffix, loc) if "${" not in suffix else Qualifier.unknown(loc, suffix)
                            found = self.ref(found.key, found.location, qual, name=found.name)
                        return found
                    # a literal ARN with pseudo parameters: arn:${AWS::Partition}:lambda:${AWS::Region}:...
                    literal = arn.without_pseudo_parameters(template)
                    if literal is not None:
                        return self.named(literal, loc)
                return nothing
            if fn_key == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2 and isinstance(arg.value[1].value, list):
                sep = arg.value[0].value if isinstance(arg.value[0].value, str) else None
                parts = arg.value[1].value
                if sep is None or not parts:
                    return nothing
                found = self.function_ref(parts[0], depth + 1)
                if not found.resolved or found.qualifier is not None:
                    return found
                rest = []
                for p in parts[1:]:
                    v = t.value(p)
                    if not isinstance(v, Literal) or isinstance(v.value, (dict, list)):
                        return self.ref(found.key, found.location, Qualifier.unknown(loc, "Fn::Join"), name=found.name)
                    rest.append(str(v.value))
                suffix = sep.join([""] + rest) if rest else ""
                suffix = suffix[1:] if suffix.startswith(":") else suffix
                if not suffix:
                    return found
                return self.ref(found.key, found.location, arn.invoked_qualifier(suffix, loc), name=found.name)
        value = t.value(node)
        if isinstance(value, Literal):
            return self.named(value.value, loc)
        return nothing

    def _ref(self, name: str, loc: Location, depth: int) -> FunctionRef:
        t = self.t
        if self.is_function(name):
            return self.ref(name, loc)
        if "." in name:  # SAM: !Ref Fn.Alias / !Ref Fn.Version
            base, attr = name.split(".", 1)
            if self.is_function(base) and attr == "Alias":
                alias = sam_alias(t, base)
                return self.ref(base, loc, alias if alias is not None else Qualifier.unknown(loc, name))
            if self.is_function(base) and attr == "Version":
                return self.ref(base, loc, Qualifier.version(loc, resource=function_address(t, base), published=True))
            return self.ref(None, loc)
        rtype = t.resource_type(name)
        props = self.props(name)
        if rtype == "AWS::Lambda::Alias" and props is not None:
            found = self.function_ref(props.get("FunctionName"), depth + 1)
            if not found.resolved:
                return self.ref(None, loc)
            alias_name = t.setting(props.get("Name"), name, loc)
            qual = Qualifier.named_alias(alias_name) if alias_name.is_set else Qualifier.alias(loc, label=name)
            return self.ref(found.key, found.location, qual, name=found.name)
        if rtype == "AWS::Lambda::Version" and props is not None:
            found = self.function_ref(props.get("FunctionName"), depth + 1)
            if not found.resolved:
                return self.ref(None, loc)
            return self.ref(found.key, found.location, Qualifier.version(loc, resource=f"{t.path}#Resources/{name}", label=name), name=found.name)
        for fn_id in self.sam_functions:  # SAM's generated alias: <Function>Alias<alias name>
            alias = sam_alias(t, fn_id)
            if alias is not None and alias.known and name == f"{fn_id}Alias{alias.name}":
                return self.ref(fn_id, loc, alias)
        if rtype is None:  # a parameter: follow its default
            value = t.parameter(name, loc)
            if isinstance(value, Literal):
                return self.named(value.value, loc)
        return self.ref(None, loc)

    def caller_ref(self, node: Node | None) -> FunctionRef:
        """function_ref, recording values that resolve to nothing we know (maybe one of ours)."""
        found = self.function_ref(node)
        if not found.resolved and node is not None:
            t = self.t
            ref = t.reference(node)
            known_resource = ref is not None and t.resource_type(ref.target.split(".", 1)[0]) is not None
            if not known_resource and not isinstance(t.value(node), Literal) and not _pseudo_only(node):
                self.out.append(UnresolvedCaller(t.path, t.loc(node)))
        return found

    def qualifier(self, node: Node | None) -> Qualifier | None:
        """A separate ``Qualifier`` property (URL, EventInvokeConfig)."""
        t = self.t
        if node is None:
            return None
        loc = t.loc(node)
        ref = t.reference(node)
        target = ref.target if ref is not None else None
        if target is not None:
            rtype = t.resource_type(target)
            if rtype == "AWS::Lambda::Version":
                return Qualifier.version(loc, resource=f"{t.path}#Resources/{target}", label=target)
            if rtype == "AWS::Lambda::Alias":
                return Qualifier.alias(loc, label=target)
        value = t.value(node)
        if not isinstance(value, Literal):
            return Qualifier.unknown(loc, value.source)
        return arn.invoked_qualifier(str(value.value), loc)

    def event_source(self, node: Node | None) -> str | None:
        if node is None:
            return None
        t = self.t
        ref = t.reference(node)
        if ref is not None and t.resource_type(ref.target) in _SOURCE_TYPES:
            return _SOURCE_TYPES[t.resource_type(ref.target)]
        value = t.value(node)
        if isinstance(value, Literal):
            return source_from_arn(value.value)
        if node.is_map and "Fn::Sub" in node.value:
            template = node.value["Fn::Sub"].value
            return source_from_arn(template if isinstance(template, str) else None)
        return None

    def caller(self, node: Node | None, make: Callable[[Qualifier | None], Caller]) -> None:
        """A caller of the function ``node`` names, built by ``make(qualifier)``."""
        found = self.caller_ref(node)
        if found.resolved:
            self.out.append(CallerRecord(found, make(found.qualifier)))


def function_address(t: Template, logical_id: str) -> str:
    return f"{t.path}#Resources/{logical_id}"


def sam_alias(t: Template, logical_id: str) -> Qualifier | None:
    """The alias a SAM function's ``AutoPublishAlias`` publishes (None: none, or not SAM)."""
    if t.resource_type(logical_id) != SAM_FUNCTION:
        return None
    alias = t.function_prop(logical_id, "AutoPublishAlias")
    if alias is None:
        return None
    return Qualifier.named_alias(t.setting(alias, None, t.loc(alias)), "AutoPublishAlias")


def _pseudo_only(node: Node) -> bool:
    """A ``!Sub`` whose only variables are pseudo parameters: a literal ARN for our purposes."""
    if not (node.is_map and len(node.value) == 1 and "Fn::Sub" in node.value):
        return False
    template = node.value["Fn::Sub"].value
    return isinstance(template, str) and all(v.startswith("AWS::") for v in re.findall(r"\$\{([^}!]+)\}", template))


def _principal(t: Template, node: Node | None) -> str | None:
    """A service principal as text; in ``!Sub logs.${AWS::Region}.amazonaws.com`` only the region
    varies, and the service (what tells how it invokes) is literal."""
    value = t.value(node)
    if isinstance(value, Literal):
        return value.value if isinstance(value.value, str) else None
    if node is not None and _pseudo_only(node):
        return arn.without_pseudo_parameters(node.value["Fn::Sub"].value)
    return None


def _written(t: Template, node: Node | None, prop_name: str) -> str:
    """How a function reference is written, for messages about a function outside the scan."""
    text = t.value(node)
    return str(text.value) if isinstance(text, Literal) else prop_name


def _items(node: Node | None) -> list[Node]:
    return node.value if node is not None and isinstance(node.value, list) else []


def _get(node: Node | None, key: str) -> Node | None:
    return node.get(key) if node is not None and node.is_map else None


# ---------------------------------------------------------------- resources
def _event_source_mapping(r: _Reader, props: Node, where: Location, address: str) -> None:
    t = r.t
    found = r.caller_ref(props.get("FunctionName"))
    source = r.event_source(props.get("EventSourceArn"))
    if props.get("SelfManagedEventSource") is not None:
        source = "kafka"
    mapping = EventSourceCaller("esm", invocation_for_source(source), found.qualifier, where, address, source=source, **_batching(t, props, where, source))
    r.out.append(EventSourceRecord(found, mapping, _written(t, props.get("FunctionName"), "FunctionName"), phrases=CFN_PHRASES))


def _permission(r: _Reader, props: Node, where: Location, address: str) -> None:
    principal = _principal(r.t, props.get("Principal"))
    invocation = principal_invocation(principal)
    found = r.caller_ref(props.get("FunctionName"))
    if found.resolved and invocation is not None:
        r.out.append(CallerRecord(found, PermissionCaller("permission", invocation, found.qualifier, where, address, principal=principal)))


def _url(r: _Reader, props: Node, where: Location, address: str) -> None:
    t = r.t
    target = props.get("TargetFunctionArn")
    found = r.caller_ref(target)
    auth = t.setting(props.get("AuthType"), None, where)
    qual = r.qualifier(props.get("Qualifier")) if props.get("Qualifier") is not None else found.qualifier
    caller = UrlCaller("function-url", "sync", qual, where, address, auth_type=auth)
    r.out.append(UrlRecord(found, caller, _written(t, target, "TargetFunctionArn"), phrases=CFN_PHRASES))


def _bucket(r: _Reader, props: Node, where: Location, address: str) -> None:
    lambdas = _get(props.get("NotificationConfiguration"), "LambdaConfigurations")
    for i, item in enumerate(_items(lambdas)):
        at = r.t.loc(item, as_property=False)
        r.caller(_get(item, "Function"), lambda q: Caller("s3", "async", q, at, f"{address}/LambdaConfigurations/{i}"))


def _not_lambda(t: Template, protocol: Node | None) -> bool:
    value = t.value(protocol)
    return isinstance(value, Literal) and value.value != "lambda"


def _subscription(r: _Reader, props: Node, where: Location, address: str) -> None:
    if _not_lambda(r.t, props.get("Protocol")):
        return
    r.caller(props.get("Endpoint"), lambda q: Caller("sns", "async", q, where, address))


def _topic(r: _Reader, props: Node, where: Location, address: str) -> None:
    for i, item in enumerate(_items(props.get("Subscription"))):
        if not item.is_map or _not_lambda(r.t, item.get("Protocol")):
            continue
        at = r.t.loc(item, as_property=False)
        r.caller(item.get("Endpoint"), lambda q: Caller("sns", "async", q, at, f"{address}/Subscription/{i}"))


def _rule(r: _Reader, props: Node, where: Location, address: str) -> None:
    for i, item in enumerate(_items(props.get("Targets"))):
        at = r.t.loc(item, as_property=False)
        r.caller(_get(item, "Arn"), lambda q: Caller("eventbridge", "async", q, at, f"{address}/Targets/{i}"))


def _schedule(r: _Reader, props: Node, where: Location, address: str) -> None:
    r.caller(_get(props.get("Target"), "Arn"), lambda q: Caller("schedule", "async", q, where, address))


def _log_subscription(r: _Reader, props: Node, where: Location, address: str) -> None:
    r.caller(props.get("DestinationArn"), lambda q: Caller("logs", "async", q, where, address))


def _topic_rule(r: _Reader, props: Node, where: Location, address: str) -> None:
    # IoT rule actions invoke Lambda asynchronously
    actions = _get(props.get("TopicRulePayload"), "Actions")
    for i, item in enumerate(_items(actions)):
        at = r.t.loc(item, as_property=False)
        r.caller(_get(_get(item, "Lambda"), "FunctionArn"), lambda q: Caller("iot", "async", q, at, f"{address}/Actions/{i}"))


def _event_invoke_config(r: _Reader, props: Node, where: Location, address: str) -> None:
    t = r.t
    node = props.get("FunctionName")
    found = r.function_ref(node)
    if not found.resolved:
        # one whose function we cannot resolve may configure any function of the stack
        ref = t.reference(node)
        if node is None or (ref is not None and t.resource_type(ref.target.split(".", 1)[0]) is not None) or isinstance(t.value(node), Literal):
            return
        r.out.append(FailureDestinationRecord(None, t.path, FailureDestination(unknown(where, "EventInvokeConfig for an unresolved function"), None, where, address)))
        return
    qual = r.qualifier(props.get("Qualifier")) if props.get("Qualifier") is not None else found.qualifier
    dest = _on_failure(t, props.get("DestinationConfig"))
    if dest is not None:
        r.out.append(FailureDestinationRecord(found, t.path, FailureDestination(dest, qual, dest.location, address)))


# resource type -> reader(reader, Properties, location, address); a reader adds records to r.out
TABLE: dict[str, Callable[[_Reader, Node, Location, str], None]] = {
    "AWS::Lambda::EventSourceMapping": _event_source_mapping,
    "AWS::Lambda::Permission": _permission,
    "AWS::Lambda::Url": _url,
    "AWS::S3::Bucket": _bucket,
    "AWS::SNS::Subscription": _subscription,
    "AWS::SNS::Topic": _topic,
    "AWS::Events::Rule": _rule,
    "AWS::Scheduler::Schedule": _schedule,
    "AWS::Logs::SubscriptionFilter": _log_subscription,
    "AWS::Lambda::EventInvokeConfig": _event_invoke_config,
    "AWS::IoT::TopicRule": _topic_rule,
}


# ---------------------------------------------------------------- a function's own properties
def _function(r: _Reader, logical_id: str) -> None:
    t = r.t
    node = t.resources[logical_id]
    own = r.ref(logical_id, t.loc(node))
    address = function_address(t, logical_id)
    fn_loc = Location(t.path, node.key_line or node.line, node.key_column or node.column)
    raw = node.get("Properties") if node.is_map else None
    if is_intrinsic(raw):
        # its dead-letter queue, destinations and events are all unknown
        r.out.append(DeadLetterRecord(own, unknown(t.loc(raw), "Properties is an expression")))
        return
    is_sam = t.resource_type(logical_id) == SAM_FUNCTION

    def get(key: str) -> Node | None:
        return t.function_prop(logical_id, key)

    r.out.append(DeadLetterRecord(own, _dead_letter(t, get("DeadLetterQueue") if is_sam else get("DeadLetterConfig"), fn_loc)))
    if not is_sam:
        return
    alias = sam_alias(t, logical_id)
    config = get("EventInvokeConfig")
    if config is not None and config.is_map:
        dest = _on_failure(t, config.get("DestinationConfig"), sam=True)
        if dest is not None:
            r.out.append(FailureDestinationRecord(own, t.path, FailureDestination(dest, alias, dest.location, f"{address}/EventInvokeConfig")))
    elif config is not None:
        r.out.append(FailureDestinationRecord(own, t.path, FailureDestination(unknown(t.loc(config), "EventInvokeConfig"), None, t.loc(config), f"{address}/EventInvokeConfig")))
    events = get("Events")
    for name, event in sorted((events.value if events is not None and events.is_map else {}).items()):
        if not event.is_map:
            continue
        etype = t.literal(event.get("Type"))
        if not isinstance(etype, str) or etype not in SAM_EVENTS:
            continue
        kind, invocation = SAM_EVENTS[etype]
        where, at = t.loc(event), f"{address}/Events/{name}"
        target = r.ref(logical_id, where, alias)
        if kind == "esm":
            source = _SAM_SOURCE[etype]
            mapping = EventSourceCaller(kind, invocation, alias, where, at, source=source, **_batching(t, event.get("Properties"), where, source))
            r.out.append(EventSourceRecord(target, mapping, logical_id))
        else:  # an Api / HttpApi event is recorded by api.py first, under the same address
            r.out.append(CallerRecord(target, Caller(kind, invocation, alias, where, at)))
    url = get("FunctionUrlConfig")
    if url is not None and url.is_map:
        auth = t.setting(url.get("AuthType"), None, t.loc(url))
        caller = UrlCaller("function-url", "sync", alias, t.loc(url), f"{address}/FunctionUrlConfig", auth_type=auth)
        r.out.append(UrlRecord(r.ref(logical_id, t.loc(url), alias), caller, logical_id))


def _dead_letter(t: Template, dlq: Node | None, fn_loc: Location) -> Setting:
    """``DeadLetterQueue`` / ``DeadLetterConfig``: the target, absent when there is none."""
    if dlq is None:
        return absent(None, fn_loc)
    target = dlq.get("TargetArn") if dlq.is_map else None
    setting = t.setting(target, None, t.loc(dlq)) if target is not None else t.setting(dlq, None, t.loc(dlq))
    if setting.is_set and not setting.value:
        return absent(None, fn_loc)
    if not setting.known and target is not None:
        # !GetAtt Queue.Arn / !Ref Topic: a queue or topic of this stack, certainly configured
        ref = t.reference(target)
        name, attr = (ref.target, ref.attribute) if ref is not None else (None, None)
        if name is not None and t.resource_type(name) is not None:
            return present(Reference(f"{name}.{attr}" if attr else name), setting.location)
    return setting


def _on_failure(t: Template, config: Node | None, sam: bool = False) -> Setting | None:
    on_failure = config.get("OnFailure") if config is not None and config.is_map else None
    if on_failure is None:
        return None
    target = on_failure.get("Destination") if on_failure.is_map else None
    if target is None and sam and on_failure.is_map:
        # SAM creates the queue or topic itself when an SQS / SNS destination names none
        kind = t.value(on_failure.get("Type"))
        if not isinstance(kind, Literal):
            return unknown(t.loc(on_failure), "OnFailure Type")
        kind = kind.value
        if kind in ("SQS", "SNS"):
            return present(Reference(f"the {kind} {'queue' if kind == 'SQS' else 'topic'} SAM creates"), t.loc(on_failure))
    if target is None:
        return None
    return t.setting(target, None, t.loc(on_failure))


def _batching(t: Template, props: Node | None, where: Location, source: str | None) -> dict[str, Setting]:
    """The batching and failure fields of an ``AWS::Lambda::EventSourceMapping`` or of a SAM
    queue / stream event (the properties have the same names): one entry per
    ``EventSourceCaller`` field."""
    if is_intrinsic(props):  # the whole mapping is an expression: every field unknown
        return {k: unknown(t.loc(props), "Properties is an expression") for k in (*BATCHING, "on_failure")}
    props = props if props is not None and props.is_map else None
    config = props.get("DestinationConfig") if props is not None else None
    on_failure = config.get("OnFailure") if config is not None and config.is_map and not is_intrinsic(config) else None
    if is_intrinsic(config) or is_intrinsic(on_failure):
        destination = unknown(t.loc(config), "DestinationConfig is an expression")
    else:
        target = on_failure.get("Destination") if on_failure is not None and on_failure.is_map else None
        destination = t.setting(target, None, where)
    fields = {}
    for field, (key, default, as_int) in BATCHING.items():
        node = props.get(key) if props is not None else None
        fields[field] = t.setting(node, source_default(default, source), where, as_int=as_int)
    return {**fields, "on_failure": destination}
