"""The recommended default set: a plain `check` fails only on what is wrong in every context;
policy rules run on request (--select ALL, extend-select) at their full level."""

from __future__ import annotations

import json

from lambdalint.rules.registry import load_rules

from .conftest import run_cli, write_files

# Which rule is where is a documented decision (rules/README.md): changing it is a visible act.
OPT_IN = {"LL302", "LL303", "LL402", "LL404", "LL405", "LL406", "LL407"}

# A real-shaped SAM app whose alarms, tracing and failure handling live elsewhere (a monitoring
# stack, another APM): nothing in it is broken, so a pull-request check must pass.
SAM_APP = {
    "template.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: Image uploads, thumbnails and an HTTP API
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
Resources:
  UploadsBucket:
    Type: AWS::S3::Bucket
  ThumbnailFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/thumbnail/
      Handler: app.lambda_handler
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref UploadsBucket
            Events: s3:ObjectCreated:*
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/api/
      Handler: app.handler
      MemorySize: 512
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /items
            Method: get
""",
    "src/thumbnail/app.py": """\
import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    for record in event["Records"]:
        s3.head_object(Bucket=record["s3"]["bucket"]["name"], Key=record["s3"]["object"]["key"])
""",
    "src/api/app.py": """\
import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps([])}
""",
}

TERRAFORM_ROOT = {
    "main.tf": """\
data "archive_file" "worker" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/worker.zip"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.worker.output_path
  memory_size   = 256
  timeout       = 30
}
""",
    "src/app.py": "import boto3\n\nsqs = boto3.client('sqs')\n\n\ndef handler(event, context):\n    return sqs.get_queue_url(QueueName='jobs')\n",
}


def check(root, *args):
    code, out = run_cli(["check", ".", "--format", "json", *args], cwd=root)
    return code, json.loads(out)


def test_default_set_is_the_documented_one():
    rules = load_rules()
    assert {r.id for r in rules.values() if not r.default} == OPT_IN
    for rule in rules.values():
        assert rule.default_reason, f"{rule.id} does not say why it is (not) in the default set"


def test_clean_sam_app_with_alarms_elsewhere_passes_by_default(tmp_path):
    write_files(tmp_path, SAM_APP)
    code, report = check(tmp_path)
    assert code == 0, report["findings"]
    assert report["findings"] == []


def test_select_all_still_reports_every_policy_finding_at_its_level(tmp_path):
    write_files(tmp_path, SAM_APP)
    code, report = check(tmp_path, "--select", "ALL")
    assert code == 1
    got = {(f["rule"], f["level"], f["subject"].split("#")[-1]) for f in report["findings"]}
    assert got == {
        ("LL302", "note", "Resources/ThumbnailFunction"),
        ("LL401", "note", "Resources/ThumbnailFunction"),
        ("LL401", "note", "Resources/ApiFunction"),
        ("LL402", "warning", "Resources/ThumbnailFunction"),
        ("LL402", "warning", "Resources/ApiFunction"),
        ("LL404", "warning", "Resources/ThumbnailFunction"),
        ("LL405", "note", "Resources/ThumbnailFunction"),
        ("LL405", "note", "Resources/ApiFunction"),
    }


def test_extend_select_in_config_turns_one_policy_rule_on(tmp_path):
    write_files(tmp_path, {**SAM_APP, "pyproject.toml": '[tool.lambdalint]\nextend-select = ["missing-alarms"]\n'})
    code, report = check(tmp_path)
    assert code == 1
    assert {f["rule"] for f in report["findings"]} == {"LL402"}
    # on the command line too, and by prefix
    code, report = check(tmp_path, "--extend-select", "LL40", "--config", "/dev/null")
    assert {f["rule"] for f in report["findings"]} == {"LL401", "LL402", "LL404", "LL405"}


def test_clean_terraform_root_passes_by_default(tmp_path):
    write_files(tmp_path, TERRAFORM_ROOT)
    code, report = check(tmp_path)
    assert code == 0, report["findings"]
    code, report = check(tmp_path, "--select", "ALL")
    assert {f["rule"] for f in report["findings"]} == {"LL401", "LL402", "LL405"}


def test_reserved_concurrency_for_database_facing_functions_stays_on(tmp_path):
    files = dict(TERRAFORM_ROOT)
    files["src/app.py"] = "import psycopg2\n\n_conn = None\n\n\ndef handler(event, context):\n    global _conn\n    if _conn is None:\n        _conn = psycopg2.connect('')\n    return 1\n"
    write_files(tmp_path, files)
    code, report = check(tmp_path)
    assert code == 1
    assert [(f["rule"], f["level"]) for f in report["findings"]] == [("LL401", "warning")]


def test_reserved_concurrency_mode_in_config_checks_every_function(tmp_path):
    write_files(tmp_path, {**TERRAFORM_ROOT, ".lambdalint.toml": '[rules.LL401]\nreserved-concurrency = "all"\n'})
    code, report = check(tmp_path)
    assert code == 1
    assert [(f["rule"], f["level"]) for f in report["findings"]] == [("LL401", "warning")]


def test_rule_pages_say_default_on_or_off():
    code, out = run_cli(["explain", "LL402"])
    assert code == 0
    code, out = run_cli(["rules", "--format", "json"])
    listed = {r["id"]: r["default"] for r in json.loads(out)}
    assert listed["LL402"] is False and listed["LL101"] is True
