"""Sweeps: unit-by-unit checking gives the same findings, and a worker that dies loses nothing
but the file that killed it. Real worker processes, real SIGKILL."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lambdalint import units, workers
from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.engine import run, select_rules
from lambdalint.rules.registry import load_rules

from .conftest import write_files

FIXTURES = Path(__file__).parent / "fixtures" / "projects"

needs_fork = pytest.mark.skipif(
    sys.platform == "win32" or multiprocessing.get_start_method() != "fork",
    reason="the crash is injected by patching the parser in the parent, which only forked workers inherit",
)


def sweep_tree(root: Path, copies: int = 3) -> Path:
    """Several repositories side by side: copies of the real fixture projects."""
    for i in range(copies):
        shutil.copytree(FIXTURES, root / f"repo{i}")
    return root


def findings_of(root: Path, jobs: int = 1) -> list[tuple]:
    rules = load_rules()
    settings = Settings()
    result = run([str(root)], settings, rules, select_rules(settings, rules), jobs=jobs, root=root)
    return sorted((f.rule_id, f.location.path, f.location.line, f.location.column, f.message) for f in result.findings)


# --------------------------------------------------------------------------- units


def _files(root: Path):
    return discover([str(root)], root)[0]


def test_small_tree_is_one_unit(tmp_path):
    sweep_tree(tmp_path, copies=1)
    files = _files(tmp_path)
    assert units.split_units(files) == [files]


def test_independent_repositories_become_units(tmp_path, monkeypatch):
    monkeypatch.setattr(units, "UNIT_FILES", 5)
    sweep_tree(tmp_path, copies=2)
    split = units.split_units(_files(tmp_path))
    assert len(split) > 2
    assert sorted(f.rel for unit in split for f in unit) == sorted(f.rel for f in _files(tmp_path))
    for unit in split:  # a unit never mixes two repositories
        assert len({f.rel.split("/")[0] for f in unit}) == 1


def test_template_at_the_top_keeps_the_tree_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(units, "UNIT_FILES", 2)
    write_files(tmp_path, {
        "template.yaml": "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: a/\n",
        "a/app.py": "def handler(e, c):\n    pass\n",
        "b/app.py": "def handler(e, c):\n    pass\n",
        "b/c/app.py": "def handler(e, c):\n    pass\n",
    })
    files = _files(tmp_path)
    assert units.split_units(files) == [files]


@pytest.mark.parametrize(
    "reference,expected",
    [
        ("CodeUri: ../shared/", [["other/app.py"], ["shared/app.py", "shared/lib.py", "stack/template.yaml"]]),
        ("CodeUri: ..", "whole"),
        ('CodeUri: "..\\\\shared"', "whole"),  # a Windows path we do not follow: keep everything
        ("CodeUri: ../../../../outside/the/tree", [["other/app.py"], ["shared/app.py", "shared/lib.py"], ["stack/template.yaml"]]),
    ],
)
def test_a_template_that_climbs_out_stays_with_what_it_points_at(tmp_path, monkeypatch, reference, expected):
    monkeypatch.setattr(units, "UNIT_FILES", 2)
    write_files(tmp_path, {
        "stack/template.yaml": "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      " + reference + "\n",
        "shared/app.py": "def handler(e, c):\n    pass\n",
        "shared/lib.py": "X = 1\n",
        "other/app.py": "def handler(e, c):\n    pass\n",
    })
    files = _files(tmp_path)
    split = units.split_units(files)
    if expected == "whole":
        assert split == [files]
    else:
        assert sorted(sorted(f.rel for f in unit) for unit in split) == expected


def test_dots_in_prose_are_no_path(tmp_path, monkeypatch):
    monkeypatch.setattr(units, "UNIT_FILES", 2)
    write_files(tmp_path, {
        "a/template.yaml": "Description: It integrates with one Lambda.. and retries again...\nResources: {}\n",
        "a/app.py": "X = 1\n",
        "b/app.py": "X = 1\n",
    })
    assert len(units.split_units(_files(tmp_path))) == 2


def test_terraform_module_two_levels_up_is_seen(tmp_path, monkeypatch):
    monkeypatch.setattr(units, "UNIT_FILES", 2)
    write_files(tmp_path, {
        "envs/prod/main.tf": 'module "m" {\n  source = "../../modules/fn"\n}\n',
        "envs/prod/vars.tf": 'variable "x" {}\n',
        "envs/dev/main.tf": 'variable "y" {}\n',
        "modules/fn/main.tf": 'resource "aws_lambda_function" "f" {}\n',
    })
    split = units.split_units(_files(tmp_path))
    # envs/prod climbs two levels, into modules/: envs/ and modules/ stay one unit
    assert len(split) == 1


def test_unit_by_unit_sweep_has_the_same_findings(tmp_path, monkeypatch):
    sweep_tree(tmp_path, copies=3)
    whole = findings_of(tmp_path)
    monkeypatch.setattr(units, "UNIT_FILES", 8)
    assert len(units.split_units(_files(tmp_path))) > 3
    assert findings_of(tmp_path) == whole
    assert findings_of(tmp_path, jobs=2) == whole
    per_repo = [
        sorted(tuple(str(x).replace(f"repo{i}/", "") for x in f) for f in whole if f[1].startswith(f"repo{i}/"))
        for i in range(3)
    ]
    assert per_repo[0] and per_repo[0] == per_repo[1] == per_repo[2]  # nothing leaks between repositories


# --------------------------------------------------------------------------- dead workers


def _kill_on(name: str, parent: int):
    real = workers.parse_source

    def parse(source, extra_roots=frozenset(), package_names=frozenset()):
        if source.rel.endswith(name) and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(source, extra_roots, package_names)

    return parse


@needs_fork
def test_sigkilled_worker_loses_only_its_file(tmp_path, monkeypatch):
    sweep_tree(tmp_path, copies=2)
    write_files(tmp_path, {"repo1/parity/terraform/crash.tf": 'variable "unused" {}\n'})
    expected = findings_of(tmp_path)
    monkeypatch.setattr(workers, "parse_source", _kill_on("crash.tf", os.getpid()))
    got = findings_of(tmp_path, jobs=2)
    crash = [f for f in got if f[1].endswith("crash.tf")]
    assert crash == [("LL001", "repo1/parity/terraform/crash.tf", 1, 1, "cannot parse this file: " + workers.CRASH_REASON)]
    assert [f for f in got if f not in crash] == expected


@needs_fork
def test_pool_keeps_working_after_a_crash(tmp_path, monkeypatch):
    sweep_tree(tmp_path, copies=1)
    write_files(tmp_path, {f"extra/crash{i}.tf": 'variable "v" {}\n' for i in range(2)})
    files = _files(tmp_path)
    monkeypatch.setattr(workers, "parse_source", _kill_on(".tf", os.getpid()))  # every .tf kills
    with workers.ParsePool(2) as pool:
        first = pool.parse(files)
        second = pool.parse(files)
    for parsed in (first, second):
        assert [p.source for p in parsed] == files
        for p in parsed:
            if p.source.rel.endswith(".tf"):
                assert p.failure is not None and p.failure.reason == workers.CRASH_REASON
            else:
                assert p.failure is None or p.failure.reason != workers.CRASH_REASON


_CLI_CHILD = """
import os, signal, sys
from lambdalint import workers
from lambdalint.cli import main
real, parent = workers.parse_source, os.getpid()
def parse(source, extra_roots=frozenset(), package_names=frozenset()):
    if source.rel.endswith("crash.tf") and os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(source, extra_roots, package_names)
