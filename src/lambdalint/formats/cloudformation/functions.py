"""SAM and plain CloudFormation templates -> Functions and the records about their versions and
provisioned concurrency (records/functions.py), which link/functions.py attaches.

SAM functions get their ``Globals.Function`` defaults merged in (a property set in Globals is
located in Globals: that is where a user fixes it). Values come from the template's resolver
(resolve.py), which follows what can be followed statically and calls everything else unknown.

SAM's implicit resources, as far as functions go: ``AutoPublishAlias`` makes SAM publish a
version (``<Fn>.Version``) and an alias of that name (``<Fn>.Alias``, logical ID
``<Fn>Alias<name>``) on every deploy, and a SAM ``ProvisionedConcurrencyConfig`` lands on that
alias (on nothing published without one).
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from ...documents.nodes import Node
from ...findings import Location
from ...project.model import Function, Phrases, Qualifier, Setting, absent, name_properties, present, unknown
from ...records import FunctionRef
from ...records.functions import ProvisionedConcurrencyRecord, VersionRecord
from ..values import Literal, is_absolute
from .resolve import CFN_FUNCTION, SAM_FUNCTION, Template, is_intrinsic, prop

# function field -> the property it is read from, as a user writes it (for messages)
SAM_PROPERTIES = {
    "memory": "MemorySize",
    "timeout": "Timeout",
    "runtime": "Runtime",
    "handler": "Handler",
    "reserved_concurrency": "ReservedConcurrentExecutions",
    "tracing": "Tracing",
    "snapstart": "SnapStart.ApplyOn",
    "ephemeral_storage": "EphemeralStorage.Size",
    "environment": "Environment.Variables",
    "package_type": "PackageType",
    "file_systems": "FileSystemConfigs",
}
CFN_PROPERTIES = {**SAM_PROPERTIES, "tracing": "TracingConfig.Mode"}

# advice in CloudFormation's terms (model.Phrases); SAM differs where it publishes and configures for you
CFN_PHRASES = Phrases(
    root_noun="stack",
    assign="{prop}: {value}",
    publish_for_provisioned="point the alias at a published AWS::Lambda::Version",
    publish_for_snapstart="add an AWS::Lambda::Version for the function (and an alias that callers invoke)",
    failure_destination="add an AWS::Lambda::EventInvokeConfig with DestinationConfig.OnFailure or a DeadLetterConfig",
    secret_storage="keep it in Secrets Manager and pass its ARN (or a {{resolve:secretsmanager:...}} dynamic reference) instead",
    private_url="set AuthType: AWS_IAM and sign requests (or front it with CloudFront origin access control)",
    batch_failure_reporting="set FunctionResponseTypes: [ReportBatchItemFailures]",
    stream_failure_destination="add DestinationConfig.OnFailure.Destination",
)
SAM_PHRASES = replace(
    CFN_PHRASES,
    publish_for_provisioned="add AutoPublishAlias so SAM publishes a version and an alias for it",
    publish_for_snapstart="add AutoPublishAlias so SAM publishes a version and an alias on every deploy",
    failure_destination="add EventInvokeConfig.DestinationConfig.OnFailure or DeadLetterQueue",
)

Record = Function | ProvisionedConcurrencyRecord | VersionRecord


def read(t: Template, exists) -> list[Record]:
    """Functions declared in one template, then the records of what qualifies them (functions
    first, so a function's own provisioned concurrency comes before its aliases' and versions').
    ``exists(rel_path)`` tells whether a path is in the scanned tree."""
    records: list[Record] = []
    for table in (FUNCTIONS, QUALIFIERS):
        for logical_id in sorted(t.resources):
            reader = table.get(t.resource_type(logical_id) or "")
            if reader is not None:
                records.extend(reader(t, logical_id, exists))
    return records


def _sam_function(t: Template, logical_id: str, exists) -> list[Record]:
    return _function(t, logical_id, True, exists)


def _cfn_function(t: Template, logical_id: str, exists) -> list[Record]:
    return _function(t, logical_id, False, exists)


def _function(t: Template, logical_id: str, is_sam: bool, exists) -> list[Record]:
    """The function, and for SAM the provisioned concurrency it configures on its own alias."""
    node = t.resources[logical_id]
    where = Location(t.path, node.key_line or node.line, node.key_column or node.column)
    props = node.get("Properties")
    if is_intrinsic(props):
        return [_unknown_function(t, logical_id, is_sam, where, t.loc(props))]
    if props is not None and not props.is_map:
        props = None

    def get(key: str) -> Node | None:
        return t.function_prop(logical_id, key)

    package_type = t.setting(get("PackageType"), "Zip", where)
    runtime = t.setting(get("Runtime"), None, where)
    handler = t.setting(get("Handler"), None, where)
    code_node = get("CodeUri") if is_sam else prop(props, "Code")
    if code_node is None and is_sam and get("InlineCode") is None and get("ImageUri") is None:
        # SAM CLI builds a function without CodeUri from the template's own directory
        code_dir = present(t.dir or ".", where) if exists(t.dir or ".") else unknown(where, "no code location")
    else:
        code_dir = _code_dir(t, code_node, where, exists, inline_ok=not is_sam)
    if package_type.is_set and package_type.value == "Image":
        code_dir = unknown(code_dir.location, "container image")
    snap = get("SnapStart")
    snapstart = t.setting(prop(snap, "ApplyOn"), "None", t.loc(snap) if snap is not None else where)
    tracing_node = get("Tracing") if is_sam else prop(prop(props, "TracingConfig"), "Mode")
    tracing = t.setting(tracing_node, "PassThrough", where)
    tracing_config = None if is_sam else prop(props, "TracingConfig")
    if tracing.is_absent and tracing_config is not None and (not tracing_config.is_map or any(k.startswith(("Fn::", "Ref")) for k in tracing_config.value)):
        tracing = unknown(t.loc(tracing_config), "TracingConfig is an expression")
    env_vars = prop(get("Environment"), "Variables")
    environment = t.setting(env_vars, {}, where)
    function = Function(
        address=f"{t.path}#Resources/{logical_id}",
        name=logical_id,
        kind="sam" if is_sam else "cloudformation",
        location=where,
        root=t.path,
        runtime=runtime,
        memory=t.setting(get("MemorySize"), 128, where, as_int=True),
        timeout=t.setting(get("Timeout"), 3, where, as_int=True),
        handler=handler,
        code_dir=code_dir,
        package_type=package_type,
        snapstart=snapstart,
        reserved_concurrency=t.setting(get("ReservedConcurrentExecutions"), None, where, as_int=True),
        tracing=tracing,
        publishes_versions=present(bool(get("AutoPublishAlias") or get("AutoPublishCodeSha256")), where) if is_sam else absent(False, where),
        environment=environment,
    )
    function.physical_name = _physical_name(t, logical_id, where)
    storage = get("EphemeralStorage")
    function.ephemeral_storage = t.setting(prop(storage, "Size"), 512, t.loc(storage) if storage is not None else where, as_int=True)
    function.file_systems = t.setting(get("FileSystemConfigs"), [], where)
    function.architectures = t.setting(get("Architectures"), ["x86_64"], where)
    name_properties(function, SAM_PROPERTIES if is_sam else CFN_PROPERTIES)
    function.phrases = SAM_PHRASES if is_sam else CFN_PHRASES
    records: list[Record] = [function]
    pc = get("ProvisionedConcurrencyConfig") if is_sam else None
    if pc is not None and not is_intrinsic(pc):  # !If [cond, {...}, !Ref AWS::NoValue]: may be none
        alias = get("AutoPublishAlias")
        amount = t.setting(prop(pc, "ProvisionedConcurrentExecutions"), None, t.loc(pc), as_int=True)
        if alias is None:
            qualifier = Qualifier.latest(t.loc(pc))
            note = "the function has no AutoPublishAlias, so nothing publishes a version"
        else:
            qualifier = Qualifier.named_alias(t.setting(alias, None, where))
            note = ""
        own = FunctionRef(t.path, logical_id, None, None, where)
        records.append(ProvisionedConcurrencyRecord(own, amount, qualifier, t.loc(pc), function.address, note))
    return records


def _unknown_function(t: Template, logical_id: str, is_sam: bool, where: Location, at: Location) -> Function:
    """A function whose whole ``Properties`` is an expression (``!If [cond, {...}, {...}]``): every
    setting is unknown, none is absent (SAM Globals may or may not apply: unknown too)."""

    def u() -> Setting:
        return unknown(at, "Properties is an expression")

    function = Function(
        address=f"{t.path}#Resources/{logical_id}",
        name=logical_id,
        kind="sam" if is_sam else "cloudformation",
        location=where,
        root=t.path,
        runtime=u(),
        memory=u(),
        timeout=u(),
        handler=u(),
        code_dir=u(),
        package_type=u(),
        snapstart=u(),
        reserved_concurrency=u(),
        tracing=u(),
        publishes_versions=u(),
        environment=u(),
    )
    function.ephemeral_storage = u()
    function.file_systems = u()
    function.architectures = u()
    name_properties(function, SAM_PROPERTIES if is_sam else CFN_PROPERTIES)
    function.phrases = SAM_PHRASES if is_sam else CFN_PHRASES
    function.physical_name = unknown(at, "Properties is an expression")
    return function


def _physical_name(t: Template, logical_id: str, where: Location) -> Setting:
    """``FunctionName``: absent when CloudFormation generates it; a ``!Sub`` that does not resolve
    keeps its text as the source, so a name pattern can still be matched."""
    name = prop(t.properties(logical_id), "FunctionName")
    if name is None:
        return absent(None, where)
    setting = t.setting(name, None, where)
    if not setting.known and name.is_map and "Fn::Sub" in name.value:
        template = name.value["Fn::Sub"].value
        template = template[0].value if isinstance(template, list) and template else template
        if isinstance(template, str):
            return unknown(setting.location, template)
    return setting


def _code_dir(t: Template, node: Node | None, where: Location, exists, inline_ok: bool) -> Setting:
    if node is None:
        return unknown(where, "no code location")
    value = t.literal(node)
    location = t.loc(node)
    if not isinstance(value, str):
        return unknown(location, "code from S3, inline or an expression")
    if value.startswith(("s3://", "http://", "https://")):
        return unknown(location, "code from S3")
    if is_absolute(value):
        return unknown(location, "code outside the scanned tree (an absolute path)")
    rel = posixpath.normpath(posixpath.join(t.dir, value)) if t.dir else posixpath.normpath(value)
    if rel.startswith("../") or rel == "..":
        return unknown(location, "code outside the scanned tree")
    if rel.lower().endswith((".zip", ".jar", ".war")):
        return unknown(location, "a prebuilt package")  # an archive, not a folder we can read
    if rel.endswith(".py"):
        rel = posixpath.dirname(rel) or "."  # SAM accepts a single source file as CodeUri
    if not exists(rel):
        return unknown(location, "code directory not in the scanned tree")
    return present(rel, location)


def _qualified_function(t: Template, target: Node | None, where: Location) -> FunctionRef:
    """The function an alias's or version's ``FunctionName`` names: a reference (its logical ID),
    else a literal physical name or ARN."""
    ref = t.reference(target)
    if ref is not None:
        return FunctionRef(t.path, ref.target, None, None, where)
    value = t.value(target)
    name = value.value if isinstance(value, Literal) and isinstance(value.value, str) else None
    return FunctionRef(t.path, None, name, None, where)


def _provisioned_config(t: Template, logical_id: str, function: FunctionRef, qualifier: Qualifier, note: str = "") -> ProvisionedConcurrencyRecord | None:
    pc = prop(t.properties(logical_id), "ProvisionedConcurrencyConfig")
    if pc is None or is_intrinsic(pc):
        return None
    amount = t.setting(prop(pc, "ProvisionedConcurrentExecutions"), None, t.loc(pc), as_int=True)
    return ProvisionedConcurrencyRecord(function, amount, qualifier, t.loc(pc), f"{t.path}#Resources/{logical_id}", note)


def _alias(t: Template, logical_id: str, exists) -> list[Record]:
    """``AWS::Lambda::Alias``: provisioned concurrency on the alias, or on ``$LATEST`` when the
    alias points there."""
    node = t.resources[logical_id]
    props = t.properties(logical_id)
    version_node = prop(props, "FunctionVersion")
    if version_node is None:
        return []
    if t.literal(version_node) == "$LATEST":
        qualifier = Qualifier.latest(t.loc(version_node))
        note = f"alias {logical_id} has FunctionVersion $LATEST"
    else:
        alias_name = t.setting(prop(props, "Name"), logical_id, t.loc(node))
        # a Name we cannot read: the alias is known by its logical ID only, and may be any name
        qualifier = Qualifier.named_alias(alias_name) if alias_name.is_set else Qualifier.alias(alias_name.location, label=logical_id)
        note = ""
    record = _provisioned_config(t, logical_id, _qualified_function(t, prop(props, "FunctionName"), t.loc(node)), qualifier, note)
    return [record] if record is not None else []


def _version(t: Template, logical_id: str, exists) -> list[Record]:
    """``AWS::Lambda::Version``: a published version of the function (and provisioned
    concurrency on it)."""
    node = t.resources[logical_id]
    address = f"{t.path}#Resources/{logical_id}"
    target = prop(t.properties(logical_id), "FunctionName")
    function = _qualified_function(t, target, t.loc(node))
    records: list[Record] = []
    pc = _provisioned_config(t, logical_id, function, Qualifier.version(t.loc(node), resource=address, label=logical_id))
    if pc is not None:
        records.append(pc)
    if function.key is not None and t.resource_type(function.key) is None:
        # a parameter's value: the function may still be named by the literal it resolves to
        literal = t.literal(target)
        function = replace(function, key=None, name=literal if isinstance(literal, str) else None)
    records.append(VersionRecord(function, t.loc(node), "AWS::Lambda::Version with an unresolved FunctionName"))
    return records


FUNCTIONS = {SAM_FUNCTION: _sam_function, CFN_FUNCTION: _cfn_function}
QUALIFIERS = {"AWS::Lambda::Alias": _alias, "AWS::Lambda::Version": _version}

