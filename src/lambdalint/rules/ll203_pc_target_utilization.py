"""LL203 pc-target-utilization: target tracking on provisioned concurrency aims too high or too low."""

from __future__ import annotations

from .base import Example, Option, Rule, RuleContext, sam

DOCS = """\
## What it does
Checks target-tracking scaling policies on the `LambdaProvisionedConcurrencyUtilization` metric
(`AWS::ApplicationAutoScaling::ScalingPolicy` with `TargetTrackingScalingPolicyConfiguration`,
`aws_appautoscaling_policy` with `target_tracking_scaling_policy_configuration`) and reports a
`TargetValue` above `max-target-utilization` (default 0.9) or below `min-target-utilization`
(default 0.3). The finding is on `TargetValue`. Unresolvable values are not reported.

## Why is this bad?
The metric is the fraction of the warm pool in use (0 to 1). Application Auto Scaling adds
capacity minutes after the metric crosses the target, not seconds. Aiming at 0.95 means the
pool is almost full before scaling starts, so a burst overflows into on-demand environments
that pay a full cold start. Aiming at 0.2 keeps most of the pool idle, and idle provisioned
concurrency is still billed. A value such as 70 (a percentage) can never be reached, so the
pool never scales out at all.

## Example
<!-- example -->

## Use instead
Start around 0.7 and tune with the spillover and utilization metrics; add scheduled actions for
known peaks:
<!-- use-instead -->

## Options
- `max-target-utilization` (default 0.9): report targets above this.
- `min-target-utilization` (default 0.3): report targets below this.

## Fix safety
Display-only: `--fix` never applies it. The suggested edit replaces the target value where it is
written with 0.7, the usual starting point; where in 0.3-0.9 your function belongs depends on how
fast its traffic rises compared with how fast scaling reacts, which only its metrics show. A
target from a parameter or variable gets the advice in the message only.

## References
- [Managing provisioned concurrency with Application Auto Scaling](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html#managing-provisioned-concurency)
- [Target tracking scaling policies](https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html)
"""

OPTIONS = (
    Option("max-target-utilization", 0.9, "report a TargetValue above this fraction"),
    Option("min-target-utilization", 0.3, "report a TargetValue below this fraction"),
)


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def check(ctx: RuleContext):
    if not ctx.project.autoscaling:
        return
    from ..records.scaling import UTILIZATION_METRIC

    high = float(ctx.options.get("max-target-utilization", 0.9))
    low = float(ctx.options.get("min-target-utilization", 0.3))
    for target in ctx.project.autoscaling:
        for policy in target.policies:
            if not (policy.policy_type.is_set and policy.policy_type.value == "TargetTrackingScaling"):
                continue
            if not (policy.metric.is_set and policy.metric.value == UTILIZATION_METRIC):
                continue
            value = _number(policy.target_value.value) if policy.target_value.is_set else None
            if value is None or low <= value <= high:
                continue
            what = target.describe()
            if len(target.functions) == 1 and target.names_function:
                what += f" of {target.functions[0].label}"
            name = policy.target_value.prop
            shown = policy.target_value.value
            if value > high:
                why = (
                    f"above {high:g} the warm pool is nearly full before Application Auto Scaling adds capacity (it reacts "
                    f"in minutes), so bursts spill over to cold starts"
                )
                if value > 1:
                    why = "the metric is a fraction between 0 and 1, so this target is never reached and the pool never scales out"
            else:
                why = f"below {low:g} most of the warm pool sits idle and is still billed"
            yield ctx.finding(
                f"target-tracking policy keeps provisioned concurrency utilization of {what} at {name} {shown}: {why}; "
                f"aim for about 0.7 and pre-scale known peaks with a scheduled action",
                policy.target_value.location,
                subject=policy.address,
            )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{parameters}Resources:
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
  OrdersScalableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub function:${{Orders}}:live
      MinCapacity: 10
      MaxCapacity: 300
  OrdersUtilization:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: orders-pc-utilization
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersScalableTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: {value}
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
"""

_TF = """\
{variables}resource "aws_appautoscaling_target" "orders" {{
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:orders:live"
  min_capacity       = 10
  max_capacity       = 300
}}

resource "aws_appautoscaling_policy" "orders" {{
  name               = "orders-pc-utilization"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.orders.service_namespace
  scalable_dimension = aws_appautoscaling_target.orders.scalable_dimension
  resource_id        = aws_appautoscaling_target.orders.resource_id

  target_tracking_scaling_policy_configuration {{
    target_value = {value}
    predefined_metric_specification {{
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }}
  }}
}}
"""

RULE = Rule(
    id="LL203",
    name="pc-target-utilization",
    level="warning",
    summary="A provisioned-concurrency target-tracking policy aims above 0.9 or below 0.3 utilization",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(parameters="", value="0.95  # expect: LL203")},
            "SAM target 0.95",
            fixed={"template.yaml": _SAM.format(parameters="", value="0.7  # expect: LL203")},
            display_only_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(variables="", value="0.2  # expect: LL203")},
            "Terraform target 0.2",
            fixed={"main.tf": _TF.format(variables="", value="0.7  # expect: LL203")},
            display_only_fix=True,
        ),
    ),
    must_not_fire=(
        sam(_SAM.format(parameters="", value="0.7"), "SAM target 0.7"),
        sam(_SAM.format(parameters="Parameters:\n  Target:\n    Type: Number\n", value="!Ref Target"), "target from a parameter without default"),
        Example({"main.tf": _TF.format(variables="", value="0.75")}, "Terraform target 0.75"),
        Example({"main.tf": _TF.format(variables='variable "target" {}\n\n', value="var.target")}, "Terraform variable without default"),
    ),
    tags=("provisioned-concurrency", "cost", "cold-start"),
    options=OPTIONS,
    default_reason="a target outside 0.3-0.9 either spills before scaling reacts or pays for idle warmth",
)
