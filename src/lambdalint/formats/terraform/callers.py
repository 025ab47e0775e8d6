"""Terraform -> caller records: who invokes each function (event source mappings, S3 / SNS /
EventBridge / Scheduler / Logs / IoT targets, permissions, function URLs) and where its failed
asynchronous events go (``dead_letter_config``, on-failure destinations), for
``aws_lambda_function`` resources and the ``terraform-aws-modules/lambda/aws`` module's inputs,
and those of its ``//modules/alias`` submodule (on the function it names, qualified by the alias).

``TABLE`` maps each resource type to its reader; a function's own blocks and module inputs are
read by :func:`_function` / :func:`_module`. A function reference becomes a :class:`FunctionRef`:
``aws_lambda_function.x`` / ``module.m``, or a literal name / ARN, with the qualifier it invokes
(None: the unqualified function, that is ``$LATEST``; unknown when we cannot tell). API Gateway
integrations are read by ``api.py``.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ...documents.nodes import Block, Expr, HclTemplateString
from ...findings import Location
from ...project.model import Caller, EventSourceCaller, PermissionCaller, Qualifier, Reference, Setting, UrlCaller, absent, present, unknown
from .functions import RESOURCE_PHRASES, is_alias_module, is_lambda_module, version_qualifier
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
from ..values import Literal, Unknown, to_int
from .resolve import Reference as TfReference, Root

_SOURCE_TYPES = {
    "aws_sqs_queue": "sqs",
    "aws_kinesis_stream": "kinesis",
    "aws_dynamodb_table": "dynamodb",
    "aws_msk_cluster": "kafka",
    "aws_mq_broker": "mq",
}
_SQS_MODULE = "terraform-aws-modules/sqs/aws"
# EventSourceCaller field -> (attribute, value when not written, integer): the same names on an
# aws_lambda_event_source_mapping and in an entry of the lambda module's event_source_mapping
# input (on_failure is read apart: a block on the one, destination_arn_on_failure on the other)
BATCHING = {
    "batch_size": ("batch_size", DEFAULT_BATCH_SIZE, True),
    "batching_window": ("maximum_batching_window_in_seconds", 0, True),
    "response_types": ("function_response_types", [], False),
    "retry_attempts": ("maximum_retry_attempts", -1, True),
    "max_record_age": ("maximum_record_age_in_seconds", -1, True),
}


def read(root: Root) -> list[CallerRecords]:
    """Every caller, DLQ and failure-destination record of one root, in document order."""
    r = Reader(root)
    for key in sorted(r.functions):
        path, block = r.functions[key]
        if key.startswith("module."):
            _module(r, key, path, block)
        else:
            _function(r, key, path, block)
    for name in sorted(r.alias_modules):
        path, block = r.alias_modules[name]
        if is_alias_module(root, block):
            _alias_module(r, name, path, block)
    for path, block in root.blocks:
        if block.type != "resource" or len(block.labels) != 2:
            continue
        reader = TABLE.get(block.labels[0])
        if reader is not None:
            reader(r, path, block, root.address(path, f"{block.labels[0]}.{block.labels[1]}"))
    return r.out


class Reader:
    """One root's reading: its functions and aliases, the references it resolves, the records it makes."""

    def __init__(self, root: Root):
        self.root = root
        self.out: list[CallerRecords] = []
        # "aws_lambda_function.x" / "module.m" -> (file, block): the functions this root declares
        self.functions: dict[str, tuple[str, Block]] = {}
        self.aliases: dict[str, tuple[str, Block]] = {}
        self.alias_modules: dict[str, tuple[str, Block]] = {}
        for path, block in root.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                if block.labels[0] == "aws_lambda_alias":
                    self.aliases[block.labels[1]] = (path, block)
            elif block.type == "module" and len(block.labels) == 1:
                if is_lambda_module(root, block):
                    self.functions[f"module.{block.labels[0]}"] = (path, block)
                source = block.attr("source")
                value = root.resolve(source.value) if source is not None else None
                if isinstance(value, str) and ("modules/alias" in value or is_alias_module(root, block)) and not is_lambda_module(root, block):
                    self.alias_modules[block.labels[0]] = (path, block)
        for (rtype, name), (path, block) in root.resources.items():
            if rtype == "aws_lambda_function":
                self.functions[f"aws_lambda_function.{name}"] = (path, block)

    def module_source(self, name: str) -> str:
        """The ``source`` of the call ``module.name`` when it is literal; "" otherwise."""
        for _, block in self.root.blocks:
            if block.type == "module" and block.labels == [name] and block.attr("source") is not None:
                value = self.root.resolve(block.attr("source").value)
                return value if isinstance(value, str) else ""
        return ""

    def loc(self, path: str, item) -> Location:
        return Location(path, item.line, item.column)

    def ref(self, key: str | None, loc: Location, qualifier: Qualifier | None = None, name: str | None = None) -> FunctionRef:
        return FunctionRef(self.root.document, key, name, qualifier, loc)

    def named(self, value: Any, loc: Location) -> FunctionRef:
        """A function written as a literal name or ARN (its qualifier from the ARN)."""
        parsed = arn.function_and_qualifier(value)
        if parsed is None:
            return self.ref(None, loc)
        return self.ref(None, loc, arn.invoked_qualifier(parsed[1], loc) if parsed[1] else None, name=value)

    def published_version(self, key: str, loc: Location) -> Qualifier | None:
        """What the function's qualified ARN / ``.version`` names: the version it publishes; None
        when it publishes none (then that is ``$LATEST``, the same as the unqualified function)."""
        path, block = self.functions[key]
        qualifier = version_qualifier(self.root, path, block, key, loc)
        return None if qualifier.is_latest else qualifier

    def function_ref(self, value: Any, loc: Location, depth: int = 0) -> FunctionRef:
        """The function (and qualifier) a function_name / arn / endpoint value invokes."""
        root = self.root
        nothing = self.ref(None, loc)
        if depth > 5:
            return nothing
        if isinstance(value, (Expr, HclTemplateString)):
            text = value.text.strip()
            if isinstance(value, HclTemplateString):
                m = re.fullmatch(r"\$\{([^}]*)\}(?::(.*))?", text)
                if m is None:
                    return self.named(root.resolve(value), loc)
                found = self.function_ref(Expr(m.group(1).strip()), loc, depth + 1)
                suffix = m.group(2)
                if not found.resolved or suffix is None or found.qualifier is not None:
                    return found
                return self.ref(found.key, loc, self._suffix(suffix, loc), name=found.name)
            ref = root.reference(value)
            if ref is not None:
                rtype, name, attr = ref
                key = f"{rtype}.{name}"
                if rtype in ("aws_lambda_function", "module") and key in self.functions:
                    qualified = attr in ("qualified_arn", "qualified_invoke_arn") if rtype == "aws_lambda_function" else "qualified" in attr
                    return self.ref(key, loc, self.published_version(key, loc) if qualified else None)
                # an aws_lambda_alias, or a lambda module's //modules/alias: its function, qualified by the alias
                aliases = self.alias_modules if rtype == "module" else self.aliases if rtype == "aws_lambda_alias" else {}
                if name in aliases:
                    _, block = aliases[name]
                    target = block.attr("function_name")
                    found = self.function_ref(target.value, loc, depth + 1) if target is not None else nothing
                    alias = root.resolve(block.attr("name").value) if block.attr("name") is not None else None
                    if not found.resolved:
                        return nothing
                    return self.ref(found.key, loc, Qualifier.alias(loc, name=alias if isinstance(alias, str) else "", label=key), name=found.name)
                return nothing
        return self.named(root.resolve(value), loc)

    def caller_ref(self, value: Any, loc: Location) -> FunctionRef:
        """function_ref, recording values that resolve to nothing we know (maybe one of ours)."""
        found = self.function_ref(value, loc)
        if not found.resolved:
            ref = self.root.reference(value)
            known = ref is not None and (ref[0] == "module" or (ref[0], ref[1]) in self.root.resources or ref[0] == "data")
            if not known and not isinstance(self.root.resolve(value), str):
                self.out.append(UnresolvedCaller(self.root.document, loc))
        return found

    def _suffix(self, suffix: str, loc: Location) -> Qualifier | None:
        if "${" not in suffix:
            return arn.invoked_qualifier(suffix, loc)
        return self.qualifier_value(HclTemplateString(suffix), loc)

    def qualifier_value(self, value: Any, loc: Location) -> Qualifier | None:
        ref = self.root.reference(value)
        if ref is not None:
            rtype, name, attr = ref
            if rtype == "aws_lambda_alias":
                return Qualifier.alias(loc, label=f"aws_lambda_alias.{name}")
            if rtype == "aws_lambda_function" and attr == "version" and f"aws_lambda_function.{name}" in self.functions:
                return self.published_version(f"aws_lambda_function.{name}", loc)
        literal = self.root.resolve(value)
        if not isinstance(literal, str) or ("${" in literal):
            return Qualifier.unknown(loc, getattr(value, "text", repr(value)))
        return arn.invoked_qualifier(literal, loc)

    def qualifier_attr(self, path: str, block: Block) -> Qualifier | None | bool:
        """A ``qualifier`` attribute's qualifier; False when not given (the reference decides)."""
        attr = block.attr("qualifier")
        if attr is None:
            return False
        return self.qualifier_value(attr.value, self.loc(path, attr))

    def target(self, path: str, block: Block, attr_name: str, resolve: Callable | None = None) -> FunctionRef:
        """The function ``block``'s ``attr_name`` names, qualified by its ``qualifier`` when given."""
        attr = block.attr(attr_name)
        at = Location(path, attr.line, attr.column) if attr is not None else self.loc(path, block)
        found = (resolve or self.caller_ref)(attr.value, at) if attr is not None else self.ref(None, at)
        given = self.qualifier_attr(path, block)
        if given is not False:
            found = self.ref(found.key, found.location, given, name=found.name)
        return found

    def caller(self, path: str, block: Block, attr_name: str, make: Callable[[Qualifier | None], Caller]) -> None:
        found = self.target(path, block, attr_name)
        if found.resolved:
            self.out.append(CallerRecord(found, make(found.qualifier)))

    def event_source(self, value: Any) -> str | None:
        ref = self.root.reference(value)
        if ref is not None and ref[0] in _SOURCE_TYPES:
            return _SOURCE_TYPES[ref[0]]
        if ref is not None and ref[0] == "module" and ref[2].endswith("queue_arn") and self.module_source(ref[1]).startswith(_SQS_MODULE):
            return "sqs"  # terraform-aws-modules/sqs: queue_arn, sqs_queue_arn, dead_letter_queue_arn
        literal = self.root.resolve(value)
        if isinstance(literal, str):
            return source_from_arn(literal)
        if isinstance(value, HclTemplateString):
            return source_from_arn(value.text)
        return None


