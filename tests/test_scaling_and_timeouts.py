"""LL202, LL203, LL301, LL304 (and LL302's deference to LL301)."""

from __future__ import annotations

import pytest

from lambdalint.rules.ll202_pc_without_autoscaling import RULE as LL202
from lambdalint.rules.ll203_pc_target_utilization import RULE as LL203
from lambdalint.rules.ll301_cpu_bound_low_memory import RULE as LL301
from lambdalint.rules.ll304_sync_timeout_over_gateway import RULE as LL304

from .conftest import check_json, write_files
from .helpers import hits, line_containing as line_of

MINE = (LL202, LL203, LL301, LL304)


def test_metadata():
    assert [(r.id, r.name, r.level) for r in MINE] == [
        ("LL202", "pc-without-autoscaling", "warning"),
        ("LL203", "pc-target-utilization", "warning"),
        ("LL301", "cpu-bound-low-memory", "warning"),
        ("LL304", "sync-timeout-over-gateway", "warning"),
    ]
    for rule in MINE:
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
            assert section in rule.docs, (rule.id, section)
        kinds = {("main.tf" in e.files) for e in rule.must_fire}
        assert kinds == {True, False}, f"{rule.id}: must-fire examples in SAM and Terraform"
        kinds = {("main.tf" in e.files) for e in rule.must_not_fire}
        assert kinds == {True, False}, f"{rule.id}: must-not-fire examples in SAM and Terraform"
    assert {o.name: o.default for o in LL203.options} == {"max-target-utilization": 0.9, "min-target-utilization": 0.3}
    assert {o.name: o.default for o in LL301.options} == {"low-memory-mb": 128}


def where(found):
    return sorted((f["path"], f["line"]) for f in found)


# ====================================================================== LL202
SAM_PC = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Amount:
    Type: Number
Globals:
  Function:
    Runtime: python3.12
    Handler: index.handler
    InlineCode: "def handler(event, context): return 1"
    MemorySize: 1024
Resources:
  Fixed:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 300
  Scaled:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 20
  Joined:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: prod
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 20
  WrongAlias:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 7
  Latest:
    Type: AWS::Serverless::Function
    Properties:
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  FromParameter:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: !Ref Amount
  ScaledTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub "function:${Scaled}:live"
      MinCapacity: 5
      MaxCapacity: 100
  JoinedTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Join [":", ["function", !Ref Joined, "prod"]]
      MinCapacity: 5
      MaxCapacity: 100
  BlueTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub "function:${WrongAlias}:blue"
      MinCapacity: 5
      MaxCapacity: 100
  TableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      ResourceId: table/orders
      MinCapacity: 5
      MaxCapacity: 100
"""


def test_ll202_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_PC}, "LL202")
    # Fixed (DeploymentPreference is not autoscaling) and WrongAlias (its target scales "blue");
    # not Scaled (!Sub), Joined (!Join), Latest (LL201's finding), FromParameter (unknown amount)
    assert where(found) == [
        ("template.yaml", line_of(SAM_PC, "ProvisionedConcurrentExecutions: 300")),
        ("template.yaml", line_of(SAM_PC, "ProvisionedConcurrentExecutions: 7")),
    ]
    fixed = found[0] if "300" in found[0]["message"] else found[1]
    assert "provisioned concurrency 300 on alias live of Fixed has no Application Auto Scaling target" in fixed["message"]
    assert "24x7" in fixed["message"] and "scheduled action" in fixed["message"] and "target-tracking" in fixed["message"]


def test_ll202_not_when_ll201_flags_the_same_config(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_PC})
    report = check_json(tmp_path, "--select", "LL201,LL202")
    latest = line_of(SAM_PC, "ProvisionedConcurrentExecutions: 5")  # Latest: no AutoPublishAlias
    got = sorted((f["rule"], f["line"]) for f in report["findings"])
    assert got == [
        ("LL201", latest - 1),  # LL201 reports the ProvisionedConcurrencyConfig ($LATEST qualifier)
        ("LL202", line_of(SAM_PC, "ProvisionedConcurrentExecutions: 300")),
        ("LL202", line_of(SAM_PC, "ProvisionedConcurrentExecutions: 7")),
    ]


CFN_PC = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  TargetId:
    Type: String
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders-fn
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/orders
      Code:
        ZipFile: "def handler(event, context): return 1"
      MemorySize: 1024
  OrdersVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 40
  OrdersLive:
    Type: AWS::Lambda::Alias
    Properties:
      Name: live
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt OrdersVersion.Version
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 50
  OrdersBeta:
    Type: AWS::Lambda::Alias
    Properties:
      Name: beta
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt OrdersVersion.Version
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 60
  OrdersLiveTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Join [":", ["function", !Ref Orders, "live"]]
      MinCapacity: 5
      MaxCapacity: 100
"""


