"""Concurrency, failure and observability rules (LL205, LL401-LL404) and the model they need
(callers, DLQs / failure destinations, alarms): line-precise in SAM, CloudFormation YAML and
JSON, and Terraform; quiet on values that cannot be resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.engine import build_project, parse_all, run
from lambdalint.rules.registry import load_rules
from lambdalint.rules.ll205_pc_not_invoked import RULE as LL205
from lambdalint.rules.ll401_missing_reserved_concurrency import RULE as LL401
from lambdalint.rules.ll402_missing_alarms import RULE as LL402
from lambdalint.rules.ll403_reserved_exceeds_account import RULE as LL403
from lambdalint.rules.ll404_async_without_failure_destination import RULE as LL404

from .helpers import CFN_HEAD, SAM_HEAD, hits, line_of, lines

MINE = (LL205, LL401, LL402, LL403, LL404)


# ------------------------------------------------------------------ metadata (the examples run in test_rule_examples.py)
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
    assert [r["line"] for r in found[0]["related"]] == [line_of(CFN_ASYNC, "- Event: s3:ObjectCreated")]


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


# ------------------------------------------------------------------ LL402
SAM_ALARMS = SAM_HEAD + """\
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      FunctionName: orders
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 2
      DeadLetterQueue:
        Type: SQS
        TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq
      Events:
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/orders
            StartingPosition: LATEST
  Queue:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:jobs
  Elsewhere:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      FunctionName: !Sub "${AWS::StackName}-elsewhere"
  OrdersErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref Orders
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
  QueueAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      Metrics:
        - Id: e
          ReturnData: false
          MetricStat:
            Stat: Sum
            Period: 60
            Metric:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions: [{Name: FunctionName, Value: !Ref Queue}]
        - Id: t
          ReturnData: false
          MetricStat:
            Stat: Sum
            Period: 60
            Metric:
              Namespace: AWS/Lambda
              MetricName: Throttles
              Dimensions: [{Name: FunctionName, Value: !Ref Queue}]
        - Id: sum
          Expression: e + t
  NotLambda:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: Throttles
      Dimensions:
        - Name: FunctionName
          Value: orders
"""

# another stack of the same project watches the function by a name that matches its pattern
ALARMS_STACK = CFN_HEAD + """\
Resources:
  ElsewhereThrottles:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Throttles
      Dimensions:
        - Name: FunctionName
          Value: prod-elsewhere
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
  ElsewhereErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: prod-elsewhere
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
"""


def test_ll402_sam_lists_exactly_the_missing_metrics(tmp_path):
    found = hits(tmp_path, {"app/template.yaml": SAM_ALARMS, "ops/alarms.yaml": ALARMS_STACK}, "LL402")
    assert [(f["path"], f["line"]) for f in found] == [("app/template.yaml", line_of(SAM_ALARMS, "  Orders:"))]
    message = found[0]["message"]
    assert "watches Throttles, ProvisionedConcurrencySpilloverInvocations, IteratorAge, DeadLetterErrors for Orders" in message
    assert "Errors," not in message.replace("DeadLetterErrors", "")


def test_ll402_without_the_other_stack_fires_for_the_function_it_watches(tmp_path):
    found = hits(tmp_path, {"app/template.yaml": SAM_ALARMS}, "LL402")
    assert sorted(f["line"] for f in found) == [line_of(SAM_ALARMS, "  Orders:"), line_of(SAM_ALARMS, "  Elsewhere:")]


def test_ll402_options(tmp_path):
    external = hits(tmp_path, {"app/template.yaml": SAM_ALARMS}, "LL402", '[rules.LL402]\nalarms = "external"\n')
    assert external == []
    only_errors = hits(tmp_path, {"app/template.yaml": SAM_ALARMS}, "LL402", '[rules.missing-alarms]\nrequired-alarms = ["Errors", "Duration"]\n')
    assert sorted((f["line"], f["message"].split(" for ")[0]) for f in only_errors) == [
        (line_of(SAM_ALARMS, "  Orders:"), "no CloudWatch alarm in the project watches Duration"),
        (line_of(SAM_ALARMS, "  Queue:"), "no CloudWatch alarm in the project watches Duration"),
        (line_of(SAM_ALARMS, "  Elsewhere:"), "no CloudWatch alarm in the project watches Errors, Duration"),
    ]


CFN_UNKNOWN_ALARM = CFN_HEAD + """\
Parameters:
  Watched:
    Type: String
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
""" + CFN_FN_PROPS + """\
  Throttles:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Throttles
      Dimensions:
        - Name: FunctionName
          Value: !Ref Watched
  Errors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: !Ref Watched
      Dimensions:
        - Name: FunctionName
          Value: !Ref Worker
