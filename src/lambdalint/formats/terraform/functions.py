"""Terraform roots -> Functions (``aws_lambda_function`` and the terraform-aws-modules/lambda
module) and the records of their provisioned concurrency (records/functions.py), which
link/functions.py attaches. Values come from the root's resolver (resolve.py).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from ...documents.nodes import Attribute, Block, Expr, HclTemplateString
from ...documents.terraform import TerraformDocument
from ...findings import Location
from ...project.model import Function, Phrases, Qualifier, Setting, absent, name_properties, present, unknown
from ...records import FunctionRef
from ...records.functions import ProvisionedConcurrencyRecord, UnreadModule
from .. import arn
from ..values import is_absolute
from .resolve import UNRESOLVED, Root, source_text
from .modules import is_local_path, local_source

# function field -> the argument it is read from, as a user writes it (for messages)
RESOURCE_PROPERTIES = {
    "memory": "memory_size",
    "timeout": "timeout",
    "runtime": "runtime",
    "handler": "handler",
    "reserved_concurrency": "reserved_concurrent_executions",
    "tracing": "tracing_config.mode",
    "snapstart": "snap_start.apply_on",
    "ephemeral_storage": "ephemeral_storage.size",
    "environment": "environment.variables",
    "package_type": "package_type",
    "file_systems": "file_system_config",
}
MODULE_PROPERTIES = {
    **RESOURCE_PROPERTIES,
    "tracing": "tracing_mode",
    "snapstart": "snap_start",
    "ephemeral_storage": "ephemeral_storage_size",
    "environment": "environment_variables",
    "file_systems": "file_system_arn",
}

# advice in Terraform's terms (model.Phrases), for aws_lambda_function and for the
# terraform-aws-modules/lambda module's inputs
RESOURCE_PHRASES = Phrases(
    root_noun="Terraform root",
    assign='{prop} = "{value}"',
    publish_for_provisioned="set publish = true and point it at an alias or published version",
    publish_for_snapstart="set publish = true and invoke an aws_lambda_alias that points at the published version",
    failure_destination="add an aws_lambda_function_event_invoke_config with destination_config.on_failure or a dead_letter_config block",
    secret_storage="keep it in Secrets Manager and pass the secret's ARN (read it at init), or at least a sensitive variable instead",
    private_url='set authorization_type = "AWS_IAM" and sign requests (or front it with CloudFront origin access control)',
    batch_failure_reporting='set function_response_types = ["ReportBatchItemFailures"]',
    stream_failure_destination="add destination_config { on_failure { destination_arn = ... } } (module: destination_arn_on_failure)",
)
MODULE_PHRASES = replace(
    RESOURCE_PHRASES,
    publish_for_snapstart="set publish = true on the module and invoke an alias of the published version",
    failure_destination="set create_async_event_config = true with destination_on_failure, or dead_letter_target_arn",
)

LAMBDA_MODULE_SOURCES = ("terraform-aws-modules/lambda/aws", "terraform-aws-modules/terraform-aws-lambda")


Record = Function | ProvisionedConcurrencyRecord


def read(root: Root, exists) -> list[Record]:
    """The root's functions (by key), then the provisioned-concurrency records (a module's own
    first, then the configuration resources in file order). ``exists(rel_path)`` tells whether a
    path is in the scanned tree."""
    functions: dict[str, list[Record]] = {}
    for path, block in root.blocks:
        reader = FUNCTIONS.get(_kind(root, block))
        if reader is not None:
            functions[_key(block)] = reader(root, path, block, exists)
    if root.module_path and len(functions) == 1:
        # a module's only function is known by its call ("module.orders" -> orders), as its
        # caller thinks of it; several are known by their own labels
        (only,) = functions.values()
        last = re.search(r'module\.([A-Za-z0-9_-]+)(?:\["([^"]*)"\])?\.$', root.module_path)
        if last:  # module.fns["orders"] -> orders
            only[0].name = last.group(2) or last.group(1)
    records: list[Record] = [functions[k][0] for k in sorted(functions)]
    records += [r for rs in functions.values() for r in rs[1:]]
    for path, block in root.blocks:
        reader = QUALIFIERS.get(_kind(root, block))
        if reader is not None:
            records.extend(reader(root, path, block))
    return records


def _kind(root: Root, block: Block) -> str:
    """The table key of a block: its resource type, "module" for the lambda module, else ""."""
    if block.type == "resource" and len(block.labels) == 2:
        return block.labels[0]
    if block.type == "module" and is_lambda_module(root, block):
        return "module"
    return ""


def _key(block: Block) -> str:
    """``aws_lambda_function.orders`` / ``module.orders``: how the root's other blocks name it."""
    return f"module.{block.labels[0]}" if block.type == "module" else ".".join(block.labels)


