"""LL306 deprecated-runtime: dates from one table, judged as of a date, in every format."""

from __future__ import annotations

import json

import pytest

from lambdalint.rules.runtime_lifecycle import CHECKED, LIFECYCLE, SOURCE, supported_successor

from .conftest import run_cli, write_files

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.8
    MemorySize: 512
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
  Legacy:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
"""
HANDLER = "def handler(event, context):\n    return 1\n"
TF = """\
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "nodejs18.x"
  handler       = "index.handler"
  filename      = "worker.zip"
  memory_size   = 256
}

module "api" {
  source                 = "terraform-aws-modules/lambda/aws"
  function_name          = "api"
  handler                = "main"
  runtime                = "go1.x"
  memory_size            = 256
  create_package         = false
  local_existing_package = "api.zip"
}
"""


def findings(root, as_of):
    (root / ".lambdalint.toml").write_text(f'[rules.LL306]\nas-of = "{as_of}"\n')
    code, out = run_cli(["check", ".", "--select", "LL306", "--format", "json", "--fail-on", "never"], cwd=root)
    assert code == 0, out
    return json.loads(out)["findings"]


def test_sam_globals_runtime_is_one_finding_for_every_function_using_it(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM, "src/app.py": HANDLER})
    found = findings(tmp_path, "2026-12-06")
    assert [(f["line"], f["level"]) for f in found] == [(5, "warning")]
    assert found[0]["message"] == (
        "Runtime python3.8 on Orders, Reports was deprecated by AWS on 2024-10-14: it gets no security patches, and Lambda "
        "blocks creating functions on it from 2027-02-01 and updating them from 2027-03-03; move to python3.13"
    )


def test_warning_while_deprecated_error_once_creation_is_blocked(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM, "src/app.py": HANDLER})
    assert findings(tmp_path, "2024-10-13") == []  # the day before deprecation
    assert [f["level"] for f in findings(tmp_path, "2024-10-14")] == ["warning"]
    blocked = findings(tmp_path, "2027-02-01")
    assert [f["level"] for f in blocked] == ["error"]
    assert "Lambda has blocked creating functions on it since 2027-02-01, and will block updates from 2027-03-03" in blocked[0]["message"]
    later = findings(tmp_path, "2027-04-01")
    assert "since 2027-02-01 and updates since 2027-03-03, so deploying this can fail" in later[0]["message"]


def test_terraform_resource_and_module(tmp_path):
    write_files(tmp_path, {"main.tf": TF})
    found = findings(tmp_path, "2026-12-06")
    got = [(f["line"], f["level"], f["message"].split(" was ")[0]) for f in found]
    assert got == [(4, "warning", "runtime nodejs18.x on aws_lambda_function.worker"), (14, "error", "runtime go1.x on module.api")]
    assert found[1]["message"].endswith("move to provided.al2023")


def test_successor_is_itself_supported():
    # dotnet6 -> dotnet10 (dotnet8 is deprecated since 2026-11-10)
    assert supported_successor("dotnet6", "2026-12-06") == "dotnet10"
    for runtime in LIFECYCLE:
        successor = supported_successor(runtime, CHECKED)
        assert successor not in LIFECYCLE or LIFECYCLE[successor].deprecated > CHECKED, runtime


def test_table_is_sourced_and_blocks_creation_before_updates():
    assert SOURCE.startswith("https://docs.aws.amazon.com/lambda/")
    for row in LIFECYCLE.values():
        assert row.create_blocked is None or row.create_blocked <= row.update_blocked


@pytest.mark.parametrize("runtime", ["python3.12", "nodejs22.x", "java21", "provided.al2023", "unknown9"])
def test_supported_runtimes_are_quiet(tmp_path, runtime):
    write_files(tmp_path, {"main.tf": TF.replace("nodejs18.x", runtime).replace("go1.x", runtime)})
    assert findings(tmp_path, "2026-12-06") == []


def test_as_of_must_be_an_iso_date(tmp_path):
    write_files(tmp_path, {"main.tf": TF, ".lambdalint.toml": '[rules.LL306]\nas-of = "next tuesday"\n'})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 2 and "rules.LL306.as-of: 'next tuesday' is not allowed" in out