"""


def test_ll402_unresolvable_alarm_values_never_fire(tmp_path):
    assert lines(tmp_path, {"template.yaml": CFN_UNKNOWN_ALARM}, "LL402") == []


CFN_JSON_ALARMS = json.dumps(
    {
        "Resources": {
            "Billing": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"FunctionName": "billing", "Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}},
            },
            "Refunds": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"FunctionName": "refunds", "Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}},
            },
            "BillingErrors": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": [{"Name": "FunctionName", "Value": "billing"}]},
            },
            "BillingThrottles": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Throttles", "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "Billing"}}]},
            },
            "RefundsErrors": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Dimensions": [{"Name": "FunctionName", "Value": "refunds"}]},
            },
        }
    },
    indent=2,
)


def test_ll402_cloudformation_json(tmp_path):
    found = hits(tmp_path, {"template.json": CFN_JSON_ALARMS}, "LL402")
    assert [(f["line"], "watches Throttles for Refunds" in f["message"]) for f in found] == [(line_of(CFN_JSON_ALARMS, '"Refunds"'), True)]


TF_ALARMED = tf_fn("api") + tf_fn("stream") + tf_fn("math") + tf_fn("bare") + """\
module "worker" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "worker"
  handler       = "app.handler"
  runtime       = "python3.12"
  memory_size   = 1024
}

resource "aws_lambda_event_source_mapping" "stream" {
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.stream.arn
  starting_position = "LATEST"
}

resource "aws_dynamodb_table" "orders" {
  name = "orders"
}
"""

TF_ALARMS_FILE = """\
resource "aws_cloudwatch_metric_alarm" "api" {
  for_each            = toset(["Errors", "Throttles"])
  alarm_name          = "api-${each.value}"
  namespace           = "AWS/Lambda"
  metric_name         = each.value
  dimensions          = { FunctionName = aws_lambda_function.api.function_name }
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 0
}

resource "aws_cloudwatch_metric_alarm" "stream" {
  for_each            = toset(["Errors", "Throttles"])
  alarm_name          = "stream-${each.value}"
  namespace           = "AWS/Lambda"
  metric_name         = each.value
  dimensions          = { FunctionName = "stream" }
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 0
}

resource "aws_cloudwatch_metric_alarm" "math" {
  alarm_name          = "math"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 0
  metric_query {
    id = "e"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = aws_lambda_function.math.function_name }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "t"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Throttles"
      dimensions  = { FunctionName = aws_lambda_function.math.function_name }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id          = "sum"
    expression  = "e + t"
    return_data = true
  }
}

module "worker_alarms" {
  source      = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  for_each    = toset(["Errors", "Throttles"])
  alarm_name  = "worker-${each.key}"
  namespace   = "AWS/Lambda"
  metric_name = each.key
  dimensions  = { FunctionName = module.worker.lambda_function_name }
}
"""


def test_ll402_terraform_alarms_in_another_file(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_ALARMED, "alarms.tf": TF_ALARMS_FILE}, "LL402")
    got = sorted((f["line"], f["message"].split(" for ")[0]) for f in found)
    assert got == [
        (line_of(TF_ALARMED, '"aws_lambda_function" "stream"'), "no CloudWatch alarm in the project watches IteratorAge"),
        (line_of(TF_ALARMED, '"aws_lambda_function" "bare"'), "no CloudWatch alarm in the project watches Throttles, Errors"),
    ]


def test_ll402_terraform_alarms_in_another_root_by_literal_name(tmp_path):
    other = """\
resource "aws_cloudwatch_metric_alarm" "bare" {
  for_each    = { errors = "Errors", throttles = "Throttles" }
  namespace   = "AWS/Lambda"
  metric_name = each.value
  dimensions  = { FunctionName = "bare" }
}

resource "aws_cloudwatch_metric_alarm" "unknown" {
  namespace   = "AWS/Lambda"
  metric_name = "IteratorAge"
  dimensions  = { FunctionName = var.function }
}

