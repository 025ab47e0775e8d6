"""Who invokes each function, and where its failed asynchronous events go.

Fills ``Function.callers`` (event sources, S3/SNS/EventBridge/Scheduler/Logs targets, permissions,
function URLs), ``Function.dead_letter`` and ``Function.failure_destinations`` for SAM, plain
CloudFormation and Terraform (including the ``terraform-aws-modules/lambda/aws`` module inputs).
Every caller is resolved to the function *and* the qualifier it invokes: ``None`` means the plain
function ARN or name (``$LATEST``); an unknown :class:`Qualifier` means we could not tell.

API Gateway integrations are loaded elsewhere (LL304); SAM ``Api``/``HttpApi`` events are only
added here when nothing else recorded them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..documents.nodes import Block, Expr, HclTemplateString, Node
from ..findings import Location
from ..formats.cloudformation.resolve import Literal, is_intrinsic
from ..formats.values import to_int
from ..formats.cloudformation.functions import CFN_PHRASES
from ..formats.terraform.functions import RESOURCE_PHRASES
from ..formats.terraform.resolve import UNRESOLVED as UNRESOLVED_TF
from .model import Caller, EventSource, EventSourceCaller, Function, FunctionUrl, PermissionCaller, Qualifier, Reference, Setting, UrlCaller, absent, present, unknown
from ..formats import arn
from .references import function_named, functions_by_name

ASYNC_PRINCIPALS = ("s3", "sns", "events", "logs", "iot", "ses", "scheduler")
SYNC_PRINCIPALS = ("apigateway", "elasticloadbalancing")

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
_ARN_SOURCE = {"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb", "kafka": "kafka", "mq": "mq", "rds": "docdb"}
_CFN_SOURCE_TYPES = {
    "AWS::SQS::Queue": "sqs",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::DynamoDB::GlobalTable": "dynamodb",
    "AWS::MSK::Cluster": "kafka",
    "AWS::AmazonMQ::Broker": "mq",
}
_TF_SOURCE_TYPES = {
    "aws_sqs_queue": "sqs",
    "aws_kinesis_stream": "kinesis",
    "aws_dynamodb_table": "dynamodb",
    "aws_msk_cluster": "kafka",
    "aws_mq_broker": "mq",
}
# resource types whose Properties may name a function to invoke (or configure its failures)
_CFN_CALLER_TYPES = (
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Url",
    "AWS::S3::Bucket",
    "AWS::SNS::Subscription",
    "AWS::SNS::Topic",
    "AWS::Events::Rule",
    "AWS::Scheduler::Schedule",
    "AWS::Logs::SubscriptionFilter",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::IoT::TopicRule",
)


@dataclass
class Loaded:
    """What one template or root declares besides its functions' own callers."""

    unresolved: list[Location]  # callers whose target function could not be resolved
    function_urls: list[FunctionUrl]
    event_sources: list[EventSource]


@dataclass
class FailureDestination:
    """An on-failure destination for asynchronous invocations (EventInvokeConfig / module input)."""

    destination: Setting  # ARN or expression; unknown when unresolvable
    qualifier: Qualifier | None  # None = unqualified / all
    location: Location
    address: str


def invocation_for_source(source: str | None) -> str:
    return "queue" if source in ("sqs", "mq") else "stream"


# the batch size Lambda uses when none is written
DEFAULT_BATCH_SIZE = {"sqs": 10, "kinesis": 100, "dynamodb": 100, "kafka": 100, "mq": 100, "docdb": 100}


def principal_invocation(principal: Any) -> str | None:
    if not isinstance(principal, str):
        return None
    service = principal.split(".", 1)[0].lower()
    if "." not in principal:
        return None
    if service in ASYNC_PRINCIPALS:
        return "async"
    if service in SYNC_PRINCIPALS:
        return "sync"
    return None


def _source_from_arn(value: Any) -> str | None:
    return _ARN_SOURCE.get(arn.service(value) or "")


def _add_caller(fn: Function, caller: Caller) -> None:
    if any(c.address == caller.address for c in fn.callers):
        return
    fn.callers.append(caller)