def unread_modules(doc: TerraformDocument) -> list[UnreadModule]:
    """The document's modules from a git or registry address other than the lambda module (local
    modules are folders of the scan, read as roots of their own)."""
    out = []
    for block in doc.blocks:
        source = block.attr("source") if block.type == "module" else None
        value = source.value if source is not None else None
        if not isinstance(value, str) or is_local_path(value) or value.startswith("/"):
            continue  # local modules are read (or get a notice) in modules.py
        if any(s in value for s in LAMBDA_MODULE_SOURCES):
            continue
        out.append(UnreadModule(block.line, f"module.{block.labels[0] if block.labels else '?'}", value))
    return out


def _loc(path: str, block: Block) -> Location:
    return Location(path, block.line, block.column)


def _common_settings(root: Root, path: str, block: Block, where: Location) -> dict[str, Setting]:
    """The settings an aws_lambda_function and a lambda module input spell the same way."""
    reserved = root.setting(path, block.attr("reserved_concurrent_executions"), None, where, as_int=True)
    if reserved.is_set and reserved.value == -1:
        reserved = absent(None, reserved.location)  # -1 is Terraform's "no reservation"
    return {
        "runtime": root.setting(path, block.attr("runtime"), None, where),
        "memory": root.setting(path, block.attr("memory_size"), 128, where, as_int=True),
        "timeout": root.setting(path, block.attr("timeout"), 3, where, as_int=True),
        "handler": root.setting(path, block.attr("handler"), None, where),
        "package_type": root.setting(path, block.attr("package_type"), "Zip", where),
        "reserved_concurrency": reserved,
        "publishes_versions": root.setting(path, block.attr("publish"), False, where, as_bool=True),
        "architectures": root.setting(path, block.attr("architectures"), ["x86_64"], where),
    }


def _resource_function(root: Root, path: str, block: Block, exists) -> list[Record]:
    where = _loc(path, block)
    name = block.labels[1]
    snap = next(iter(block.children("snap_start")), None)
    tracing = next(iter(block.children("tracing_config")), None)
    env = next(iter(block.children("environment")), None)
    common = _common_settings(root, path, block, where)
    code_dir = _tf_code_dir(root, path, block, where, exists)
    if common["package_type"].is_set and common["package_type"].value == "Image":
        code_dir = unknown(code_dir.location, "container image")
    fn = Function(
        address=root.address(path, f"aws_lambda_function.{name}"),
        name=name,
        kind="terraform",
        location=where,
        root=root.document,
        code_dir=code_dir,
        snapstart=root.setting(path, snap.attr("apply_on"), "None", _loc(path, snap)) if snap else absent("None", where),
        tracing=root.setting(path, tracing.attr("mode"), "PassThrough", _loc(path, tracing)) if tracing else (
            unknown(_loc(path, _dynamic(block, "tracing_config")), "dynamic tracing_config") if _dynamic(block, "tracing_config") else absent("PassThrough", where)
        ),
        environment=root.setting(path, env.attr("variables"), {}, _loc(path, env)) if env else absent({}, where),
        **common,
    )
    fn.ephemeral_storage, fn.file_systems = _tf_storage(root, path, block, where)
    fn.physical_name = root.setting(path, block.attr("function_name"), None, where)
    name_properties(fn, RESOURCE_PROPERTIES)
    fn.phrases = RESOURCE_PHRASES
    return [fn]


def _dynamic(block: Block, name: str) -> Block | None:
    return next((b for b in block.children("dynamic") if b.labels[:1] == [name]), None)


def _tf_storage(root: Root, path: str, block: Block, where: Location) -> tuple[Setting, Setting]:
    """``ephemeral_storage { size }`` and ``file_system_config`` blocks of an aws_lambda_function."""
    storage = next(iter(block.children("ephemeral_storage")), None)
    if storage is not None:
        ephemeral = root.setting(path, storage.attr("size"), 512, _loc(path, storage), as_int=True)
    elif _dynamic(block, "ephemeral_storage") is not None:
        ephemeral = unknown(_loc(path, _dynamic(block, "ephemeral_storage")), "dynamic ephemeral_storage")
    else:
        ephemeral = absent(512, where)
    mounts = block.children("file_system_config")
    if mounts:
        arns = [source_text(m.attr("arn").value) if m.attr("arn") is not None else "" for m in mounts]
        file_systems = present(arns, _loc(path, mounts[0]))
    elif _dynamic(block, "file_system_config") is not None:
        file_systems = unknown(_loc(path, _dynamic(block, "file_system_config")), "dynamic file_system_config")
    else:
        file_systems = absent([], where)
    return ephemeral, file_systems