def _principal(root: Root, value: Any) -> str | None:
    """A service principal as text; in ``"logs.${data.aws_region.current.name}.amazonaws.com"``
    the service is literal even when the region is not."""
    literal = root.resolve(value)
    if isinstance(literal, str):
        return literal
    if isinstance(value, HclTemplateString) and re.match(r"[a-z0-9-]+\.", value.text):
        return re.sub(r"\$\{[^}]*\}", "x", value.text)
    return None


def _written(attr) -> str:
    """How a function reference is written, for messages about a function outside the scan."""
    if attr is None:
        return "function_name"
    return attr.value.text if isinstance(attr.value, (Expr, HclTemplateString)) else str(attr.value)


def _dynamic(block: Block, name: str) -> bool:
    return any(d.labels[:1] == [name] for d in block.children("dynamic"))


# ---------------------------------------------------------------- resources
def _event_source_mapping(r: Reader, path: str, block: Block, address: str) -> None:
    attr = block.attr("event_source_arn")
    source = r.event_source(attr.value) if attr is not None else None
    if block.children("self_managed_event_source") or block.children("amazon_managed_kafka_event_source_config"):
        source = "kafka"
    where = r.loc(path, block)
    fields = _batching(r.root, path, block, where, source)
    found = r.target(path, block, "function_name")
    mapping = EventSourceCaller("esm", invocation_for_source(source), found.qualifier, where, address, source=source, **fields)
    r.out.append(EventSourceRecord(found, mapping, _written(block.attr("function_name")), r.root.may_not_exist(block), RESOURCE_PHRASES))