# ====================================================================== CloudFormation / SAM
class _CfnContext:
    def __init__(self, t, functions: list[Function]):
        self.t = t
        self.unresolved: list[Location] = []  # callers whose target function could not be resolved
        self.urls: list[FunctionUrl] = []
        self.sources: list[EventSource] = []
        self.by_id = {f.name: f for f in functions}
        self.by_name = functions_by_name(functions)

    def props(self, logical_id: str) -> Node | None:
        """The resource's ``Properties`` mapping; None when missing or an expression."""
        props = self.t.properties(logical_id)
        return props if props is not None and props.is_map and not is_intrinsic(props) else None

    def literal(self, value: Any, loc: Location) -> tuple[Function | None, Qualifier | None]:
        return function_named(value, self.by_name, loc)

    def function_ref(self, node: Node | None, depth: int = 0) -> tuple[Function | None, Qualifier | None]:
        """(function, qualifier) a FunctionName/Arn/Endpoint value invokes."""
        t = self.t
        if node is None or depth > 5:
            return None, None
        loc = t.loc(node)
        if node.is_map and len(node.value) == 1:
            (fn_key, arg), = node.value.items()
            if fn_key == "Ref" and isinstance(arg.value, str):
                return self._ref(arg.value, loc, depth)
            if fn_key == "Fn::GetAtt":
                ref = t.reference(node)
                target, attr = (ref.target, ref.attribute) if ref is not None else (None, None)
                if target in self.by_id and attr in ("Arn", None):
                    return self.by_id[target], None
                return None, None
            if fn_key == "Fn::Sub":
                template = arg.value[0].value if isinstance(arg.value, list) and arg.value else arg.value
                if isinstance(template, str):
                    m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z]+))?\}(?::(.+))?", template.strip())
                    if m:
                        target = m.group(1)
                        fn, qual = (self.by_id[target], None) if target in self.by_id and m.group(2) in (None, "Arn") else self._ref(target, loc, depth) if m.group(2) is None else (None, None)
                        if fn is not None and m.group(3):
                            suffix = m.group(3)
                            qual = arn.invoked_qualifier(suffix, loc) if "${" not in suffix else Qualifier.unknown(loc, suffix)
                        return fn, qual
                    # a literal ARN with pseudo parameters: arn:${AWS::Partition}:lambda:${AWS::Region}:...
                    literal = arn.without_pseudo_parameters(template)
                    if literal is not None:
                        return self.literal(literal, loc)
                return None, None
            if fn_key == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2 and isinstance(arg.value[1].value, list):
                sep = arg.value[0].value if isinstance(arg.value[0].value, str) else None
                parts = arg.value[1].value
                if sep is None or not parts:
                    return None, None
                fn, qual = self.function_ref(parts[0], depth + 1)
                if fn is None or qual is not None:
                    return fn, qual
                rest = []
                for p in parts[1:]:
                    v = t.value(p)
                    if not isinstance(v, Literal) or isinstance(v.value, (dict, list)):
                        return fn, Qualifier.unknown(loc, "Fn::Join")
                    rest.append(str(v.value))
                suffix = sep.join([""] + rest) if rest else ""
                suffix = suffix[1:] if suffix.startswith(":") else suffix
                if not suffix:
                    return fn, None
                return fn, arn.invoked_qualifier(suffix, loc)
        value = t.value(node)
        if isinstance(value, Literal):
            return self.literal(value.value, loc)
        return None, None

    def caller_ref(self, node: Node | None) -> tuple[Function | None, Qualifier | None]:
        """function_ref, remembering values that resolve to nothing we know (maybe one of ours)."""
        fn, qual = self.function_ref(node)
        if fn is None and node is not None:
            ref = self.t.reference(node)
            known_resource = ref is not None and self.t.resource_type(ref.target.split(".", 1)[0]) is not None
            if not known_resource and not isinstance(self.t.value(node), Literal) and not _pseudo_only(node):
                self.unresolved.append(self.t.loc(node))
        return fn, qual

    def _ref(self, name: str, loc: Location, depth: int) -> tuple[Function | None, Qualifier | None]:
        t = self.t
        if name in self.by_id:
            return self.by_id[name], None
        if "." in name:  # SAM: !Ref Fn.Alias / !Ref Fn.Version
            base, attr = name.split(".", 1)
            fn = self.by_id.get(base)
            if fn is not None and attr == "Alias":
                alias = t.sam_alias(fn)
                return fn, alias if alias is not None else Qualifier.unknown(loc, name)
            if fn is not None and attr == "Version":
                return fn, Qualifier.version(loc, resource=fn.address, published=True)
            return None, None
        rtype = t.resource_type(name)
        props = self.props(name)
        if rtype == "AWS::Lambda::Alias" and props is not None:
            fn, _ = self.function_ref(props.get("FunctionName"), depth + 1)
            if fn is None:
                return None, None
            alias_name = t.setting(props.get("Name"), name, loc)
            return fn, Qualifier.named_alias(alias_name) if alias_name.is_set else Qualifier.alias(loc, label=name)
        if rtype == "AWS::Lambda::Version" and props is not None:
            fn, _ = self.function_ref(props.get("FunctionName"), depth + 1)
            return (fn, Qualifier.version(loc, resource=f"{t.path}#Resources/{name}", label=name)) if fn is not None else (None, None)
        for fn in self.by_id.values():  # SAM's generated alias: <Function>Alias<alias name>
            alias = t.sam_alias(fn)
            if alias is not None and alias.known and name == f"{fn.name}Alias{alias.name}":
                return fn, alias
        if rtype is None:  # a parameter: follow its default
            value = t.parameter(name, loc)
            if isinstance(value, Literal):
                return self.literal(value.value, loc)
        return None, None

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
        ref = self.t.reference(node)
        if ref is not None and self.t.resource_type(ref.target) in _CFN_SOURCE_TYPES:
            return _CFN_SOURCE_TYPES[self.t.resource_type(ref.target)]
        value = self.t.value(node)
        if isinstance(value, Literal):
            return _source_from_arn(value.value)
        if node.is_map and "Fn::Sub" in node.value:
            template = node.value["Fn::Sub"].value
            return _source_from_arn(template if isinstance(template, str) else None)
        return None


def _cfn_principal(t, node: Node | None) -> str | None:
    """A service principal as text; in ``!Sub logs.${AWS::Region}.amazonaws.com`` only the region
    varies, and the service (what tells how it invokes) is literal."""
    value = t.value(node)
    if isinstance(value, Literal):
        return value.value if isinstance(value.value, str) else None
    if node is not None and _pseudo_only(node):
        return arn.without_pseudo_parameters(node.value["Fn::Sub"].value)
    return None