def test_ll202_cloudformation_yaml(tmp_path):
    found = hits(tmp_path, {"template.yaml": CFN_PC}, "LL202")
    # the published version's config and the beta alias have no target; live has one
    assert where(found) == [
        ("template.yaml", line_of(CFN_PC, "ProvisionedConcurrentExecutions: 40")),
        ("template.yaml", line_of(CFN_PC, "ProvisionedConcurrentExecutions: 60")),
    ]
    assert any("provisioned concurrency 60 on alias beta of Orders" in f["message"] for f in found)
    assert any("provisioned concurrency 40 on the version published by OrdersVersion" in f["message"] for f in found)


def test_ll202_cloudformation_json(tmp_path):
    import json

    from lambdalint.documents.templates import parse_template

    write_files(tmp_path, {"src.yaml": CFN_PC})
    doc, failure = parse_template(str(tmp_path / "src.yaml"), "src.yaml", True)
    assert failure is None
    text = json.dumps(doc.root.plain(), indent=2)
    (tmp_path / "src.yaml").unlink()
    found = hits(tmp_path, {"template.json": text}, "LL202")
    assert where(found) == [
        ("template.json", line_of(text, '"ProvisionedConcurrentExecutions": 40')),
        ("template.json", line_of(text, '"ProvisionedConcurrentExecutions": 60')),
    ]


def test_ll202_target_in_another_stack(tmp_path):
    """A published version's PC scaled from another template by literal function name and version
    number, and the beta alias scaled by a literal ResourceId: nothing to report."""
    other = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  VersionTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: function:orders-fn:3
      MinCapacity: 1
      MaxCapacity: 10
  BetaTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: function:orders-fn:beta
      MinCapacity: 1
      MaxCapacity: 10
"""
    assert hits(tmp_path, {"app/template.yaml": CFN_PC, "scaling/template.yaml": other}, "LL202") == []


def test_ll202_other_stack_naming_another_function_still_fires(tmp_path):
    other = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: function:payments-fn:beta
      MinCapacity: 1
      MaxCapacity: 10
"""
    found = hits(tmp_path, {"app/template.yaml": CFN_PC, "scaling/template.yaml": other}, "LL202")
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        ("LL202", "app/template.yaml", line_of(CFN_PC, "ProvisionedConcurrentExecutions: 40")),
        ("LL202", "app/template.yaml", line_of(CFN_PC, "ProvisionedConcurrentExecutions: 60")),
    ]


@pytest.mark.parametrize(
    "resource_id",
    ["!Ref TargetId", '!Sub "function:${TargetId}"', "!ImportValue shared-target-id", '!Sub "function:${Orders}:${TargetId}"'],
)
def test_ll202_unresolvable_resource_id_may_cover(tmp_path, resource_id):
    template = CFN_PC.replace('!Join [":", ["function", !Ref Orders, "live"]]', resource_id)
    assert hits(tmp_path, {"template.yaml": template}, "LL202") == []


def test_ll202_unresolvable_function_part_still_checks_the_qualifier(tmp_path):
    # function name unknown but qualifier "live": covers live only; the version and beta still fire
    template = CFN_PC.replace('!Join [":", ["function", !Ref Orders, "live"]]', '!Sub "function:${TargetId}:live"')
    found = hits(tmp_path, {"template.yaml": template}, "LL202")
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        ("LL202", "template.yaml", line_of(template, "ProvisionedConcurrentExecutions: 40")),
        ("LL202", "template.yaml", line_of(template, "ProvisionedConcurrentExecutions: 60")),
    ]