def _bucket_notification(r: Reader, path: str, block: Block, address: str) -> None:
    for i, child in enumerate(block.children("lambda_function")):
        at = r.loc(path, child)
        r.caller(path, child, "lambda_function_arn", lambda q: Caller("s3", "async", q, at, f"{address}/lambda_function/{i}"))


def _topic_subscription(r: Reader, path: str, block: Block, address: str) -> None:
    protocol = block.attr("protocol")
    value = r.root.resolve(protocol.value) if protocol is not None else None
    if isinstance(value, str) and value != "lambda":
        return
    r.caller(path, block, "endpoint", lambda q: Caller("sns", "async", q, r.loc(path, block), address))


def _event_target(r: Reader, path: str, block: Block, address: str) -> None:
    r.caller(path, block, "arn", lambda q: Caller("eventbridge", "async", q, r.loc(path, block), address))


def _schedule(r: Reader, path: str, block: Block, address: str) -> None:
    for child in block.children("target"):
        attr = child.attr("arn")
        if attr is None:
            continue
        found = r.caller_ref(attr.value, Location(path, attr.line, attr.column))
        if found.resolved:
            r.out.append(CallerRecord(found, Caller("schedule", "async", found.qualifier, r.loc(path, block), address)))


def _topic_rule(r: Reader, path: str, block: Block, address: str) -> None:
    for i, child in enumerate(block.children("lambda")):
        at = r.loc(path, child)
        r.caller(path, child, "function_arn", lambda q: Caller("iot", "async", q, at, f"{address}/lambda/{i}"))


