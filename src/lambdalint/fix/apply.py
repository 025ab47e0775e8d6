"""Apply fixes: in a scratch copy, round after round, then write back (``--fix``) or diff (``--diff``).

Each round runs the whole check on the scratch copy, takes at most one fix per conflicting
place, applies it, and keeps it only when the file still parses and no new finding appears in
that file. Rounds stop when nothing changes (or after MAX_ROUNDS). The scanned tree is touched
only at the very end, and never by ``--diff``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..findings import Notice, fingerprint
from .model import Declined, Fix, apply_edits, overlaps
from .registry import SourceText, compute_fixes, read_source

MAX_ROUNDS = 50


@dataclass
class Outcome:
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # rel -> (before, after)
    sources: dict[str, SourceText] = field(default_factory=dict)  # rel -> original encoding/BOM
    applied: list[tuple[str, str, str]] = field(default_factory=list)  # (path, rule, description)
    declined: dict[str, str] = field(default_factory=dict)  # finding fingerprint -> why it is left alone
    dropped: list[Notice] = field(default_factory=list)  # fixes tried and undone
    rounds: int = 0
    root: Path | None = None  # the scanned tree the paths are relative to
    initial: list = field(default_factory=list)  # findings of the first (full) check
    reveals: dict[str, set[str]] = field(default_factory=dict)  # rel -> rules its fixes may uncover


def fix_paths(paths: list[str], settings, rules: dict, enabled: set[str], jobs: int, context: bool, unsafe: bool, run=None) -> Outcome:
    """Fix what can be fixed under ``paths``, in a scratch copy; the caller writes back or diffs."""
    from ..discover import discover, scan_root
    from ..engine import _repository_root
    from ..engine import run as engine_run

    run = run or engine_run
    explicit_files = bool(paths) and all(os.path.isfile(p) for p in paths)
    root = scan_root(paths)
    if context and explicit_files:
        root = _repository_root(Path(os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])))
    files, _ = discover([str(root)], root, settings.is_excluded if settings.exclude else None)
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="lambdalint-fix-") as scratch:
        scratch_root = Path(scratch)
        (scratch_root / ".git").mkdir()  # the copy is its own repository root, as the original is
        kinds = {}
        for f in files:
            target = scratch_root / f.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f.path, target)
            kinds[f.rel] = f
        scratch_paths = [str(scratch_root / Path(os.path.abspath(p)).relative_to(root)) for p in paths]
        _loop(scratch_paths, scratch_root, kinds, settings, rules, enabled, jobs, context, unsafe, run, outcome)
        if outcome.applied:
            _verify(scratch_paths, scratch_root, kinds, settings, rules, enabled, jobs, context, run, outcome)
        for rel in sorted(kinds):
            original = read_source(kinds[rel].path)
            fixed = read_source(str(scratch_root / rel))
            if original and fixed and original.text != fixed.text:
                outcome.changed[rel] = (original.text, fixed.text)
                outcome.sources[rel] = original
    outcome.root = root
    return outcome


def _verify(paths, root: Path, kinds: dict, settings, rules, enabled, jobs, context, run, outcome: Outcome) -> None:
    """One full check of the fixed copy against the first one: a file that gained a finding
    (other than those its fixes may reveal) goes back to its original text; a finding that
    appears in a file no fix touched cannot be pinned on one fix, so then every file goes back."""
    from collections import Counter

    result = run(paths, settings, rules, enabled, jobs=jobs, root=root, context=context)
    before = Counter(fingerprint(f) for f in outcome.initial)
    after = Counter(fingerprint(f) for f in result.findings)
    gained = [f for f in result.findings if after[fingerprint(f)] > before.get(fingerprint(f), 0)]
    gained = [f for f in gained if f.rule_id not in outcome.reveals.get(f.location.path, set())]
    if not gained:
        return
    changed = {rel for rel in kinds if _differs(kinds[rel].path, root / rel)}
    blamed = {f.location.path for f in gained}
    revert = changed if blamed - changed else blamed
    for rel in sorted(revert & changed):
        (root / rel).write_bytes(Path(kinds[rel].path).read_bytes())
        rules_added = ", ".join(sorted({f.rule_id for f in gained if f.location.path == rel})) or "elsewhere"
        outcome.dropped.append(Notice(rel, 0, f"fixes for this file not applied: together they would add a finding ({rules_added})", "warning"))
    outcome.applied = [a for a in outcome.applied if a[0] not in revert]


def _differs(a: str, b: Path) -> bool:
    try:
        return Path(a).read_bytes() != b.read_bytes()
    except OSError:
        return True


def explain_declined(outcome: Outcome, findings) -> list[Notice]:
    """Notes for the findings of fixable rules that --fix left in place, at their final location."""
    out = []
    for f in findings:
        reason = outcome.declined.get(fingerprint(f))
        if reason:
            out.append(Notice(f.location.path, f.location.line, f"{f.rule_id} not fixed: {reason}", "note"))
    return out


def _loop(paths, root: Path, kinds: dict, settings, rules, enabled, jobs, context, unsafe, run, outcome: Outcome) -> None:
    from ..documents.parse import parse_source

    banned: set[tuple[str, str]] = set()  # (rule, finding fingerprint) of fixes that were undone
    careful: set[str] = set()  # files where several fixes together added a finding: one per round
    first = True
    previous: dict[str, tuple[str, list]] = {}  # rel -> (text before this round, fixes applied)
    before_fps: dict[str, set[str]] = {}
    for round_number in range(MAX_ROUNDS):
        if round_number == 0:
            result = run(paths, settings, rules, enabled, jobs=jobs, root=root, context=context)
            outcome.initial = result.findings
        else:
            # Only the files changed last round can have new fixes or new findings: check just
            # them, with the rest of the tree as context (as pre-commit does). A full check after
            # the last round (verify) guards against what this narrower check cannot see.
            named = [str(root / rel) for rel in sorted(previous)]
            result = run(named, settings, rules, enabled, jobs=jobs, root=root, context=True)
        findings = result.findings
        by_path: dict[str, set[str]] = {}
        for f in findings:
            by_path.setdefault(f.location.path, set()).add(fingerprint(f))
        # undo a round's fixes in a file that now has a finding it did not have
        undone = False
        for rel, (text, applied) in previous.items():
            if text is None:
                continue
            revealed = {rule for _, fix in applied for rule in fix.reveals}
            new = by_path.get(rel, set()) - before_fps.get(rel, set())
            new -= {fingerprint(f) for f in findings if f.location.path == rel and f.rule_id in revealed}
            if not new:
                continue
            source = read_source(str(root / rel))
            (root / rel).write_bytes(source.encode(text) if source else text.encode("utf-8"))
            undone = True
            for finding, fix in applied:  # the round's entries for this file, once each
                entry = (rel, finding.rule_id, fix.description)
                if entry in outcome.applied:
                    outcome.applied.reverse()
                    outcome.applied.remove(entry)
                    outcome.applied.reverse()
            if len(applied) > 1:
                careful.add(rel)
            else:
                finding, fix = applied[0]
                banned.add((finding.rule_id, fingerprint(finding)))
                added = sorted(f.rule_id for f in findings if f.location.path == rel and fingerprint(f) in new)
                outcome.dropped.append(Notice(rel, finding.location.line, f"{finding.rule_id} fix not applied: it would add a new finding ({', '.join(added)})", "note"))
        if undone:
            previous = {rel: (None, []) for rel in previous}  # recheck them all, judge nothing
            continue
        offered = compute_fixes(findings, root)
        if first:
            first = False
            for finding, fix in offered.items():
                if isinstance(fix, Declined):
                    outcome.declined[fingerprint(finding)] = fix.reason
                elif not fix.applies(unsafe):
                    why = "the fix is display-only" if fix.applicability == "display-only" else "the fix is unsafe (--unsafe-fixes applies it)"
                    outcome.declined[fingerprint(finding)] = f"{why}: {fix.description}"
        chosen: dict[str, list] = {}
        for finding in sorted(offered, key=lambda f: f.sort_key()):
            fix = offered[finding]
            if not isinstance(fix, Fix) or not fix.applies(unsafe) or (finding.rule_id, fingerprint(finding)) in banned:
                continue
            taken = chosen.setdefault(fix.path, [])
            if fix.path in careful and taken:
                continue
            if any(overlaps(fix, other) for _, other in taken):
                continue
            taken.append((finding, fix))
        if not chosen:
            return
        outcome.rounds = round_number + 1
        previous = {}
        before_fps = by_path
        progressed = False
        for rel, applied in sorted(chosen.items()):
            path = root / rel
            source = read_source(str(path))
            if source is None:
                continue
            kept = []
            text = source.text
            edits: list = []  # every fix of the round was computed on the round's text
            for finding, fix in applied:  # one at a time, so a fix that breaks the file is the one dropped
                candidate = apply_edits(source.text, edits + list(fix.edits))
                path.write_bytes(source.encode(candidate))
                parsed = parse_source(replace(kinds[rel], path=str(path)))
                if parsed.failure is not None or parsed.document is None:
                    banned.add((finding.rule_id, fingerprint(finding)))
                    outcome.dropped.append(Notice(rel, finding.location.line, f"{finding.rule_id} fix not applied: the result would not parse", "warning"))
                    path.write_bytes(source.encode(text))
                    continue
                text = candidate
                edits.extend(fix.edits)
                kept.append((finding, fix))
                outcome.applied.append((rel, finding.rule_id, fix.description))
                outcome.reveals.setdefault(rel, set()).update(fix.reveals)
            if kept:
                previous[rel] = (source.text, kept)
                progressed = True
            elif len(kept) < len(applied):  # all dropped: the file's other fixes get their turn
                previous[rel] = (None, [])
                progressed = True
        if not progressed:
            return


def write_back(outcome: Outcome) -> None:
    for rel, (_, after) in sorted(outcome.changed.items()):
        target = Path(outcome.root) / rel
        source = outcome.sources[rel]
        # write next to the file, then replace: an interrupted run never leaves half a file
        fd, temp = tempfile.mkstemp(dir=str(target.parent), prefix=f".{target.name}.", suffix=".lambdalint")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(source.encode(after))
            shutil.copymode(target, temp)
            os.replace(temp, target)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise


def unified_diff(outcome: Outcome) -> str:
    import difflib

    out = []
    for rel, (before, after) in sorted(outcome.changed.items()):
        out.extend(
            difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{rel}", tofile=f"b/{rel}"
            )
        )
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)