TF_PC = """\
variable "amount" {}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  memory_size   = 1024
  publish       = true
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 300
}

resource "aws_lambda_provisioned_concurrency_config" "version" {
  function_name                     = aws_lambda_function.orders.function_name
  qualifier                         = aws_lambda_function.orders.version
  provisioned_concurrent_executions = 25
}

resource "aws_lambda_provisioned_concurrency_config" "unknown" {
  function_name                     = aws_lambda_function.orders.function_name
  qualifier                         = "7"
  provisioned_concurrent_executions = var.amount
}

module "reports" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "reports"
  handler                           = "app.handler"
  runtime                           = "python3.12"
  memory_size                       = 1024
  publish                           = true
  provisioned_concurrent_executions = 15
}
"""

TF_SCALING = """\
resource "aws_appautoscaling_target" "live" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${aws_lambda_function.orders.function_name}:${aws_lambda_alias.live.name}"
  min_capacity       = 10
  max_capacity       = 300
}

resource "aws_appautoscaling_target" "version" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${aws_lambda_function.orders.function_name}:${aws_lambda_function.orders.version}"
  min_capacity       = 1
  max_capacity       = 50
}

resource "aws_appautoscaling_scheduled_action" "reports" {
  name               = "reports-morning"
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${module.reports.lambda_function_name}:${module.reports.lambda_function_version}"
  schedule           = "cron(0 8 * * ? *)"

  scalable_target_action {
    min_capacity = 15
    max_capacity = 60
  }
}
"""


def test_ll202_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_PC}, "LL202")
    assert where(found) == [
        ("main.tf", line_of(TF_PC, "provisioned_concurrent_executions = 300")),
        ("main.tf", line_of(TF_PC, "provisioned_concurrent_executions = 25")),
        ("main.tf", line_of(TF_PC, "provisioned_concurrent_executions = 15")),
    ]
    assert any("provisioned concurrency 300 on aws_lambda_alias.live of aws_lambda_function.orders" in f["message"] for f in found)
    assert any("provisioned concurrency 15 on the published version of module.reports" in f["message"] for f in found)


def test_ll202_terraform_targets_in_another_file(tmp_path):
    # alias, published version and module version all scaled from scaling.tf (same root)
    assert hits(tmp_path, {"main.tf": TF_PC, "scaling.tf": TF_SCALING}, "LL202") == []


def test_ll202_terraform_target_in_another_root_by_literal_name(tmp_path):
    other = """\
resource "aws_appautoscaling_target" "live" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:orders:live"
  min_capacity       = 10
  max_capacity       = 300
}
"""
    found = hits(tmp_path, {"app/main.tf": TF_PC, "scaling/main.tf": other}, "LL202")
    assert [f["line"] for f in found] == sorted(
        [line_of(TF_PC, "provisioned_concurrent_executions = 25"), line_of(TF_PC, "provisioned_concurrent_executions = 15")]
    )


@pytest.mark.parametrize(
    "resource_id",
    ["var.target_id", 'format("function:%s:live", var.name)', '"function:${var.name}:${var.alias}"', "local.target_id"],
)
def test_ll202_terraform_unresolvable_resource_id_may_cover(tmp_path, resource_id):
    other = f"""\
variable "target_id" {{}}
variable "name" {{}}
variable "alias" {{}}
locals {{
  target_id = var.target_id
}}

resource "aws_appautoscaling_target" "any" {{
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = {resource_id}
  min_capacity       = 1
  max_capacity       = 10
}}
"""
    assert hits(tmp_path, {"main.tf": TF_PC, "scaling.tf": other}, "LL202") == []


def test_ll202_terraform_variable_with_default_resolves(tmp_path):
    other = """\
variable "alias" {
  default = "blue"
}

resource "aws_appautoscaling_target" "blue" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:orders:${var.alias}"
  min_capacity       = 1
  max_capacity       = 10
}
"""
    # "blue" is not "live": the alias config still fires (as do the two versions)
    found = hits(tmp_path, {"main.tf": TF_PC, "scaling.tf": other}, "LL202")
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        ("LL202", "main.tf", line_of(TF_PC, "provisioned_concurrent_executions = 300")),
        ("LL202", "main.tf", line_of(TF_PC, "provisioned_concurrent_executions = 25")),
        ("LL202", "main.tf", line_of(TF_PC, "provisioned_concurrent_executions = 15")),
    ]


