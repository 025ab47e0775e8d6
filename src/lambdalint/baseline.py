"""Baselines: record today's findings so only new ones block a pull request.

Entries are matched by fingerprint (rule, file, subject, message without positions), never
by line, so code that merely moved still matches. Identical findings are counted, not merged:
a second identical violation in the same function is new.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .findings import Finding, fingerprint

FORMAT_VERSION = 1


class BaselineError(Exception):
    pass


def write_baseline(findings: list[Finding], path: Path, base: str = "") -> int:
    entries = sorted(
        ({"fingerprint": fingerprint(f, base), "rule": f.rule_id, "path": f.location.path, "subject": f.subject, "message": f.message} for f in findings),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"], e["message"]),
    )
    payload = {"lambdalint_baseline": FORMAT_VERSION, "findings": entries}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def read_baseline(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a lambdalint baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("lambdalint_baseline") != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a lambdalint baseline (expected lambdalint_baseline: {FORMAT_VERSION})")
    known: Counter = Counter()
    for number, entry in enumerate(data["findings"], start=1):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            # a damaged entry would make its finding "new" again without a word
            raise BaselineError(f"{path}: entry {number} of findings has no fingerprint; re-create the baseline with `lambdalint baseline`")
        known[value] += 1
    return known


def split_new(findings: list[Finding], known: Counter, base: str = "") -> tuple[list[Finding], int, int]:
    """(new findings, how many matched the baseline, how many baseline entries are now fixed)."""
    remaining = Counter(known)
    new: list[Finding] = []
    matched = 0
    for finding in findings:
        key = fingerprint(finding, base)
        if remaining[key] > 0:
            remaining[key] -= 1
            matched += 1
        else:
            new.append(finding)
    return new, matched, sum(remaining.values())