def _log_subscription(r: Reader, path: str, block: Block, address: str) -> None:
    r.caller(path, block, "destination_arn", lambda q: Caller("logs", "async", q, r.loc(path, block), address))


def _permission(r: Reader, path: str, block: Block, address: str) -> None:
    principal = block.attr("principal")
    value = _principal(r.root, principal.value) if principal is not None else None
    invocation = principal_invocation(value)
    if invocation is not None:
        r.caller(path, block, "function_name", lambda q: PermissionCaller("permission", invocation, q, r.loc(path, block), address, principal=value))


def _function_url(r: Reader, path: str, block: Block, address: str) -> None:
    where = r.loc(path, block)
    auth = r.root.setting(path, block.attr("authorization_type"), None, where)
    found = r.target(path, block, "function_name")
    caller = UrlCaller("function-url", "sync", found.qualifier, where, address, auth_type=auth)
    r.out.append(UrlRecord(found, caller, _written(block.attr("function_name")), r.root.may_not_exist(block), RESOURCE_PHRASES))


def _event_invoke_config(r: Reader, path: str, block: Block, address: str) -> None:
    root = r.root
    attr = block.attr("function_name")
    if attr is None:
        return
    where = r.loc(path, block)
    found = r.function_ref(attr.value, Location(path, attr.line, attr.column))
    if not found.resolved:
        ref = root.reference(attr.value)
        known = ref is not None and (ref[0] == "module" or (ref[0], ref[1]) in root.resources)
        if not known and not isinstance(root.resolve(attr.value), str):
            # one whose function we cannot resolve may configure any function of the root
            r.out.append(FailureDestinationRecord(None, root.document, FailureDestination(unknown(where, "event invoke config for an unresolved function"), None, where, address)))
        return
    qual = found.qualifier
    given = r.qualifier_attr(path, block)
    if given is not False:
        qual = given
    for config in block.children("destination_config"):
        for on_failure in config.children("on_failure"):
            dest = root.setting(path, on_failure.attr("destination"), None, r.loc(path, on_failure))
            if not dest.is_absent:
                r.out.append(FailureDestinationRecord(found, root.document, FailureDestination(dest, qual, dest.location, address)))
    if _dynamic(block, "destination_config"):
        r.out.append(FailureDestinationRecord(found, root.document, FailureDestination(unknown(where, "dynamic destination_config"), qual, where, address)))


