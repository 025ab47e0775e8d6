"""IoT topic rules invoke Lambda asynchronously: LL404 needs a failure destination for them."""

from __future__ import annotations

from .conftest import check_json, write_files

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Ingest:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code:
        ZipFile: "def handler(event, context): return 1"
{dlq}  Rule:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        Sql: SELECT * FROM 'devices/+/telemetry'
        Actions:
          - Lambda:
              FunctionArn: !GetAtt Ingest.Arn
"""
TF = """\
resource "aws_lambda_function" "ingest" {{
  function_name = "ingest"
  role          = "arn:aws:iam::123456789012:role/x"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "ingest.zip"
{dlq}}}

resource "aws_iot_topic_rule" "telemetry" {{
  name        = "telemetry"
  enabled     = true
  sql         = "SELECT * FROM 'devices/+/telemetry'"
  sql_version = "2016-03-23"

  lambda {{
    function_arn = aws_lambda_function.ingest.arn
  }}
}}
"""


def ll404(tmp_path):
    return [(f["path"], f["line"], [r["line"] for r in f["related"]]) for f in check_json(tmp_path, "--select", "LL404")["findings"]]


def test_iot_rule_is_an_asynchronous_caller(tmp_path):
    write_files(tmp_path, {"cfn/template.yaml": CFN.format(dlq=""), "tf/main.tf": TF.format(dlq="")})
    assert ll404(tmp_path) == [("cfn/template.yaml", 3, [17]), ("tf/main.tf", 1, [15])]


def test_iot_rule_with_a_dead_letter_queue_is_fine(tmp_path):
    cfn_dlq = CFN.replace('        ZipFile: "def handler(event, context): return 1"\n', '        ZipFile: "def handler(event, context): return 1"\n      DeadLetterConfig:\n        TargetArn: arn:aws:sqs:eu-west-1:123456789012:dlq\n')
    tf_dlq = '  dead_letter_config {\n    target_arn = "arn:aws:sqs:eu-west-1:123456789012:dlq"\n  }\n'
    write_files(tmp_path, {"cfn/template.yaml": cfn_dlq.format(dlq=""), "tf/main.tf": TF.format(dlq=tf_dlq)})
    assert ll404(tmp_path) == []
