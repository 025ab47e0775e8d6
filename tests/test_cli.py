"""The command line: exit codes, selection, formats, determinism, explain/rules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import OPERATIONS, run_cli, write_files

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 512
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: reports.handler
      Runtime: python3.12
"""
HANDLER = "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
REPORTS = "def handler(event, context):\n    return {}\n"


@pytest.fixture
def app(tmp_path):
    return write_files(tmp_path, {"template.yaml": SAM, "src/app.py": HANDLER, "src/reports.py": REPORTS})


def test_text_output_and_exit_code(app):
    code, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, "."], cwd=app)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("src/app.py:5:12: LL101 [warning] `boto3.client(\"s3\")`")
    assert any(l.startswith("template.yaml:11:3: LL302 [note]") for l in lines)
    assert lines[-2] == "Found 2 findings (1 warning, 1 note) in 3 files checked."
    assert lines[-1] == "2 functions (2 linked to handler code) in 1 template / 0 Terraform roots; 0 files skipped."


@pytest.mark.parametrize(
    "args,code",
    [
        (["--fail-on", "error"], 0),
        (["--fail-on", "warning"], 1),
        (["--fail-on", "never"], 0),
        (["--select", "LL3"], 0),  # only a note remains; default fail-on is warning
        (["--select", "LL3", "--fail-on", "note"], 1),
        (["--ignore", "client-in-handler"], 0),
        (["--select", "LL101,LL302", "--ignore", "LL1"], 0),
    ],
)
def test_fail_on_and_selection(app, args, code):
    assert run_cli(["check", "--ignore", OPERATIONS, ".", *args], cwd=app)[0] == code


def test_selection_by_name_and_prefix(app):
    _, out = run_cli(["check", "--ignore", OPERATIONS, ".", "--select", "default-memory", "--format", "json"], cwd=app)
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["LL302"]


def test_usage_errors_exit_2(app):
    assert run_cli(["check", "--ignore", OPERATIONS, ".", "--select", "LL999"], cwd=app)[0] == 2
    assert run_cli(["check", "--ignore", OPERATIONS, ".", "--format", "xml"], cwd=app)[0] == 2
    (app / "bad.toml").write_text('fail-on = "sometimes"\n')
    code, out = run_cli(["check", "--ignore", OPERATIONS, ".", "--config", "bad.toml"], cwd=app)
    assert code == 2 and "bad.toml" in out and "fail-on" in out and "error, warning, note, never" in out
    (app / "bad2.toml").write_text('colour = "blue"\n')
    code, out = run_cli(["check", "--ignore", OPERATIONS, ".", "--config", "bad2.toml"], cwd=app)
    assert code == 2 and "colour" in out and "unknown key" in out


def test_config_file_is_found_and_applied(app):
    (app / "pyproject.toml").write_text('[tool.lambdalint]\nignore = ["LL101"]\nfail-on = "note"\n')
    code, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, ".", "--format", "json"], cwd=app)
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["LL302"]


def test_statistics(app):
    _, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, ".", "--statistics"], cwd=app)
    assert "     1  LL101  client-in-handler" in out and "by level: 0 error, 1 warning, 1 note" in out


def test_github_annotations(app):
    _, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, ".", "--format", "github"], cwd=app)
    assert out.splitlines()[0].startswith("::warning file=src/app.py,line=5,col=12,endLine=5,title=LL101 client-in-handler::")
    assert "::notice file=template.yaml,line=11" in out


