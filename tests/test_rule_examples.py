"""Every rule's embedded examples run as tests (as Fixit does): must-fire examples produce the
rule's finding, must-not-fire examples produce none."""

from __future__ import annotations

import pytest

from lambdalint.rules.registry import load_rules

from .conftest import check_json, write_files

RULES = load_rules()
CASES = [
    pytest.param(rule, example, expected, id=f"{rule.id}-{'fire' if expected else 'quiet'}-{i}-{example.title or 'example'}")
    for rule in RULES.values()
    for expected, examples in ((True, rule.must_fire), (False, rule.must_not_fire))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("rule,example,expected", CASES)
def test_rule_example(tmp_path, rule, example, expected):
    write_files(tmp_path, example.files)
    report = check_json(tmp_path)  # all rules on, as users run it; only this rule is judged
    hits = [f for f in report["findings"] if f["rule"] == rule.id]
    if expected:
        assert hits, f"{rule.id} should fire on example {example.title!r}"
    else:
        assert not hits, f"{rule.id} fired on must-not-fire example {example.title!r}: {hits}"
