"""SAM and plain CloudFormation templates -> format-neutral Functions.

SAM functions get their ``Globals.Function`` defaults merged in (a property set in Globals is
located in Globals: that is where a user fixes it). Values go through :func:`resolve`, which
follows what can be followed statically and calls everything else unknown.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import replace
from typing import Any

from ..documents.nodes import Node
from ..documents.templates import TemplateDocument
from ..findings import Location
from .model import ABSENT, Function, Phrases, ProvisionedConcurrency, Qualifier, Setting, absent, name_properties, present, unknown
from .references import function_named, functions_by_name

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

SAM_FUNCTION = "AWS::Serverless::Function"
CFN_FUNCTION = "AWS::Lambda::Function"
MAX_TEXT = 65_536  # longest string a substitution may build (hostile templates multiply text)
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


class Template:
    """A parsed template plus the lookups resolution needs."""

    def __init__(self, doc: TemplateDocument):
        self.doc = doc
        self.path = doc.path
        self.dir = posixpath.dirname(doc.path)
        self.resources = doc.resources
        self.parameters = doc.section("Parameters")
        self.mappings = doc.section("Mappings")
        self.globals = doc.section("Globals").get("Function")
        # parameter name -> resolved default; names being resolved right now (cycles through
        # Fn::Sub / Ref defaults must end, and shared defaults must not be resolved again and again)
        self._params: dict[str, tuple[str, Any]] = {}
        self._resolving: set[str] = set()

    def loc(self, node: Node, as_property: bool = True) -> Location:
        if as_property and node.key_line:
            return Location(self.path, node.key_line, node.key_column)
        return Location(self.path, node.line, node.column, node.end_line, node.end_column)

    def resource_type(self, logical_id: str) -> str | None:
        types = self.__dict__.get("_types")
        if types is None:  # asked for every resource by every pass: index once
            types = self._types = {}
            for name, node in self.resources.items():
                t = node.get("Type") if node.is_map else None
                types[name] = t.value if t is not None and isinstance(t.value, str) else None
        return types.get(logical_id)

    def properties(self, logical_id: str) -> Node | None:
        """The resource's ``Properties`` node (possibly an intrinsic such as ``!If``)."""
        return prop(self.resources.get(logical_id), "Properties")

    def function_prop(self, logical_id: str, key: str) -> Node | None:
        """A function property: its own, or for a SAM function the ``Globals.Function`` default
        (a property set in Globals is located in Globals: that is where a user fixes it)."""
        own = prop(self.properties(logical_id), key)
        if own is not None or self.resource_type(logical_id) != SAM_FUNCTION:
            return own
        return prop(self.globals, key)

    def sam_alias(self, fn: Function) -> Qualifier | None:
        """The alias a SAM function's ``AutoPublishAlias`` publishes (None: none or not SAM)."""
        if fn.kind != "sam":
            return None
        alias = self.function_prop(fn.name, "AutoPublishAlias")
        if alias is None:
            return None
        setting = self.setting(alias, None, fn.location)
        return Qualifier.named_alias(setting, "AutoPublishAlias")

    # -------------------------------------------------------------- resolution
    def resolve(self, node: Node | None, depth: int = 0) -> tuple[str, Any]:
        """(state, value): ("present", literal) or ("unknown", source text)."""
        if node is None:
            return ABSENT, None
        value = node.value
        if depth > 10:
            return "unknown", "too deep"
        if not isinstance(value, dict):
            if isinstance(value, list):
                out = []
                for item in value:
                    state, v = self.resolve(item, depth + 1)
                    if state != "present":
                        return "unknown", "list with unresolved items"
                    out.append(v)
                return "present", out
            return "present", value
        if len(value) != 1:
            out = {}
            for k, item in value.items():
                state, v = self.resolve(item, depth + 1)
                out[k] = v if state == "present" else _Unknown(v)
            return "present", out
        (fn, arg), = value.items()
        if fn == "Ref":
            name = arg.value
            param = self.parameters.get(name) if isinstance(name, str) else None
            if param is not None and param.is_map and param.get("Default") is not None:
                if name in self._params:
                    return self._params[name]
                if name in self._resolving or len(self._resolving) > 64:
                    return "unknown", f"Ref {name} (refers to itself)"
                self._resolving.add(name)
                try:
                    result = self.resolve(param.get("Default"))  # the same wherever it is used
                finally:
                    self._resolving.discard(name)
                self._params[name] = result
                return result
            return "unknown", f"Ref {name}"
        if fn == "Fn::FindInMap" and isinstance(arg.value, list) and len(arg.value) >= 3:
            keys = []
            for item in arg.value[:3]:
                state, v = self.resolve(item, depth + 1)
                if state != "present" or not isinstance(v, str):
                    return "unknown", "Fn::FindInMap with unresolved keys"
                keys.append(v)
            m = self.mappings.get(keys[0])
            node2 = m.get(keys[1]) if m is not None else None
            node3 = node2.get(keys[2]) if node2 is not None else None
            if node3 is None:
                return "unknown", "Fn::FindInMap"
            return self.resolve(node3, depth + 1)
        if fn == "Fn::Sub":
            template, variables = sub_arguments(arg)
            if not isinstance(template, str):
                return "unknown", "Fn::Sub"
            failed = False

            def sub(match: re.Match) -> str:
                nonlocal failed
                name = match.group(1).strip()
                if name in variables:
                    state, v = self.resolve(variables[name], depth + 1)
                else:
                    state, v = self.resolve(Node({"Ref": Node(name, 0, 0, 0, 0)}, 0, 0, 0, 0), depth + 1) if "." not in name else ("unknown", name)
                if failed or state != "present" or isinstance(v, (dict, list)) or len(str(v)) > MAX_TEXT:
                    failed = True
                    return ""
                return str(v)

            result = _SUB_VAR.sub(sub, template)
            if failed or len(result) > MAX_TEXT:  # substitutions that multiply text: not a real value
                return "unknown", "Fn::Sub"
            return "present", result.replace("${!", "${")
        if fn == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2:
            state, sep = self.resolve(arg.value[0], depth + 1)
            state2, parts = self.resolve(arg.value[1], depth + 1)
            if state == state2 == "present" and isinstance(parts, list) and all(isinstance(p, (str, int)) for p in parts):
                if sum(len(str(p)) for p in parts) + len(str(sep)) * len(parts) <= MAX_TEXT:
                    return "present", str(sep).join(str(p) for p in parts)
            return "unknown", "Fn::Join"
        if fn.startswith("Fn::") or fn == "Condition":
            return "unknown", fn
        state, v = self.resolve(arg, depth + 1)
        return "present", {fn: v if state == "present" else _Unknown(v)}

    def setting(self, node: Node | None, default: Any, fallback: Location, as_int: bool = False) -> Setting:
        if node is None:
            return absent(default, fallback)
        state, value = self.resolve(node)
        location = self.loc(node)
        if state != "present":
            return unknown(location, str(value))
        if as_int:
            converted = to_int(value)
            if converted is None:
                return unknown(location, repr(value))
            value = converted
        return present(value, location)

    def ref_target(self, node: Node | None) -> tuple[str | None, str | None]:
        """(logical id, attribute) for ``!Ref X`` / ``!GetAtt X.Attr`` (attribute None for Ref)."""
        if node is None or not node.is_map or len(node.value) != 1:
            return None, None
        (fn, arg), = node.value.items()
        if fn == "Ref" and isinstance(arg.value, str):
            return arg.value, None
        if fn == "Fn::GetAtt" and isinstance(arg.value, list) and len(arg.value) == 2:
            a, b = arg.value[0].value, arg.value[1].value
            if isinstance(a, str) and isinstance(b, str):
                return a, b
        if fn == "Fn::Sub" and isinstance(arg.value, str):
            m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z]+))?\}", arg.value.strip())
            if m:
                return m.group(1), m.group(2)
        return None, None


