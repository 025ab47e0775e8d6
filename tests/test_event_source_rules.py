"""LL406 (SQS batches without partial failure reporting) and LL407 (streams without an on-failure
destination): the same facts read from SAM events, AWS::Lambda::EventSourceMapping (YAML and
JSON), aws_lambda_event_source_mapping and the lambda module's event_source_mapping input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.engine import build_project, parse_all, run
from lambdalint.rules.registry import load_rules

from .helpers import CFN_HEAD, hits, line_of, lines

PARITY_OPS = Path(__file__).resolve().parent / "fixtures" / "projects" / "parity-ops"


@pytest.mark.parametrize("fmt", ("sam", "cfn-yaml", "cfn-json", "terraform"))
def test_parity(fmt):
    rules = load_rules()
    result = run([str(PARITY_OPS / fmt)], Settings(), rules, {"LL406", "LL407"}, root=PARITY_OPS)
    files, _ = discover([str(PARITY_OPS / fmt)], PARITY_OPS)
    project = build_project(parse_all(files, 1), PARITY_OPS, Settings())
    owner = {c.address: f.name.lower() for f in project.functions for c in f.callers}
    got = sorted((f.rule_id, owner[f.subject]) for f in result.findings)
    # Orders and Warm read SQS with the default batch size (10); Stream reads Kinesis with the
    # default retries; Batch (a schedule) and Ingest (S3) have no event source mapping
    assert got == [("LL406", "orders"), ("LL406", "warm"), ("LL407", "stream")]
    stream = next(f for f in result.findings if f.rule_id == "LL407")
    assert "blocks its shard until it expires" in stream.message


CFN_FN = """\
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
  Source:
    Type: {source_type}
"""
ESM = """\
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt Source.{attr}
{extra}"""


def cfn(source_type: str, attr: str, extra: str) -> str:
    return CFN_HEAD + "Resources:\n" + CFN_FN.format(source_type=source_type) + ESM.format(attr=attr, extra=extra)


SQS = ("AWS::SQS::Queue", "Arn")
KINESIS = ("AWS::Kinesis::Stream", "Arn")
DYNAMODB = ("AWS::DynamoDB::Table", "StreamArn")


@pytest.mark.parametrize(
    "source,extra,rule,where",
    [
        (SQS, "", "LL406", "  Mapping:"),
        (SQS, "      BatchSize: 5\n      FunctionResponseTypes: []\n", "LL406", "FunctionResponseTypes"),
        (SQS, "      BatchSize: 5\n      FunctionResponseTypes: [ReportBatchItemFailures]\n", "LL406", None),
        (SQS, "      BatchSize: 1\n      MaximumBatchingWindowInSeconds: 5\n", "LL406", None),
        (SQS, "      BatchSize: !Ref AWS::NoValue\n", "LL406", None),
        (KINESIS, "", "LL406", None),  # streams have bisect / checkpoints: not LL406
        (KINESIS, "", "LL407", "  Mapping:"),
        (DYNAMODB, "      MaximumRetryAttempts: 3\n", "LL407", "  Mapping:"),
        (DYNAMODB, "      DestinationConfig:\n        OnFailure:\n          Destination: !GetAtt Source.Arn\n", "LL407", None),
        (DYNAMODB, "      DestinationConfig: !If [HasDlq, {OnFailure: {Destination: x}}, !Ref AWS::NoValue]\n", "LL407", None),
        (SQS, "", "LL407", None),  # the queue's redrive policy handles failures
    ],
)
def test_cloudformation_event_source_mapping(tmp_path, source, extra, rule, where):
    text = cfn(*source, extra)
    expected = [("template.yaml", line_of(text, where))] if where else []
    assert lines(tmp_path, {"template.yaml": text}, rule) == expected


def test_cloudformation_json(tmp_path):
    template = {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/fn", "Code": {"ZipFile": "x"}}},
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Stream": {"Type": "AWS::Kinesis::Stream"},
            "FromQueue": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": {"Ref": "Fn"}, "EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]}, "BatchSize": 20, "MaximumBatchingWindowInSeconds": 3}},
            "FromStream": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": {"Ref": "Fn"}, "EventSourceArn": {"Fn::GetAtt": ["Stream", "Arn"]}, "MaximumRecordAgeInSeconds": 3600}},
        }
    }
    text = json.dumps(template, indent=2)
    found = {f["rule"]: f for f in hits(tmp_path, {"template.json": text}, "LL406,LL407")}
    assert found["LL406"]["line"] == line_of(text, '"FromQueue"')
    assert "up to 20 messages, gathered for up to 3 s" in found["LL406"]["message"]
    assert found["LL407"]["line"] == line_of(text, '"FromStream"')
    assert "retries are bounded (3600 s of record age)" in found["LL407"]["message"]


TF = """\
resource "aws_sqs_queue" "q" {}