variable "function" {
  type = string
}
"""
    assert lines(tmp_path, {"app/main.tf": TF_ALARMED, "app/alarms.tf": TF_ALARMS_FILE, "monitoring/main.tf": other}, "LL402") == []


# ------------------------------------------------------------------ LL401
PG_HANDLER = """\
import os

import psycopg2

_conn = None


def handler(event, context):
    global _conn
    if _conn is None:
        _conn = psycopg2.connect(os.environ["DB_HOST"])
    return 1
"""

SAM_RESERVED = SAM_HEAD + """\
Parameters:
  Reserved:
    Type: Number
Resources:
  Db:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/db/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 1024
  Proxied:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      Environment:
        Variables:
          DB_ENDPOINT: !GetAtt Proxy.Endpoint
  Vpc:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [sg-1]
      Environment:
        Variables:
          DB_HOST: orders-db
  Warm:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 2
  Plain:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
  Capped:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      ReservedConcurrentExecutions: 10
      Environment:
        Variables:
          DATABASE_URL: postgresql://orders.cluster-abc.eu-west-1.rds.amazonaws.com/orders
  FromParameter:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      ReservedConcurrentExecutions: !Ref Reserved
  Proxy:
    Type: AWS::RDS::DBProxy
"""


def test_ll401_sam_levels_and_evidence(tmp_path):
    files = {"template.yaml": SAM_RESERVED, "src/db/app.py": PG_HANDLER}
    found = hits(tmp_path, files, "LL401")
    got = sorted((f["line"], f["level"]) for f in found)
    assert got == sorted(
        [
            (line_of(SAM_RESERVED, "  Db:"), "warning"),
            (line_of(SAM_RESERVED, "  Proxied:"), "warning"),
            (line_of(SAM_RESERVED, "  Vpc:"), "warning"),
            (line_of(SAM_RESERVED, "  Warm:"), "warning"),
            (line_of(SAM_RESERVED, "  Plain:"), "note"),
        ]
    )
    db = next(f for f in found if f["line"] == line_of(SAM_RESERVED, "  Db:"))
    assert "psycopg2.connect" in db["message"]
    assert [(r["path"], r["line"]) for r in db["related"]] == [("src/db/app.py", line_of(PG_HANDLER, "psycopg2.connect("))]
    proxied = next(f for f in found if f["line"] == line_of(SAM_RESERVED, "  Proxied:"))
    assert [r["line"] for r in proxied["related"]] == [line_of(SAM_RESERVED, "DB_ENDPOINT:")]


def test_ll401_options(tmp_path):
    files = {"template.yaml": SAM_RESERVED, "src/db/app.py": PG_HANDLER}
    every = hits(tmp_path, files, "LL401", '[rules.LL401]\nreserved-concurrency = "all"\n')
    assert [(f["rule"], f["path"], f["line"]) for f in every] == [
        ("LL401", "template.yaml", line_of(SAM_RESERVED, f"  {name}:")) for name in ("Db", "Proxied", "Vpc", "Warm", "Plain")
    ]
    assert {f["level"] for f in every} == {"warning"}
    assert hits(tmp_path, files, "LL401", '[rules.LL401]\nreserved-concurrency = "off"\n') == []


CFN_JSON_RESERVED = json.dumps(
    {
        "Resources": {
            "Reports": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"},
                    "Environment": {"Variables": {"DB_HOST": {"Fn::GetAtt": ["Db", "Endpoint.Address"]}}},
                },
            },
            "Capped": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}, "ReservedConcurrentExecutions": 5},
            },
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {}},
        }
    },
    indent=2,
)


def test_ll401_cloudformation_json(tmp_path):
    found = hits(tmp_path, {"template.json": CFN_JSON_RESERVED}, "LL401")
    assert [(f["line"], f["level"]) for f in found] == [(line_of(CFN_JSON_RESERVED, '"Reports"'), "warning")]


TF_RESERVED = (
    tf_fn("minus_one", "  reserved_concurrent_executions = -1\n")
    + tf_fn("capped", "  reserved_concurrent_executions = 20\n")
    + tf_fn("unknown", "  reserved_concurrent_executions = var.reserved\n")
    + tf_fn("rds", "  environment {\n    variables = {\n      DB_HOST = aws_db_instance.orders.address\n    }\n  }\n")
    + """\
