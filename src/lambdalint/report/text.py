"""ruff-like text output: ``path:line:col: LL101 [warning] message``, then a summary."""

from __future__ import annotations

from collections import Counter


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def statistics_table(result) -> list[str]:
    # one row per rule and level actually reported (LL401 warns for some functions and notes
    # for others; the rule's default level would misstate both counts)
    counts = Counter((f.rule_id, f.level) for f in result.findings)
    lines = []
    for (rule_id, level), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = result.rules.get(rule_id)
        lines.append(f"{count:>6}  {rule_id}  {rule.name if rule else '':<34} [{level}]")
    levels = Counter(f.level for f in result.findings)
    if lines:
        lines.append("  by level: " + ", ".join(f"{levels.get(l, 0)} {l}" for l in ("error", "warning", "note")))
    return lines


def render_text(result, statistics: bool = False, show_suppressed: bool = False) -> str:
    lines = []
    shown = list(result.findings)
    if show_suppressed:
        shown = sorted(shown + list(result.suppressed), key=lambda f: f.sort_key())
    for f in shown:
        loc = f.location
        suffix = f"  (suppressed: {f.suppression})" if f.suppression else ""
        lines.append(f"{loc.path}:{loc.line}:{loc.column}: {f.rule_id} [{f.level}] {f.message}{suffix}")
        for r in f.related:
            lines.append(f"    {r.location.path}:{r.location.line}:{r.location.column}: {r.message}")
        fix = result.fixes.get(f)
        if fix is not None:  # only with --show-fixes
            lines.append(f"    fix ({fix.applicability}): {fix.description}" if hasattr(fix, "edits") else f"    no fix: {fix.reason}")
    for n in result.notices:
        where = f"{n.path}:{n.line}" if n.line else (n.path or "lambdalint")
        lines.append(f"{where}: notice: {n.message}")
    if statistics:
        if lines:
            lines.append("")
        lines.extend(statistics_table(result))
    levels = Counter(f.level for f in result.findings)
    parts = [_plural(levels[l], l) for l in ("error", "warning", "note") if levels.get(l)]
    total = len(result.findings)
    summary = f"Found {_plural(total, 'finding')}" + (f" ({', '.join(parts)})" if parts else "")
    summary += f" in {_plural(len(result.files), 'file')} checked."
    if result.suppressed:
        summary += f" {len(result.suppressed)} suppressed."
    if result.notices:
        summary += f" {_plural(len(result.notices), 'notice')}."
    if result.baseline is not None:
        matched, fixed = result.baseline
        summary += f" Baseline: {matched} known finding{'s' if matched != 1 else ''} hidden, {fixed} fixed since it was recorded."
    if lines:
        lines.append("")
    lines.append(summary)
    if getattr(result, "coverage", None) is not None:
        lines.append(result.coverage.summary_line())  # what was looked at: silence is not health
    return "\n".join(lines) + "\n"
