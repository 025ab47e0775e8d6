"""Format parity: one small app written as SAM, CloudFormation YAML, CloudFormation JSON and
Terraform must produce the same findings, and the bundled examples must show their findings.

Fixture: tests/fixtures/projects/parity/<format>/ with handler code in src/<function>/app.py.
Each format is scanned with the parity directory as the scan root, so reported paths look like
``sam/src/images/app.py`` (a root at the repository would put ``tests/`` in every path, and
discovery skips Python files under test directories).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.engine import build_project, parse_all, run
from lambdalint.rules.registry import load_rules

REPO = Path(__file__).resolve().parent.parent
PARITY = REPO / "tests" / "fixtures" / "projects" / "parity"
EXAMPLES = REPO / "examples"
FORMATS = ("sam", "cfn-yaml", "cfn-json", "terraform")
FUNCTIONS = {"orders", "reports", "images", "health", "search"}

# Orders: provisioned concurrency on $LATEST. Reports: memory never set. Images: S3 client built
# in a helper the handler calls. Health: clean. Search: memory from an input without a default
# (unknown, so silent) and an lru_cache client factory (silent).
EXPECTED = {
    ("LL201", "orders"),
    ("LL302", "reports"),
    ("LL101", "images"),
    # the operational rules hold for every function of this small app: no alarms, no
    # reservation (a warning for orders, whose handler uses pymysql), no active tracing
    *{(rule, fn) for rule in ("LL401", "LL402", "LL405") for fn in FUNCTIONS},
}


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def scan(fmt: str):
    rules = load_rules()
    result = run([str(PARITY / fmt)], Settings(), rules, set(rules), root=PARITY)
    files, _ = discover([str(PARITY / fmt)], PARITY)
    project = build_project(parse_all(files, 1), PARITY, Settings())
    return result, project


def function_of(finding, project) -> str:
    """The normalized name of the function a finding is about."""
    path = finding.location.path
    if path.endswith(".py"):
        # code findings carry the module path: <format>/src/<function>/app.py
        parts = path.split("/")
        assert "src" in parts, path
        return norm(parts[parts.index("src") + 1])
    for function in project.functions:
        addresses = {function.address} | {pc.address for pc in function.provisioned}
        if finding.subject in addresses:
            return norm(function.name)
    raise AssertionError(f"cannot map {finding.rule_id} at {finding.location} (subject {finding.subject!r}) to a function")


@pytest.mark.parametrize("fmt", FORMATS)
def test_fixture_declares_the_same_functions(fmt):
    _, project = scan(fmt)
    assert {norm(f.name) for f in project.functions} == FUNCTIONS


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_findings_in_every_format(fmt):
    result, project = scan(fmt)
    assert not result.rule_errors
    assert not [f for f in result.findings if f.rule_id == "LL001"], "fixture must parse"
    got = {(f.rule_id, function_of(f, project)) for f in result.findings}
    assert got == EXPECTED
    # one finding per (rule, function): no duplicates hidden by the set
    assert len(result.findings) == len(EXPECTED)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_function_links_to_its_handler(fmt):
    """Each function's Handler + code location resolves to src/<name>/app.py, so code rules
    run on it as that function's handler (not only by naming convention)."""
    _, project = scan(fmt)
    linked = {norm(f.name): f.handler_module for f in project.functions}
    expected = {name: f"{fmt}/src/{name}/app.py" for name in FUNCTIONS}
    assert linked == expected


def test_examples_show_their_findings():
    proc = subprocess.run(
        [sys.executable, "-m", "lambdalint", "check", "examples/", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    rules = {f["rule"] for f in report["findings"]}
    assert {"LL101", "LL201", "LL401", "LL002"} <= rules
    assert not rules & {"LL001", "LL302", "LL402", "LL405"}  # opt-in rules stay out of a default run
    promised = re.search(r"You should get (\d+) findings", (REPO / "examples" / "README.md").read_text(encoding="utf-8"))
    assert promised and int(promised.group(1)) == len(report["findings"]), "examples/README.md promises another count"
    by_place = {(f["rule"], f["path"]) for f in report["findings"]}
    # the SAM half and the Terraform half each demonstrate their share
    assert ("LL101", "examples/sam-app/src/report/app.py") in by_place
    assert ("LL201", "examples/sam-app/template.yaml") in by_place
    assert ("LL401", "examples/sam-app/template.yaml") in by_place
    assert ("LL002", "examples/sam-app/template.yaml") in by_place
    assert ("LL101", "examples/terraform/src/ingest/app.py") in by_place
    assert ("LL201", "examples/terraform/main.tf") in by_place
    assert ("LL401", "examples/terraform/main.tf") in by_place
    # the recommended patterns (module-level clients, lazy init, lru_cache) stay silent
    flagged_code = {f["path"] for f in report["findings"] if f["path"].endswith(".py")}
    assert flagged_code == {"examples/sam-app/src/report/app.py", "examples/terraform/src/ingest/app.py"}