# ====================================================================== LL203
SAM_POLICIES = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Target:
    Type: Number
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  OrdersTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub function:${Orders}:live
      MinCapacity: 10
      MaxCapacity: 300
  TooHigh:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: high
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.95
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  TooLow:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: low
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.25
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  Percent:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: percent
      PolicyType: TargetTrackingScaling
      ResourceId: !Sub function:${Orders}:live
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ServiceNamespace: lambda
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 70
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  Good:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: good
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.7
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  Edge:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: edge
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.9
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  FromParameter:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: parameter
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: !Ref Target
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  Custom:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: custom
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.99
        CustomizedMetricSpecification:
          MetricName: Spillover
          Namespace: Custom
          Statistic: Maximum
  TableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      ResourceId: table/orders
      MinCapacity: 5
      MaxCapacity: 100
  TablePolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: table
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref TableTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 95
        PredefinedMetricSpecification:
          PredefinedMetricType: DynamoDBReadCapacityUtilization
"""


def test_ll203_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_POLICIES}, "LL203")
    assert where(found) == [
        ("template.yaml", line_of(SAM_POLICIES, "TargetValue: 0.95")),
        ("template.yaml", line_of(SAM_POLICIES, "TargetValue: 0.25")),
        ("template.yaml", line_of(SAM_POLICIES, "TargetValue: 70")),
    ]
    by_line = {f["line"]: f["message"] for f in found}
    high = by_line[line_of(SAM_POLICIES, "TargetValue: 0.95")]
    assert "alias live of Orders at TargetValue 0.95" in high and "above 0.9" in high and "cold starts" in high
    low = by_line[line_of(SAM_POLICIES, "TargetValue: 0.25")]
    assert "below 0.3" in low and "idle" in low
    assert "fraction between 0 and 1" in by_line[line_of(SAM_POLICIES, "TargetValue: 70")]


def test_ll203_options(tmp_path):
    write_files(tmp_path, {".lambdalint.toml": "[rules.LL203]\nmax-target-utilization = 0.96\nmin-target-utilization = 0.2\n"})
    found = hits(tmp_path, {"template.yaml": SAM_POLICIES}, "LL203")
    assert where(found) == [("template.yaml", line_of(SAM_POLICIES, "TargetValue: 70"))]


def test_ll203_cloudformation_json(tmp_path):
    import json

    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Policy": {
                "Type": "AWS::ApplicationAutoScaling::ScalingPolicy",
                "Properties": {
                    "PolicyName": "orders",
                    "PolicyType": "TargetTrackingScaling",
                    "ResourceId": "function:orders:live",
                    "ScalableDimension": "lambda:function:ProvisionedConcurrency",
                    "ServiceNamespace": "lambda",
                    "TargetTrackingScalingPolicyConfiguration": {
                        "TargetValue": 0.92,
                        "PredefinedMetricSpecification": {"PredefinedMetricType": "LambdaProvisionedConcurrencyUtilization"},
                    },
                },
            }
        },
    }
    text = json.dumps(template, indent=2)
    found = hits(tmp_path, {"template.json": text}, "LL203")
    assert where(found) == [("template.json", line_of(text, '"TargetValue": 0.92'))]


TF_POLICIES = """\
variable "target" {}

resource "aws_appautoscaling_target" "orders" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:orders:live"
  min_capacity       = 10
  max_capacity       = 300
}

