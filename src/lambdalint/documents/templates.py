"""CloudFormation / SAM templates (YAML or JSON) as located node trees."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import ParseFailure
from ..suppress_comments import InlineSuppression, scan
from .nodes import LoadError, Node
from .source import binary_failure, decode, read_bytes

OPTIONAL_SECTIONS = ("Parameters", "Outputs", "Globals", "Conditions", "Mappings", "Metadata", "Rules")


@dataclass
class TemplateDocument:
    path: str
    root: Node
    suppressions: tuple[InlineSuppression, ...]

    @property
    def resources(self) -> dict[str, Node]:
        node = self.root.get("Resources")
        return node.value if node is not None and isinstance(node.value, dict) else {}

    def section(self, name: str) -> dict[str, Node]:
        node = self.root.get(name)
        return node.value if node is not None and isinstance(node.value, dict) else {}


def parse_template(path: str, rel: str, named: bool) -> tuple[TemplateDocument | None, ParseFailure | None]:
    """Parse a YAML/JSON file that may be a template. Returns (None, None) when it is not one.

    A file whose name says "template" but cannot be read or parsed is a failure; any other
    YAML/JSON file is only ours if its text looks like a template.
    """
    from .cfn_yaml import is_template, load_template, looks_like_template

    data, failure = read_bytes(path, rel)
    if failure:
        return None, failure
    failure = binary_failure(data, rel)
    if failure:
        return (None, failure) if named else (None, None)
    text, failure = decode(data, rel)
    if failure:
        return (None, failure) if named or looks_like_template(data.decode("utf-8", "replace")) else (None, None)
    if not named and not looks_like_template(text):
        return None, None
    try:
        root = load_template(text)
    except LoadError as exc:
        if named or looks_like_template(text):
            return None, ParseFailure(rel, exc.line, exc.column, exc.reason)
        return None, None
    if not isinstance(root.value, dict):
        if root.value is None or not (named or looks_like_template(text)):
            return None, None  # an empty file, or YAML that is not ours
        return None, ParseFailure(rel, root.line, root.column, f"a template must be a mapping at the top level (AWSTemplateFormatVersion, Resources, ...), not {_kind(root.value)}")
    if not is_template(root):
        # a file named like a template, with a Resources section we cannot read, is a broken
        # template (Resources: {} or resources without a Type); anything else is not ours
        if (named or looks_like_template(text)) and "Resources" in root.value:
            return None, _check_sections(root, rel)
        return None, None
    failure = _check_sections(root, rel)
    if failure:
        return None, failure
    return TemplateDocument(rel, root, scan(text)), None


def _kind(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return f"a {type(value).__name__} ({str(value)[:40]!r})" if not isinstance(value, bool) else "a boolean"


def _at(node: Node) -> tuple[int, int]:
    """Where a value's key is written (the value itself when it has no key)."""
    return (node.key_line or node.line, node.key_column or node.column)


def _check_sections(root: Node, rel: str) -> ParseFailure | None:
    """A template needs a Resources mapping; null optional sections are treated as empty."""
    resources = root.get("Resources")
    if resources is None:
        return ParseFailure(rel, 1, 1, "template has no Resources section (a template needs at least one resource)")
    if resources.value is None:
        return ParseFailure(rel, resources.key_line or resources.line, resources.key_column or 1, "Resources is null: a template needs at least one resource")
    if not isinstance(resources.value, dict):
        return ParseFailure(rel, *_at(resources), f"Resources must be a mapping of logical IDs to resources, not {_kind(resources.value)}")
    if not resources.value:
        return ParseFailure(rel, *_at(resources), "Resources is empty: a template needs at least one resource")
    for logical_id, resource in resources.value.items():
        if not isinstance(resource.value, dict):
            return ParseFailure(rel, *_at(resource), f"resource {logical_id} must be a mapping with a Type (and Properties), not {_kind(resource.value)}")
        rtype = resource.get("Type")
        if rtype is None:
            return ParseFailure(rel, *_at(resource), f"resource {logical_id} has no Type")
        if not isinstance(rtype.value, str) or not rtype.value.strip():
            return ParseFailure(rel, *_at(rtype), f"the Type of resource {logical_id} must be a resource type name such as AWS::Lambda::Function, not {_kind(rtype.value)}")
        props = resource.get("Properties")
        if props is not None and props.value is not None and not isinstance(props.value, dict):
            return ParseFailure(rel, *_at(props), f"the Properties of resource {logical_id} must be a mapping, not {_kind(props.value)}")
    for name in OPTIONAL_SECTIONS:
        node = root.get(name)
        if node is not None and node.value is None:
            node.value = {}
    return None