def _tf_code_dir(root: Root, path: str, block: Block, where: Location, exists) -> Setting:
    """Where the function's code lives: ``filename`` (a zip) traced back to the
    ``archive_file`` that builds it, whose ``source_dir``/``source_file`` we can read."""
    attr = block.attr("filename")
    if attr is None:
        return unknown(where, "code from S3 or an image")
    location = Location(path, attr.line, attr.column)
    source = None
    text = attr.value.text if isinstance(attr.value, (Expr, HclTemplateString)) else None
    if text:
        m = re.fullmatch(r"\$?\{?\s*data\.archive_file\.([A-Za-z0-9_-]+)\.output_path\s*\}?", text.strip())
        if m and ("archive_file", m.group(1)) in root.data:
            _, archive = root.data[("archive_file", m.group(1))]
            source = archive.attr("source_dir") or archive.attr("source_file")
    if source is None:
        literal = root.resolve(attr.value)
        if isinstance(literal, str):
            for (dtype, _), (_, archive) in sorted(root.data.items()):
                if dtype == "archive_file" and root.resolve(getattr(archive.attr("output_path"), "value", None)) == literal:
                    source = archive.attr("source_dir") or archive.attr("source_file")
                    break
    if source is None:
        return unknown(location, "a prebuilt package")
    value = root.resolve(source.value)
    if not isinstance(value, str):
        return unknown(location, source_text(source.value))
    rel = _join(root.base, value)
    if source.name == "source_file":
        rel = posixpath.dirname(rel)
    if rel is None or not exists(rel):
        return unknown(location, "code directory not in the scanned tree")
    return present(rel, Location(path, source.line, source.column))


def _join(directory: str, value: str) -> str | None:
    if is_absolute(value):
        return None  # outside the scanned tree, like ../
    rel = posixpath.normpath(posixpath.join(directory, value)) if directory else posixpath.normpath(value)
    return None if rel.startswith("..") else rel


def is_lambda_module(root: Root, block: Block) -> bool:
    source = block.attr("source")
    value = root.resolve(source.value) if source is not None else None
    if len(block.labels) == 1 and is_local_path(value):
        if local_source(root.dir, block) not in root.lambda_module_dirs:
            return False
    elif not (isinstance(value, str) and any(s in value for s in LAMBDA_MODULE_SOURCES) and len(block.labels) == 1):
        return False
    if "//" in value.split("://")[-1]:
        return False  # a submodule such as //modules/alias or //modules/deploy creates no function
    # the module creates no function when create/create_function is false or it builds a layer
    # (its aws_lambda_function has count = create && create_function && !create_layer)
    flags = {k: root.flag(block.attr(k).value) for k in ("create", "create_function", "create_layer") if block.attr(k) is not None}
    return not (flags.get("create") is False or flags.get("create_function") is False or flags.get("create_layer") is True)


def is_alias_module(root: Root, block: Block) -> bool:
    """A call of the lambda module's ``//modules/alias`` submodule: the registry (or GitHub) source,
    or a local path to a copy of it in the scan. Its inputs are read by callers.py."""
    source = block.attr("source")
    value = root.resolve(source.value) if source is not None else None
    if len(block.labels) != 1 or not isinstance(value, str):
        return False
    if is_local_path(value):
        return local_source(root.dir, block) in root.alias_module_dirs
    module, _, sub = value.split("://")[-1].partition("//")
    return any(s in module for s in LAMBDA_MODULE_SOURCES) and sub.split("?")[0].rstrip("/") == "modules/alias"


