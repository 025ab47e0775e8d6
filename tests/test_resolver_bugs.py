"""Results that drifted between formats and resource kinds (issue 11), each checked in every
format it applies to: SAM, CloudFormation YAML, CloudFormation JSON and Terraform."""

from __future__ import annotations

import json

import pytest

from lambdalint.formats.terraform.conditions import UNRESOLVED, evaluate

from .helpers import CFN_HEAD, SAM_HEAD, hits, line_of, lines

CFN_FUNCTION = """\
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders-api
      Runtime: python3.12
      Handler: index.handler
      MemorySize: 1024
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
"""
SAM_FUNCTION = """\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-api
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
"""


def tf_function(name: str = "orders", extra: str = "", count: str = "") -> str:
    return (
        f'resource "aws_lambda_function" "{name}" {{\n'
        + (f"  count         = {count}\n" if count else "")
        + f'  function_name = "{name}"\n'
        '  role          = "arn:aws:iam::123456789012:role/fn"\n'
        '  runtime       = "python3.12"\n'
        '  handler       = "app.handler"\n'
        f'  filename      = "{name}.zip"\n'
        "  memory_size   = 1024\n"
        f"{extra}}}\n\n"
    )


# ------------------------------------------------ 1. an alias naming its function by physical name
ALIAS = """\
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: orders-api
      FunctionVersion: $LATEST
      Name: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
"""


@pytest.mark.parametrize("head,function", [(CFN_HEAD, CFN_FUNCTION), (SAM_HEAD, SAM_FUNCTION)], ids=["cfn", "sam"])
def test_alias_by_literal_function_name_on_latest_fires_ll201(tmp_path, head, function):
    text = head + "Resources:\n" + function + ALIAS
    assert lines(tmp_path, {"template.yaml": text}, "LL201") == [("template.yaml", line_of(text, "FunctionVersion: $LATEST"))]


def test_alias_by_literal_function_name_json(tmp_path):
    template = {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "orders-api", "Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/fn", "Code": {"ZipFile": "x"}}},
            "Live": {"Type": "AWS::Lambda::Alias", "Properties": {"FunctionName": "orders-api", "FunctionVersion": "$LATEST", "Name": "live", "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 5}}},
        }
    }
    text = json.dumps(template, indent=2)
    assert lines(tmp_path, {"template.json": text}, "LL201") == [("template.json", line_of(text, '"FunctionVersion"'))]


def test_alias_by_literal_function_name_of_another_function_is_quiet(tmp_path):
    text = CFN_HEAD + "Resources:\n" + CFN_FUNCTION + ALIAS.replace("orders-api", "billing-api")
    assert lines(tmp_path, {"template.yaml": text}, "LL201") == []


def test_terraform_alias_by_literal_function_name(tmp_path):
    text = tf_function() + (
        'resource "aws_lambda_alias" "live" {\n'
        '  name             = "live"\n'
        '  function_name    = "orders"\n'
        '  function_version = "$LATEST"\n'
        "}\n\n"
        'resource "aws_lambda_provisioned_concurrency_config" "live" {\n'
        '  function_name                     = "orders"\n'
        "  provisioned_concurrent_executions = 5\n"
        "  qualifier                         = aws_lambda_alias.live.name\n"
        "}\n"
    )
    assert lines(tmp_path, {"main.tf": text}, "LL201") == [("main.tf", line_of(text, "qualifier "))]


# ------------------------------------------------ 2. a Logs principal written with !Sub
def _logs_permission(principal: str) -> str:
    return f"""\
  LogsInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Fn
      Principal: {principal}
"""


@pytest.mark.parametrize("head,function", [(CFN_HEAD, CFN_FUNCTION), (SAM_HEAD, SAM_FUNCTION)], ids=["cfn", "sam"])
@pytest.mark.parametrize("principal", ["logs.amazonaws.com", "!Sub logs.${AWS::Region}.amazonaws.com", '!Sub "logs.${AWS::Region}.${AWS::URLSuffix}"'])
def test_logs_principal_with_pseudo_parameters_is_asynchronous(tmp_path, head, function, principal):
    text = head + "Resources:\n" + function + _logs_permission(principal)
    assert lines(tmp_path, {"template.yaml": text}, "LL404") == [("template.yaml", line_of(text, "  Fn:"))]


