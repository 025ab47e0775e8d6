"""Terraform ``.tf`` files as located blocks."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import ParseFailure
from ..suppress_comments import InlineSuppression, scan
from .nodes import Block, LoadError
from .source import binary_failure, decode, read_bytes


@dataclass
class TerraformDocument:
    path: str
    blocks: list[Block]
    suppressions: tuple[InlineSuppression, ...]


def parse_tf(path: str, rel: str) -> tuple[TerraformDocument | None, ParseFailure | None]:
    data, failure = read_bytes(path, rel)
    if failure:
        return None, failure
    failure = binary_failure(data, rel) or None
    if failure:
        return None, failure
    text, failure = decode(data, rel)
    if failure:
        return None, failure
    from .hcl import parse_terraform

    try:
        blocks = parse_terraform(text)
    except LoadError as exc:
        return None, ParseFailure(rel, exc.line, exc.column, f"Terraform syntax error: {exc.reason}")
    return TerraformDocument(rel, blocks, scan(text)), None