module "proxied" {
  source                = "terraform-aws-modules/lambda/aws"
  function_name         = "proxied"
  handler               = "app.handler"
  runtime               = "python3.12"
  memory_size           = 1024
  environment_variables = { DB_HOST = "${aws_db_proxy.orders.endpoint}" }
}

variable "reserved" {
  type = number
}
"""
)


def test_ll401_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_RESERVED}, "LL401")
    assert sorted((f["line"], f["level"]) for f in found) == [
        (line_of(TF_RESERVED, "reserved_concurrent_executions = -1"), "note"),
        (line_of(TF_RESERVED, '"aws_lambda_function" "rds"'), "warning"),
        (line_of(TF_RESERVED, 'module "proxied"'), "warning"),
    ]


# ------------------------------------------------------------------ LL403
SAM_ACCOUNT = SAM_HEAD + """\
Globals:
  Function:
    ReservedConcurrentExecutions: 300
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
  B:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
  C:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      ReservedConcurrentExecutions: 400
"""


def test_ll403_sam_once_at_the_largest(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_ACCOUNT}, "LL403")
    assert [f["line"] for f in found] == [line_of(SAM_ACCOUNT, "      ReservedConcurrentExecutions: 400")]
    assert "adds up to 1000 across 3 function(s)" in found[0]["message"] and "900" in found[0]["message"]
    assert [r["line"] for r in found[0]["related"]] == [line_of(SAM_ACCOUNT, "    ReservedConcurrentExecutions: 300")]


def test_ll403_options(tmp_path):
    files = {"template.yaml": SAM_ACCOUNT}
    assert hits(tmp_path, files, "LL403", "[rules.LL403]\naccount-concurrency = 2000\n") == []
    assert hits(tmp_path, files, "LL403", "[rules.reserved-exceeds-account]\nunreserved-floor = 0\n") == []
    found = hits(tmp_path, files, "LL403", "[rules.LL403]\naccount-concurrency = 1050\n")
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [("LL403", "template.yaml", line_of(SAM_ACCOUNT, "      ReservedConcurrentExecutions: 400"))]


def cfn_reserved(*amounts) -> str:
    out = CFN_HEAD + "Resources:\n"
    for i, amount in enumerate(amounts):
        out += f"  Fn{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n" + CFN_FN_PROPS + f"      ReservedConcurrentExecutions: {amount}\n"
    return out


def test_ll403_cloudformation_per_stack(tmp_path):
    assert lines(tmp_path, {"a.yaml": cfn_reserved(500), "b.yaml": cfn_reserved(450)}, "LL403") == []
    three = cfn_reserved(400, "!Ref Unknown", 600)
    assert lines(tmp_path, {"c.yaml": three}, "LL403") == [("c.yaml", line_of(three, "ReservedConcurrentExecutions: 600"))]


def test_ll403_cloudformation_json(tmp_path):
    doc = json.dumps({"Resources": {"Big": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}, "ReservedConcurrentExecutions": 950}}}}, indent=2)
    assert lines(tmp_path, {"template.json": doc}, "LL403") == [("template.json", line_of(doc, '"ReservedConcurrentExecutions"'))]


TF_ACCOUNT = (
    tf_fn("ingest", "  reserved_concurrent_executions = 500\n")
    + tf_fn("export", "  reserved_concurrent_executions = var.export\n")
    + tf_fn("none", "  reserved_concurrent_executions = -1\n")
    + """\
module "worker" {
  source                         = "terraform-aws-modules/lambda/aws"
  function_name                  = "worker"
  handler                        = "app.handler"
  runtime                        = "python3.12"
  memory_size                    = 1024
  reserved_concurrent_executions = local.worker_reserved
}

locals {
  worker_reserved = 450
}

