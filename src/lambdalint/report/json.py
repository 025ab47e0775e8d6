"""JSON output. The schema (``schema_version`` 1) is documented in docs/json-format.md and is stable."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterator

from .. import __version__
from ..findings import Finding, fingerprint

SCHEMA_VERSION = 1


def finding_dict(f: Finding, rules: dict) -> dict:
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
    return "".join(iter_json(result))


def iter_json(result) -> Iterator[str]:
    """The report in pieces: the same text json.dumps(payload, indent=2) gives, produced one
    finding at a time, so a sweep with tens of thousands of findings can be written out
    without holding every finding's dict (or the whole text) at once."""
    fields = [
        ("schema_version", SCHEMA_VERSION),
        ("tool", {"name": "lambdalint", "version": __version__}),
        ("findings", _Each(result.findings, result.rules)),
        ("suppressed", _Each(result.suppressed, result.rules)),
        ("notices", [{"path": n.path, "line": n.line, "level": n.level, "message": n.message} for n in result.notices]),
        ("summary", summary(result)),
    ]
    yield "{\n"
    for i, (name, value) in enumerate(fields):
        yield "  " + json.dumps(name) + ": "
        if isinstance(value, _Each):
            yield from value.pieces()
        else:
            yield _indented(value, "  ")
        yield ",\n" if i < len(fields) - 1 else "\n"
    yield "}\n"


def _indented(value, prefix: str) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + prefix)


class _Each:
    """A list of findings, encoded one by one."""

    def __init__(self, findings: list[Finding], rules: dict):
        self.findings = findings
        self.rules = rules

    def pieces(self) -> Iterator[str]:
        if not self.findings:
            yield "[]"
            return
        yield "[\n"
        last = len(self.findings) - 1
        for i, f in enumerate(self.findings):
            yield "    " + _indented(finding_dict(f, self.rules), "    ") + (",\n" if i < last else "\n")
        yield "  ]"