def _module_function(root: Root, path: str, block: Block, exists) -> list[Record]:
    """The module's function, and the provisioned concurrency it configures on it."""
    where = _loc(path, block)
    name = block.labels[0]
    snap = root.setting(path, block.attr("snap_start"), False, where, as_bool=True)
    snapstart = Setting("PublishedVersions" if snap.value else "None", snap.location, snap.state, snap.source)
    code_dir = unknown(where, "no source_path")
    source_path = block.attr("source_path")
    if source_path is not None:
        value = root.resolve(source_path.value)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict):
            value = value.get("path")
        loc = Location(path, source_path.line, source_path.column)
        rel = _join(root.base, value) if isinstance(value, str) else None
        if rel is not None and rel.endswith(".py") and exists(posixpath.dirname(rel) or "."):
            code_dir = present(posixpath.dirname(rel) or ".", loc)  # a single source file
        elif rel is not None and exists(rel):
            code_dir = present(rel, loc)
        else:
            code_dir = unknown(loc, "source_path not in the scanned tree")
    fn = Function(
        address=root.address(path, f"module.{name}"),
        name=name,
        kind="terraform-module",
        location=where,
        root=root.document,
        code_dir=code_dir,
        snapstart=snapstart,
        tracing=root.setting(path, block.attr("tracing_mode"), "PassThrough", where),
        environment=root.setting(path, block.attr("environment_variables"), {}, where),
        **_common_settings(root, path, block, where),
    )
    fn.ephemeral_storage = root.setting(path, block.attr("ephemeral_storage_size"), 512, where, as_int=True)
    fs = block.attr("file_system_arn")
    fs_value = root.resolve(fs.value) if fs is not None else None
    if fs is None or fs_value is None:
        fn.file_systems = absent([], Location(path, fs.line, fs.column) if fs is not None else where)
    else:
        fs_loc = Location(path, fs.line, fs.column, fs.end_line, fs.end_column)
        ref = root.reference(fs.value)
        if fs_value is not UNRESOLVED:
            fn.file_systems = present([fs_value], fs_loc)
        elif ref is not None and ref[0].startswith("aws_efs_"):  # an EFS resource's ARN is never null
            fn.file_systems = present([source_text(fs.value)], fs_loc)
        else:
            fn.file_systems = unknown(fs_loc, source_text(fs.value))
    fn.physical_name = root.setting(path, block.attr("function_name"), None, where)
    name_properties(fn, MODULE_PROPERTIES)
    fn.phrases = MODULE_PHRASES
    records: list[Record] = [fn]
    pc = root.setting(path, block.attr("provisioned_concurrent_executions"), -1, where, as_int=True)
    # the module creates its aws_lambda_provisioned_concurrency_config only when the amount is > -1:
    # an unresolvable amount (var.pc without a default) may well be the -1 default, so no record
    if pc.is_set and pc.value > -1:
        # the module points its provisioned concurrency config at aws_lambda_function.this.version
        publishes = fn.publishes_versions
        if publishes.known and not publishes.value:
            qualifier = Qualifier.latest(pc.location)
            note = f"module {name} sets no publish = true, so its version attribute is $LATEST"
        else:
            qualifier = Qualifier.version(pc.location, resource=fn.address, published=True) if publishes.known else Qualifier.unknown(pc.location, "publish")
            note = ""
        own = FunctionRef(root.document, f"module.{name}", None, None, where)
        records.append(ProvisionedConcurrencyRecord(own, pc, qualifier, pc.location, fn.address, note))
    return records


def _provisioned_config(root: Root, path: str, block: Block) -> list[Record]:
    """``aws_lambda_provisioned_concurrency_config``: the qualifier is settled here, where the
    alias it names and the function's ``publish`` are in view."""
    qattr = block.attr("qualifier")
    if qattr is None:
        return []
    aliases = _aliases(root)
    where = _loc(path, block)
    function = FunctionRef(root.document, _function_key(root, block.attr("function_name"), aliases), None, None, where)
    amount = root.setting(path, block.attr("provisioned_concurrent_executions"), None, where, as_int=True)
    qloc = Location(path, qattr.line, qattr.column, qattr.end_line, qattr.end_column)
    qualifier, note = _qualifier(root, qattr, qloc, aliases)
    address = root.address(path, '.'.join(block.labels))
    return [ProvisionedConcurrencyRecord(function, amount, qualifier, qloc, address, note, may_not_exist=root.may_not_exist(block))]