def test_logs_principal_with_pseudo_parameters_json(tmp_path):
    template = {
        "Resources": {
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/fn", "Code": {"ZipFile": "x"}}},
            "LogsInvoke": {"Type": "AWS::Lambda::Permission", "Properties": {"Action": "lambda:InvokeFunction", "FunctionName": {"Ref": "Fn"}, "Principal": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}}},
        }
    }
    text = json.dumps(template, indent=2)
    assert lines(tmp_path, {"template.json": text}, "LL404") == [("template.json", line_of(text, '"Fn"'))]


def test_principal_from_a_parameter_without_default_is_quiet(tmp_path):
    text = CFN_HEAD + "Parameters:\n  Service:\n    Type: String\nResources:\n" + CFN_FUNCTION + _logs_permission("!Sub ${Service}.amazonaws.com")
    assert lines(tmp_path, {"template.yaml": text}, "LL404") == []


def test_terraform_logs_principal_with_interpolated_region(tmp_path):
    text = tf_function() + (
        'data "aws_region" "current" {}\n\n'
        'resource "aws_lambda_permission" "logs" {\n'
        '  action        = "lambda:InvokeFunction"\n'
        "  function_name = aws_lambda_function.orders.function_name\n"
        '  principal     = "logs.${data.aws_region.current.name}.amazonaws.com"\n'
        "}\n"
    )
    assert lines(tmp_path, {"main.tf": text}, "LL404") == [("main.tf", 1)]


# ------------------------------------------------ 3. Terraform's count idiom in a reference
@pytest.mark.parametrize(
    "reference",
    [
        'join("", aws_lambda_function.orders[*].function_name)',
        "one(aws_lambda_function.orders[*].arn)",
        "element(aws_lambda_function.orders[*].arn, 0)",
        "aws_lambda_function.orders[0].arn",
    ],
)
def test_terraform_splat_reference_resolves_to_the_function(tmp_path, reference):
    text = tf_function(count="1") + (
        'resource "aws_lambda_permission" "s3" {\n'
        '  action        = "lambda:InvokeFunction"\n'
        f"  function_name = {reference}\n"
        '  principal     = "s3.amazonaws.com"\n'
        "}\n"
    )
    assert lines(tmp_path, {"main.tf": text}, "LL404") == [("main.tf", 1)]


def test_terraform_join_with_a_separator_is_no_reference(tmp_path):
    text = tf_function(count="1") + (
        'resource "aws_lambda_permission" "s3" {\n'
        '  action        = "lambda:InvokeFunction"\n'
        '  function_name = join(",", aws_lambda_function.orders[*].function_name)\n'
        '  principal     = "s3.amazonaws.com"\n'
        "}\n"
    )
    assert lines(tmp_path, {"main.tf": text}, "LL404") == []


# ------------------------------------------------ 4. DeadLetterErrors for a DLQ given by reference
def _dead_letter_metrics(tmp_path, files) -> list[str]:
    found = hits(tmp_path, files, "LL402")
    return ["DeadLetterErrors" in f["message"] for f in found]


QUEUE = "  Dlq:\n    Type: AWS::SQS::Queue\n"


@pytest.mark.parametrize(
    "head,function,dlq",
    [
        (SAM_HEAD, SAM_FUNCTION, "      DeadLetterQueue:\n        Type: SQS\n        TargetArn: !GetAtt Dlq.Arn\n"),
        (CFN_HEAD, CFN_FUNCTION, "      DeadLetterConfig:\n        TargetArn: !GetAtt Dlq.Arn\n"),
        (CFN_HEAD, CFN_FUNCTION, "      DeadLetterConfig:\n        TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq\n"),
    ],
    ids=["sam-getatt", "cfn-getatt", "cfn-literal"],
)
def test_dead_letter_errors_required_for_a_dlq_by_reference(tmp_path, head, function, dlq):
    text = head + "Resources:\n" + QUEUE + function + dlq
    assert _dead_letter_metrics(tmp_path, {"template.yaml": text}) == [True]


def test_dead_letter_errors_json(tmp_path):
    template = {
        "Resources": {
            "Dlq": {"Type": "AWS::SQS::Queue"},
            "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/fn", "Code": {"ZipFile": "x"}, "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}}},
        }
    }
    assert _dead_letter_metrics(tmp_path, {"template.json": json.dumps(template, indent=2)}) == [True]


