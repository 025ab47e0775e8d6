"""A synthesized CDK stack template's records: the CloudFormation readers' records, with each
function told in CDK's terms.

A stack template in ``cdk.out`` is plain CloudFormation, so the CloudFormation readers read it
(formats/cloudformation/records.py). What CDK adds, from each resource's ``Metadata``:

- ``aws:cdk:path`` (``ShopStack/OrdersFn/Resource``) names the construct the user wrote; it is
  the function's label in messages (``ShopStack/OrdersFn``), since the logical ID carries a hash.
- ``aws:asset:path`` with ``aws:asset:property: Code`` is the function's code folder inside the
  assembly; it is mapped back to the repository folder it was copied from (assets.py).
- Functions CDK itself adds to run custom resources (log retention, bucket notifications, the
  custom resource provider framework, ...) are left out: their code and settings are not the
  user's to change.

Settings are named by the construct property that sets them (``memorySize``) and advice is
worded for CDK code (``CDK_PHRASES``); findings stay at the synthesized template's lines.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import replace
from typing import Callable

from ...project.model import Function, Phrases, name_properties, present, unknown
from ...records import DocumentRecords
from ...records.callers import EventSourceRecord, UrlRecord
from ...records.functions import ProvisionedConcurrencyRecord
from ..cloudformation import records as cloudformation_records
from ..cloudformation.resolve import Template
from .assets import SourceIndex

# function field -> the lambda.Function construct property that sets it
CDK_PROPERTIES = {
    "memory": "memorySize",
    "timeout": "timeout",
    "runtime": "runtime",
    "handler": "handler",
    "reserved_concurrency": "reservedConcurrentExecutions",
    "tracing": "tracing",
    "snapstart": "snapStart",
    "ephemeral_storage": "ephemeralStorageSize",
    "environment": "environment",
    "file_systems": "filesystem",
}

CDK_PHRASES = Phrases(
    root_noun="stack",
    assign="{prop}: {value}",
    publish_for_provisioned="put provisionedConcurrentExecutions on an alias of fn.currentVersion (fn.addAlias('live', { provisionedConcurrentExecutions: n })) instead of fn.latestVersion",
    publish_for_snapstart="invoke fn.currentVersion through an alias (fn.addAlias('live')) so a published version runs",
    failure_destination="set onFailure (a destination) or deadLetterQueue on the function",
    secret_storage="keep it in Secrets Manager and pass the secret's ARN (secret.secretArn, with secret.grantRead(fn)) instead",
    private_url="use authType: FunctionUrlAuthType.AWS_IAM in addFunctionUrl and sign requests (or front it with CloudFront origin access control)",
    batch_failure_reporting="set reportBatchItemFailures: true on the SqsEventSource",
    stream_failure_destination="set onFailure on the event source (for example new SqsDlq(queue))",
    autoscaling="call addAutoScaling({ minCapacity, maxCapacity }) on the alias and scaleOnUtilization or scaleOnSchedule on what it returns",
)

# construct path pieces of the functions CDK adds for its own custom resources (a user's own
# SingletonFunction or Provider onEvent handler keeps the id the user gave it)
_FRAMEWORK_SEGMENT = re.compile(
    r"^(Custom::.*|LogRetention[0-9a-f]{32}|BucketNotificationsHandler[0-9a-f]{32}|AWS[0-9a-f]{32}|framework-on(Event|Timeout)|framework-isComplete|waiter-state-machine.*)$"
)


def read(t: Template, exists: Callable[[str], bool], sources: SourceIndex) -> DocumentRecords:
    records = cloudformation_records.read(t, exists)
    kept = []
    for record in records.functions:
        if isinstance(record, Function):
            construct = _construct_path(t, record.name)
            if construct and _is_framework(construct):
                continue
            _as_cdk(t, record, construct, sources)
        kept.append(record)
    records.functions = [_named_by_construct(t, r) if isinstance(r, ProvisionedConcurrencyRecord) else r for r in kept]
    records.callers = [replace(r, phrases=CDK_PHRASES) if isinstance(r, (EventSourceRecord, UrlRecord)) and r.phrases is not None else r for r in records.callers]
    return records


def _named_by_construct(t: Template, record: ProvisionedConcurrencyRecord) -> ProvisionedConcurrencyRecord:
    """An alias or version named by its construct path in messages (``ShopStack/OrdersLive``),
    not by its hashed logical ID."""
    label = record.qualifier.label
    construct = _construct_path(t, label) if label else ""
    qualifier = replace(record.qualifier, label=construct) if construct else record.qualifier
    note = record.note
    for word in note.split():
        path = _construct_path(t, word) if word in t.resources else ""
        if path:
            note = note.replace(word, path)
    return replace(record, qualifier=qualifier, note=note)


def _metadata(t: Template, logical_id: str, key: str):
    node = t.resources.get(logical_id)
    meta = node.get("Metadata") if node is not None else None
    value = meta.get(key) if meta is not None else None
    return value.value if value is not None else None


def _construct_path(t: Template, logical_id: str) -> str:
    path = _metadata(t, logical_id, "aws:cdk:path")
    if not isinstance(path, str) or not path:
        return ""
    return path[: -len("/Resource")] if path.endswith("/Resource") else path


def _is_framework(construct: str) -> bool:
    return any(_FRAMEWORK_SEGMENT.match(part) for part in construct.split("/")[1:])


def _as_cdk(t: Template, function: Function, construct: str, sources: SourceIndex) -> None:
    function.kind = "cdk"
    function.construct = construct
    function.phrases = CDK_PHRASES
    name_properties(function, CDK_PROPERTIES)
    asset = _metadata(t, function.name, "aws:asset:path")
    if not isinstance(asset, str) or _metadata(t, function.name, "aws:asset:property") != "Code":
        return
    if function.package_type.is_set and function.package_type.value == "Image":
        return
    where = function.code_dir.location
    asset_rel = posixpath.normpath(posixpath.join(t.dir, asset))
    # inside the cloud assembly: a Stage's stack (cdk.out/assembly-Prod/) names ../asset.<hash>
    parts = t.dir.split("/")
    assembly = "/".join(parts[: parts.index("cdk.out") + 1]) if "cdk.out" in parts else t.dir
    if posixpath.isabs(asset) or not asset_rel.startswith(assembly + "/"):
        return
    handler = function.handler.value if function.handler.is_set and isinstance(function.handler.value, str) else ""
    module = handler.rpartition(".")[0].replace(".", "/") if "." in handler else ""
    handler_file = module + ".py" if function.is_python and module else ""
    source = sources.source_folder(asset_rel, handler_file)
    if source is not None:
        function.code_dir = replace(present(source, where), prop=function.code_dir.prop)
    elif function.is_python and exists_dir(sources, asset_rel):
        # not matched (bundled, or the source changed since the last synth): the asset is the code
        function.code_dir = replace(present(asset_rel, where), prop=function.code_dir.prop)
    else:
        function.code_dir = replace(unknown(where, "a CDK asset that matches no source folder"), prop=function.code_dir.prop)


def exists_dir(sources: SourceIndex, rel: str) -> bool:
    return os.path.isdir(os.path.join(sources.root, rel))
