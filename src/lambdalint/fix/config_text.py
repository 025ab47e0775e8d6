"""Template and Terraform fixes, made as text edits at the right place.

YAML and HCL are never re-serialised: the fix finds the resource by its logical ID or address,
then inserts a line (indented like its neighbours) or replaces one value, so comments, quoting
and layout stay as written. JSON templates, flow-style mappings and anything else that is not
plainly laid out get no fix; the loop re-parses every result and rechecks it anyway.
"""

from __future__ import annotations

import re

from .model import UNSAFE, Declined, Edit, Fix

_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<key>[A-Za-z0-9_.-]+)[ ]*:[ ]*(?P<value>[^#]*?)[ ]*(#.*)?$")


# ------------------------------------------------------------------ fixers


def fix_tracing(finding, text: str):
    """LL405: Tracing / TracingConfig.Mode / tracing_config.mode set to Active."""
    path, address = _subject(finding)
    if path.endswith(".tf"):
        line = _line(text, finding.location.line)
        match = re.search(r'(\bmode\s*=\s*)"(PassThrough)"', line)
        if match:
            return _fix(finding, _line_edit(text, finding.location.line, match.start(2) - 1, match.end(2) + 1, '"Active"'), "Set tracing_config mode to \"Active\"")
        block = _tf_block(text, address)
        if block is None or not address.startswith("aws_lambda_function."):
            return Declined("the function's resource block was not found in this file")
        return _fix(finding, _tf_insert(text, block, ["tracing_config {", '  mode = "Active"', "}"], at_end=True), "Add tracing_config { mode = \"Active\" }")
    if _is_json(path, text):
        return Declined("JSON templates are not edited; set Tracing (SAM) or TracingConfig.Mode to Active")
    line = _line(text, finding.location.line)
    match = re.match(r"^(\s*(?:Tracing|Mode)\s*:\s*)(PassThrough|['\"]PassThrough['\"])\s*(#.*)?$", line)
    if match:
        return _fix(finding, _line_edit(text, finding.location.line, match.start(2), match.end(2), "Active"), "Set tracing to Active")
    resource = _yaml_resource(text, address)
    if resource is None:
        return Declined("the resource's Properties were not found as a plain YAML block")
    if resource.type == "AWS::Serverless::Function":
        return _fix(finding, _yaml_insert(text, resource, ["Tracing: Active"]), "Add Tracing: Active")
    if resource.type == "AWS::Lambda::Function":
        return _fix(finding, _yaml_insert(text, resource, ["TracingConfig:", "  Mode: Active"]), "Add TracingConfig: {Mode: Active}")
    return Declined(f"no tracing fix for resource type {resource.type or 'unknown'}")


def fix_publish_alias(finding, text: str):
    """LL201 / LL212: publish a version and use it through an alias (SAM AutoPublishAlias,
    Terraform publish = true)."""
    path, address = _subject(finding)
    if path.endswith(".tf"):
        if address.startswith("aws_lambda_provisioned_concurrency_config."):
            return _fix_terraform_pc(finding, text, address)
        if not address.startswith(("aws_lambda_function.", "module.")):
            return Declined("only aws_lambda_function resources and module inputs are edited")
        block = _tf_block(text, address)
        if block is None:
            return Declined(f"`{address}` is not defined in this file")
        edits = _tf_publish(text, block, at_end=address.startswith("module."))  # a module's source stays first
        if isinstance(edits, Declined):
            return edits
        what = "the module publishes" if address.startswith("module.") else ".version is"
        return _fix(finding, edits, f"Set publish = true so {what} a published version")
    if _is_json(path, text):
        return Declined("JSON templates are not edited; add AutoPublishAlias to the function")
    resource = _yaml_resource(text, address)
    if resource is None or resource.type != "AWS::Serverless::Function":
        return Declined("only SAM functions get AutoPublishAlias; publish an AWS::Lambda::Version and alias it")
    return _fix(finding, _yaml_insert(text, resource, ["AutoPublishAlias: live"]), "Add AutoPublishAlias: live")


def _fix_terraform_pc(finding, text: str, address: str):
    """LL201 on ``aws_lambda_provisioned_concurrency_config``: publish the function and point the
    qualifier at an alias of it (an existing one of this file, else a new ``live`` alias on the
    function's ``.version``, placed after the function's block)."""
    block = _tf_block(text, address)
    qualifier = _tf_attribute(text, block, "qualifier") if block else None
    if qualifier is None:
        return Declined("the qualifier is not written in the configuration's block")
    function = _tf_function_reference(qualifier[1], "version")
    if function is None and qualifier[1].strip() == '"$LATEST"':
        named = _tf_attribute(text, block, "function_name")
        function = _tf_function_reference(named[1], "function_name", "arn") if named else None
    if function is None:
        return Declined("the qualifier and function_name do not name an aws_lambda_function of this file; publish it and point the qualifier at an alias")
    function_block = _tf_block(text, f"aws_lambda_function.{function}")
    if function_block is None:
        return Declined(f"`aws_lambda_function.{function}` is not defined in this file")
    edits = _tf_publish(text, function_block)
    if isinstance(edits, Declined):
        return edits
    alias = _tf_alias_of(text, function)
    if isinstance(alias, Declined):
        return alias
    if alias is None:  # a new alias right after the function's block
        if _tf_block(text, f"aws_lambda_alias.{function}") is not None:
            return Declined(f"`aws_lambda_alias.{function}` exists for another function; add an alias and point the qualifier at it")
        indent = _tf_indent(text, function_block) or "  "
        nl = _newline(text)
        close = function_block[1]
        line_end = text.find("\n", close)
        at = line_end + 1 if line_end != -1 else len(text)
        body = [
            f'resource "aws_lambda_alias" "{function}" {{',
            f'{indent}name             = "live"',
            f"{indent}function_name    = aws_lambda_function.{function}.function_name",
            f"{indent}function_version = aws_lambda_function.{function}.version",
            "}",
        ]
        prefix = nl if line_end == -1 else ""
        edits.append(Edit(at, at, prefix + nl + "".join(line + nl for line in body)))
        alias = function
    start, value = qualifier
    edits.append(Edit(start, start + len(value), f"aws_lambda_alias.{alias}.name"))
    return _fix(finding, edits, f"Set publish = true on aws_lambda_function.{function} and point the qualifier at aws_lambda_alias.{alias}")


def _tf_function_reference(value: str, *attributes: str) -> str | None:
    """``aws_lambda_function.orders.version`` -> ``orders`` (for the attributes given)."""
    names = "|".join(attributes)
    match = re.fullmatch(rf"aws_lambda_function\.([A-Za-z0-9_-]+)\.(?:{names})", value.strip())
    return match.group(1) if match else None


def _tf_alias_of(text: str, function: str) -> str | Declined | None:
    """The label of this file's ``aws_lambda_alias`` on the function's ``.version`` (None when it
    has none). An alias of the function on anything else is the author's to repoint."""
    for match in re.finditer(r'^[ \t]*resource[ \t]+"aws_lambda_alias"[ \t]+"([A-Za-z0-9_-]+)"', text, re.M):
        label = match.group(1)
        block = _tf_block(text, f"aws_lambda_alias.{label}")
        named = _tf_attribute(text, block, "function_name") if block else None
        if not named or _tf_function_reference(named[1], "function_name", "arn") != function:
            continue
        version = _tf_attribute(text, block, "function_version")
        if version and _tf_function_reference(version[1], "version") == function:
            return label
        return Declined(f"aws_lambda_alias.{label} of this function does not point at its .version; point it at a published version and the qualifier at it")
    return None


def _tf_publish(text: str, block: tuple[int, int], at_end: bool = False) -> list[Edit] | Declined:
    """``publish = true`` in the block: the ``false`` replaced, or a new line."""
    current = _tf_attribute(text, block, "publish")
    if current is None:
        return _tf_insert(text, block, ["publish = true"], at_end=at_end)
    start, value = current
    if value.strip() != "false":
        return Declined(f"publish is `{value.strip()}`; set it to true")
    value_start = start + value.index("false")
    return [Edit(value_start, value_start + len("false"), "true")]


def fix_runtime(finding, text: str):
    """LL306: the deprecated runtime's value becomes the supported successor the message names.
    The value is replaced where it is written (YAML, JSON or HCL alike), so quoting stays."""
    match = re.search(r"move to (\S+)$", finding.message)
    if not match:
        return Declined("no supported successor of the same language is known")
    successor = match.group(1)
    if successor.startswith("provided."):
        return Declined(f"the successor is an OS-only runtime ({successor}): the code must be rebuilt as a bootstrap binary first")
    from ..rules.runtime_lifecycle import LIFECYCLE

    # the finding's line holds the setting (key and value); the value is the deprecated runtime
    line = _line(text, finding.location.line)
    written = [m for m in re.finditer(r"(?<![A-Za-z0-9.])[a-z]+[0-9][A-Za-z0-9.]*(?![A-Za-z0-9.])", line) if m.group() in LIFECYCLE]
    if len(written) != 1:
        return Declined("the runtime is not written as one literal on this line")
    edits = _line_edit(text, finding.location.line, written[0].start(), written[0].end(), successor)
    return Fix(finding.location.path, tuple(edits), UNSAFE, f"Move the runtime to {successor}")


def fix_batch_failures(finding, text: str):
    """LL406: turn on partial batch responses for the SQS event source. Unsafe: the handler must
    then return the IDs of the messages that failed, or every message counts as processed."""
    path, address = _subject(finding)
    report = "ReportBatchItemFailures"
    if path.endswith(".tf"):
        if not address.startswith("aws_lambda_event_source_mapping."):
            return Declined('only aws_lambda_event_source_mapping resources are edited; add function_response_types = ["ReportBatchItemFailures"]')
        block = _tf_block(text, address)
        if block is None:
            return Declined(f"`{address}` is not defined in this file")
        if _tf_attribute(text, block, "function_response_types") is not None:
            return Declined(f'function_response_types is set without "{report}"; add it to the list')
        return _batch_fix(finding, _tf_insert(text, block, [f'function_response_types = ["{report}"]']))
    if _is_json(path, text):
        return Declined(f"JSON templates are not edited; add FunctionResponseTypes: [{report}]")
    if re.match(r"^\s*-?\s*FunctionResponseTypes\s*:", _line(text, finding.location.line)):
        return Declined(f"FunctionResponseTypes is set without {report}; add it to the list")
    lines = [_line(text, n) for n in range(1, len(_line_starts(text)) + 1)]
    if "/Events/" in address:  # a SAM event: the finding is on the event's key
        source = _yaml_properties_under(lines, finding.location.line - 1)
        if source is None or source.type != "SQS":
            return Declined("the event's Properties were not found as a plain YAML block")
    else:
        source = _yaml_resource(text, address)
        if source is None or source.type != "AWS::Lambda::EventSourceMapping":
            return Declined("the event source mapping's Properties were not found as a plain YAML block")
    return _batch_fix(finding, _yaml_insert(text, source, ["FunctionResponseTypes:", f"  - {report}"]))


def _batch_fix(finding, edits):
    if isinstance(edits, Declined):
        return edits
    return Fix(finding.location.path, tuple(edits), UNSAFE, "Turn on partial batch responses (ReportBatchItemFailures); the handler must return the failed message IDs")


# ------------------------------------------------------------------ helpers


# once provisioned concurrency lands on a published version, the rules about its cost and use apply
PC_RULES = ("LL202", "LL203", "LL204", "LL205")


def _fix(finding, edits, description: str):
    if isinstance(edits, Declined):
        return edits
    reveals = PC_RULES if finding.rule_id == "LL201" else ()
    return Fix(finding.location.path, tuple(edits), UNSAFE, description, reveals)


def _subject(finding) -> tuple[str, str]:
    """``template.yaml#Resources/Orders`` -> (``template.yaml``, ``Orders``); Terraform
    ``main.tf#aws_lambda_function.orders`` -> (``main.tf``, ``aws_lambda_function.orders``)."""
    path, _, address = finding.subject.partition("#")
    return path or finding.location.path, address.removeprefix("Resources/")


def _is_json(path: str, text: str) -> bool:
    return path.endswith(".json") or text.lstrip().startswith("{")


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


def _line(text: str, number: int) -> str:
    starts = _line_starts(text)
    if not 0 < number <= len(starts):
        return ""
    end = starts[number] if number < len(starts) else len(text)
    return text[starts[number - 1] : end].rstrip("\r\n")


def _line_edit(text: str, number: int, start: int, end: int, replacement: str) -> list[Edit]:
    base = _line_starts(text)[number - 1]
    return [Edit(base + start, base + end, replacement)]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


class _Resource:
    def __init__(self, properties_line: int, child_indent: str, type_: str, end_line: int):
        self.properties_line = properties_line  # 1-based line of `Properties:`
        self.child_indent = child_indent  # indentation of the properties
        self.type = type_
        self.end_line = end_line


def _yaml_resource(text: str, logical_id: str) -> _Resource | None:
    """The block-style resource ``logical_id`` under top-level ``Resources:``."""
    lines = [_line(text, n) for n in range(1, len(_line_starts(text)) + 1)]
    in_resources = False
    for i, line in enumerate(lines):
        if re.match(r"^Resources\s*:\s*(#.*)?$", line):
            in_resources = True
            continue
        if in_resources and line and not line[0].isspace() and not line.startswith("#"):
            in_resources = False  # the next top-level key
        m = _KEY_LINE.match(line)
        if not (in_resources and m and m.group("key").strip("'\"") == logical_id and not m.group("value")):
            continue
        return _yaml_properties_under(lines, i)
    return None


def _yaml_properties_under(lines: list[str], i: int) -> _Resource | None:
    """The block-style ``Properties:`` mapping of the mapping whose key is on line ``i``
    (0-based): a resource under ``Resources:``, or a SAM event under ``Events:``."""
    m = _KEY_LINE.match(lines[i])
    if not m or m.group("value"):
        return None
    indent = len(m.group("indent"))
    props = None
    type_ = ""
    child = None
    end = len(lines)
    for j in range(i + 1, len(lines)):
        inner = lines[j]
        if not inner.strip() or inner.lstrip().startswith("#"):
            continue
        depth = len(inner) - len(inner.lstrip(" "))
        if depth <= indent:
            end = j
            break
        km = _KEY_LINE.match(inner)
        if child is None:
            child = depth
        if km and depth == child and km.group("key") == "Type":
            type_ = km.group("value").strip("'\"")
        if km and depth == child and km.group("key") == "Properties":
            if km.group("value"):
                return None  # flow style or alias: not plainly laid out
            props = j
    if props is None:
        return None
    prop_indent = None
    for j in range(props + 1, end):
        inner = lines[j]
        if inner.strip() and not inner.lstrip().startswith("#"):
            depth = len(inner) - len(inner.lstrip(" "))
            if depth > child:
                prop_indent = inner[:depth]
            break
    if prop_indent is None:
        return None
    return _Resource(props + 1, prop_indent, type_, end)


def _yaml_insert(text: str, resource: _Resource, lines: list[str]) -> list[Edit]:
    """New properties right after ``Properties:``, at the properties' indentation."""
    nl = _newline(text)
    starts = _line_starts(text)
    offset = starts[resource.properties_line] if resource.properties_line < len(starts) else len(text)
    prefix = nl if offset == len(text) and not text.endswith(("\n", "\r")) else ""
    return [Edit(offset, offset, prefix + "".join(resource.child_indent + line + nl for line in lines))]


def _tf_block(text: str, address: str) -> tuple[int, int] | None:
    """(offset after the opening brace's line, offset of the closing brace) of ``resource "T" "N" {``."""
    kind, _, name = address.partition(".")
    opening = f'module[ \\t]+"{re.escape(name)}"' if kind == "module" else f'resource[ \\t]+"{re.escape(kind)}"[ \\t]+"{re.escape(name)}"'
    match = re.search(rf"^[ \t]*{opening}[ \t]*\{{[ \t]*(#.*|//.*)?\r?$", text, re.M)
    if not match:
        return None
    close = _matching_brace(text, text.rfind("{", match.start(), match.end()))
    if close is None:
        return None
    line_end = text.find("\n", match.end())
    return (line_end + 1 if line_end != -1 else len(text)), close


def _matching_brace(text: str, open_at: int) -> int | None:
    """The ``}`` closing the ``{`` at ``open_at``, skipping strings, comments and heredocs."""
    depth = 0
    i = open_at
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "#" or text.startswith("//", i):
            i = text.find("\n", i)
            if i == -1:
                return None
        elif text.startswith("/*", i):
            i = text.find("*/", i)
            if i == -1:
                return None
            i += 1
        elif text.startswith("<<", i):
            heredoc = re.match(r"<<-?([A-Za-z_]\w*)", text[i:])
            if heredoc:
                end = re.search(rf"^[ \t]*{heredoc.group(1)}[ \t]*$", text[i:], re.M)
                if not end:
                    return None
                i += end.end()
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _tf_attribute(text: str, block: tuple[int, int], name: str) -> tuple[int, str] | None:
    """(offset of the value, value text) of a top-level ``name = value`` line of the block."""
    start, end = block
    depth = 0
    for match in re.finditer(r"[^\n]*\n?", text[start:end]):
        line = match.group(0)
        if depth == 0:
            attribute = re.match(rf"^[ \t]*{re.escape(name)}[ \t]*=[ \t]*(?P<value>[^#\n]*?)[ \t]*(#.*|//.*)?\r?\n?$", line)
            if attribute:
                return start + match.start() + attribute.start("value"), attribute.group("value")
        depth += line.count("{") - line.count("}")
    return None


def _tf_indent(text: str, block: tuple[int, int]) -> str | None:
    """The indentation of the block's first attribute (None for an empty block)."""
    first = next((line for line in text[block[0] : block[1]].splitlines() if line.strip() and not line.lstrip().startswith(("#", "//"))), None)
    return None if first is None else first[: len(first) - len(first.lstrip())]


def _tf_insert(text: str, block: tuple[int, int], lines: list[str], at_end: bool = False) -> list[Edit] | Declined:
    """New lines at the top of the block (attributes) or just before its closing brace (nested
    blocks, where Terraform style puts them), indented like the block's first attribute."""
    start, end = block
    indent = _tf_indent(text, block)
    if indent is None:
        return Declined("the resource block is empty or on one line")
    nl = _newline(text)
    at = start
    line_start = max(text.rfind("\n", 0, end) + 1, start)
    if at_end and not text[line_start:end].strip():
        at = line_start  # the closing brace is alone on its line
    return [Edit(at, at, "".join(indent + line + nl for line in lines))]
