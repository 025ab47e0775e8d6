"""JSON output. The schema (``schema_version`` 1) is documented in docs/json-format.md and is stable."""

from __future__ import annotations

import json
from collections import Counter

from .. import __version__
from ..findings import Finding, fingerprint

SCHEMA_VERSION = 1


def fix_dict(fix) -> dict | None:
    """A fix (``fix.model.Fix``) as JSON: edits carry byte offsets into the file as stored."""
    if fix is None or not hasattr(fix, "edits"):
        return None
    return {
        "applicability": fix.applicability,
        "description": fix.description,
        "reveals": list(fix.reveals),
        "edits": [{"path": fix.path, "start_byte": e.byte_start, "end_byte": e.byte_end, "content": e.replacement} for e in fix.edits],
    }


def finding_dict(f: Finding, rules: dict, fix=None) -> dict:
    loc = f.location
    rule = rules.get(f.rule_id)
    return {
        "rule": f.rule_id,
        "name": rule.name if rule else "",
        "level": f.level,
        "message": f.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "related": [
            {"path": r.location.path, "line": r.location.line, "column": r.location.column, "message": r.message} for r in f.related
        ],
        "subject": f.subject,
        "fingerprint": fingerprint(f),
        "suppressed": f.suppression,
        "fix": fix_dict(fix),
        "fix_unavailable": getattr(fix, "reason", None),
    }


def _root_of(path: str, roots: list[str]) -> str:
    for root in sorted(roots, key=len, reverse=True):
        if root in (".", "") or path == root or path.startswith(root.rstrip("/") + "/"):
            return root
    return "."


def summary(result) -> dict:
    by_root: dict[str, dict] = {}
    for root in result.roots:
        by_root.setdefault(root, {"findings": 0, "by_rule": {}})
    for f in result.findings:
        entry = by_root.setdefault(_root_of(f.location.path, result.roots), {"findings": 0, "by_rule": {}})
        entry["findings"] += 1
        entry["by_rule"][f.rule_id] = entry["by_rule"].get(f.rule_id, 0) + 1
    for entry in by_root.values():
        entry["by_rule"] = dict(sorted(entry["by_rule"].items()))
    return {
        "files": len(result.files),
        "findings": len(result.findings),
        "suppressed": len(result.suppressed),
        "by_level": {level: sum(1 for f in result.findings if f.level == level) for level in ("error", "warning", "note")},
        "by_rule": dict(sorted(Counter(f.rule_id for f in result.findings).items())),
        "by_path": dict(sorted(by_root.items())),
        "baseline": None if result.baseline is None else {"matched": result.baseline[0], "fixed": result.baseline[1]},
    }


def render_json(result) -> str:
    payload = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "lambdalint", "version": __version__},
        "findings": [finding_dict(f, result.rules, result.fixes.get(f)) for f in result.findings],
        "suppressed": [finding_dict(f, result.rules) for f in result.suppressed],
        "notices": [{"path": n.path, "line": n.line, "level": n.level, "message": n.message} for n in result.notices],
        "summary": summary(result),
    }
    return json.dumps(payload, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