# resource type -> reader(reader, file, block, address); a reader adds records to r.out
TABLE: dict[str, Callable[[Reader, str, Block, str], None]] = {
    "aws_lambda_event_source_mapping": _event_source_mapping,
    "aws_s3_bucket_notification": _bucket_notification,
    "aws_sns_topic_subscription": _topic_subscription,
    "aws_cloudwatch_event_target": _event_target,
    "aws_scheduler_schedule": _schedule,
    "aws_iot_topic_rule": _topic_rule,
    "aws_cloudwatch_log_subscription_filter": _log_subscription,
    "aws_lambda_permission": _permission,
    "aws_lambda_function_url": _function_url,
    "aws_lambda_function_event_invoke_config": _event_invoke_config,
}


def _batching(root: Root, path: str, block: Block, where: Location, source: str | None) -> dict[str, Setting]:
    """The batching and failure fields of an ``aws_lambda_event_source_mapping``: one entry per
    ``EventSourceCaller`` field."""
    config = next(iter(block.children("destination_config")), None)
    on_failure = next(iter(config.children("on_failure")), None) if config is not None else None
    if _dynamic(block, "destination_config"):
        destination = unknown(where, "dynamic destination_config")
    elif on_failure is not None:
        destination = root.setting(path, on_failure.attr("destination_arn"), None, where)
    else:
        destination = absent(None, where)

    fields = {}
    for field, (name, default, as_int) in BATCHING.items():
        fields[field] = root.setting(path, block.attr(name), source_default(default, source), where, as_int=as_int)
    return {**fields, "on_failure": destination}


# ---------------------------------------------------------------- a function's own blocks
def _function(r: Reader, key: str, path: str, block: Block) -> None:
    where = r.loc(path, block)
    own = r.ref(key, where)
    dlq = next(iter(block.children("dead_letter_config")), None)
    if dlq is not None:
        dead_letter = _resource_reference(r.root, path, dlq.attr("target_arn"), r.loc(path, dlq))
        if dead_letter.is_absent:
            dead_letter = absent(None, where)
    elif _dynamic(block, "dead_letter_config"):
        dead_letter = unknown(where, "dynamic dead_letter_config")
    else:
        dead_letter = absent(None, where)
    r.out.append(DeadLetterRecord(own, dead_letter))


def _resource_reference(root: Root, path: str, attr, fallback: Location) -> Setting:
    """``attr``'s setting; a reference to a resource of the root
    (``aws_sqs_queue.dlq.arn``) is a :class:`Reference`: set, its text known at deploy time."""
    setting = root.setting(path, attr, None, fallback)
    if not setting.known:
        ref = root.reference(attr.value)
        if ref is not None and (ref[0], ref[1]) in root.resources:
            return present(Reference(f"{ref[0]}.{ref[1]}.{ref[2]}"), setting.location)
    return setting