workers.parse_source = parse
main(sys.argv[1:])
"""


@needs_fork
def test_cli_report_is_complete_after_a_worker_is_killed(tmp_path):
    sweep_tree(tmp_path, copies=2)
    write_files(tmp_path, {"repo0/parity/terraform/crash.tf": 'variable "unused" {}\n'})
    args = ["check", ".", "--format", "json", "--jobs", "2"]
    proc = subprocess.run([sys.executable, "-c", _CLI_CHILD, *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    clean = subprocess.run([sys.executable, "-m", "lambdalint", *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    expected = json.loads(clean.stdout)["findings"]
    crash = [f for f in report["findings"] if f["path"].endswith("crash.tf")]
    assert [f["message"] for f in crash] == ["cannot parse this file: " + workers.CRASH_REASON]
    assert [f for f in report["findings"] if f not in crash] == expected


def test_internal_error_exits_2_without_traceback(tmp_path):
    write_files(tmp_path, {"app.py": "def handler(e, c):\n    pass\n"})
    code = (
        "import sys\nimport lambdalint.engine as engine\n"
        "def broken(*a, **k):\n    raise RuntimeError('boom')\n"
        "engine.run = broken\n"
        "from lambdalint.cli import main\nmain(['check', '.'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "internal error" in proc.stderr and "boom" in proc.stderr