def _tf_principal(root, value: Any) -> str | None:
    """A service principal as text; in ``"logs.${data.aws_region.current.name}.amazonaws.com"``
    the service is literal even when the region is not."""
    literal = root.resolve(value)
    if isinstance(literal, str):
        return literal
    if isinstance(value, HclTemplateString) and re.match(r"[a-z0-9-]+\.", value.text):
        return re.sub(r"\$\{[^}]*\}", "x", value.text)
    return None


def _pseudo_only(node: Node) -> bool:
    """A ``!Sub`` whose only variables are pseudo parameters: a literal ARN for our purposes."""
    if not (node.is_map and len(node.value) == 1 and "Fn::Sub" in node.value):
        return False
    template = node.value["Fn::Sub"].value
    return isinstance(template, str) and all(v.startswith("AWS::") for v in re.findall(r"\$\{([^}!]+)\}", template))


def load_template(t, functions: list[Function]) -> list[Location]:
    """Callers, DLQs and failure destinations declared in one template (``t``: cloudformation.Template).
    Returns the callers whose target could not be resolved, every function URL and event source mapping."""
    ctx = _CfnContext(t, functions)
    for fn in functions:
        _cfn_function(ctx, fn)
    for logical_id in sorted(t.resources):
        rtype = t.resource_type(logical_id)
        props = ctx.props(logical_id)
        node = t.resources[logical_id]
        where = t.loc(node)
        address = f"{t.path}#Resources/{logical_id}"
        if props is None and node.is_map and is_intrinsic(node.get("Properties")) and rtype in _CFN_CALLER_TYPES:
            # a caller written as one big expression may invoke any function (and qualifier)
            ctx.unresolved.append(where)
            if rtype == "AWS::Lambda::EventInvokeConfig":
                for fn in functions:
                    fn.failure_destinations.append(FailureDestination(unknown(where, "EventInvokeConfig is an expression"), None, where, address))
            continue
        if props is None:
            continue
        if rtype == "AWS::Lambda::EventSourceMapping":
            fn, qual = ctx.caller_ref(props.get("FunctionName"))
            source = ctx.event_source(props.get("EventSourceArn"))
            if props.get("SelfManagedEventSource") is not None:
                source = "kafka"
            caller = EventSourceCaller("esm", invocation_for_source(source), qual, where, address, source=source, **_cfn_batching(t, props, where, source))
            text = t.value(props.get("FunctionName"))
            ctx.sources.append(EventSource(caller, fn, str(text.value) if isinstance(text, Literal) else "FunctionName", phrases=CFN_PHRASES))
            if fn is not None:
                _add_caller(fn, caller)
        elif rtype == "AWS::Lambda::Permission":
            principal = _cfn_principal(t, props.get("Principal"))
            invocation = principal_invocation(principal)
            fn, qual = ctx.caller_ref(props.get("FunctionName"))
            if fn is not None and invocation is not None:
                _add_caller(fn, PermissionCaller("permission", invocation, qual, where, address, principal=principal))
        elif rtype == "AWS::Lambda::Url":
            target = props.get("TargetFunctionArn")
            fn, qual = ctx.caller_ref(target)
            auth = t.setting(props.get("AuthType"), None, where)
            text = t.value(target)
            ctx.urls.append(FunctionUrl(auth, where, address, fn, str(text.value) if isinstance(text, Literal) else "TargetFunctionArn", phrases=CFN_PHRASES))
            if fn is not None:
                q = ctx.qualifier(props.get("Qualifier"))
                _add_caller(fn, UrlCaller("function-url", "sync", q if props.get("Qualifier") is not None else qual, where, address, auth_type=auth))
        elif rtype == "AWS::S3::Bucket":
            config = props.get("NotificationConfiguration")
            lambdas = config.get("LambdaConfigurations") if config is not None and config.is_map else None
            for i, item in enumerate(lambdas.value if lambdas is not None and isinstance(lambdas.value, list) else []):
                fn, qual = ctx.caller_ref(item.get("Function") if item.is_map else None)
                if fn is not None:
                    _add_caller(fn, Caller("s3", "async", qual, t.loc(item, as_property=False), f"{address}/LambdaConfigurations/{i}"))
        elif rtype == "AWS::SNS::Subscription":
            protocol = t.value(props.get("Protocol"))
            if isinstance(protocol, Literal) and protocol.value != "lambda":
                continue
            fn, qual = ctx.caller_ref(props.get("Endpoint"))
            if fn is not None:
                _add_caller(fn, Caller("sns", "async", qual, where, address))
        elif rtype == "AWS::SNS::Topic":
            subs = props.get("Subscription")
            for i, item in enumerate(subs.value if subs is not None and isinstance(subs.value, list) else []):
                if not item.is_map:
                    continue
                protocol = t.value(item.get("Protocol"))
                if isinstance(protocol, Literal) and protocol.value != "lambda":
                    continue
                fn, qual = ctx.caller_ref(item.get("Endpoint"))
                if fn is not None:
                    _add_caller(fn, Caller("sns", "async", qual, t.loc(item, as_property=False), f"{address}/Subscription/{i}"))
        elif rtype == "AWS::Events::Rule":
            targets = props.get("Targets")
            for i, item in enumerate(targets.value if targets is not None and isinstance(targets.value, list) else []):
                fn, qual = ctx.caller_ref(item.get("Arn") if item.is_map else None)
                if fn is not None:
                    _add_caller(fn, Caller("eventbridge", "async", qual, t.loc(item, as_property=False), f"{address}/Targets/{i}"))
        elif rtype == "AWS::Scheduler::Schedule":
            target = props.get("Target")
            fn, qual = ctx.caller_ref(target.get("Arn") if target is not None and target.is_map else None)
            if fn is not None:
                _add_caller(fn, Caller("schedule", "async", qual, where, address))
        elif rtype == "AWS::Logs::SubscriptionFilter":
            fn, qual = ctx.caller_ref(props.get("DestinationArn"))
            if fn is not None:
                _add_caller(fn, Caller("logs", "async", qual, where, address))
        elif rtype == "AWS::IoT::TopicRule":
            # IoT rule actions invoke Lambda asynchronously (also inside the error action)
            payload = props.get("TopicRulePayload")
            actions = payload.get("Actions") if payload is not None and payload.is_map else None
            for i, item in enumerate(actions.value if actions is not None and isinstance(actions.value, list) else []):
                action = item.get("Lambda") if item.is_map else None
                fn, qual = ctx.caller_ref(action.get("FunctionArn") if action is not None and action.is_map else None)
                if fn is not None:
                    _add_caller(fn, Caller("iot", "async", qual, t.loc(item, as_property=False), f"{address}/Actions/{i}"))
        elif rtype == "AWS::Lambda::EventInvokeConfig":
            fn, qual = ctx.function_ref(props.get("FunctionName"))
            if fn is None:
                _unresolved_failure_config(ctx, props.get("FunctionName"), functions, where, address)
                continue
            q = ctx.qualifier(props.get("Qualifier")) if props.get("Qualifier") is not None else qual
            dest = _cfn_on_failure(t, props.get("DestinationConfig"))
            if dest is not None:
                fn.failure_destinations.append(FailureDestination(dest, q, dest.location, address))
    return Loaded(ctx.unresolved, ctx.urls, ctx.sources)


