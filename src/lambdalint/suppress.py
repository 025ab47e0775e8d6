"""Apply suppressions: config ``per-file-ignores``, inline comments, template ``Metadata``.

Inline-suppressed findings are kept (SARIF reports them with a ``suppressions`` entry); they
never silently vanish.
"""

from __future__ import annotations

import dataclasses
import fnmatch

from .findings import Finding
from .suppress_comments import InlineSuppression


def _matches(codes: tuple[str, ...], finding: Finding, rules: dict) -> bool:
    if not codes:
        return True
    rule = rules.get(finding.rule_id)
    names = {finding.rule_id, rule.name if rule else ""}
    return any(c.upper() == finding.rule_id or c in names for c in codes)


def _spans(document) -> list[tuple[int, int, tuple[str, ...] | None]]:
    """(first line, last line, Metadata ignore list) of each resource / top-level block."""
    out = []
    resources = getattr(document, "resources", None)
    if resources:
        for node in resources.values():
            first = node.key_line or node.line
            ignore = None
            meta = node.get("Metadata") if node.is_map else None
            ll = meta.get("lambdalint") if meta is not None and meta.is_map else None
            ig = ll.get("ignore") if ll is not None and ll.is_map else None
            if ig is not None and isinstance(ig.value, list):
                ignore = tuple(str(i.value) for i in ig.value if isinstance(i.value, str))
            out.append((first, node.end_line, ignore))
    for block in getattr(document, "blocks", []) or []:
        out.append((block.line, block.end_line, None))
    return out


def find_suppression(finding: Finding, document, rules: dict) -> InlineSuppression | str | None:
    comments: tuple[InlineSuppression, ...] = getattr(document, "suppressions", ()) or ()
    line = finding.location.line
    for s in comments:
        if (s.line == line or (s.own_line and s.line == line - 1)) and _matches(s.codes, finding, rules):
            return s
    for first, last, metadata_ignore in _spans(document):
        if not first <= line <= max(last, first):
            continue
        if metadata_ignore is not None and _matches(metadata_ignore, finding, rules):
            return "suppressed by the resource's Metadata.lambdalint.ignore"
        for s in comments:
            if (s.line == first or (s.own_line and s.line == first - 1)) and _matches(s.codes, finding, rules):
                return s
    return None


def apply_suppressions(findings: list[Finding], documents: dict, settings, rules: dict) -> tuple[list[Finding], list[Finding]]:
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        path = finding.location.path
        if any(fnmatch.fnmatch(path, glob) and _matches(codes, finding, rules) for glob, codes in settings.per_file_ignores.items()):
            continue
        document = documents.get(path)
        hit = find_suppression(finding, document, rules) if document is not None else None
        if hit is None:
            kept.append(finding)
            continue
        reason = hit if isinstance(hit, str) else (hit.reason or "suppressed by an inline lambdalint: ignore comment")
        suppressed.append(dataclasses.replace(finding, suppression=reason))
    return kept, suppressed