resource "aws_appautoscaling_policy" "high" {
  name               = "high"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.orders.service_namespace
  scalable_dimension = aws_appautoscaling_target.orders.scalable_dimension
  resource_id        = aws_appautoscaling_target.orders.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 0.97
    predefined_metric_specification {
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "variable" {
  name               = "variable"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.orders.service_namespace
  scalable_dimension = aws_appautoscaling_target.orders.scalable_dimension
  resource_id        = aws_appautoscaling_target.orders.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = var.target
    predefined_metric_specification {
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "standalone_low" {
  name               = "standalone"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:orders:live"

  target_tracking_scaling_policy_configuration {
    target_value = 0.1
    predefined_metric_specification {
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }
  }
}

resource "aws_appautoscaling_target" "table" {
  service_namespace  = "dynamodb"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  resource_id        = "table/orders"
  min_capacity       = 5
  max_capacity       = 100
}

resource "aws_appautoscaling_policy" "table" {
  name               = "table"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.table.service_namespace
  scalable_dimension = aws_appautoscaling_target.table.scalable_dimension
  resource_id        = aws_appautoscaling_target.table.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 95
    predefined_metric_specification {
      predefined_metric_type = "DynamoDBReadCapacityUtilization"
    }
  }
}
"""


def test_ll203_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_POLICIES}, "LL203")
    assert where(found) == [
        ("main.tf", line_of(TF_POLICIES, "target_value = 0.97")),
        ("main.tf", line_of(TF_POLICIES, "target_value = 0.1")),
    ]
    assert all("target_value" in f["message"] for f in found)


# ====================================================================== LL301 (and LL302)
CRUNCH = """\
import numpy as np


def handler(event, context):
    matrix = np.array(event["rows"])
    return {"det": float(np.linalg.det(matrix))}
"""
IDLE = "def handler(event, context):\n    return {'ok': True}\n"

SAM_MEMORY = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Memory:
    Type: Number
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
Resources:
  Unset:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: crunch/
  Small:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: crunch/
      MemorySize: 128
  Medium:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: crunch/
      MemorySize: 256
  Idle:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: idle/
  FromParameter:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: crunch/
      MemorySize: !Ref Memory
"""
FILES = {"template.yaml": SAM_MEMORY, "crunch/app.py": CRUNCH, "idle/app.py": IDLE}


def test_ll301_sam(tmp_path):
    found = hits(tmp_path, FILES, "LL301")
    assert where(found) == [
        ("template.yaml", line_of(SAM_MEMORY, "  Unset:")),
        ("template.yaml", line_of(SAM_MEMORY, "MemorySize: 128")),
    ]
    unset = next(f for f in found if f["line"] == line_of(SAM_MEMORY, "  Unset:"))
    assert "MemorySize unset (the 128 MB default)" in unset["message"] and "crunch/app.py:5" in unset["message"]
    assert "0.07 of a vCPU" in unset["message"] and "Power Tuning" in unset["message"]
    assert {(r["path"], r["line"]) for r in unset["related"]} == {("crunch/app.py", 5), ("crunch/app.py", 6)}


def test_ll302_defers_to_ll301(tmp_path):
    write_files(tmp_path, FILES)
    report = check_json(tmp_path, "--select", "LL301,LL302")
    got = sorted((f["rule"], f["line"]) for f in report["findings"])
    assert got == sorted(
        [
            ("LL301", line_of(SAM_MEMORY, "  Unset:")),
            ("LL301", line_of(SAM_MEMORY, "MemorySize: 128")),
            ("LL302", line_of(SAM_MEMORY, "  Idle:")),  # unset but I/O only: still the default-memory note
        ]
    )


def test_ll301_option(tmp_path):
    write_files(tmp_path, {".lambdalint.toml": "[rules.LL301]\nlow-memory-mb = 256\n"})
    found = hits(tmp_path, FILES, "LL301")
    assert len(found) == 3 and line_of(SAM_MEMORY, "MemorySize: 256") in [f["line"] for f in found]


def test_ll301_globals_memory(tmp_path):
    template = SAM_MEMORY.replace("    Handler: app.handler\n", "    Handler: app.handler\n    MemorySize: 128\n")
    found = hits(tmp_path, {**FILES, "template.yaml": template}, "LL301")
    # Unset inherits Globals' 128 (reported there); Small sets its own
    assert where(found) == [
        ("template.yaml", line_of(template, "    MemorySize: 128", 1)),
        ("template.yaml", line_of(template, "      MemorySize: 128")),
    ]


CFN_MEMORY = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Crunch:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/crunch
      Code: crunch/
      MemorySize: 128
  Roomy:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/crunch
      Code: crunch/
      MemorySize: 2048
"""


def test_ll301_cloudformation_yaml_and_json(tmp_path):
    import json

    found = hits(tmp_path, {"template.yaml": CFN_MEMORY, "crunch/app.py": CRUNCH}, "LL301")
    assert where(found) == [("template.yaml", line_of(CFN_MEMORY, "MemorySize: 128"))]
    (tmp_path / "template.yaml").unlink()
    data = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            name: {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": "python3.12", "Handler": "app.handler", "Role": "arn:aws:iam::123456789012:role/crunch", "Code": "crunch/", **memory},
            }
            for name, memory in (("Crunch", {}), ("Roomy", {"MemorySize": 2048}))
        },
    }
    text = json.dumps(data, indent=2)
    found = hits(tmp_path, {"template.json": text}, "LL301")
    assert where(found) == [("template.json", line_of(text, '"Crunch": {'))]


TF_MEMORY = """\
variable "memory" {}

data "archive_file" "crunch" {
  type        = "zip"
  source_dir  = "${path.module}/crunch"
  output_path = "${path.module}/build/crunch.zip"
}

resource "aws_lambda_function" "unset" {
  function_name = "unset"
  role          = "arn:aws:iam::123456789012:role/crunch"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.crunch.output_path
}

resource "aws_lambda_function" "variable" {
  function_name = "variable"
  role          = "arn:aws:iam::123456789012:role/crunch"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.crunch.output_path
  memory_size   = var.memory
}

resource "aws_lambda_function" "roomy" {
  function_name = "roomy"
  role          = "arn:aws:iam::123456789012:role/crunch"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.crunch.output_path
  memory_size   = 1769
}
"""


def test_ll301_terraform(tmp_path):
    write_files(tmp_path, {"main.tf": TF_MEMORY, "crunch/app.py": CRUNCH})
    report = check_json(tmp_path, "--select", "LL301,LL302")
    got = [(f["rule"], f["line"]) for f in report["findings"]]
    assert got == [("LL301", line_of(TF_MEMORY, 'resource "aws_lambda_function" "unset"'))]
    assert "memory_size unset" in report["findings"][0]["message"]


# ====================================================================== LL304
SAM_API = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Timeout:
    Type: Number
  Millis:
    Type: Number
Globals:
  Function:
    Runtime: python3.12
    Handler: index.handler
    InlineCode: "def handler(event, context): return 1"
    MemorySize: 1024
Resources:
  Rest:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 60
      AutoPublishAlias: live
      Events:
        Get:
          Type: Api
          Properties:
            Path: /rest
            Method: get
  Http30:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /http
            Method: get
  HttpShort:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 15
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /short
            Method: get
            TimeoutInMillis: 10000
  Unset:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get:
          Type: Api
          Properties:
            Path: /unset
            Method: get
  Queue:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 300
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:jobs
  FromParameter:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref Timeout
      Events:
        Get:
          Type: Api
          Properties:
            Path: /parameter
            Method: get
  UnknownIntegration:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 45
      Events:
        Get:
          Type: Api
          Properties:
            Path: /millis
            Method: get
            TimeoutInMillis: !Ref Millis
"""


def test_ll304_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_API}, "LL304")
    # Rest (60 > 29 default), HttpShort (15 > 10 set on the event); Http30 fits the HTTP API's
    # 30 s; unset timeout (3 s), a queue consumer, and unresolvable values are not reported
    assert where(found) == [
        ("template.yaml", line_of(SAM_API, "Timeout: 60")),
        ("template.yaml", line_of(SAM_API, "Timeout: 15")),
    ]
    rest = next(f for f in found if "60" in f["message"])
    assert "Timeout 60 on Rest is longer than the 29 s" in rest["message"] and "504" in rest["message"]
    assert [(r["line"]) for r in rest["related"]] == [line_of(SAM_API, "        Get:", 1)]
    short = next(f for f in found if "HttpShort" in f["message"])
    assert "10 s" in short["message"] and "set by the integration" in short["message"]


def test_ll304_globals_timeout(tmp_path):
    template = SAM_API.replace("    MemorySize: 1024\n", "    MemorySize: 1024\n    Timeout: 40\n")
    found = hits(tmp_path, {"template.yaml": template}, "LL304")
    # Unset now inherits Globals' 40 s: reported on the Globals line
    assert ("template.yaml", line_of(template, "    Timeout: 40")) in where(found)


def test_ll304_records_callers(tmp_path):
    from lambdalint.config import Settings
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all

    write_files(tmp_path, {"template.yaml": SAM_API})
    files, _ = discover([str(tmp_path)], tmp_path)
    project = build_project(parse_all(files, 1), tmp_path, Settings())
    fns = {f.name: f for f in project.functions}
    (rest,) = [c for c in fns["Rest"].callers if c.kind == "api"]
    assert (rest.invocation, rest.qualifier.name, rest.timeout_ms.value, rest.timeout_ms.is_absent) == ("sync", "live", 29000, True)
    assert rest.address.endswith("#Resources/Rest/Events/Get") and rest.api == "rest"
    (short,) = [c for c in fns["HttpShort"].callers if c.kind == "api"]
    assert short.qualifier is None and short.timeout_ms.is_set and short.timeout_ms.value == 10000
    (http,) = [c for c in fns["Http30"].callers if c.kind == "api"]
    assert http.timeout_ms.value == 30000 and http.api == "http"
    assert not [c for c in fns["Queue"].callers if c.kind == "api"]


CFN_API = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Millis:
    Type: Number
Resources:
  Report:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/api
      Code:
        ZipFile: "def handler(event, context): return 1"
      MemorySize: 1024
      Timeout: 40
  Raised:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/api
      Code:
        ZipFile: "def handler(event, context): return 1"
      MemorySize: 1024
      Timeout: 45
  Http:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/api
      Code:
        ZipFile: "def handler(event, context): return 1"
      MemorySize: 1024
      Timeout: 31
  Unknown:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/api
      Code:
        ZipFile: "def handler(event, context): return 1"
      MemorySize: 1024
      Timeout: 50
  ReportLive:
    Type: AWS::Lambda::Alias
    Properties:
      Name: live
      FunctionName: !Ref Report
      FunctionVersion: "1"
  RestApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
  ReportGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ReportLive}/invocations
  RaisedGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        TimeoutInMillis: 60000
        Uri: !Join ["", ["arn:aws:apigateway:", !Ref "AWS::Region", ":lambda:path/2015-03-31/functions/", !GetAtt Raised.Arn, "/invocations"]]
  UnknownGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: PUT
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        TimeoutInMillis: !Ref Millis
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Unknown.Arn}:live/invocations
  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders-http
      ProtocolType: HTTP
  HttpIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref HttpApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Http.Arn
      PayloadFormatVersion: "2.0"