def _qualifier(root: Root, attr: Attribute, location: Location, aliases) -> tuple[Qualifier, str]:
    """What a ``qualifier`` names, and why it is $LATEST when it is: a function's ``.version`` is
    $LATEST without ``publish = true``, and so is an alias pointing at it."""
    ref = root.reference(attr.value)
    literal = root.resolve(attr.value)
    if literal == "$LATEST":
        return Qualifier.latest(location), 'qualifier is "$LATEST"'
    if ref and ref[0] == "aws_lambda_function" and ref[2] == "version":
        target = root.resources.get(("aws_lambda_function", ref[1]))
        if target is None:
            return Qualifier.unknown(location, "version"), ""
        qualifier = version_qualifier(root, *target, f"aws_lambda_function.{ref[1]}", location, unknown_source="version")
        return qualifier, f"aws_lambda_function.{ref[1]} does not set publish = true, so its version attribute is $LATEST" if qualifier.is_latest else ""
    if ref and ref[0] == "aws_lambda_alias" and ref[1] in aliases:
        _, alias = aliases[ref[1]]
        version = alias.attr("function_version")
        vref = root.reference(version.value) if version is not None else None
        if version is not None and root.resolve(version.value) == "$LATEST":
            return Qualifier.latest(location), f'alias {ref[1]} has function_version "$LATEST"'
        target = root.resources.get(("aws_lambda_function", vref[1])) if vref and vref[0] == "aws_lambda_function" and vref[2] == "version" else None
        publishes = _publishes(root, *target) if target is not None else None
        if publishes is not None and publishes.known and not publishes.value:
            return Qualifier.latest(location), f"alias {ref[1]} points at aws_lambda_function.{vref[1]}.version, which is $LATEST without publish = true"
        name_attr = alias.attr("name")
        alias_name = root.resolve(name_attr.value) if name_attr is not None else None
        return Qualifier.alias(location, name=alias_name if isinstance(alias_name, str) else "", label=f"aws_lambda_alias.{ref[1]}"), ""
    if literal is UNRESOLVED:
        return Qualifier.unknown(location, source_text(attr.value)), ""
    return arn.qualifier(str(literal), location), ""


def version_qualifier(root: Root, path: str, block: Block, key: str, location: Location, unknown_source: str = "publish") -> Qualifier:
    """What a function's ``.version`` attribute (or its qualified ARN) names: the version it
    publishes with ``publish = true``, ``$LATEST`` without, unknown when ``publish`` is."""
    publishes = _publishes(root, path, block)
    if not publishes.known:
        return Qualifier.unknown(location, unknown_source)
    if not publishes.value:
        return Qualifier.latest(location)
    return Qualifier.version(location, resource=root.address(path, key), published=True)


def _publishes(root: Root, path: str, block: Block) -> Setting:
    """An aws_lambda_function's ``publish`` (its ``.version`` is ``$LATEST`` without it)."""
    return root.setting(path, block.attr("publish"), False, _loc(path, block), as_bool=True)


def _aliases(root: Root) -> dict[str, tuple[str, Block]]:
    return {b.labels[1]: (p, b) for p, b in root.blocks if b.type == "resource" and b.labels[:1] == ["aws_lambda_alias"] and len(b.labels) == 2}


def _function_key(root: Root, attr: Attribute | None, aliases, seen: frozenset = frozenset()) -> str | None:
    """The key of the function ``function_name`` names: a reference to it or to an alias of it, or
    the literal physical name of an aws_lambda_function of the root."""
    if attr is None:
        return None
    ref = root.reference(attr.value)
    if ref and ref[0] in ("aws_lambda_function", "module"):
        return f"{ref[0]}.{ref[1]}"
    if ref and ref[0] == "aws_lambda_alias" and ref[1] in aliases:
        if ref[1] in seen:  # aliases whose function_name refers back to themselves: no function
            return None
        _, alias = aliases[ref[1]]
        return _function_key(root, alias.attr("function_name"), aliases, seen | {ref[1]})
    literal = root.resolve(attr.value)
    if not isinstance(literal, str):
        return None
    # by physical name, among aws_lambda_function resources only (a module's function_name input
    # is not matched here); the last one declared wins
    by_name = {}
    for path, block in root.blocks:
        if block.type == "resource" and block.labels[:1] == ["aws_lambda_function"] and len(block.labels) == 2:
            name = root.setting(path, block.attr("function_name"), None, _loc(path, block))
            if name.is_set and isinstance(name.value, str):
                by_name[name.value] = f"aws_lambda_function.{block.labels[1]}"
    return by_name.get(literal)


FUNCTIONS = {"aws_lambda_function": _resource_function, "module": _module_function}
QUALIFIERS = {"aws_lambda_provisioned_concurrency_config": _provisioned_config}
