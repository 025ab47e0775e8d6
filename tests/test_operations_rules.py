"""Concurrency, failure and observability rules (LL205, LL401-LL404) and the model they need
(callers, DLQs / failure destinations, alarms): line-precise in SAM, CloudFormation YAML and
JSON, and Terraform; quiet on values that cannot be resolved."""

from __future__ import annotations

import json

import pytest

from lambdalint.rules import builtin
from lambdalint.rules.ll205_pc_not_invoked import RULE as LL205
from lambdalint.rules.ll401_missing_reserved_concurrency import RULE as LL401
from lambdalint.rules.ll402_missing_alarms import RULE as LL402
from lambdalint.rules.ll403_reserved_exceeds_account import RULE as LL403
from lambdalint.rules.ll404_async_without_failure_destination import RULE as LL404

from .conftest import check_json, write_files

MINE = (LL205, LL401, LL402, LL403, LL404)


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """Register the rules under test even before builtin.RULES lists them."""
    rules = list(builtin.RULES)
    rules += [r for r in MINE if r not in rules]
    monkeypatch.setattr(builtin, "RULES", rules)


def hits(tmp_path, files, rule_id, config: str = ""):
    if config:
        files = {**files, ".lambdalint.toml": config}
    write_files(tmp_path, files)
    report = check_json(tmp_path, "--select", rule_id)
    return [f for f in report["findings"] if f["rule"] == rule_id]


def lines(tmp_path, files, rule_id, config: str = ""):
    return sorted((f["path"], f["line"]) for f in hits(tmp_path, files, rule_id, config))


# ------------------------------------------------------------------ embedded examples
EXAMPLES = [
    pytest.param(rule, example, expected, id=f"{rule.id}-{'fire' if expected else 'quiet'}-{i}")
    for rule in MINE
    for expected, examples in ((True, rule.must_fire), (False, rule.must_not_fire))
    for i, example in enumerate(examples)
]


@pytest.mark.parametrize("rule,example,expected", EXAMPLES)
def test_examples(tmp_path, rule, example, expected):
    found = hits(tmp_path, example.files, rule.id)
    assert bool(found) == expected, found


def test_metadata():
    for rule in MINE:
        assert rule.docs.startswith("## What it does")
        for section in ("## Why is this bad?", "## Example", "## Use instead", "## References"):
            assert section in rule.docs, (rule.id, section)
        assert rule.must_fire and rule.must_not_fire
    assert [(r.id, r.name, r.level) for r in MINE] == [
        ("LL205", "pc-not-invoked", "warning"),
        ("LL401", "missing-reserved-concurrency", "warning"),
        ("LL402", "missing-alarms", "warning"),
        ("LL403", "reserved-exceeds-account", "error"),
        ("LL404", "async-without-failure-destination", "warning"),
    ]
    assert {o.name for o in LL401.options} == {"reserved-concurrency"}
    assert {o.name for o in LL402.options} == {"required-alarms", "alarms"}
    assert {o.name: o.default for o in LL403.options} == {"account-concurrency": 1000, "unreserved-floor": 100}


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth occurrence of ``needle``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


SAM_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'
FN_PROPS = """\
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
"""
CFN_FN_PROPS = """\
      Runtime: python3.12
      Handler: index.handler
      MemorySize: 1024
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
"""


def tf_fn(name: str, extra: str = "") -> str:
    return (
        f'resource "aws_lambda_function" "{name}" {{\n'
        f'  function_name = "{name}"\n'
        '  role          = "arn:aws:iam::123456789012:role/fn"\n'
        '  runtime       = "python3.12"\n'
        '  handler       = "app.handler"\n'
        f'  filename      = "{name}.zip"\n'
        "  memory_size   = 1024\n"
        f"{extra}}}\n\n"
    )


# ------------------------------------------------------------------ LL404
SAM_ASYNC = SAM_HEAD + """\
Globals:
  Function:
    Timeout: 10
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Thumbs:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
  Nightly:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      Events:
        Cron:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 day)
  WithDestination:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: !GetAtt Failures.Arn
      Events:
        Rule:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [orders]}
  WithDlq:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      DeadLetterQueue:
        Type: SNS
        TargetArn: !Ref DlqTopicParam
      Events:
        Topic:
          Type: SNS
          Properties:
            Topic: arn:aws:sns:us-east-1:123456789012:orders
  QueueOnly:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:orders
  Failures:
    Type: AWS::SQS::Queue
Parameters:
  DlqTopicParam:
    Type: String
"""


def test_ll404_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_ASYNC}, "LL404")
    assert sorted(f["line"] for f in found) == [line_of(SAM_ASYNC, "  Thumbs:"), line_of(SAM_ASYNC, "  Nightly:")]
    thumbs = next(f for f in found if f["line"] == line_of(SAM_ASYNC, "  Thumbs:"))
    assert "S3 notification" in thumbs["message"] and "EventInvokeConfig" in thumbs["message"]