def test_dead_letter_from_an_unresolvable_parameter_asks_nothing(tmp_path):
    text = CFN_HEAD + "Parameters:\n  DlqArn:\n    Type: String\nResources:\n" + CFN_FUNCTION + "      DeadLetterConfig:\n        TargetArn: !Ref DlqArn\n"
    assert _dead_letter_metrics(tmp_path, {"template.yaml": text}) == [False]


@pytest.mark.parametrize(
    "text",
    [
        'resource "aws_sqs_queue" "dlq" {}\n\n' + tf_function(extra="  dead_letter_config {\n    target_arn = aws_sqs_queue.dlq.arn\n  }\n"),
        'resource "aws_sqs_queue" "dlq" {}\n\nmodule "orders" {\n  source                 = "terraform-aws-modules/lambda/aws"\n  function_name          = "orders"\n  handler                = "app.handler"\n  runtime                = "python3.12"\n  dead_letter_target_arn = aws_sqs_queue.dlq.arn\n}\n',
    ],
    ids=["resource", "module"],
)
def test_terraform_dead_letter_errors_for_a_queue_reference(tmp_path, text):
    assert _dead_letter_metrics(tmp_path, {"main.tf": text}) == [True]


def test_terraform_dead_letter_from_a_variable_without_default_asks_nothing(tmp_path):
    text = 'variable "dlq" {}\n\n' + tf_function(extra="  dead_letter_config {\n    target_arn = var.dlq\n  }\n")
    assert _dead_letter_metrics(tmp_path, {"main.tf": text}) == [False]


# ------------------------------------------------ 5. SAM Globals EventInvokeConfig
SAM_S3_FUNCTIONS = """\
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Thumbnails:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
  Topic:
    Type: AWS::SNS::Topic
  Notify:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Events:
        Sns:
          Type: SNS
          Properties:
            Topic: !Ref Topic
"""


@pytest.mark.parametrize(
    "on_failure",
    ["          Type: SQS\n", "          Type: SNS\n", "          Type: SQS\n          Destination: arn:aws:sqs:us-east-1:123456789012:failed\n"],
    ids=["sqs-created-by-sam", "sns-created-by-sam", "sqs-given"],
)
def test_sam_globals_event_invoke_config_covers_every_function(tmp_path, on_failure):
    text = SAM_HEAD + "Globals:\n  Function:\n    EventInvokeConfig:\n      DestinationConfig:\n        OnFailure:\n" + on_failure + SAM_S3_FUNCTIONS
    assert lines(tmp_path, {"template.yaml": text}, "LL404") == []


def test_sam_globals_without_on_failure_still_fires(tmp_path):
    text = SAM_HEAD + "Globals:\n  Function:\n    EventInvokeConfig:\n      MaximumRetryAttempts: 1\n" + SAM_S3_FUNCTIONS
    assert lines(tmp_path, {"template.yaml": text}, "LL404") == [("template.yaml", line_of(text, "  Thumbnails:")), ("template.yaml", line_of(text, "  Notify:"))]


def test_plain_cloudformation_on_failure_without_destination_is_none(tmp_path):
    text = CFN_HEAD + "Resources:\n" + CFN_FUNCTION + _logs_permission("s3.amazonaws.com") + (
        "  Invoke:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: !Ref Fn\n      Qualifier: $LATEST\n"
        "      DestinationConfig:\n        OnFailure:\n          Type: SQS\n"
    )
    assert lines(tmp_path, {"template.yaml": text}, "LL404") == [("template.yaml", line_of(text, "  Fn:"))]


# ------------------------------------------------ 6. a function URL whose function is elsewhere
EXTERNAL_URL = """\
  PublicUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: {auth}
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:deployed-elsewhere
"""


@pytest.mark.parametrize("head", [CFN_HEAD, SAM_HEAD], ids=["cfn", "sam"])
def test_url_on_a_function_outside_the_scan_is_reported(tmp_path, head):
    text = head + "Resources:\n" + EXTERNAL_URL.format(auth="NONE")
    found = hits(tmp_path, {"template.yaml": text}, "LL503")
    assert [(f["path"], f["line"]) for f in found] == [("template.yaml", line_of(text, "AuthType"))]
    assert "deployed-elsewhere" in found[0]["message"]