"""


def test_ll304_cloudformation_yaml(tmp_path):
    found = hits(tmp_path, {"template.yaml": CFN_API}, "LL304")
    # Report via its alias (40 > 29); Http (31 > the HTTP API's 30); Raised fits its 60 s integration;
    # Unknown's integration timeout is unresolvable
    assert where(found) == [
        ("template.yaml", line_of(CFN_API, "Timeout: 40")),
        ("template.yaml", line_of(CFN_API, "Timeout: 31")),
    ]
    report = next(f for f in found if "Report" in f["message"])
    assert [r["line"] for r in report["related"]] == [line_of(CFN_API, "  ReportGet:")]


def test_ll304_cloudformation_callers(tmp_path):
    from lambdalint.config import Settings
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all

    write_files(tmp_path, {"template.yaml": CFN_API})
    files, _ = discover([str(tmp_path)], tmp_path)
    fns = {f.name: f for f in build_project(parse_all(files, 1), tmp_path, Settings()).functions}
    (report,) = [c for c in fns["Report"].callers if c.kind == "api"]
    assert report.qualifier.name == "live"
    (raised,) = [c for c in fns["Raised"].callers if c.kind == "api"]
    assert raised.qualifier is None and raised.timeout_ms.value == 60000
    (unknown,) = [c for c in fns["Unknown"].callers if c.kind == "api"]
    assert unknown.qualifier.name == "live" and not unknown.timeout_ms.known
    (http,) = [c for c in fns["Http"].callers if c.kind == "api"]
    assert http.qualifier is None and http.api == "http" and http.timeout_ms.value == 30000


def test_ll304_cloudformation_json(tmp_path):
    import json

    from lambdalint.documents.templates import parse_template

    write_files(tmp_path, {"src.yaml": CFN_API})
    doc, failure = parse_template(str(tmp_path / "src.yaml"), "src.yaml", True)
    assert failure is None
    text = json.dumps(doc.root.plain(), indent=2)
    (tmp_path / "src.yaml").unlink()
    found = hits(tmp_path, {"template.json": text}, "LL304")
    assert where(found) == [
        ("template.json", line_of(text, '"Timeout": 40')),
        ("template.json", line_of(text, '"Timeout": 31')),
    ]


TF_API = """\
variable "millis" {}
variable "timeout" {}