def _module(r: Reader, key: str, path: str, block: Block) -> None:
    """The lambda module's inputs: dead_letter_target_arn, destination_on_failure,
    event_source_mapping, allowed_triggers, create_lambda_function_url."""
    root = r.root
    where = r.loc(path, block)
    own = r.ref(key, where)
    address = root.address(path, key)
    dead_letter = _resource_reference(root, path, block.attr("dead_letter_target_arn"), where)
    if dead_letter.is_set and dead_letter.value is None:
        dead_letter = absent(None, where)
    r.out.append(DeadLetterRecord(own, dead_letter))
    _module_destination(r, path, block, own, address)
    _module_event_sources(r, path, block, own, address, key)
    # allowed_triggers create permissions on the version and/or the unqualified function: qualifier unknown
    _allowed_triggers(r, path, block, own, address, lambda at: Qualifier.unknown(at, "allowed_triggers"))
    url = root.setting(path, block.attr("create_lambda_function_url"), False, where, as_bool=True)
    if url.is_set and url.value is True:
        unqualified = root.setting(path, block.attr("create_unqualified_alias_lambda_function_url"), True, where, as_bool=True)
        if not unqualified.known:
            qual = Qualifier.unknown(unqualified.location, "create_unqualified_alias_lambda_function_url")
        else:
            qual = None if unqualified.value else r.published_version(key, url.location)
        auth = root.setting(path, block.attr("authorization_type"), "NONE", where)
        caller = UrlCaller("function-url", "sync", qual, url.location, f"{address}/lambda_function_url", auth_type=auth)
        r.out.append(UrlRecord(r.ref(key, url.location, qual), caller, key))


def _module_destination(r: Reader, path: str, block: Block, target: FunctionRef, address: str) -> None:
    """``destination_on_failure``, which the module's event invoke config uses when
    ``create_async_event_config`` is on (or unknown: a destination never makes a rule fire)."""
    root = r.root
    where = r.loc(path, block)
    create = root.setting(path, block.attr("create_async_event_config"), False, where, as_bool=True)
    on_failure = block.attr("destination_on_failure")
    if on_failure is not None and (not create.known or create.value):
        dest = root.setting(path, on_failure, None, where)
        if dest.is_set and dest.value is None:
            dest = absent(None, where)
        if not dest.is_absent:
            r.out.append(FailureDestinationRecord(target, root.document, FailureDestination(dest, target.qualifier, dest.location, f"{address}/destination_on_failure")))


def _allowed_triggers(r: Reader, path: str, block: Block, target: FunctionRef, address: str, qualifier: Callable[[Location], Qualifier]) -> None:
    """``allowed_triggers = { name = { service | principal = ..., source_arn = ... } }``: one
    permission each, on the qualifier ``qualifier(location)`` gives."""
    root = r.root
    triggers = block.attr("allowed_triggers")
    if triggers is None or not isinstance(triggers.value, dict):
        return
    tloc = Location(path, triggers.line, triggers.column)
    for name, item in sorted(triggers.value.items()):
        if not isinstance(item, dict):
            continue
        service = root.resolve(item.get("service")) if "service" in item else None
        principal = _principal(root, item.get("principal")) if "principal" in item else None
        if isinstance(service, str):
            principal = f"{service}.amazonaws.com"
        invocation = principal_invocation(principal)
        if invocation is not None:
            qual = qualifier(tloc)
            caller = PermissionCaller("permission", invocation, qual, tloc, f"{address}/allowed_triggers/{name}", principal=principal)
            r.out.append(CallerRecord(r.ref(target.key, tloc, qual, name=target.name), caller))


