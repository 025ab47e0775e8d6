"""Suppressions, baselines, pre-commit context mode, configuration and sweeps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import OPERATIONS, check_json, run_cli, write_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
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
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
  # lambdalint: ignore[LL302] -- sized by the platform team's module
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: reports.handler
      Runtime: python3.12
  Audit:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore: [default-memory]
    Properties:
      CodeUri: src/
      Handler: reports.handler
      Runtime: python3.12
"""
HANDLER = """\
import uuid

import boto3

RUN_ID = uuid.uuid4()


def lambda_handler(event, context):
    s3 = boto3.client("s3")  # lambdalint: ignore[LL101] -- admin path
    # lambdalint: ignore[client-in-handler]
    sqs = boto3.client("sqs")
    sns = boto3.client("sns")
    return s3, sqs, sns, RUN_ID
"""
REPORTS = "def handler(event, context):\n    return {}\n"


def make_app(root: Path) -> Path:
    return write_files(root, {"template.yaml": SAM, "src/app.py": HANDLER, "src/reports.py": REPORTS})


def rules_at(report):
    return sorted((f["path"], f["line"], f["rule"]) for f in report["findings"])


def test_inline_and_metadata_suppressions(tmp_path):
    make_app(tmp_path)
    report = check_json(tmp_path, "--ignore", OPERATIONS, "--ignore", OPERATIONS)
    assert rules_at(report) == [("src/app.py", 5, "LL110"), ("src/app.py", 12, "LL101"), ("template.yaml", 4, "LL302")]
    suppressed = {(f["path"], f["line"], f["rule"]): f["suppressed"] for f in report["suppressed"]}
    assert suppressed == {
        ("src/app.py", 9, "LL101"): "admin path",
        ("src/app.py", 11, "LL101"): "suppressed by an inline lambdalint: ignore comment",
        ("template.yaml", 14, "LL302"): "sized by the platform team's module",
        ("template.yaml", 20, "LL302"): "suppressed by the resource's Metadata.lambdalint.ignore",
    }
    _, text = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, "."], cwd=tmp_path)
    assert "admin path" not in text and "3 suppressed" not in text and "4 suppressed" in text
    _, text = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, ".", "--show-suppressed"], cwd=tmp_path)
    assert "(suppressed: admin path)" in text


def test_terraform_suppression_on_block_line(tmp_path):
    tf = (
        '# lambdalint: ignore[LL302]\nresource "aws_lambda_function" "quiet" {\n  function_name = "q"\n  runtime = "python3.12"\n  handler = "a.h"\n  filename = "q.zip"\n}\n\n'
        'resource "aws_lambda_function" "loud" {\n  function_name = "l"\n  runtime = "python3.12"\n  handler = "a.h"\n  filename = "l.zip"\n}\n'
    )
    write_files(tmp_path, {"main.tf": tf})
    report = check_json(tmp_path, "--ignore", OPERATIONS, "--ignore", OPERATIONS)
    assert rules_at(report) == [("main.tf", 9, "LL302")]
    assert [(f["line"], f["rule"]) for f in report["suppressed"]] == [(2, "LL302")]


def test_unused_and_bare_suppressions(tmp_path):
    write_files(
        tmp_path,
        {
            "app.py": "import boto3\ns3 = boto3.client('s3')  # lambdalint: ignore[LL101]\n\n\ndef lambda_handler(event, context):\n    x = 1  # lambdalint: ignore\n    return s3, x\n",
        },
    )
    report = check_json(tmp_path)
    assert [(f["line"], f["rule"]) for f in report["findings"]] == [(2, "LL003"), (6, "LL003")]
    report = check_json(tmp_path, "--strict-suppressions")
    assert [(f["line"], f["rule"]) for f in report["findings"]] == [(2, "LL003"), (6, "LL003"), (6, "LL003")]
    # a comment for a rule that is not enabled cannot be judged
    report = check_json(tmp_path, "--select", "LL003,LL2")
    assert [(f["line"], f["rule"]) for f in report["findings"]] == []


