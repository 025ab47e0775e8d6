"""Every rule's embedded examples run as tests (as Fixit does): must-fire examples produce the
rule's finding, must-not-fire examples produce none.

Must-fire examples are line-precise, as the annotated fixtures are: ``# expect: LL406`` at the
end of a line (YAML, HCL, Python; ``// expect: LL101`` in JavaScript, TypeScript and Java) means
that line must be reported, and a comment-only line ``# expect: LL406`` means the next line that
is not a comment. Every must-fire example carries them for its rule and must produce exactly
those lines; a must-not-fire example carries none (``unmarked()`` strips them from a shared
template)."""

from __future__ import annotations

import re

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
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(LL\d{3}(?:\s*,\s*LL\d{3})*)")
COMMENT = ("#", "//")


def expected_lines(files: dict[str, str], rule_id: str) -> set[tuple[str, int]]:
    """(path, line) of every ``# expect:`` annotation naming ``rule_id``."""
    out = set()
    for path, text in files.items():
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            match = EXPECT.search(line)
            if not match or rule_id not in re.split(r"\s*,\s*", match.group(1)):
                continue
            target = number
            if line.strip().startswith(COMMENT):  # a comment line annotates the next code line
                target += 1
                while target <= len(lines) and lines[target - 1].strip().startswith(COMMENT):
                    target += 1
            out.add((path, target))
    return out


@pytest.mark.parametrize("rule,example,expected", CASES)
def test_rule_example(tmp_path, rule, example, expected):
    write_files(tmp_path, example.files)
    report = check_json(tmp_path)  # all rules on, as users run it; only this rule is judged
    hits = [f for f in report["findings"] if f["rule"] == rule.id]
    if expected:
        assert hits, f"{rule.id} should fire on example {example.title!r}"
        wanted = expected_lines(example.files, rule.id)
        assert wanted, f"{rule.id} example {example.title!r}: mark each line it must report with an expect comment"
        assert {(f["path"], f["line"]) for f in hits} == wanted, f"{rule.id}: lines differ from the expect comments"
    else:
        assert not hits, f"{rule.id} fired on must-not-fire example {example.title!r}: {hits}"
        assert not expected_lines(example.files, rule.id), "a must-not-fire example with # expect comments"


def test_expect_comments_are_read_like_the_annotated_fixtures():
    files = {"a.yaml": "x: 1  # expect: LL406\n# expect: LL407, LL406\n# more\ny: 2\n", "b.tf": "z = 1\n"}
    assert expected_lines(files, "LL406") == {("a.yaml", 1), ("a.yaml", 4)}
    assert expected_lines(files, "LL407") == {("a.yaml", 4)}
    assert expected_lines(files, "LL101") == set()
    java = {"App.java": "class App {\n  // expect: LL102\n  // why\n  Connection c = open();\n  S3Client s3 = build();  // expect: LL101\n}\n"}
    assert expected_lines(java, "LL102") == {("App.java", 4)}
    assert expected_lines(java, "LL101") == {("App.java", 5)}