def _alias_module(r: Reader, name: str, path: str, block: Block) -> None:
    """A call of the lambda module's ``//modules/alias`` submodule: an alias of the function its
    ``function_name`` names, and, from its inputs, event source mappings on the alias, permissions
    (``allowed_triggers``) and an event invoke config (``destination_on_failure``)."""
    root = r.root
    where = r.loc(path, block)
    key = f"module.{name}"
    address = root.address(path, key)
    create = root.setting(path, block.attr("create"), True, where, as_bool=True)
    if create.known and not create.value:
        return
    sure = create.known and not root.may_not_exist(block)
    # what module.NAME.lambda_alias_arn names: the function, qualified by this alias
    target = r.function_ref(Expr(f"{key}.lambda_alias_arn"), where)
    written = _written(block.attr("function_name"))
    _module_destination(r, path, block, target, address)
    _module_event_sources(r, path, block, target, address, written, may_not_exist=not sure)
    if not sure or not target.resolved:
        return  # a caller is a reason to warn: only when the alias surely exists, on a function we name
    on_alias = root.setting(path, block.attr("create_qualified_alias_allowed_triggers"), True, where, as_bool=True)
    on_version = root.setting(path, block.attr("create_version_allowed_triggers"), True, where, as_bool=True)
    if on_alias.known and on_alias.value:
        # the permission on the alias's version as well names a version we cannot tell: the alias is the one to name
        _allowed_triggers(r, path, block, target, address, lambda at: Qualifier.alias(at, name=target.qualifier.name, label=target.qualifier.label))
    elif not on_alias.known or not on_version.known or on_version.value:
        _allowed_triggers(r, path, block, target, address, lambda at: Qualifier.unknown(at, "allowed_triggers"))


def _module_event_sources(r: Reader, path: str, block: Block, target: FunctionRef, address: str, written: str, may_not_exist: bool = False) -> None:
    """``event_source_mapping = { name = { event_source_arn = ..., batch_size = ... } }``, written
    in place or through a variable / local; each mapping invokes ``target``."""
    esm = block.attr("event_source_mapping")
    if esm is None:
        return
    loc = Location(path, esm.line, esm.column)
    raw = esm.value
    typed = r.root.value(raw, loc)
    if isinstance(raw, dict):
        entries = [(name, item, r.event_source(item.get("event_source_arn")) if "event_source_arn" in item else None) for name, item in sorted(raw.items()) if isinstance(item, dict)]
        entries = [(name, item, "kafka" if "self_managed_event_source" in item else source) for name, item, source in entries]
        pieces = typed.value if isinstance(typed, Literal) and isinstance(typed.value, dict) else {}
        items = [(name, pieces.get(name), getattr(item, "positions", {}), source) for name, item, source in entries]
    elif isinstance(typed, Literal) and isinstance(typed.value, dict):
        items = [(name, item, {}, source_from_arn(item.get("event_source_arn")) if isinstance(item, dict) else None) for name, item in sorted(typed.value.items())]
    else:
        return
    for name, item, positions, source in items:
        fields = _module_batching(item if isinstance(item, dict) else None, positions, loc, source)
        mapping = EventSourceCaller("esm", invocation_for_source(source), target.qualifier, loc, f"{address}/event_source_mapping/{name}", source=source, **fields)
        r.out.append(EventSourceRecord(r.ref(target.key, loc, target.qualifier, name=target.name), mapping, written, may_not_exist))


def _module_batching(item: dict | None, positions: dict, where: Location, source: str | None) -> dict[str, Setting]:
    """The same fields from one entry of the module's ``event_source_mapping`` input, resolved
    (pieces nothing resolves are typed :class:`Unknown` / references); ``destination_arn_on_failure``
    is its name for the on-failure destination."""
    if item is None:
        return {k: unknown(where, "event_source_mapping entry") for k in (*BATCHING, "on_failure")}

    def setting(key: str, default: Any, as_int: bool = False) -> Setting:
        at = Location(where.path, *positions[key]) if key in positions else where
        if key not in item or item[key] is None:
            return absent(default, where)
        value = item[key]
        pending = value if _unresolved(value) else next((v for v in value if _unresolved(v)), None) if isinstance(value, list) else None
        if pending is not None:  # the value, or a piece of the list, nothing resolves
            return unknown(at, str(pending))
        if as_int:
            value = to_int(value)
            if value is None:
                return unknown(at, repr(item[key]))
        return present(value, at)

    fields = {field: setting(name, source_default(default, source), as_int) for field, (name, default, as_int) in BATCHING.items()}
    return {**fields, "on_failure": setting("destination_arn_on_failure", None)}


def _unresolved(value: Any) -> bool:
    return isinstance(value, (Unknown, TfReference))