UNKNOWN_PART = ("unknown",)  # a SymbolicParts token: an unresolvable piece


class SymbolicParts:
    """A value split into literal text and tokens for what cannot be resolved to text: ``("fn",
    logical_id)`` for a function's Ref, ``("version", logical_id)`` for a Version's ``.Version``,
    UNKNOWN_PART for anything else unresolvable. ``!Sub "function:${Fn}:live"`` becomes
    ``["function:", ("fn", "Fn"), ":live"]``. Subclasses add tokens (api_gateway.py)."""

    def __init__(self, t):
        self.t = t

    def parts(self, node: Node | None, depth: int = 0) -> list:
        t = self.t
        if node is None or depth > 10:
            return [UNKNOWN_PART]
        value = node.value
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, dict) or len(value) != 1:
            return [UNKNOWN_PART]
        (fn, arg), = value.items()
        if fn == "Ref" and isinstance(arg.value, str):
            return [self.ref(arg.value)]
        if fn == "Fn::GetAtt":
            items = arg.value
            if isinstance(items, str) and "." in items:
                a, b = items.split(".", 1)
            elif isinstance(items, list) and len(items) == 2 and isinstance(items[0].value, str) and isinstance(items[1].value, str):
                a, b = items[0].value, items[1].value
            else:
                return [UNKNOWN_PART]
            return [self.getatt(a, b)]
        if fn == "Fn::Sub":
            template, variables = sub_arguments(arg)
            if not isinstance(template, str):
                return [UNKNOWN_PART]
            out: list = []
            pos = 0
            for m in re.finditer(r"\$\{([^}]*)\}", template):
                out.append(template[pos:m.start()])
                pos = m.end()
                name = m.group(1).strip()
                if name.startswith("!"):
                    out.append("${" + name[1:] + "}")
                elif name in variables:
                    out.extend(self.parts(variables[name], depth + 1))
                elif "." in name:
                    out.append(self.getatt(*name.split(".", 1)))
                else:
                    out.append(self.ref(name))
            out.append(template[pos:])
            return out
        if fn == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2:
            state, sep = t.resolve(arg.value[0])
            items = arg.value[1].value
            if state != "present" or not isinstance(sep, str) or not isinstance(items, list):
                return [UNKNOWN_PART]
            out = []
            for i, item in enumerate(items):
                if i:
                    out.append(sep)
                out.extend(self.parts(item, depth + 1))
            return out
        state, resolved = t.resolve(node)
        if state == "present" and isinstance(resolved, (str, int)):
            return [str(resolved)]
        return [UNKNOWN_PART]

    def ref(self, name: str) -> Any:
        t = self.t
        rtype = t.resource_type(name)
        if rtype in (SAM_FUNCTION, CFN_FUNCTION):
            return ("fn", name)
        if rtype is not None or name.startswith("AWS::"):
            return UNKNOWN_PART  # another resource's Ref (an alias's Ref is its ARN), or a pseudo parameter
        state, value = t.resolve(Node({"Ref": Node(name, 0, 0, 0, 0)}, 0, 0, 0, 0))
        return str(value) if state == "present" and isinstance(value, (str, int)) else UNKNOWN_PART

    def getatt(self, logical_id: str, attribute: str) -> Any:
        rtype = self.t.resource_type(logical_id)
        if rtype == "AWS::Lambda::Version" and attribute == "Version":
            return ("version", logical_id)
        return UNKNOWN_PART


