"""Terraform ``.tf`` and ``.tf.json`` files as located blocks."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import ParseFailure
from ..suppress_comments import InlineSuppression, scan_hcl
from .nodes import Block, LoadError
from .source import read_text


@dataclass
class TerraformDocument:
    path: str
    blocks: list[Block]
    suppressions: tuple[InlineSuppression, ...]


def parse_tf(path: str, rel: str) -> tuple[TerraformDocument | None, ParseFailure | None]:
    text, failure = read_text(path, rel)
    if failure:
        return None, failure
    try:
        if rel.endswith(".json"):  # .tf.json, .tfvars.json: Terraform's JSON syntax
            from .terraform_json import parse_terraform_json

            blocks = parse_terraform_json(text, variables_file=rel.endswith(".tfvars.json"))
            failure = _check_labels(blocks, rel)
            return (None, failure) if failure else (TerraformDocument(rel, blocks, ()), None)
        from .hcl import parse_terraform

        blocks = parse_terraform(text)
    except LoadError as exc:
        # the parser's reasons already say what failed ("Terraform syntax error: ...")
        return None, ParseFailure(rel, exc.line, exc.column, exc.reason)
    failure = _check_labels(blocks, rel)
    if failure:
        return None, failure
    return TerraformDocument(rel, blocks, scan_hcl(text)), None


# block type -> the labels it needs, and how they are written
_LABELS = {
    "resource": (2, 'resource "TYPE" "NAME"'),
    "data": (2, 'data "TYPE" "NAME"'),
    "module": (1, 'module "NAME"'),
    "variable": (1, 'variable "NAME"'),
    "output": (1, 'output "NAME"'),
}


def _check_labels(blocks: list[Block], rel: str) -> ParseFailure | None:
    """Terraform rejects a top-level block with the wrong number of labels (``resource "x" {``)."""
    for block in blocks:
        expected = _LABELS.get(block.type)
        if expected is None or len(block.labels) == expected[0]:
            continue
        count, form = expected
        got = len(block.labels)
        return ParseFailure(
            rel,
            block.line,
            block.column,
            f"a {block.type} block needs {count} label{'s' if count > 1 else ''} ({form} {{ ... }}), this one has {got}",
        )
    return None
