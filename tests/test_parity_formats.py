"""Format parity across the inputs issue 14 added: the five-function app of
tests/fixtures/projects/parity/sam written as an AWS CDK app (synthesized, parity-cdk), a
Serverless Framework service (parity-serverless) and a Terraform root that declares its
functions in a local module (parity-terraform-module) gives the same (rule, function) set as
the SAM original, except where a format's own defaults make the deployed thing differ:

- Serverless Framework: ``provisionedConcurrency`` always lands on the ``provisioned`` alias the
  Framework publishes, so orders' LL201 ($LATEST) cannot happen and LL202 (no autoscaling on it)
  reports instead; an unset ``memorySize`` deploys 1,024 MB, not 128 MB, so reports has no LL302.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.engine import build_project, parse_all, run
from lambdalint.rules.registry import load_rules

from .test_parity import EXPECTED, FUNCTIONS

PROJECTS = Path(__file__).resolve().parent / "fixtures" / "projects"
SAM = EXPECTED
FORMATS = {
    "parity/sam": SAM,
    "parity-cdk": SAM,
    "parity-serverless": (SAM - {("LL201", "orders"), ("LL302", "reports")}) | {("LL202", "orders")},
    "parity-terraform-module": SAM,
}


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def names_of(function) -> set[str]:
    """What the app calls a function: its logical ID or key (SAM, Serverless), the last part of
    its construct path (CDK: ParityStack/Orders) or of its Terraform address (module.orders)."""
    label = function.label
    return {norm(function.name), norm(label.split("/")[-1]), norm(label.split(".")[-1])}


def scan(fixture: str):
    rules = load_rules()
    root = PROJECTS / fixture
    result = run([str(root)], Settings(), rules, set(rules), root=root)
    files, _ = discover([str(root)], root)
    return result, build_project(parse_all(files, 1), root, Settings())


def function_of(finding, project) -> str:
    path = finding.location.path
    if path.endswith(".py"):  # code findings are at src/<function>/app.py
        parts = path.split("/")
        return norm(parts[parts.index("src") + 1])
    for function in project.functions:
        if finding.subject in {function.address} | {pc.address for pc in function.provisioned}:
            return (names_of(function) & FUNCTIONS or {norm(function.name)}).pop()
    raise AssertionError(f"cannot map {finding.rule_id} at {finding.location} (subject {finding.subject!r}) to a function")


@pytest.mark.parametrize("fixture", sorted(FORMATS))
def test_every_format_declares_the_five_functions_and_links_their_handlers(fixture):
    _, project = scan(fixture)
    assert len(project.functions) == len(FUNCTIONS)
    for function in project.functions:
        (name,) = names_of(function) & FUNCTIONS
        assert function.handler_module is not None and function.handler_module.endswith(f"src/{name}/app.py"), (name, function.handler_module)


@pytest.mark.parametrize("fixture", sorted(FORMATS))
def test_same_findings_as_sam_except_the_formats_own_defaults(fixture):
    result, project = scan(fixture)
    assert not result.rule_errors
    assert not [f for f in result.findings if f.rule_id == "LL001"], "fixture must parse"
    got = sorted((f.rule_id, function_of(f, project)) for f in result.findings)
    assert set(got) == FORMATS[fixture]
    assert len(got) == len(set(got)), "one finding per (rule, function)"