resource "aws_kinesis_stream" "s" {
  name        = "s"
  shard_count = 1
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "fn.zip"
}
"""


@pytest.mark.parametrize(
    "mapping,rule,fires",
    [
        ("  event_source_arn = aws_sqs_queue.q.arn\n", "LL406", True),
        ("  event_source_arn = aws_sqs_queue.q.arn\n  function_response_types = [\"ReportBatchItemFailures\"]\n", "LL406", False),
        ("  event_source_arn = aws_sqs_queue.q.arn\n  batch_size = 1\n", "LL406", False),
        ("  event_source_arn = aws_kinesis_stream.s.arn\n", "LL407", True),
        ("  event_source_arn = aws_kinesis_stream.s.arn\n  destination_config {\n    on_failure {\n      destination_arn = aws_sqs_queue.q.arn\n    }\n  }\n", "LL407", False),
        ('  event_source_arn = aws_kinesis_stream.s.arn\n  dynamic "destination_config" {\n    for_each = []\n    content {}\n  }\n', "LL407", False),
    ],
)
def test_terraform_event_source_mapping(tmp_path, mapping, rule, fires):
    text = TF + '\nresource "aws_lambda_event_source_mapping" "m" {\n  function_name = aws_lambda_function.fn.arn\n' + mapping + "}\n"
    expected = [("main.tf", line_of(text, 'resource "aws_lambda_event_source_mapping"'))] if fires else []
    assert lines(tmp_path, {"main.tf": text}, rule) == expected


MODULE = """\
resource "aws_sqs_queue" "q" {{}}

resource "aws_kinesis_stream" "s" {{
  name        = "s"
  shard_count = 1
}}

module "fn" {{
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "fn"
  handler       = "app.handler"
  runtime       = "python3.12"
  event_source_mapping = {{
    {entry}
  }}
}}
"""


@pytest.mark.parametrize(
    "entry,rule,fires",
    [
        ("sqs = { event_source_arn = aws_sqs_queue.q.arn }", "LL406", True),
        ('sqs = { event_source_arn = aws_sqs_queue.q.arn, function_response_types = ["ReportBatchItemFailures"] }', "LL406", False),
        ("sqs = { event_source_arn = aws_sqs_queue.q.arn, batch_size = 1 }", "LL406", False),
        ("kinesis = { event_source_arn = aws_kinesis_stream.s.arn }", "LL407", True),
        ("kinesis = { event_source_arn = aws_kinesis_stream.s.arn, destination_arn_on_failure = aws_sqs_queue.q.arn }", "LL407", False),
    ],
)
def test_terraform_module_event_source_mapping(tmp_path, entry, rule, fires):
    text = MODULE.format(entry=entry)
    expected = [("main.tf", line_of(text, "event_source_mapping ="))] if fires else []
    assert lines(tmp_path, {"main.tf": text}, rule) == expected


# a mapping whose function another stack or root deploys is still checked
OUTSIDE = """\
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: my-function
      EventSourceArn: {arn}
{extra}"""


@pytest.mark.parametrize(
    "arn,extra,rule,fires",
    [
        ("arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/s", "      StartingPosition: LATEST\n", "LL407", True),
        ("arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/s", "      DestinationConfig:\n        OnFailure:\n          Destination: arn:aws:sqs:us-east-1:111122223333:dlq\n", "LL407", False),
        ("arn:aws:sqs:us-east-1:111122223333:orders", "      BatchSize: 10\n", "LL406", True),
    ],
)
def test_mapping_of_a_function_outside_the_scan(tmp_path, arn, extra, rule, fires):
    text = CFN_HEAD + "Resources:\n" + OUTSIDE.format(arn=arn, extra=extra)
    found = hits(tmp_path, {"template.yaml": text}, rule)
    assert [(f["path"], f["line"]) for f in found] == ([("template.yaml", line_of(text, "  Mapping:"))] if fires else [])
    assert all("the function my-function" in f["message"] for f in found)


def test_mapping_of_a_function_outside_the_scan_json(tmp_path):
    template = {"Resources": {"Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {"FunctionName": "my-function", "EventSourceArn": "arn:aws:kinesis:us-east-1:111122223333:stream/s"}}}}
    text = json.dumps(template, indent=2)
    assert lines(tmp_path, {"template.json": text}, "LL407") == [("template.json", line_of(text, '"Mapping"'))]


def test_terraform_mapping_of_a_function_in_another_root(tmp_path):
    files = {
        "fn/main.tf": 'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  role = "r"\n  runtime = "python3.12"\n  handler = "app.handler"\n  filename = "fn.zip"\n}\n',
        "wiring/main.tf": 'resource "aws_lambda_event_source_mapping" "m" {\n  function_name    = "fn"\n  event_source_arn = "arn:aws:sqs:us-east-1:111122223333:orders"\n}\n',
    }
    assert lines(tmp_path, files, "LL406") == [("wiring/main.tf", 1)]


def test_terraform_mapping_behind_an_unknown_count_is_quiet(tmp_path):
    text = TF + '\nvariable "on" {}\n\nresource "aws_lambda_event_source_mapping" "m" {\n  count            = var.on ? 1 : 0\n  function_name    = aws_lambda_function.fn.arn\n  event_source_arn = aws_sqs_queue.q.arn\n}\n'
    assert lines(tmp_path, {"main.tf": text}, "LL406") == []