def _unresolved_failure_config(ctx: _CfnContext, node: Node | None, functions: list[Function], where: Location, address: str) -> None:
    """An EventInvokeConfig whose function we cannot resolve may configure any function of the stack."""
    t = ctx.t
    ref = t.reference(node)
    if node is None or (ref is not None and t.resource_type(ref.target.split(".", 1)[0]) is not None) or isinstance(t.value(node), Literal):
        return
    for fn in functions:
        fn.failure_destinations.append(FailureDestination(unknown(where, "EventInvokeConfig for an unresolved function"), None, where, address))


def _cfn_on_failure(t, config: Node | None, sam: bool = False) -> Setting | None:
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


def _cfn_batching(t, props: Node | None, where: Location, source: str | None) -> dict[str, Setting]:
    """The batching and failure fields of an ``AWS::Lambda::EventSourceMapping`` or of a SAM
    SQS / Kinesis / DynamoDB event (the properties have the same names)."""
    if is_intrinsic(props):  # the whole mapping is an expression: every field unknown
        return {k: unknown(t.loc(props), "Properties is an expression") for k in _BATCHING_FIELDS}
    props = props if props is not None and props.is_map else None
    config = props.get("DestinationConfig") if props is not None else None
    on_failure = config.get("OnFailure") if config is not None and config.is_map and not is_intrinsic(config) else None
    if is_intrinsic(config) or is_intrinsic(on_failure):
        destination = unknown(t.loc(config), "DestinationConfig is an expression")
    else:
        target = on_failure.get("Destination") if on_failure is not None and on_failure.is_map else None
        destination = t.setting(target, None, where)

    def get(key: str) -> Node | None:
        return props.get(key) if props is not None else None

    return {
        "batch_size": t.setting(get("BatchSize"), DEFAULT_BATCH_SIZE.get(source or ""), where, as_int=True),
        "batching_window": t.setting(get("MaximumBatchingWindowInSeconds"), 0, where, as_int=True),
        "response_types": t.setting(get("FunctionResponseTypes"), [], where),
        "on_failure": destination,
        "retry_attempts": t.setting(get("MaximumRetryAttempts"), -1, where, as_int=True),
        "max_record_age": t.setting(get("MaximumRecordAgeInSeconds"), -1, where, as_int=True),
    }


_BATCHING_FIELDS = ("batch_size", "batching_window", "response_types", "on_failure", "retry_attempts", "max_record_age")


