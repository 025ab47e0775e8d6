"""JSON output. The schema (``schema_version`` 1) is documented in docs/json-format.md and is stable."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterator

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


def finding_dict(f: Finding, rules: dict, base: str = "", fix=None) -> dict:
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
            {"path": r.location.path, "line": r.location.line, "column": r.location.column, "end_line": r.location.end_line, "end_column": r.location.end_column, "message": r.message}
            for r in f.related
        ],
        "subject": f.subject,
        "fingerprint": fingerprint(f, base),
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
    out = {
        "files": len(result.files),
        "findings": len(result.findings),
        "suppressed": len(result.suppressed),
        "by_level": {level: sum(1 for f in result.findings if f.level == level) for level in ("error", "warning", "note")},
        "by_rule": dict(sorted(Counter(f.rule_id for f in result.findings).items())),
        "by_path": dict(sorted(by_root.items())),
        "baseline": None if result.baseline is None else {"matched": result.baseline[0], "fixed": result.baseline[1]},
    }
    coverage = getattr(result, "coverage", None)
    if coverage is not None:
        out["functions"] = {"found": coverage.functions, "linked": coverage.linked, "by_kind": dict(coverage.by_kind)}
        out["inputs"] = {"templates": coverage.templates, "terraform_roots": coverage.terraform_roots, "skipped": coverage.skipped}
    return out


def config_dict(result) -> dict:
    """What makes two runs comparable: the rules that ran and a fingerprint of every setting that
    changes findings (``lambdalint merge`` refuses shards whose fingerprints differ)."""
    import dataclasses
    import hashlib

    settings = result.settings
    values = {} if settings is None else {k: v for k, v in dataclasses.asdict(settings).items() if k not in ("source", "fail_on")}
    values["enabled"] = sorted(result.enabled)
    values["strict_suppressions"] = result.strict_suppressions
    values["baseline"] = result.baseline is not None
    # sets (explicit_rules) are written sorted: repr() of a set follows the per-process string
    # hash order, so the same configuration would fingerprint differently from run to run
    text = json.dumps(values, sort_keys=True, default=lambda v: sorted(v) if isinstance(v, (set, frozenset)) else repr(v))
    return {"fingerprint": hashlib.sha256(text.encode("utf-8")).hexdigest()[:32], "rules": sorted(result.enabled)}


MAX_LINE = 300  # characters of a source line kept for the HTML report


def source_lines(result) -> dict:
    """The text of each line a finding points at, {path: {line: text}}, so a report rendered
    later (``lambdalint merge --format html``) can show the code without the files."""
    wanted: dict[str, set[int]] = {}
    for f in list(result.findings) + list(result.suppressed):
        wanted.setdefault(f.location.path, set()).add(f.location.line)
    out: dict[str, dict] = {}
    for path in sorted(wanted):
        try:
            with open(result.root / path, "rb") as handle:
                text = handle.read(4 * 1024 * 1024).decode("utf-8", errors="replace")
        except (OSError, TypeError):
            continue
        # numbered the way parsers number lines: only \n (and \r\n, \r) end a line
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        entries = {str(n): lines[n - 1].rstrip()[:MAX_LINE] for n in sorted(wanted[path]) if 0 < n <= len(lines)}
        if entries:
            out[path] = entries
    return out


def _fields(result) -> list[tuple[str, object]]:
    """The report's top-level fields in order; findings stay lazy (``_Each``)."""
    return [
        ("schema_version", SCHEMA_VERSION),
        ("tool", {"name": "lambdalint", "version": __version__}),
        ("config", config_dict(result)),
        ("findings", _Each(result.findings, result.rules, result.fingerprint_base, result.fixes)),
        ("suppressed", _Each(result.suppressed, result.rules, result.fingerprint_base, {})),
        ("notices", [{"path": n.path, "line": n.line, "level": n.level, "message": n.message} for n in result.notices]),
        ("functions", result.functions),
        ("source_lines", source_lines(result)),
        ("summary", summary(result)),
    ]


def payload(result) -> dict:
    """The whole report as one dict (the HTML report reads it)."""
    return {name: list(value.dicts()) if isinstance(value, _Each) else value for name, value in _fields(result)}


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def render_json(result) -> str:
    return "".join(iter_json(result))


def iter_json(result) -> Iterator[str]:
    """The report in pieces: the same text ``dumps(payload(result))`` gives, produced one
    finding at a time, so a sweep with tens of thousands of findings can be written out
    without holding every finding's dict (or the whole text) at once."""
    fields = _fields(result)
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

    def __init__(self, findings: list[Finding], rules: dict, base: str, fixes: dict):
        self.findings = findings
        self.rules = rules
        self.base = base
        self.fixes = fixes

    def dicts(self) -> Iterator[dict]:
        for f in self.findings:
            yield finding_dict(f, self.rules, self.base, self.fixes.get(f))

    def pieces(self) -> Iterator[str]:
        if not self.findings:
            yield "[]"
            return
        yield "[\n"
        last = len(self.findings) - 1
        for i, entry in enumerate(self.dicts()):
            yield "    " + _indented(entry, "    ") + (",\n" if i < last else "\n")
        yield "  ]"