def test_url_on_a_function_outside_the_scan_json(tmp_path):
    template = {"Resources": {"PublicUrl": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE", "TargetFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:x"}}}}
    text = json.dumps(template, indent=2)
    assert lines(tmp_path, {"template.json": text}, "LL503") == [("template.json", line_of(text, '"AuthType"'))]


def test_url_on_a_function_outside_the_scan_with_iam_is_quiet(tmp_path):
    text = CFN_HEAD + "Resources:\n" + EXTERNAL_URL.format(auth="AWS_IAM")
    assert lines(tmp_path, {"template.yaml": text}, "LL503") == []


def test_terraform_url_on_a_function_of_another_root(tmp_path):
    files = {
        "functions/main.tf": tf_function(),
        "urls/main.tf": 'resource "aws_lambda_function_url" "orders" {\n  function_name      = "orders"\n  authorization_type = "NONE"\n}\n',
        "urls/iam.tf": 'resource "aws_lambda_function_url" "billing" {\n  function_name      = "billing"\n  authorization_type = "AWS_IAM"\n}\n',
    }
    assert lines(tmp_path, files, "LL503") == [("urls/main.tf", 3)]


# ------------------------------------------------ 7. Terraform count / for_each on known values
URL_BLOCK = """\
resource "aws_lambda_function_url" "orders" {{
  count              = {count}
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "NONE"
}}
"""
PC_BLOCK = """\
resource "aws_lambda_provisioned_concurrency_config" "orders" {{
  count                             = {count}
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 5
  qualifier                         = "live"
}}
"""
VARIABLES = """\
variable "enabled" {
  default = false
}

variable "on" {
  default = true
}

variable "pc" {
  default = -1
}

variable "unknown" {}

locals {
  create = var.on && !var.enabled
}

"""


@pytest.mark.parametrize(
    "count,exists",
    [
        ("var.enabled ? 1 : 0", False),
        ("var.on ? 1 : 0", True),
        ("local.create && var.enabled ? 1 : 0", False),
        ("local.create ? 1 : 0", True),
        ("var.pc > -1 ? 1 : 0", False),
        ("var.pc >= -1 ? 1 : 0", True),
        ('var.enabled == true || var.on == false ? 1 : 0', False),
        ("var.unknown ? 1 : 0", None),  # may exist: never a reason to warn
        ("var.unknown && var.enabled ? 1 : 0", False),  # false whatever the unknown is
    ],
)
def test_terraform_count_conditions(tmp_path, count, exists):
    text = VARIABLES + tf_function() + URL_BLOCK.format(count=count) + "\n" + PC_BLOCK.format(count=count)
    found = hits(tmp_path, {"main.tf": text}, "LL503,LL401,LL402")
    url = [f for f in found if f["rule"] == "LL503"]
    reserved = [f for f in found if f["rule"] == "LL401"]
    alarms = [f for f in found if f["rule"] == "LL402"]
    assert len(url) == (1 if exists else 0)
    assert len(reserved) == 1 and ("provisioned concurrency" in reserved[0]["message"]) == bool(exists)
    assert len(alarms) == 1 and ("ProvisionedConcurrencySpilloverInvocations" in alarms[0]["message"]) == bool(exists)


def test_terraform_for_each_on_an_empty_default_creates_nothing(tmp_path):
    text = 'variable "urls" {\n  default = {}\n}\n\n' + tf_function() + (
        'resource "aws_lambda_function_url" "orders" {\n'
        "  for_each           = var.urls\n"
        "  function_name      = aws_lambda_function.orders.function_name\n"
        '  authorization_type = "NONE"\n'
        "}\n"
    )
    assert lines(tmp_path, {"main.tf": text}, "LL503") == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("var.a ? 1 : 0", 1),
        ("!var.a ? 1 : 0", 0),
        ("var.a && var.b", False),
        ("var.b || var.a", True),
        ("(var.a || var.x) && !var.b", True),
        ("var.x || var.a", True),
        ("var.x && var.a", UNRESOLVED),
        ("var.n > 2", True),
        ('var.s == "prod" ? 10 : 1', 10),
        ('var.s != "prod"', False),
        ("length(var.l) > 0 ? 1 : 0", UNRESOLVED),
        ("var.a ? 1", UNRESOLVED),
        ("true ? null : 2", None),
    ],
)
def test_condition_evaluator(text, value):
    known = {"var.a": True, "var.b": False, "var.n": 3, "var.s": "prod", "var.l": [1]}
    assert evaluate(text, lambda name: known.get(name, UNRESOLVED)) == value if value is not UNRESOLVED else evaluate(text, lambda name: known.get(name, UNRESOLVED)) is UNRESOLVED