def _cfn_function(ctx: _CfnContext, fn: Function) -> None:
    t = ctx.t
    raw = t.resources[fn.name].get("Properties") if t.resources[fn.name].is_map else None
    if is_intrinsic(raw):
        # its dead-letter queue, destinations and events are all unknown
        fn.dead_letter = unknown(t.loc(raw), "Properties is an expression")
        return
    is_sam = fn.kind == "sam"

    def get(key: str) -> Node | None:
        return t.function_prop(fn.name, key)

    # dead-letter queue
    dlq = get("DeadLetterQueue") if is_sam else get("DeadLetterConfig")
    if dlq is None:
        fn.dead_letter = absent(None, fn.location)
    else:
        arn = dlq.get("TargetArn") if dlq.is_map else None
        fn.dead_letter = t.setting(arn, None, t.loc(dlq)) if arn is not None else t.setting(dlq, None, t.loc(dlq))
        if fn.dead_letter.is_set and not fn.dead_letter.value:
            fn.dead_letter = absent(None, fn.location)
        elif not fn.dead_letter.known and arn is not None:
            # !GetAtt Queue.Arn / !Ref Topic: a queue or topic of this stack, certainly configured
            ref = t.reference(arn)
            target, attr = (ref.target, ref.attribute) if ref is not None else (None, None)
            if target is not None and t.resource_type(target) is not None:
                fn.dead_letter = present(Reference(f"{target}.{attr}" if attr else target), fn.dead_letter.location)
    # SAM EventInvokeConfig
    if is_sam:
        config = get("EventInvokeConfig")
        if config is not None and config.is_map:
            dest = _cfn_on_failure(t, config.get("DestinationConfig"), sam=True)
            if dest is not None:
                fn.failure_destinations.append(FailureDestination(dest, t.sam_alias(fn), dest.location, f"{fn.address}/EventInvokeConfig"))
        elif config is not None:
            fn.failure_destinations.append(FailureDestination(unknown(t.loc(config), "EventInvokeConfig"), None, t.loc(config), f"{fn.address}/EventInvokeConfig"))
        alias = t.sam_alias(fn)
        events = get("Events")
        for name, event in sorted((events.value if events is not None and events.is_map else {}).items()):
            if not event.is_map:
                continue
            etype = t.literal(event.get("Type"))
            if not isinstance(etype, str) or etype not in SAM_EVENTS:
                continue
            kind, invocation = SAM_EVENTS[etype]
            where, address = t.loc(event), f"{fn.address}/Events/{name}"
            if kind == "esm":
                source = _SAM_SOURCE[etype]
                caller = EventSourceCaller(kind, invocation, alias, where, address, source=source, **_cfn_batching(t, event.get("Properties"), where, source))
                ctx.sources.append(EventSource(caller, fn, fn.name, phrases=fn.phrases))
            else:
                caller = Caller(kind, invocation, alias, where, address)
            if kind == "api" and any(c.kind == "api" and c.address.endswith(f"/Events/{name}") for c in fn.callers):
                continue
            _add_caller(fn, caller)
        url = get("FunctionUrlConfig")
        if url is not None and url.is_map:
            auth = t.setting(url.get("AuthType"), None, t.loc(url))
            _add_caller(fn, UrlCaller("function-url", "sync", alias, t.loc(url), f"{fn.address}/FunctionUrlConfig", auth_type=auth))
            ctx.urls.append(FunctionUrl(auth, t.loc(url), f"{fn.address}/FunctionUrlConfig", fn, fn.name, phrases=fn.phrases))


# ====================================================================== Terraform
class _TfContext:
    def __init__(self, root, functions: list[Function]):
        from ..formats.terraform.functions import _is_lambda_module

        self.root = root
        self.unresolved: list[Location] = []
        self.urls: list[FunctionUrl] = []
        self.sources: list[EventSource] = []
        self.functions: dict[str, Function] = {f.address.split("#", 1)[1]: f for f in functions}
        self.aliases: dict[str, tuple[str, Block]] = {}
        self.alias_modules: dict[str, tuple[str, Block]] = {}
        self.blocks: dict[str, tuple[str, Block]] = {}
        for path, block in root.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                if block.labels[0] == "aws_lambda_alias":
                    self.aliases[block.labels[1]] = (path, block)
            elif block.type == "module" and len(block.labels) == 1:
                self.blocks[f"module.{block.labels[0]}"] = (path, block)
                source = block.attr("source")
                value = root.resolve(source.value) if source is not None else None
                if isinstance(value, str) and "modules/alias" in value and not _is_lambda_module(root, block):
                    self.alias_modules[block.labels[0]] = (path, block)
        for key, fn in self.functions.items():
            if key.startswith("aws_lambda_function."):
                self.blocks[key] = root.resources.get(("aws_lambda_function", key.split(".", 1)[1]), (None, None))
        self.by_name = functions_by_name(functions)

    def loc(self, path: str, item) -> Location:
        return Location(path, item.line, item.column)

    def function_ref(self, value: Any, loc: Location, depth: int = 0) -> tuple[Function | None, Qualifier | None]:
        root = self.root
        if depth > 5:
            return None, None
        if isinstance(value, (Expr, HclTemplateString)):
            text = value.text.strip()
            if isinstance(value, HclTemplateString):
                m = re.fullmatch(r"\$\{([^}]*)\}(?::(.*))?", text)
                if m is None:
                    return self.literal(root.resolve(value), loc)
                fn, qual = self.function_ref(Expr(m.group(1).strip()), loc, depth + 1)
                suffix = m.group(2)
                if fn is None or suffix is None or qual is not None:
                    return fn, qual
                return fn, self._suffix(suffix, loc)
            ref = root.reference(value)
            if ref is not None:
                rtype, name, attr = ref
                if rtype == "aws_lambda_function" and f"aws_lambda_function.{name}" in self.functions:
                    fn = self.functions[f"aws_lambda_function.{name}"]
                    if attr in ("qualified_arn", "qualified_invoke_arn"):
                        return fn, published_version(fn, loc)
                    return fn, None
                if rtype == "module" and f"module.{name}" in self.functions:
                    fn = self.functions[f"module.{name}"]
                    if "qualified" in attr:
                        return fn, published_version(fn, loc)
                    return fn, None
                # an aws_lambda_alias, or a lambda module's //modules/alias: its function, qualified by the alias
                aliases = self.alias_modules if rtype == "module" else self.aliases if rtype == "aws_lambda_alias" else {}
                if name in aliases:
                    path, block = aliases[name]
                    target = block.attr("function_name")
                    fn, _ = self.function_ref(target.value, loc, depth + 1) if target is not None else (None, None)
                    alias = root.resolve(block.attr("name").value) if block.attr("name") is not None else None
                    return (fn, Qualifier.alias(loc, name=alias if isinstance(alias, str) else "", label=f"{rtype}.{name}")) if fn is not None else (None, None)
                return None, None
        return self.literal(root.resolve(value), loc)

    def caller_ref(self, value: Any, loc: Location) -> tuple[Function | None, Qualifier | None]:
        fn, qual = self.function_ref(value, loc)
        if fn is None:
            ref = self.root.reference(value)
            known = ref is not None and (ref[0] == "module" or (ref[0], ref[1]) in self.root.resources or ref[0] == "data")
            if not known and not isinstance(self.root.resolve(value), str):
                self.unresolved.append(loc)
        return fn, qual

    def _suffix(self, suffix: str, loc: Location) -> Qualifier | None:
        if "${" not in suffix:
            return arn.invoked_qualifier(suffix, loc)
        q = self.qualifier_value(HclTemplateString(suffix), loc)
        return q

    def literal(self, value: Any, loc: Location) -> tuple[Function | None, Qualifier | None]:
        return function_named(value, self.by_name, loc)

    def qualifier_value(self, value: Any, loc: Location) -> Qualifier | None:
        ref = self.root.reference(value)
        if ref is not None:
            rtype, name, attr = ref
            if rtype == "aws_lambda_alias":
                return Qualifier.alias(loc, label=f"aws_lambda_alias.{name}")
            if rtype == "aws_lambda_function" and attr == "version" and f"aws_lambda_function.{name}" in self.functions:
                return published_version(self.functions[f"aws_lambda_function.{name}"], loc)
        literal = self.root.resolve(value)
        if not isinstance(literal, str) or ("${" in literal):
            return Qualifier.unknown(loc, getattr(value, "text", repr(value)))
        return arn.invoked_qualifier(literal, loc)

    def qualifier_attr(self, path: str, block: Block) -> Qualifier | None | bool:
        attr = block.attr("qualifier")
        if attr is None:
            return False  # not given: the function reference decides
        return self.qualifier_value(attr.value, self.loc(path, attr))

    def event_source(self, value: Any) -> str | None:
        ref = self.root.reference(value)
        if ref is not None and ref[0] in _TF_SOURCE_TYPES:
            return _TF_SOURCE_TYPES[ref[0]]
        literal = self.root.resolve(value)
        if isinstance(literal, str):
            return _source_from_arn(literal)
        if isinstance(value, HclTemplateString):
            return _source_from_arn(value.text)
        return None