def test_baseline_survives_line_shifts_and_reports_only_the_new_finding(tmp_path):
    project = tmp_path / "examples"
    shutil.copytree(EXAMPLES, project)
    code, out = run_cli(["baseline", ".", "-o", "baseline.json"], cwd=project)
    assert code == 0 and "Recorded" in out
    before = check_json(project)["findings"]
    assert before
    # shift every line of every file down, and add one new violation
    for path in sorted(project.rglob("*")):
        if path.suffix in (".py", ".yaml", ".tf"):
            path.write_text("\n\n\n" + path.read_text() if path.suffix != ".py" else "# moved\n\n\n" + path.read_text())
    write_files(project, {"jobs/export.py": "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('kinesis')\n"})
    code, out = run_cli(["check", ".", "--select", "ALL", "--baseline", "baseline.json", "--format", "json"], cwd=project)
    report = json.loads(out)
    assert [(f["rule"], f["message"][:30]) for f in report["findings"]] == [("LL101", '`boto3.client("kinesis")` crea')]
    assert report["summary"]["baseline"] == {"matched": len(before), "fixed": 0}
    assert code == 1
    _, text = run_cli(["check", ".", "--select", "ALL", "--baseline", "baseline.json"], cwd=project)
    assert f"Baseline: {len(before)} known findings hidden, 0 fixed" in text
    _, sarif = run_cli(["check", ".", "--select", "ALL", "--baseline", "baseline.json", "--format", "sarif"], cwd=project)
    assert [r["baselineState"] for r in json.loads(sarif)["runs"][0]["results"]] == ["new"]


def test_bad_baseline_is_a_usage_error(tmp_path):
    make_app(tmp_path)
    (tmp_path / "b.json").write_text("{}")
    code, out = run_cli(["check", "--ignore", OPERATIONS, ".", "--baseline", "b.json"], cwd=tmp_path)
    assert code == 2 and "not a lambdalint baseline" in out


def test_precommit_mode_reads_context_and_reports_only_named_files(tmp_path):
    make_app(tmp_path)
    (tmp_path / ".git").mkdir()
    # only the handler is named: SnapStart comes from the template, so LL110 fires as an error
    def named(*args):
        code, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, "--format", "json", "--fail-on", "never", *args], cwd=tmp_path)
        return json.loads(out)

    report = named("src/app.py")
    assert rules_at(report) == [("src/app.py", 5, "LL110"), ("src/app.py", 12, "LL101")]
    assert report["findings"][0]["level"] == "error"
    # only the template is named: its handlers are linked (LL002 works), code findings are not shown
    write_files(tmp_path, {"template.yaml": SAM.replace("Handler: reports.handler\n      Runtime: python3.12\n  Audit", "Handler: reports.missing\n      Runtime: python3.12\n  Audit")})
    report = named("template.yaml")
    assert rules_at(report) == [("template.yaml", 4, "LL302"), ("template.yaml", 18, "LL002")]
    # without context the handler alone knows nothing of SnapStart
    report = named("src/app.py", "--no-context")
    assert rules_at(report) == [("src/app.py", 12, "LL101")]


def test_config_per_file_ignores_and_exclude(tmp_path):
    make_app(tmp_path)
    write_files(tmp_path, {"legacy/app.py": "import boto3\ndef lambda_handler(event, context):\n    return boto3.client('s3')\n"})
    (tmp_path / ".lambdalint.toml").write_text('exclude = ["legacy"]\n[per-file-ignores]\n"src/*" = ["LL110"]\n[rules.default-memory]\nlevel = "warning"\n')
    report = check_json(tmp_path, "--ignore", OPERATIONS, "--ignore", OPERATIONS)
    assert rules_at(report) == [("src/app.py", 12, "LL101"), ("template.yaml", 4, "LL302")]
    assert report["findings"][1]["level"] == "warning"


def test_bad_rule_option_names_file_key_and_allowed_values(tmp_path):
    make_app(tmp_path)
    (tmp_path / ".lambdalint.toml").write_text('[rules.LL302]\nlevel = "loud"\n')
    code, out = run_cli(["check", "--ignore", OPERATIONS, "."], cwd=tmp_path)
    assert code == 2 and ".lambdalint.toml" in out and "rules.LL302.level" in out and "error, warning, note" in out
    (tmp_path / ".lambdalint.toml").write_text('[rules.LL302]\nthreshold = 3\n')
    code, out = run_cli(["check", "--ignore", OPERATIONS, "."], cwd=tmp_path)
    assert code == 2 and "rules.LL302.threshold" in out and "unknown option" in out


def test_sweep_over_several_repositories(tmp_path):
    make_app(tmp_path / "repo-a")
    make_app(tmp_path / "repo-b")
    (tmp_path / "repo-b" / "src" / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    code, out = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, "repo-a", "repo-b", "--format", "json", "--jobs", "2"], cwd=tmp_path)
    summary = json.loads(out)["summary"]
    assert summary["by_path"] == {
        "repo-a": {"findings": 3, "by_rule": {"LL101": 1, "LL110": 1, "LL302": 1}},
        "repo-b": {"findings": 1, "by_rule": {"LL302": 1}},
    }
    _, text = run_cli(["check", "--select", "ALL", "--ignore", OPERATIONS, "repo-a", "repo-b", "--statistics"], cwd=tmp_path)
    assert "     2  LL302  default-memory" in text