def sub_arguments(arg: Node) -> tuple[Any, dict]:
    """``Fn::Sub``'s (template, variables): ``!Sub "text"`` or ``!Sub ["text", {Var: value}]``."""
    template, variables = arg.value, {}
    if isinstance(template, list) and template:
        variables = template[1].value if len(template) > 1 and isinstance(template[1].value, dict) else {}
        template = template[0].value
    return template, variables


def to_int(value: Any) -> int | None:
    """``value`` as an integer setting, or None when it has no integer meaning (``.inf``, ``.nan``,
    ``1e400``, a list, "abc"): such a value is unknown, never a violation."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


class _Unknown(str):
    """Marks an unresolved value inside a resolved container (e.g. one env var of many)."""


def is_absolute(path: str) -> bool:
    """``/usr/lib/...``, ``~/src``, ``C:\\code``: a location outside the scanned tree."""
    path = path.strip()
    return path.startswith(("/", "\\", "~")) or bool(re.match(r"[A-Za-z]:[\\/]", path))


def is_intrinsic(node: Node | None) -> bool:
    """``!If``, ``!Ref``, ``!FindInMap``...: a value only known at deploy time (a whole
    ``Properties`` written so is unknown, not empty)."""
    return node is not None and node.is_map and len(node.value) == 1 and next(iter(node.value)).startswith(("Fn::", "Ref", "Condition"))


def prop(node: Node | None, key: str) -> Node | None:
    """``node[key]`` when ``node`` is a mapping, else None."""
    return node.get(key) if node is not None else None


def load_template(t: Template, exists) -> list[Function]:
    """Functions declared in one template, with their provisioned concurrency and versions.
    ``exists(rel_path)`` tells whether a path is in the scanned tree. (project/stacks.py adds
    the API callers and security facts.)"""
    functions = []
    for logical_id in sorted(t.resources):
        node = t.resources[logical_id]
        rtype = t.resource_type(logical_id)
        if rtype not in (SAM_FUNCTION, CFN_FUNCTION):
            continue
        functions.append(_function(t, logical_id, node, rtype == SAM_FUNCTION, exists))
    _attach_cfn_provisioned(t, functions)
    _attach_cfn_versions(t, functions)
    return functions


def _function(t: Template, logical_id: str, node: Node, is_sam: bool, exists) -> Function:
    where = Location(t.path, node.key_line or node.line, node.key_column or node.column)
    props = node.get("Properties")
    if is_intrinsic(props):
        return _unknown_function(t, logical_id, is_sam, where, t.loc(props))
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
    if is_sam:
        pc = get("ProvisionedConcurrencyConfig")
        if pc is not None and not is_intrinsic(pc):  # !If [cond, {...}, !Ref AWS::NoValue]: may be none
            alias = get("AutoPublishAlias")
            amount = t.setting(prop(pc, "ProvisionedConcurrentExecutions"), None, t.loc(pc), as_int=True)
            if alias is None:
                qualifier = Qualifier.latest(t.loc(pc))
                note = "the function has no AutoPublishAlias, so nothing publishes a version"
            else:
                setting = t.setting(alias, None, where)
                qualifier = Qualifier.named_alias(setting)
                note = ""
            function.provisioned.append(ProvisionedConcurrency(amount, qualifier, t.loc(pc), function.address, note))
    return function


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


def properties_are_expression(t: Template, logical_id: str) -> bool:
    """The resource's ``Properties`` is an intrinsic (``!If``, ``!Ref``...), known only at deploy time."""
    node = t.resources.get(logical_id)
    return node is not None and node.is_map and is_intrinsic(node.get("Properties"))


