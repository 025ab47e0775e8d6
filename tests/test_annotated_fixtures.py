"""Line-precise expectations written in the fixtures themselves (as semgrep does):
``# expect: LL101`` above a line means that line must be reported for LL101; ``# ok: LL101``
means it must not. Whole projects (template + handler) are checked the same way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import check_json

FIXTURES = Path(__file__).parent / "fixtures"
# multi-module code packages: wrappers, helper modules, classes, frameworks, layers (issue #13)
PACKAGES = sorted(p for p in (FIXTURES / "packages").iterdir() if p.is_dir())
TARGETS = [FIXTURES / "handlers", FIXTURES / "projects" / "snapstart-sam", FIXTURES / "projects" / "snapstart-tf", *PACKAGES]
ANNOTATION = re.compile(r"#\s*(expect|ok):\s*(LL\d{3}(?:\s*,\s*LL\d{3})*)")


def annotations(root: Path) -> tuple[set, set]:
    expect, ok = set(), set()
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text().splitlines()
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(lines, start=1):
            match = ANNOTATION.search(line)
            if not match or not line.strip().startswith("#"):
                continue
            target = number + 1  # the next line that is not itself a comment
            while target <= len(lines) and lines[target - 1].strip().startswith("#"):
                target += 1
            for rule in re.split(r"\s*,\s*", match.group(2)):
                (expect if match.group(1) == "expect" else ok).add((rel, target, rule))
    return expect, ok


@pytest.mark.parametrize("root", TARGETS, ids=lambda p: p.name)
def test_annotations_hold(root):
    expect, ok = annotations(root)
    assert expect, "fixture without expectations"
    report = check_json(root, "--select", "LL1")
    found = {(f["path"], f["line"], f["rule"]) for f in report["findings"]}
    found_here = {f for f in found if f[2].startswith("LL1")}  # every code finding must be annotated
    assert expect - found_here == set(), "expected findings missing"
    assert found_here & ok == set(), "findings on lines marked ok"
    assert found_here - expect == set(), "findings not annotated with # expect"


def test_snapstart_level_follows_the_template():
    report = check_json(TARGETS[1], "--select", "LL110")
    assert {f["level"] for f in report["findings"]} == {"error"}
    report = check_json(TARGETS[0], "--select", "LL110")
    assert report["findings"] == []  # no SnapStart: nothing to clone


def test_snapstart_declared_for_a_file_in_config(tmp_path):
    from .conftest import write_files

    write_files(tmp_path, {"svc/app.py": "import uuid\n\nID = uuid.uuid4()\n\n\ndef lambda_handler(event, context):\n    return ID\n"})
    assert check_json(tmp_path, "--select", "LL110")["findings"] == []
    (tmp_path / ".lambdalint.toml").write_text('snapstart-files = ["svc/*.py"]\n')
    (finding,) = check_json(tmp_path, "--select", "LL110")["findings"]
    assert (finding["path"], finding["line"], finding["level"]) == ("svc/app.py", 3, "error")
