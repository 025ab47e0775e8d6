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
    if not is_template(root):
        return None, None
    failure = _check_sections(root, rel)
    if failure:
        return None, failure
    return TemplateDocument(rel, root, scan(text)), None


def _check_sections(root: Node, rel: str) -> ParseFailure | None:
    """A template needs a Resources mapping; null optional sections are treated as empty."""
    resources = root.get("Resources")
    if resources is None:
        return ParseFailure(rel, 1, 1, "template has no Resources section (a template needs at least one resource)")
    if resources.value is None:
        return ParseFailure(rel, resources.key_line or resources.line, resources.key_column or 1, "Resources is null: a template needs at least one resource")
    if not isinstance(resources.value, dict):
        return ParseFailure(rel, resources.line, resources.column, "Resources must be a mapping of logical IDs to resources")
    for name in OPTIONAL_SECTIONS:
        node = root.get(name)
        if node is not None and node.value is None:
            node.value = {}
    return None