CFN_ASYNC = CFN_HEAD + """\
Parameters:
  TargetFunction:
    Type: String
Resources:
  Ingest:
    Type: AWS::Lambda::Function
    Properties:
""" + CFN_FN_PROPS + """\
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Ingest.Arn
  Routed:
    Type: AWS::Lambda::Function
    Properties:
""" + CFN_FN_PROPS + """\
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      Targets:
        - Id: routed
          Arn: !GetAtt Routed.Arn
  RoutedConfig:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Routed
      Qualifier: $LATEST
      DestinationConfig:
        OnFailure:
          Destination: arn:aws:sqs:us-east-1:123456789012:failures
  Logged:
    Type: AWS::Lambda::Function
    Properties:
""" + CFN_FN_PROPS + """\
      DeadLetterConfig:
        TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq
  LogPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Logged
      Principal: logs.amazonaws.com
  Provider:
    Type: AWS::Lambda::Function
    Properties:
""" + CFN_FN_PROPS + """\
  Custom:
    Type: Custom::Seed
    Properties:
      ServiceToken: !GetAtt Provider.Arn
  Unknown:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref TargetFunction
      Principal: sns.amazonaws.com
"""


def test_ll404_cloudformation_yaml(tmp_path):
    found = hits(tmp_path, {"template.yaml": CFN_ASYNC}, "LL404")
    assert [f["line"] for f in found] == [line_of(CFN_ASYNC, "  Ingest:")]
    assert found[0]["related"] if "related" in found[0] else True


CFN_JSON_ASYNC = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Notify": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}},
            },
            "Sub": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {"Protocol": "lambda", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Endpoint": {"Fn::GetAtt": ["Notify", "Arn"]}},
            },
            "Safe": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"},
                               "DeadLetterConfig": {"TargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}},
            },
            "SafeSub": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {"Protocol": "lambda", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Endpoint": {"Fn::GetAtt": ["Safe", "Arn"]}},
            },
        },
    },
    indent=2,
)


def test_ll404_cloudformation_json(tmp_path):
    assert lines(tmp_path, {"template.json": CFN_JSON_ASYNC}, "LL404") == [("template.json", line_of(CFN_JSON_ASYNC, '"Notify"'))]


TF_ASYNC = (
    tf_fn("ingest")
    + tf_fn("routed", '  dead_letter_config {\n    target_arn = "arn:aws:sqs:us-east-1:123456789012:dlq"\n  }\n')
    + tf_fn("permitted")
    + tf_fn("configured")
    + """\
resource "aws_s3_bucket_notification" "uploads" {
  bucket = "uploads"
  lambda_function {
    lambda_function_arn = aws_lambda_function.ingest.arn
    events              = ["s3:ObjectCreated:*"]
  }
}

resource "aws_cloudwatch_event_target" "routed" {
  rule = "nightly"
  arn  = aws_lambda_function.routed.arn
}

resource "aws_lambda_permission" "events" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.permitted.function_name
  principal     = "events.amazonaws.com"
}

resource "aws_sns_topic_subscription" "configured" {
  topic_arn = "arn:aws:sns:us-east-1:123456789012:t"
  protocol  = "lambda"
  endpoint  = aws_lambda_function.configured.arn
}

resource "aws_lambda_function_event_invoke_config" "configured" {
  function_name = aws_lambda_function.configured.function_name
  destination_config {
    on_failure {
      destination = "arn:aws:sqs:us-east-1:123456789012:failures"
    }
  }
}

module "mod_async" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "mod-async"
  handler       = "app.handler"
  runtime       = "python3.12"
  memory_size   = 1024
  allowed_triggers = {
    nightly = { principal = "events.amazonaws.com", source_arn = "arn:aws:events:us-east-1:123456789012:rule/n" }
  }
}

module "mod_destination" {
  source                    = "terraform-aws-modules/lambda/aws"
  function_name             = "mod-destination"
  handler                   = "app.handler"
  runtime                   = "python3.12"
  memory_size               = 1024
  create_async_event_config = true
  destination_on_failure    = "arn:aws:sqs:us-east-1:123456789012:failures"
  allowed_triggers = {
    uploads = { service = "s3", source_arn = "arn:aws:s3:::uploads" }
  }
}

module "mod_unknown_dlq" {
  source                 = "terraform-aws-modules/lambda/aws"
  function_name          = "mod-unknown-dlq"
  handler                = "app.handler"
  runtime                = "python3.12"
  memory_size            = 1024
  dead_letter_target_arn = var.dlq
  allowed_triggers = {
    topic = { service = "sns" }
  }
}

variable "dlq" {
  type = string
}
"""
)


def test_ll404_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_ASYNC}, "LL404") == [
        ("main.tf", line_of(TF_ASYNC, '"aws_lambda_function" "ingest"')),
        ("main.tf", line_of(TF_ASYNC, '"aws_lambda_function" "permitted"')),
        ("main.tf", line_of(TF_ASYNC, 'module "mod_async"')),
    ]


def test_ll404_terraform_unresolved_invoke_config_is_quiet(tmp_path):
    tf = tf_fn("ingest") + """\
resource "aws_lambda_permission" "s3" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.ingest.function_name
  principal     = "s3.amazonaws.com"
}

resource "aws_lambda_function_event_invoke_config" "maybe" {
  function_name = var.function
  destination_config {
    on_failure {
      destination = "arn:aws:sqs:us-east-1:123456789012:failures"
    }
  }
}

variable "function" {
  type = string
}
"""
    assert lines(tmp_path, {"main.tf": tf}, "LL404") == []
