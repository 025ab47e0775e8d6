"""Every fixable rule's examples carry the expected fixed text; for each one the real CLI must:
apply the fix, leave files that parse, silence the rule, add no other finding, and change
nothing on a second run (as Fixit checks its rules' autofix examples)."""

from __future__ import annotations

import ast

import pytest

from lambdalint.fix.registry import FIXERS
from lambdalint.rules.registry import load_rules

from .conftest import check_json, run_cli, write_files

RULES = load_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.id}-fix-{i}-{example.title or 'example'}")
    for rule in RULES.values()
    for i, example in enumerate(rule.must_fire)
    if example.fixed is not None
]


def _fingerprints(report, without_rule=None):
    return {f["fingerprint"] for f in report["findings"] if f["rule"] != without_rule}


def _apply_shown_edits(root, report, rule_id):
    """What a user does with a display-only fix: apply the edits the JSON report shows."""
    edits: dict[str, list] = {}
    for f in report["findings"]:
        if f["rule"] == rule_id:
            assert f["fix"] and f["fix"]["applicability"] == "display-only", f
            for e in f["fix"]["edits"]:
                edits.setdefault(e["path"], []).append(e)
    for rel, changes in edits.items():
        data = (root / rel).read_bytes()
        for e in sorted(changes, key=lambda e: (e["start_byte"], e["end_byte"]), reverse=True):
            data = data[: e["start_byte"]] + e["content"].encode("utf-8") + data[e["end_byte"] :]
        (root / rel).write_bytes(data)


@pytest.mark.parametrize("rule,example", CASES)
def test_fix_example(tmp_path, rule, example):
    write_files(tmp_path, example.files)
    before = check_json(tmp_path, "--show-fixes")
    # rules the fix may uncover (documented on the rule page), not cause
    revealed = {r for f in before["findings"] if f["rule"] == rule.id and f["fix"] for r in f["fix"]["reveals"]}
    flags = ["--unsafe-fixes"] if example.unsafe_fix else []
    if example.unsafe_fix or example.display_only_fix:  # without --unsafe-fixes nothing changes
        code, out = run_cli(["check", ".", "--diff", "-q", "--select", rule.id], cwd=tmp_path)
        assert code == 0 and out == "", out
    if example.display_only_fix:  # never applied, not even with --unsafe-fixes
        code, out = run_cli(["check", ".", "--diff", "-q", "--unsafe-fixes", "--select", rule.id], cwd=tmp_path)
        assert code == 0 and out == "", out
        _apply_shown_edits(tmp_path, before, rule.id)
    else:
        run_cli(["check", ".", "--fix", "--fail-on", "never", "--select", rule.id, *flags], cwd=tmp_path)
    for rel, expected in example.fixed.items():
        text = (tmp_path / rel).read_text(encoding="utf-8")
        assert text == expected, f"{rel} after --fix:\n{text}"
        if rel.endswith(".py"):
            ast.parse(text)
    after = check_json(tmp_path)
    assert rule.id not in {f["rule"] for f in after["findings"]}, after["findings"]
    added = [f for f in after["findings"] if f["fingerprint"] not in _fingerprints(before, rule.id) and f["rule"] not in revealed]
    assert not added, f"the fix added a finding: {added}"
    code, out = run_cli(["check", ".", "--diff", "-q", "--select", rule.id, *flags], cwd=tmp_path)
    assert code == 0 and out == "", f"a second fix would change:\n{out}"


def test_every_fixable_rule_shows_its_fix_and_explains_its_safety():
    for rule_id in FIXERS:
        if rule_id not in RULES:
            continue  # a fixer may ship before its rule (or its rule may be selected out)
        rule = RULES[rule_id]
        assert any(e.fixed is not None for e in rule.must_fire), f"{rule_id} has no example with the fixed text"
        assert "## Fix safety" in rule.docs, f"{rule_id} docs do not say when its fix is safe"