variable "export" {
  type = number
}
"""
)


def test_ll403_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_ACCOUNT}, "LL403")
    assert [f["line"] for f in found] == [line_of(TF_ACCOUNT, "reserved_concurrent_executions = 500")]
    assert [r["line"] for r in found[0]["related"]] == [line_of(TF_ACCOUNT, "reserved_concurrent_executions = local.worker_reserved")]
    # the same functions split over two roots stay under the limit in each
    split = {"a/main.tf": tf_fn("ingest", "  reserved_concurrent_executions = 500\n"), "b/main.tf": tf_fn("worker", "  reserved_concurrent_executions = 450\n")}
    assert lines(tmp_path / "split", split, "LL403") == []


# ------------------------------------------------------------------ LL205
SAM_WARM = SAM_HEAD + """\
Resources:
  Unused:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  UnusedPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Unused.Arn
      Principal: apigateway.amazonaws.com
  UnusedRule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 minute)
      Targets:
        - Id: unused
          Arn: !Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:unused"
  Evented:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:q
  ViaAlias:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  ViaAliasPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref ViaAlias.Alias
      Principal: sns.amazonaws.com
  ViaSub:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
  ViaSubMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Sub "${ViaSub.Arn}:live"
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:q
  SnapUnqualified:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
  SnapMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref SnapUnqualified
      EventSourceArn: arn:aws:sqs:us-east-1:123456789012:q
  NoCallers:
    Type: AWS::Serverless::Function
    Properties:
""" + FN_PROPS + """\
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
"""


def test_ll205_sam(tmp_path):
    # Unused's FunctionName is absent, so the literal ARN in UnusedRule cannot be matched: the permission alone decides
    found = hits(tmp_path, {"template.yaml": SAM_WARM}, "LL205")
    assert sorted(f["line"] for f in found) == [
        line_of(SAM_WARM, "ProvisionedConcurrencyConfig:"),
        line_of(SAM_WARM, "ApplyOn: PublishedVersions", 1),
    ]
    unused = min(found, key=lambda f: f["line"])
    assert "provisioned concurrency 5 on Unused" in unused["message"]
    assert [r["line"] for r in unused["related"]] == [line_of(SAM_WARM, "  UnusedPermission:")]


CFN_WARM = CFN_HEAD + """\
Parameters:
  Target:
    Type: String
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
""" + CFN_FN_PROPS + """\
      FunctionName: orders
  OrdersVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
  OrdersLive:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt OrdersVersion.Version
      Name: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  OrdersMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: orders
      EventSourceArn: arn:aws:kinesis:us-east-1:123456789012:stream/orders
  OrdersUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: AWS_IAM
      TargetFunctionArn: !GetAtt Orders.Arn
{extra}"""


def test_ll205_cloudformation_yaml(tmp_path):
    plain = CFN_WARM.format(extra="")
    assert lines(tmp_path, {"template.yaml": plain}, "LL205") == [("template.yaml", line_of(plain, "ProvisionedConcurrencyConfig:"))]


@pytest.mark.parametrize(
    "extra",
    [
        "      Qualifier: live\n",  # the URL invokes the alias
        "  Other:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref OrdersLive\n      Principal: s3.amazonaws.com\n",
        "  Maybe:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref Target\n      Principal: s3.amazonaws.com\n",
    ],
    ids=["qualified-url", "permission-on-alias", "unresolved-caller"],
)
def test_ll205_cloudformation_quiet(tmp_path, extra):
    assert lines(tmp_path, {"template.yaml": CFN_WARM.format(extra=extra)}, "LL205") == []


CFN_JSON_WARM = json.dumps(
    {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "MemorySize": 1024, "Role": "arn:aws:iam::1:role/r", "Code": {"ZipFile": "x"}}},
            "Ver": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}},
            "Live": {
                "Type": "AWS::Lambda::Alias",
                "Properties": {"FunctionName": {"Ref": "Fn"}, "FunctionVersion": {"Fn::GetAtt": ["Ver", "Version"]}, "Name": "live", "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 3}},
            },
            "Sub": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "lambda", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Endpoint": {"Fn::GetAtt": ["Fn", "Arn"]}}},
        }
    },
    indent=2,
)


def test_ll205_cloudformation_json(tmp_path):
    assert lines(tmp_path, {"template.json": CFN_JSON_WARM}, "LL205") == [("template.json", line_of(CFN_JSON_WARM, '"ProvisionedConcurrencyConfig"'))]


TF_WARM = (
    tf_fn("orders", "  publish       = true\n")
    + tf_fn("snappy", '  publish       = true\n  snap_start {\n    apply_on = "PublishedVersions"\n  }\n')
    + tf_fn("aliased", "  publish       = true\n")
    + """\
resource "aws_lambda_alias" "orders_live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}

resource "aws_lambda_provisioned_concurrency_config" "orders" {
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 4
  qualifier                         = aws_lambda_alias.orders_live.name
}