def _tf_caller(ctx: _TfContext, path: str, block: Block, attr_name: str, kind: str, invocation: str, address: str, where: Block | None = None, cls: type = Caller, **fields) -> tuple[Caller, Function | None]:
    """The caller ``block`` declares through its ``attr_name`` (a function reference), built as
    ``cls(kind, invocation, qualifier, location, address, **fields)`` and added to its function
    when that resolves; returns (caller, function or None)."""
    attr = block.attr(attr_name)
    loc = ctx.loc(path, where or block)
    fn, qual = ctx.caller_ref(attr.value, Location(path, attr.line, attr.column)) if attr is not None else (None, None)
    given = ctx.qualifier_attr(path, block)
    if given is not False:
        qual = given
    caller = cls(kind, invocation, qual, loc, address, **fields)
    if fn is not None:
        _add_caller(fn, caller)
    return caller, fn


def load_root(root, functions: list[Function]) -> list[Location]:
    """Callers, DLQs and failure destinations declared in one Terraform root (``root``: terraform.Root).
    Returns the callers whose target could not be resolved, every function URL and event source mapping."""
    ctx = _TfContext(root, functions)
    for key, fn in ctx.functions.items():
        path, block = ctx.blocks.get(key, (None, None))
        if block is None:
            continue
        if key.startswith("module."):
            _tf_module(ctx, fn, path, block)
        else:
            _tf_function(ctx, fn, path, block)
    for path, block in root.blocks:
        if block.type != "resource" or len(block.labels) != 2:
            continue
        rtype, rname = block.labels
        address = f"{path}#{rtype}.{rname}"
        if rtype == "aws_lambda_event_source_mapping":
            attr = block.attr("event_source_arn")
            source = ctx.event_source(attr.value) if attr is not None else None
            if block.children("self_managed_event_source") or block.children("amazon_managed_kafka_event_source_config"):
                source = "kafka"
            fields = _tf_batching(root, path, block, ctx.loc(path, block), source)
            caller, fn = _tf_caller(ctx, path, block, "function_name", "esm", invocation_for_source(source), address, cls=EventSourceCaller, source=source, **fields)
            ctx.sources.append(EventSource(caller, fn, _written(block.attr("function_name")), root.may_not_exist(block), RESOURCE_PHRASES))
        elif rtype == "aws_s3_bucket_notification":
            for i, child in enumerate(block.children("lambda_function")):
                _tf_caller(ctx, path, child, "lambda_function_arn", "s3", "async", f"{address}/lambda_function/{i}", where=child)
        elif rtype == "aws_sns_topic_subscription":
            protocol = block.attr("protocol")
            value = root.resolve(protocol.value) if protocol is not None else None
            if isinstance(value, str) and value != "lambda":
                continue
            _tf_caller(ctx, path, block, "endpoint", "sns", "async", address)
        elif rtype == "aws_cloudwatch_event_target":
            _tf_caller(ctx, path, block, "arn", "eventbridge", "async", address)
        elif rtype == "aws_scheduler_schedule":
            for child in block.children("target"):
                attr = child.attr("arn")
                if attr is None:
                    continue
                fn, qual = ctx.caller_ref(attr.value, Location(path, attr.line, attr.column))
                if fn is not None:
                    _add_caller(fn, Caller("schedule", "async", qual, ctx.loc(path, block), address))
        elif rtype == "aws_iot_topic_rule":
            for i, child in enumerate(block.children("lambda")):
                _tf_caller(ctx, path, child, "function_arn", "iot", "async", f"{address}/lambda/{i}", where=child)
        elif rtype == "aws_cloudwatch_log_subscription_filter":
            _tf_caller(ctx, path, block, "destination_arn", "logs", "async", address)
        elif rtype == "aws_lambda_permission":
            principal = block.attr("principal")
            value = _tf_principal(root, principal.value) if principal is not None else None
            invocation = principal_invocation(value)
            if invocation is not None:
                _tf_caller(ctx, path, block, "function_name", "permission", invocation, address, cls=PermissionCaller, principal=value)
        elif rtype == "aws_lambda_function_url":
            auth = root.setting(path, block.attr("authorization_type"), None, ctx.loc(path, block))
            _, fn = _tf_caller(ctx, path, block, "function_name", "function-url", "sync", address, cls=UrlCaller, auth_type=auth)
            ctx.urls.append(FunctionUrl(auth, ctx.loc(path, block), address, fn, _written(block.attr("function_name")), root.may_not_exist(block), RESOURCE_PHRASES))
        elif rtype == "aws_lambda_function_event_invoke_config":
            attr = block.attr("function_name")
            if attr is None:
                continue
            fn, qual = ctx.function_ref(attr.value, Location(path, attr.line, attr.column))
            if fn is None:
                ref = root.reference(attr.value)
                known = ref is not None and (ref[0] == "module" or (ref[0], ref[1]) in root.resources)
                if not known and not isinstance(root.resolve(attr.value), str):
                    for other in ctx.functions.values():
                        other.failure_destinations.append(FailureDestination(unknown(ctx.loc(path, block), "event invoke config for an unresolved function"), None, ctx.loc(path, block), address))
                continue
            given = ctx.qualifier_attr(path, block)
            if given is not False:
                qual = given
            for config in block.children("destination_config"):
                for on_failure in config.children("on_failure"):
                    dest = root.setting(path, on_failure.attr("destination"), None, ctx.loc(path, on_failure))
                    if not dest.is_absent:
                        fn.failure_destinations.append(FailureDestination(dest, qual, dest.location, address))
            if any(d.labels[:1] == ["destination_config"] for d in block.children("dynamic")):
                fn.failure_destinations.append(FailureDestination(unknown(ctx.loc(path, block), "dynamic destination_config"), qual, ctx.loc(path, block), address))
    return Loaded(ctx.unresolved, ctx.urls, ctx.sources)