def _code_dir(t: Template, node: Node | None, where: Location, exists, inline_ok: bool) -> Setting:
    if node is None:
        return unknown(where, "no code location")
    state, value = t.resolve(node)
    location = t.loc(node)
    if state != "present" or not isinstance(value, str):
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


def _attach_cfn_provisioned(t: Template, functions: list[Function]) -> None:
    """AWS::Lambda::Alias / ::Version with ProvisionedConcurrencyConfig -> the function they qualify."""
    by_id = {f.name: f for f in functions}
    by_name = functions_by_name(functions)
    for logical_id in sorted(t.resources):
        rtype = t.resource_type(logical_id)
        if rtype not in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            continue
        node = t.resources[logical_id]
        props = node.get("Properties")
        pc = prop(props, "ProvisionedConcurrencyConfig")
        if pc is None or is_intrinsic(pc):
            continue
        target = prop(props, "FunctionName")
        fn_id, _ = t.ref_target(target)
        function = by_id.get(fn_id or "")
        if function is None and fn_id is None:  # the function's physical name or ARN, as a literal
            state, value = t.resolve(target)
            function = function_named(value, by_name, t.loc(node))[0] if state == "present" else None
        if function is None:
            continue
        amount = t.setting(prop(pc, "ProvisionedConcurrentExecutions"), None, t.loc(pc), as_int=True)
        address = f"{t.path}#Resources/{logical_id}"
        if rtype == "AWS::Lambda::Version":
            qualifier = Qualifier.version(t.loc(node), resource=address, label=logical_id)
            function.provisioned.append(ProvisionedConcurrency(amount, qualifier, t.loc(pc), address))
            continue
        version_node = prop(props, "FunctionVersion")
        if version_node is None:
            continue
        state, value = t.resolve(version_node)
        if state == "present" and value == "$LATEST":
            qualifier = Qualifier.latest(t.loc(version_node))
            note = f"alias {logical_id} has FunctionVersion $LATEST"
        else:
            alias_name = t.setting(prop(props, "Name"), logical_id, t.loc(node))
            # a Name we cannot read: the alias is known by its logical ID only, and may be any name
            qualifier = Qualifier.named_alias(alias_name) if alias_name.is_set else Qualifier.alias(alias_name.location, label=logical_id)
            note = ""
        function.provisioned.append(ProvisionedConcurrency(amount, qualifier, t.loc(pc), address, note))


def _attach_cfn_versions(t: Template, functions: list[Function]) -> None:
    """An ``AWS::Lambda::Version`` publishes a version of the function it names: record it in
    ``publishes_versions`` (located at the Version resource). A Version whose function cannot be
    resolved makes every function of the template that has no other version unknown."""
    by_id = {f.name: f for f in functions}
    by_name = functions_by_name(functions)
    unresolved: Location | None = None
    for logical_id in sorted(t.resources):
        if t.resource_type(logical_id) != "AWS::Lambda::Version":
            continue
        node = t.resources[logical_id]
        target = prop(node.get("Properties"), "FunctionName")
        fn_id, _ = t.ref_target(target)
        function = by_id.get(fn_id or "")
        if function is None:
            state, value = t.resolve(target)
            function = by_name.get(value) if state == "present" and isinstance(value, str) else None
        if function is None:
            if fn_id is None or t.resource_type(fn_id) is None:
                unresolved = unresolved or t.loc(node)
            continue
        if not (function.publishes_versions.is_set and function.publishes_versions.value):
            function.publishes_versions = present(True, t.loc(node))
    if unresolved is not None:
        for function in functions:
            if not (function.publishes_versions.known and function.publishes_versions.value):
                function.publishes_versions = unknown(unresolved, "AWS::Lambda::Version with an unresolved FunctionName")
