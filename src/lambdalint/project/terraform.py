"""Terraform roots -> format-neutral Functions (values come from formats/terraform/resolve.py)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from typing import Any

from ..documents.nodes import Attribute, Block, Expr, HclTemplateString
from ..documents.terraform import TerraformDocument
from ..findings import Location
from ..formats import arn
from ..formats.terraform.resolve import UNRESOLVED, Root, source_text
from ..formats.values import is_absolute
from .model import Function, Phrases, ProvisionedConcurrency, Qualifier, Setting, absent, name_properties, present, unknown
from .references import functions_by_name

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


def load_root(root: Root, exists) -> list[Function]:
    functions: dict[str, Function] = {}
    for path, block in root.blocks:
        if block.type == "resource" and block.labels[:1] == ["aws_lambda_function"] and len(block.labels) == 2:
            key, fn = f"aws_lambda_function.{block.labels[1]}", _resource_function(root, path, block, exists)
        elif block.type == "module" and _is_lambda_module(root, block):
            key, fn = f"module.{block.labels[0]}", _module_function(root, path, block, exists)
        else:
            continue
        fn.physical_name = root.setting(path, block.attr("function_name"), None, fn.location)
        functions[key] = fn
    _attach_provisioned(root, functions)
    return [functions[k] for k in sorted(functions)]


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


def _resource_function(root: Root, path: str, block: Block, exists) -> Function:
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
        address=f"{path}#aws_lambda_function.{name}",
        name=name,
        kind="terraform",
        location=where,
        root=root.dir,
        code_dir=code_dir,
        snapstart=root.setting(path, snap.attr("apply_on"), "None", _loc(path, snap)) if snap else absent("None", where),
        tracing=root.setting(path, tracing.attr("mode"), "PassThrough", _loc(path, tracing)) if tracing else (
            unknown(_loc(path, _dynamic(block, "tracing_config")), "dynamic tracing_config") if _dynamic(block, "tracing_config") else absent("PassThrough", where)
        ),
        environment=root.setting(path, env.attr("variables"), {}, _loc(path, env)) if env else absent({}, where),
        **common,
    )
    fn.ephemeral_storage, fn.file_systems = _tf_storage(root, path, block, where)
    name_properties(fn, RESOURCE_PROPERTIES)
    fn.phrases = RESOURCE_PHRASES
    return fn


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
    rel = _join(root.dir, value)
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


def _is_lambda_module(root: Root, block: Block) -> bool:
    source = block.attr("source")
    value = root.resolve(source.value) if source is not None else None
    if not (isinstance(value, str) and any(s in value for s in LAMBDA_MODULE_SOURCES) and len(block.labels) == 1):
        return False
    if "//" in value.split("://")[-1]:
        return False  # a submodule such as //modules/alias or //modules/deploy creates no function
    # the module creates no function when create/create_function is false or it builds a layer
    # (its aws_lambda_function has count = create && create_function && !create_layer)
    flags = {k: root.flag(block.attr(k).value) for k in ("create", "create_function", "create_layer") if block.attr(k) is not None}
    return not (flags.get("create") is False or flags.get("create_function") is False or flags.get("create_layer") is True)


def _module_function(root: Root, path: str, block: Block, exists) -> Function:
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
        rel = _join(root.dir, value) if isinstance(value, str) else None
        if rel is not None and rel.endswith(".py") and exists(posixpath.dirname(rel) or "."):
            code_dir = present(posixpath.dirname(rel) or ".", loc)  # a single source file
        elif rel is not None and exists(rel):
            code_dir = present(rel, loc)
        else:
            code_dir = unknown(loc, "source_path not in the scanned tree")
    fn = Function(
        address=f"{path}#module.{name}",
        name=name,
        kind="terraform-module",
        location=where,
        root=root.dir,
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
    name_properties(fn, MODULE_PROPERTIES)
    fn.phrases = MODULE_PHRASES
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
        fn.provisioned.append(ProvisionedConcurrency(pc, qualifier, pc.location, fn.address, note))
    return fn


def _attach_provisioned(root: Root, functions: dict[str, Function]) -> None:
    aliases: dict[str, tuple[str, Block]] = {}
    for path, block in root.blocks:
        if block.type == "resource" and block.labels[:1] == ["aws_lambda_alias"] and len(block.labels) == 2:
            aliases[block.labels[1]] = (path, block)
    for path, block in root.blocks:
        if not (block.type == "resource" and len(block.labels) == 2):
            continue
        rtype, rname = block.labels
        if rtype != "aws_lambda_provisioned_concurrency_config":
            continue
        fn = _function_of(root, block.attr("function_name"), functions, aliases)
        if fn is None:
            continue
        where = _loc(path, block)
        amount = root.setting(path, block.attr("provisioned_concurrent_executions"), None, where, as_int=True)
        qattr = block.attr("qualifier")
        address = f"{path}#{rtype}.{rname}"
        if qattr is None:
            continue
        qloc = Location(path, qattr.line, qattr.column, qattr.end_line, qattr.end_column)
        ref = root.reference(qattr.value)
        literal = root.resolve(qattr.value)
        note = ""
        if literal == "$LATEST":
            qualifier = Qualifier.latest(qloc)
            note = 'qualifier is "$LATEST"'
        elif ref and ref[0] == "aws_lambda_function" and ref[2] == "version":
            target = functions.get(f"aws_lambda_function.{ref[1]}")
            publishes = target.publishes_versions if target is not None else None
            if publishes is not None and publishes.known and not publishes.value:
                qualifier = Qualifier.latest(qloc)
                note = f"aws_lambda_function.{ref[1]} does not set publish = true, so its version attribute is $LATEST"
            else:
                qualifier = Qualifier.version(qloc, resource=target.address, published=True) if publishes is not None and publishes.known else Qualifier.unknown(qloc, "version")
        elif ref and ref[0] == "aws_lambda_alias" and ref[1] in aliases:
            apath, alias = aliases[ref[1]]
            version = alias.attr("function_version")
            vref = root.reference(version.value) if version is not None else None
            vlit = root.resolve(version.value) if version is not None else None
            target = functions.get(f"aws_lambda_function.{vref[1]}") if vref and vref[0] == "aws_lambda_function" else None
            if vlit == "$LATEST":
                qualifier = Qualifier.latest(qloc)
                note = f'alias {ref[1]} has function_version "$LATEST"'
            elif target is not None and vref[2] == "version" and target.publishes_versions.known and not target.publishes_versions.value:
                qualifier = Qualifier.latest(qloc)
                note = f"alias {ref[1]} points at aws_lambda_function.{vref[1]}.version, which is $LATEST without publish = true"
            else:
                name_attr = alias.attr("name")
                alias_name = root.resolve(name_attr.value) if name_attr is not None else None
                qualifier = Qualifier.alias(qloc, name=alias_name if isinstance(alias_name, str) else "", label=f"aws_lambda_alias.{ref[1]}")
        elif literal is UNRESOLVED:
            qualifier = Qualifier.unknown(qloc, source_text(qattr.value))
        else:
            qualifier = arn.qualifier(str(literal), qloc)
        fn.provisioned.append(ProvisionedConcurrency(amount, qualifier, qloc, address, note, may_not_exist=root.may_not_exist(block)))


def _function_of(root: Root, attr: Attribute | None, functions: dict[str, Function], aliases, seen: frozenset = frozenset()) -> Function | None:
    if attr is None:
        return None
    ref = root.reference(attr.value)
    if ref and ref[0] == "aws_lambda_function":
        return functions.get(f"aws_lambda_function.{ref[1]}")
    if ref and ref[0] == "module":
        return functions.get(f"module.{ref[1]}")
    if ref and ref[0] == "aws_lambda_alias" and ref[1] in aliases:
        if ref[1] in seen:  # aliases whose function_name refers back to themselves: no function
            return None
        _, alias = aliases[ref[1]]
        return _function_of(root, alias.attr("function_name"), functions, aliases, seen | {ref[1]})
    literal = root.resolve(attr.value)
    if isinstance(literal, str):
        # by physical name; only aws_lambda_function resources are matched here (not modules)
        return functions_by_name(fn for key, fn in functions.items() if not key.startswith("module.")).get(literal)
    return None