def _tf_function(ctx: _TfContext, fn: Function, path: str, block: Block) -> None:
    dlq = next(iter(block.children("dead_letter_config")), None)
    if dlq is not None:
        fn.dead_letter = _tf_resource_reference(ctx.root, path, dlq.attr("target_arn"), ctx.loc(path, dlq))
        if fn.dead_letter.is_absent:
            fn.dead_letter = absent(None, fn.location)
    elif any(d.labels[:1] == ["dead_letter_config"] for d in block.children("dynamic")):
        fn.dead_letter = unknown(fn.location, "dynamic dead_letter_config")
    else:
        fn.dead_letter = absent(None, fn.location)


def _tf_batching(root, path: str, block: Block, where: Location, source: str | None) -> dict[str, Setting]:
    """The batching and failure fields of an ``aws_lambda_event_source_mapping``."""
    config = next(iter(block.children("destination_config")), None)
    on_failure = next(iter(config.children("on_failure")), None) if config is not None else None
    if any(d.labels[:1] == ["destination_config"] for d in block.children("dynamic")):
        destination = unknown(where, "dynamic destination_config")
    elif on_failure is not None:
        destination = root.setting(path, on_failure.attr("destination_arn"), None, where)
    else:
        destination = absent(None, where)

    def setting(name: str, default: Any, as_int: bool = False) -> Setting:
        return root.setting(path, block.attr(name), default, where, as_int=as_int)

    return {
        "batch_size": setting("batch_size", DEFAULT_BATCH_SIZE.get(source or ""), as_int=True),
        "batching_window": setting("maximum_batching_window_in_seconds", 0, as_int=True),
        "response_types": setting("function_response_types", []),
        "on_failure": destination,
        "retry_attempts": setting("maximum_retry_attempts", -1, as_int=True),
        "max_record_age": setting("maximum_record_age_in_seconds", -1, as_int=True),
    }


def _module_batching(root, item: dict | None, where: Location, source: str | None) -> dict[str, Setting]:
    """The same fields from one entry of the lambda module's ``event_source_mapping`` input
    (``destination_arn_on_failure`` is its name for the on-failure destination)."""
    if item is None:
        return {k: unknown(where, "event_source_mapping entry") for k in _BATCHING_FIELDS}
    positions = getattr(item, "positions", {})

    def setting(key: str, default: Any, as_int: bool = False) -> Setting:
        at = Location(where.path, *positions[key]) if key in positions else where
        if key not in item or item[key] is None:
            return absent(default, where)
        value = root.resolve(item[key])
        if value is UNRESOLVED_TF or (isinstance(value, list) and any(v is UNRESOLVED_TF for v in value)):
            return unknown(at, getattr(item[key], "text", repr(item[key])))
        if as_int:
            value = to_int(value)
            if value is None:
                return unknown(at, repr(item[key]))
        return present(value, at)

    return {
        "batch_size": setting("batch_size", DEFAULT_BATCH_SIZE.get(source or ""), as_int=True),
        "batching_window": setting("maximum_batching_window_in_seconds", 0, as_int=True),
        "response_types": setting("function_response_types", []),
        "on_failure": setting("destination_arn_on_failure", None),
        "retry_attempts": setting("maximum_retry_attempts", -1, as_int=True),
        "max_record_age": setting("maximum_record_age_in_seconds", -1, as_int=True),
    }


