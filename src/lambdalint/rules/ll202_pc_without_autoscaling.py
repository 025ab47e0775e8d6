"""LL202 pc-without-autoscaling: a fixed provisioned-concurrency amount that nothing scales."""

from __future__ import annotations

from .base import Example, Rule, RuleContext, sam, unmarked
from .ll211_snapstart_with_pc import pc_location

DOCS = """\
## What it does
Reports provisioned concurrency configured as a fixed number (SAM
`ProvisionedConcurrencyConfig`, `AWS::Lambda::Alias`/`::Version`,
`aws_lambda_provisioned_concurrency_config`, the module's `provisioned_concurrent_executions`)
when no Application Auto Scaling scalable target in the scanned project manages that alias or
version: no `AWS::ApplicationAutoScaling::ScalableTarget` / `aws_appautoscaling_target` on
`lambda:function:ProvisionedConcurrency` whose `ResourceId` is `function:NAME:QUALIFIER` for
it (nor a policy or scheduled action naming that ResourceId).

Targets are found in any file of the project: another template or stack counts when its
`ResourceId` names the function by its literal `FunctionName`, another file of the same
Terraform root counts through references. A `ResourceId` that cannot be resolved may cover any
configuration, so nothing is reported then. Provisioned concurrency on `$LATEST` is LL201's
finding, not this one. SAM's `AutoPublishAlias` and `DeploymentPreference` shift traffic between
versions; they do not scale provisioned concurrency.

## Why is this bad?
Provisioned concurrency is billed for every hour it is configured, whether requests arrive or
not. A flat number sized for the daily peak pays for the peak at 3 AM too; sized for the
average, it spills over into cold starts at the peak. Application Auto Scaling lets the warm
pool follow demand: scheduled actions for predictable peaks, target tracking on
`LambdaProvisionedConcurrencyUtilization` for the rest.

## Example
<!-- example -->

## Use instead
Keep a small floor and let Application Auto Scaling raise it:
<!-- use-instead -->
Add a scheduled action to pre-scale before a known daily peak: target tracking reacts in
minutes, not seconds.

## Fix safety
Display-only: `--fix` never applies it, not even with `--unsafe-fixes`. `--show-fixes`, JSON and
SARIF show a scalable target on the alias and a target-tracking policy at 0.7 utilization,
inserted after the SAM function (ResourceId built from its `AutoPublishAlias`) or after the
Terraform `aws_lambda_provisioned_concurrency_config` (resource_id built from its own
`function_name` and `qualifier`). The floor and ceiling are yours to choose: the snippet starts
at today's amount and twice it, and marks both. Scaling changes cost and cold-start behaviour,
and the right range depends on traffic nothing in the template shows. Plain CloudFormation
aliases, the lambda module, configurations repeated with `count`/`for_each` and JSON templates
get the advice in the message only.

## References
- [Configuring provisioned concurrency](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)
- [Managing provisioned concurrency with Application Auto Scaling](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html#managing-provisioned-concurency)
- [Application Auto Scaling for AWS Lambda](https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-lambda.html)
"""


def lacks_autoscaling(pc) -> bool:
    """True when LL202 reports this provisioned-concurrency configuration."""
    if pc.qualifier.is_latest:
        return False  # LL201: one root cause, one finding
    amount = pc.amount
    if not (amount.is_set and isinstance(amount.value, int) and amount.value > 0):
        return False
    return not pc.autoscaling


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        for pc in function.provisioned:
            if not lacks_autoscaling(pc):
                continue
            yield ctx.finding(
                f"provisioned concurrency {pc.amount.value} on {pc.qualifier.describe()} of {function.label} has no "
                f"Application Auto Scaling target: those {pc.amount.value} warm environments are billed 24x7 whether traffic "
                f"needs them or not; {function.phrases.autoscaling}",
                pc_location(pc),
                subject=pc.address,
            )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 300  # expect: LL202
{extra}"""

_SAM_TARGET = """\
  OrdersScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub function:${Orders}:live
      MinCapacity: 10
      MaxCapacity: 300
      ScheduledActions:
        - ScheduledActionName: evening-peak
          Schedule: cron(45 17 * * ? *)
          ScalableTargetAction:
            MinCapacity: 150
"""

_TF = """\
resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  memory_size   = 1024
  publish       = true
}}

resource "aws_lambda_alias" "live" {{
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}}

resource "aws_lambda_provisioned_concurrency_config" "live" {{
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 300  # expect: LL202
}}
{extra}"""

_TF_TARGET = """
resource "aws_appautoscaling_target" "orders" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${aws_lambda_function.orders.function_name}:${aws_lambda_alias.live.name}"
  min_capacity       = 10
  max_capacity       = 300
}

resource "aws_appautoscaling_policy" "orders" {
  name               = "orders-pc-utilization"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.orders.service_namespace
  scalable_dimension = aws_appautoscaling_target.orders.scalable_dimension
  resource_id        = aws_appautoscaling_target.orders.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 0.7
    predefined_metric_specification {
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }
  }
}
"""

# the display-only fix's suggestion: today's amount as the floor until the author lowers it
_SAM_SNIPPET = """\
  OrdersScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub function:${Orders}:live
      MinCapacity: 300 # choose: the off-peak floor
      MaxCapacity: 600 # choose: the peak
  OrdersUtilization:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: orders-pc-utilization
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersScalableTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.7
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
"""

_TF_SNIPPET = """
resource "aws_appautoscaling_target" "live" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${aws_lambda_alias.live.function_name}:${aws_lambda_alias.live.name}"
  min_capacity       = 300 # choose: the off-peak floor
  max_capacity       = 600 # choose: the peak
}

resource "aws_appautoscaling_policy" "live" {
  name               = "live-pc-utilization"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.live.service_namespace
  scalable_dimension = aws_appautoscaling_target.live.scalable_dimension
  resource_id        = aws_appautoscaling_target.live.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 0.7
    predefined_metric_specification {
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }
  }
}
"""

RULE = Rule(
    id="LL202",
    name="pc-without-autoscaling",
    level="warning",
    summary="Provisioned concurrency is a fixed amount that no Application Auto Scaling target manages",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(extra="")},
            "SAM alias with a fixed amount (DeploymentPreference is not autoscaling)",
            fixed={"template.yaml": _SAM.format(extra=_SAM_SNIPPET)},
            display_only_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(extra="")},
            "Terraform alias with a fixed amount",
            fixed={"main.tf": _TF.format(extra=_TF_SNIPPET)},
            display_only_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(extra=_SAM_TARGET), "SAM with a scalable target and a scheduled action"),
        Example({"main.tf": unmarked(_TF).format(extra=""), "scaling.tf": _TF_TARGET}, "Terraform target in another file of the root"),
        sam(unmarked(_SAM).format(extra=_SAM_TARGET.replace("!Sub function:${Orders}:live", "!Ref ResourceIdParam")).replace("Resources:", "Parameters:\n  ResourceIdParam:\n    Type: String\nResources:"), "ResourceId from a parameter without default"),
    ),
    tags=("provisioned-concurrency", "cost"),
    default_reason="a fixed warm pool is paid for 24x7 whatever the traffic; scaling it is the fix in every account",
)