def test_json_schema_shape(app):
    _, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, ".", "--format", "json"], cwd=app)
    report = json.loads(out)
    assert report["schema_version"] == 1
    assert report["summary"] == {"files": 3, "findings": 2, "suppressed": 0, "by_level": {"error": 0, "warning": 1, "note": 1}, "by_rule": {"LL101": 1, "LL302": 1}, "by_path": {".": {"findings": 2, "by_rule": {"LL101": 1, "LL302": 1}}}, "baseline": None, "functions": {"found": 2, "linked": 2, "by_kind": {"sam": 2}}, "inputs": {"templates": 1, "terraform_roots": 0, "skipped": 0}}
    f = report["findings"][0]
    assert set(f) == {"rule", "name", "level", "message", "path", "line", "column", "end_line", "end_column", "related", "subject", "fingerprint", "suppressed", "fix", "fix_unavailable"}


def test_output_is_deterministic_across_runs_and_jobs(tmp_path):
    files = {}
    for i in range(30):  # enough files to use the worker pool
        files[f"svc{i:02}/app.py"] = HANDLER
        files[f"svc{i:02}/template.yaml"] = SAM.replace("Orders", f"Orders{i}")
        files[f"svc{i:02}/src/app.py"] = HANDLER
        files[f"svc{i:02}/src/reports.py"] = REPORTS
    write_files(tmp_path, files)
    outputs = set()
    for fmt in ("json", "sarif", "text"):
        runs = [run_cli(["check", "--ignore", OPERATIONS, ".", "--format", fmt, "--jobs", jobs], cwd=tmp_path)[1] for jobs in ("1", "2", "1", "2")]
        assert len(set(runs)) == 1, fmt
        outputs.add(runs[0])
    assert len(outputs) == 3


def test_rules_and_explain(app):
    code, out = run_cli(["rules"])
    assert code == 0 and "LL101  client-in-handler" in out
    code, out = run_cli(["rules", "--format", "json"])
    assert {r["id"] for r in json.loads(out)} >= {"LL001", "LL002", "LL101", "LL201", "LL302"}
    for token in ("LL101", "client-in-handler"):
        code, out = run_cli(["explain", token])
        assert code == 0 and out.startswith("# LL101 client-in-handler (warning)") and "## Why is this bad?" in out
    assert run_cli(["explain", "LL999"])[0] == 2


def test_version_and_no_traceback_in_real_process(app):
    out = subprocess.run([sys.executable, "-m", "lambdalint", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("lambdalint ")
    proc = subprocess.run([sys.executable, "-m", "lambdalint", "check", str(app)], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_plain_check_does_not_import_heavy_modules(app):
    code = (
        "import sys\nfrom lambdalint.cli import main\n"
        "try:\n    main(['check', 'src/app.py', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('libcst', 'tree_sitter', 'sarif_om', 'yaml', 'cfnlint') if m in sys.modules)\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=app, capture_output=True, text=True)
    assert "HEAVY=" in proc.stderr and proc.stderr.split("HEAVY=")[1].strip() == ""


TREE_SITTER_MODULES = ("tree_sitter", "tree_sitter_javascript", "tree_sitter_typescript", "tree_sitter_java", "tree_sitter_hcl")


def _imported_after_check(cwd, args) -> list[str]:
    code = (
        "import sys\nfrom lambdalint.cli import main\n"
        f"try:\n    main({['check', *args, '--format', 'json']!r})\nexcept SystemExit:\n    pass\n"
        f"loaded = sorted(m for m in {TREE_SITTER_MODULES!r} if m in sys.modules)\n"
        "sys.stderr.write('LOADED=' + ','.join(loaded))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)
    assert "LOADED=" in proc.stderr, proc.stderr
    return [m for m in proc.stderr.split("LOADED=")[1].strip().split(",") if m]


def test_python_only_run_imports_no_tree_sitter(app):
    assert _imported_after_check(app, ["src/app.py"]) == []
    assert _imported_after_check(app, ["."]) == []


def test_tree_sitter_grammars_load_only_for_their_files(app):
    write_files(app, {"node/index.mjs": "export const handler = async (event) => ({ ok: true });\n"})
    loaded = _imported_after_check(app, ["."])
    assert "tree_sitter_javascript" in loaded and "tree_sitter_java" not in loaded