def _written(attr) -> str:
    """How a function reference is written, for messages about a function outside the scan."""
    if attr is None:
        return "function_name"
    return attr.value.text if isinstance(attr.value, (Expr, HclTemplateString)) else str(attr.value)


def _tf_resource_reference(root, path: str, attr, fallback: Location) -> Setting:
    """``attr``'s setting; a reference to a resource of the root
    (``aws_sqs_queue.dlq.arn``) is a :class:`Reference`: set, its text known at deploy time."""
    setting = root.setting(path, attr, None, fallback)
    if not setting.known:
        ref = root.reference(attr.value)
        if ref is not None and (ref[0], ref[1]) in root.resources:
            return present(Reference(f"{ref[0]}.{ref[1]}.{ref[2]}"), setting.location)
    return setting


def _tf_module(ctx: _TfContext, fn: Function, path: str, block: Block) -> None:
    root = ctx.root
    where = fn.location
    fn.dead_letter = _tf_resource_reference(root, path, block.attr("dead_letter_target_arn"), where)
    if fn.dead_letter.is_set and fn.dead_letter.value is None:
        fn.dead_letter = absent(None, where)
    create = root.setting(path, block.attr("create_async_event_config"), False, where, as_bool=True)
    on_failure = block.attr("destination_on_failure")
    if on_failure is not None and (not create.known or create.value):
        dest = root.setting(path, on_failure, None, where)
        if dest.is_set and dest.value is None:
            dest = absent(None, where)
        if not dest.is_absent:
            fn.failure_destinations.append(FailureDestination(dest, None, dest.location, f"{fn.address}/destination_on_failure"))
    # event_source_mapping = { name = { event_source_arn = ... } }
    esm = block.attr("event_source_mapping")
    loc = Location(path, esm.line, esm.column) if esm is not None else where
    value = esm.value if esm is not None else None
    if isinstance(value, dict):
        for name, item in sorted(value.items()):
            if not isinstance(item, dict):
                continue
            source = ctx.event_source(item.get("event_source_arn")) if "event_source_arn" in item else None
            if "self_managed_event_source" in item:
                source = "kafka"
            fields = _module_batching(root, item, loc, source)
            caller = EventSourceCaller("esm", invocation_for_source(source), None, loc, f"{fn.address}/event_source_mapping/{name}", source=source, **fields)
            _add_caller(fn, caller)
            ctx.sources.append(EventSource(caller, fn, fn.label, phrases=fn.phrases))
    elif esm is not None:
        literal = root.resolve(value)
        if isinstance(literal, dict):
            for name, item in sorted(literal.items()):
                source = _source_from_arn(item.get("event_source_arn")) if isinstance(item, dict) else None
                fields = _module_batching(root, item if isinstance(item, dict) else None, loc, source)
                caller = EventSourceCaller("esm", invocation_for_source(source), None, loc, f"{fn.address}/event_source_mapping/{name}", source=source, **fields)
                _add_caller(fn, caller)
                ctx.sources.append(EventSource(caller, fn, fn.label, phrases=fn.phrases))
    # allowed_triggers create permissions on the version and/or the unqualified function: qualifier unknown
    triggers = block.attr("allowed_triggers")
    if triggers is not None and isinstance(triggers.value, dict):
        tloc = Location(path, triggers.line, triggers.column)
        for name, item in sorted(triggers.value.items()):
            if not isinstance(item, dict):
                continue
            service = root.resolve(item.get("service")) if "service" in item else None
            principal = _tf_principal(root, item.get("principal")) if "principal" in item else None
            if isinstance(service, str):
                principal = f"{service}.amazonaws.com"
            invocation = principal_invocation(principal)
            if invocation is not None:
                _add_caller(fn, PermissionCaller("permission", invocation, Qualifier.unknown(tloc, "allowed_triggers"), tloc, f"{fn.address}/allowed_triggers/{name}", principal=principal))
    url = root.setting(path, block.attr("create_lambda_function_url"), False, where, as_bool=True)
    if url.is_set and url.value is True:
        unqualified = root.setting(path, block.attr("create_unqualified_alias_lambda_function_url"), True, where, as_bool=True)
        qual = None if (unqualified.known and unqualified.value) else published_version(fn, url.location) if unqualified.known else Qualifier.unknown(unqualified.location, "create_unqualified_alias_lambda_function_url")
        auth = root.setting(path, block.attr("authorization_type"), "NONE", where)
        _add_caller(fn, UrlCaller("function-url", "sync", qual, url.location, f"{fn.address}/lambda_function_url", auth_type=auth))
        ctx.urls.append(FunctionUrl(auth, url.location, f"{fn.address}/lambda_function_url", fn, fn.label, phrases=fn.phrases))


def published_version(fn: Function, loc: Location) -> Qualifier | None:
    """What the function's qualified ARN / ``.version`` names: its published version; None when it
    publishes none (then that is ``$LATEST``, the same as the unqualified function)."""
    p = fn.publishes_versions
    if not p.known:
        return Qualifier.unknown(loc, "publish")
    return Qualifier.version(loc, resource=fn.address, published=True) if p.value else None
