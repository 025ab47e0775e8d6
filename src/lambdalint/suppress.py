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


def find_suppression(finding: Finding, document, rules: dict, spans: list | None = None) -> InlineSuppression | str | None:
    comments: tuple[InlineSuppression, ...] = getattr(document, "suppressions", ()) or ()
    line = finding.location.line
    for s in comments:
        if (s.line == line or (s.own_line and s.line == line - 1)) and _matches(s.codes, finding, rules):
            return s
    for first, last, metadata_ignore in _spans(document) if spans is None else spans:
        if not first <= line <= max(last, first):
            continue
        if metadata_ignore is not None and _matches(metadata_ignore, finding, rules):
            return "suppressed by the resource's Metadata.lambdalint.ignore"
        for s in comments:
            if (s.line == first or (s.own_line and s.line == first - 1)) and _matches(s.codes, finding, rules):
                return s
    return None


def apply_suppressions(findings: list[Finding], documents: dict, settings, rules: dict) -> tuple[list[Finding], list[Finding], set]:
    """(kept, suppressed, used comments as (path, line)) for the findings of one run."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: set[tuple[str, int]] = set()
    spans_by_path: dict[str, list] = {}
    for finding in findings:
        path = finding.location.path
        if any(fnmatch.fnmatch(path, glob) and _matches(codes, finding, rules) for glob, codes in settings.per_file_ignores.items()):
            continue
        document = documents.get(path)
        if document is not None and path not in spans_by_path:
            spans_by_path[path] = _spans(document)  # once per file, not once per finding
        hit = find_suppression(finding, document, rules, spans_by_path.get(path)) if document is not None else None
        if hit is None:
            kept.append(finding)
            continue
        if not isinstance(hit, str):
            used.add((path, hit.line))
        reason = hit if isinstance(hit, str) else (hit.reason or "suppressed by an inline lambdalint: ignore comment")
        suppressed.append(dataclasses.replace(finding, suppression=reason))
    return kept, suppressed, used


def unused_suppressions(documents: dict, used: set, enabled: set[str], rules: dict, strict: bool) -> list[Finding]:
    """LL003: ignore comments that silenced nothing in this run (only judged when every rule
    they name is enabled, since a disabled rule cannot prove the comment stale), and, with
    ``--strict-suppressions``, bare ignores that name no rule."""
    from .findings import Location

    by_name = {r.name: r.id for r in rules.values()}
    out = []
    for path in sorted(documents):
        for comment in getattr(documents[path], "suppressions", ()) or ():
            location = Location(path, comment.line, 1)
            if not comment.codes:
                if strict:
                    out.append(Finding("LL003", rules["LL003"].level, "bare `lambdalint: ignore` silences every rule on this line; name the rules, e.g. ignore[LL101]", location, subject=f"{path}:bare"))
                if (path, comment.line) not in used and enabled >= set(rules) - {"LL003"}:
                    out.append(Finding("LL003", rules["LL003"].level, "unused suppression: this `lambdalint: ignore` comment silences nothing; remove it", location, subject=f"{path}:unused"))
                continue
            ids = [by_name.get(c, c.upper()) for c in comment.codes]
            unknown = [c for c, i in zip(comment.codes, ids) if i not in rules]
            if unknown:
                out.append(Finding("LL003", rules["LL003"].level, f"suppression names unknown rule(s) {', '.join(unknown)}", location, subject=f"{path}:unknown"))
                continue
            if (path, comment.line) in used or not set(ids) <= enabled:
                continue
            out.append(Finding("LL003", rules["LL003"].level, f"unused suppression: nothing here is reported for {', '.join(comment.codes)}; remove the comment", location, subject=f"{path}:{','.join(ids)}"))
    return out
