"""Terraform JSON syntax (``.tf.json``, ``.tfvars.json``) as the same located blocks as ``.tf``.

https://developer.hashicorp.com/terraform/language/syntax/json: the top-level object's keys are
block types (``resource`` -> type -> name -> body), a body's keys are arguments or nested blocks,
and a string is a template (``"${var.x}"`` alone is the expression ``var.x``). JSON cannot tell a
nested block from an argument holding an object (Terraform asks the provider's schema), so the
nested blocks lambdalint reads are named in ``NESTED_BLOCKS``; every other key is an argument.
Positions come from the positioned JSON reader the templates use.
"""

from __future__ import annotations

import re
from typing import Any

from .nodes import Attribute, Block, Expr, HclTemplateString, LoadError, Node, ObjectValue

# top-level block type -> how many labels its keys nest (resource "TYPE" "NAME" -> 2)
TOP_LEVEL = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0, "terraform": 0, "moved": 0, "import": 0, "check": 1, "removed": 0}
# nested blocks of the resources lambdalint reads (and Terraform's own meta blocks)
NESTED_BLOCKS = frozenset(
    {
        "amazon_managed_kafka_event_source_config", "condition", "content", "cors", "customized_metric_specification",
        "dead_letter_config", "destination_config", "document_db_event_source_config", "dynamic", "environment",
        "ephemeral_storage", "file_system_config", "filter", "filter_criteria", "image_config", "inline_policy",
        "lambda", "lambda_function", "lifecycle", "logging_config", "metric", "metric_query", "not_principals",
        "on_failure", "on_success", "predefined_metric_specification", "principals", "provisioner",
        "scaling_config", "self_managed_event_source", "self_managed_kafka_event_source_config", "snap_start",
        "source_access_configuration", "statement", "step_adjustment", "step_scaling_policy_configuration",
        "target", "target_tracking_scaling_policy_configuration", "tracing_config", "validation", "vpc_config",
    }
)
# arguments whose string is a literal, never a template (variable defaults, module sources)
LITERAL_ARGUMENTS = {"variable": {"default", "type", "description"}, "module": {"source", "version"}}
_ONLY_INTERPOLATION = re.compile(r"\$\{([^{}]*)\}")
COMMENT_KEY = "//"


def parse_terraform_json(text: str, variables_file: bool = False) -> list[Block]:
    """Top-level blocks of a ``.tf.json`` file (``variables_file``: a ``.tfvars.json``, whose keys
    are variable values, kept on one ``__attributes__`` block as in ``.tfvars``). Raises only
    ``LoadError``."""
    from .cfn_yaml import _load_json
    from .hcl import TOP_LEVEL_ATTRIBUTES

    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        root = _load_json(text)
    except LoadError as exc:
        raise LoadError(f"Terraform JSON syntax error: {exc.reason}", exc.line, exc.column) from None
    except RecursionError:
        raise LoadError("Terraform JSON file is nested too deeply to analyse") from None
    if not isinstance(root.value, dict):
        raise LoadError("Terraform JSON must be an object at the top level", root.line, root.column)
    try:
        if variables_file:
            top = Block(TOP_LEVEL_ATTRIBUTES, [], 1, 1, root.end_line)
            for key, node in root.value.items():
                if key != COMMENT_KEY:
                    top.attributes[key] = _attribute(key, node, literal=True)
            return [top] if top.attributes else []
        blocks: list[Block] = []
        for block_type, node in root.value.items():
            if block_type == COMMENT_KEY:
                continue
            depth = TOP_LEVEL.get(block_type)
            if depth is None:
                continue  # a block type Terraform does not know: nothing lambdalint reads
            blocks.extend(_labelled(block_type, node, depth, []))
        return blocks
    except RecursionError:
        raise LoadError("Terraform JSON file is nested too deeply to analyse") from None


def _labelled(block_type: str, node: Node, depth: int, labels: list[str]) -> list[Block]:
    """``{"aws_lambda_function": {"orders": {...}}}`` -> the blocks, one label per level."""
    if depth == 0:
        bodies = node.value if isinstance(node.value, list) else [node]
        return [_block(block_type, labels, body, node) for body in bodies if isinstance(body.value, dict)]
    if isinstance(node.value, list) and node.value and all(isinstance(item.value, dict) for item in node.value):
        # an array of label objects (how JSON repeats a key): each element as if written alone
        return [block for item in node.value for block in _labelled(block_type, item, depth, labels)]
    if not isinstance(node.value, dict):
        raise LoadError(f"Terraform JSON: {block_type} {' '.join(labels)} needs an object of labels", node.line, node.column)
    out: list[Block] = []
    for label, child in node.value.items():
        if label != COMMENT_KEY:
            out.extend(_labelled(block_type, child, depth - 1, labels + [label]))
    return out


def _block(block_type: str, labels: list[str], body: Node, keyed: Node) -> Block:
    # a block is located at its innermost label's key (resource "x" "orders" -> "orders": {)
    line, column = (keyed.key_line, keyed.key_column) if keyed.key_line else (body.line, body.column)
    block = Block(block_type, list(labels), line, column, body.end_line)
    literal = LITERAL_ARGUMENTS.get(block_type, set())
    for key, node in body.value.items():
        if key == COMMENT_KEY:
            continue
        is_block = key == "content" if block_type == "dynamic" else key in NESTED_BLOCKS
        if is_block and isinstance(node.value, (dict, list)) and _all_objects(node):
            if key == "dynamic":
                block.blocks.extend(_labelled("dynamic", node, 1, []))
            else:
                block.blocks.extend(_labelled(key, node, 0, []))
            continue
        block.attributes[key] = _attribute(key, node, literal=key in literal)
    return block


def _all_objects(node: Node) -> bool:
    return isinstance(node.value, dict) or all(isinstance(item.value, dict) for item in node.value)


def _attribute(name: str, node: Node, literal: bool = False) -> Attribute:
    line, column = (node.key_line, node.key_column) if node.key_line else (node.line, node.column)
    return Attribute(name, _value(node, literal), line, column, node.end_line, node.end_column)


def _value(node: Node, literal: bool = False) -> Any:
    value = node.value
    if isinstance(value, str):
        return value if literal else template(value)
    if isinstance(value, list):
        return [_value(item, literal) for item in value]
    if isinstance(value, dict):
        out = ObjectValue()
        for key, item in value.items():
            if key == COMMENT_KEY:
                continue
            out[key] = _value(item, literal)
            out.positions[key] = (item.key_line, item.key_column)
        return out
    return value


def template(text: str) -> Any:
    """A JSON string as Terraform reads it: plain text, one ``${expr}`` (the expression itself,
    keeping its type) or a template mixing both. ``$${`` / ``%%{`` are literal ``${`` / ``%{``."""
    if "${" not in text and "%{" not in text:
        return text
    m = _ONLY_INTERPOLATION.fullmatch(text.strip())
    if m and "$${" not in text:
        return Expr(m.group(1).strip())
    if "$${" in text or "%%{" in text:
        # escaped interpolations only: literal text
        if not re.search(r"(?<!\$)\$\{|(?<!%)%\{", text):
            return text.replace("$${", "${").replace("%%{", "%{")
    return HclTemplateString(text)