resource "aws_lambda_function" "rest" {
  function_name = "rest"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  timeout       = 30
}

resource "aws_lambda_function" "http" {
  function_name = "http"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  timeout       = 10
  publish       = true
}

resource "aws_lambda_alias" "http_live" {
  name             = "live"
  function_name    = aws_lambda_function.http.function_name
  function_version = aws_lambda_function.http.version
}

resource "aws_lambda_function" "unknown" {
  function_name = "unknown"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  timeout       = 100
}

resource "aws_lambda_function" "variable" {
  function_name = "variable"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
  timeout       = var.timeout
}

resource "aws_lambda_function" "unset" {
  function_name = "unset"
  role          = "arn:aws:iam::123456789012:role/api"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "api.zip"
}

resource "aws_api_gateway_integration" "rest" {
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "GET"
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.rest.invoke_arn
}

resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "http" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_alias.http_live.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 5000
}

resource "aws_api_gateway_integration" "unknown" {
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "PUT"
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.unknown.invoke_arn
  timeout_milliseconds    = var.millis
}

resource "aws_api_gateway_integration" "variable" {
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "POST"
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${aws_lambda_function.variable.arn}/invocations"
}

resource "aws_api_gateway_integration" "unset" {
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "DELETE"
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.unset.invoke_arn
}
"""


def test_ll304_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_API}, "LL304")
    assert where(found) == [
        ("main.tf", line_of(TF_API, "timeout       = 30")),
        ("main.tf", line_of(TF_API, "timeout       = 10")),
    ]
    rest = next(f for f in found if "on aws_lambda_function.rest" in f["message"])
    assert "timeout 30 on aws_lambda_function.rest is longer than the 29 s" in rest["message"]
    assert [r["line"] for r in rest["related"]] == [line_of(TF_API, 'resource "aws_api_gateway_integration" "rest"')]


def test_ll304_terraform_callers(tmp_path):
    from lambdalint.config import Settings
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all

    write_files(tmp_path, {"main.tf": TF_API})
    files, _ = discover([str(tmp_path)], tmp_path)
    fns = {f.name: f for f in build_project(parse_all(files, 1), tmp_path, Settings()).functions}
    (http,) = [c for c in fns["http"].callers if c.kind == "api"]
    assert (http.qualifier.name, http.timeout_ms.value, http.api) == ("live", 5000, "http")
    (variable,) = [c for c in fns["variable"].callers if c.kind == "api"]
    assert variable.qualifier is None and variable.timeout_ms.is_absent and variable.timeout_ms.value == 29000
    assert variable.address.endswith("#aws_api_gateway_integration.variable")


# ====================================================================== parity
PARITY = __import__("pathlib").Path(__file__).resolve().parent / "fixtures" / "projects" / "parity-scaling"
FORMATS = ("sam", "cfn-yaml", "cfn-json", "terraform")
PARITY_FUNCTIONS = {"fixed", "scaled", "crunch", "api", "quick"}
PARITY_RULES = {"LL201", "LL202", "LL203", "LL301", "LL302", "LL304"}
# Fixed: flat 300 on alias live. Scaled: target (in another file) tracking 0.95. Crunch: zlib
# compression at the 128 MB default (LL301, so no LL302). Api: Timeout 60 behind a REST API.
# Quick: Timeout 20 behind a REST API, nothing to report.
PARITY_EXPECTED = {("LL202", "fixed"), ("LL203", "scaled"), ("LL301", "crunch"), ("LL304", "api")}


def _norm(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]", "", name.lower())


@pytest.mark.parametrize("fmt", FORMATS)
def test_parity(fmt):
    from lambdalint.config import Settings
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all, run
    from lambdalint.rules.registry import load_rules

    rules = load_rules()
    result = run([str(PARITY / fmt)], Settings(), rules, set(rules), root=PARITY)
    assert not result.rule_errors
    assert not [f for f in result.findings if f.rule_id == "LL001"]
    files, _ = discover([str(PARITY / fmt)], PARITY)
    project = build_project(parse_all(files, 1), PARITY, Settings())
    assert {_norm(f.name) for f in project.functions} == PARITY_FUNCTIONS

    def function_of(finding) -> str:
        for function in project.functions:
            if finding.subject in {function.address} | {pc.address for pc in function.provisioned}:
                return _norm(function.name)
        for target in project.autoscaling:
            if finding.subject in {p.address for p in target.policies}:
                (function,) = target.functions
                return _norm(function.name)
        raise AssertionError(f"cannot map {finding.rule_id} {finding.subject!r} to a function")

    mine = [f for f in result.findings if f.rule_id in PARITY_RULES]
    assert {(f.rule_id, function_of(f)) for f in mine} == PARITY_EXPECTED
    assert len(mine) == len(PARITY_EXPECTED)