resource "aws_lambda_event_source_mapping" "orders" {
  event_source_arn = "arn:aws:sqs:us-east-1:123456789012:orders"
  function_name    = aws_lambda_function.orders.arn
}

resource "aws_lambda_function_url" "snappy" {
  function_name      = aws_lambda_function.snappy.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_alias" "aliased_live" {
  name             = "live"
  function_name    = aws_lambda_function.aliased.function_name
  function_version = aws_lambda_function.aliased.version
}

resource "aws_lambda_provisioned_concurrency_config" "aliased" {
  function_name                     = aws_lambda_function.aliased.function_name
  provisioned_concurrent_executions = 4
  qualifier                         = aws_lambda_alias.aliased_live.name
}

resource "aws_lambda_permission" "aliased" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.aliased.function_name
  qualifier     = aws_lambda_alias.aliased_live.name
  principal     = "sns.amazonaws.com"
}

resource "aws_sns_topic_subscription" "aliased" {
  topic_arn = "arn:aws:sns:us-east-1:123456789012:t"
  protocol  = "lambda"
  endpoint  = "${aws_lambda_function.aliased.arn}:live"
}

module "warm" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "warm"
  handler                           = "app.handler"
  runtime                           = "python3.12"
  memory_size                       = 1024
  publish                           = true
  provisioned_concurrent_executions = 2
  event_source_mapping = {
    sqs = { event_source_arn = "arn:aws:sqs:us-east-1:123456789012:warm" }
  }
}
"""
)


def test_ll205_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_WARM}, "LL205") == [
        ("main.tf", line_of(TF_WARM, "apply_on")),
        ("main.tf", line_of(TF_WARM, "qualifier                         = aws_lambda_alias.orders_live.name")),
        ("main.tf", line_of(TF_WARM, "provisioned_concurrent_executions = 2")),
    ]


# ------------------------------------------------------------------ parity
# tests/fixtures/projects/parity-ops/<format>/: the same six functions as SAM (alarms in a second
# stack, by literal name), CloudFormation YAML, CloudFormation JSON and Terraform (alarms.tf).
PARITY_OPS = Path(__file__).resolve().parent / "fixtures" / "projects" / "parity-ops"
PARITY_FUNCTIONS = {"ingest", "orders", "stream", "batch", "warm", "quiet"}
PARITY_EXPECTED = {
    ("LL404", "ingest"),  # S3 notification, no DLQ / on-failure destination
    ("LL401", "orders"),  # psycopg2 handler without reserved concurrency (a warning)
    ("LL402", "stream"),  # Kinesis source without an IteratorAge alarm
    ("LL403", "stream"),  # 10 + 500 + 450 + 20 reserved > 900; reported at the largest
    ("LL205", "warm"),  # PC on alias live, the only caller uses the unqualified ARN
}


def _parity_scan(fmt: str):
    rules = load_rules()
    mine = {r.id for r in MINE}
    result = run([str(PARITY_OPS / fmt)], Settings(), rules, mine, root=PARITY_OPS)
    files, _ = discover([str(PARITY_OPS / fmt)], PARITY_OPS)
    project = build_project(parse_all(files, 1), PARITY_OPS, Settings())
    return result, project


def _function_of(finding, project) -> str:
    for function in project.functions:
        if finding.subject in {function.address} | {pc.address for pc in function.provisioned}:
            return function.name.lower()
    raise AssertionError(f"cannot map {finding.rule_id} at {finding.location} to a function")


@pytest.mark.parametrize("fmt", ("sam", "cfn-yaml", "cfn-json", "terraform"))
def test_parity_operations(fmt):
    result, project = _parity_scan(fmt)
    assert not result.rule_errors
    assert {f.name.lower() for f in project.functions} == PARITY_FUNCTIONS
    got = [(f.rule_id, _function_of(f, project)) for f in result.findings]
    assert set(got) == PARITY_EXPECTED
    assert len(got) == len(PARITY_EXPECTED), got
    levels = {f.rule_id: f.level for f in result.findings}
    assert levels == {"LL404": "warning", "LL401": "warning", "LL402": "warning", "LL403": "error", "LL205": "warning"}
    stream = next(f for f in result.findings if f.rule_id == "LL402")
    assert "watches IteratorAge for" in stream.message
