"""LL205 pc-not-invoked: a warm pool (or SnapStart) on an alias/version that no caller invokes."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Finds functions whose provisioned concurrency (or SnapStart) is configured on an alias or a
published version while every caller the project declares for the function invokes the
unqualified function — its plain ARN or name, which means `$LATEST`. Callers are API Gateway
integrations, function URLs, event source mappings, S3 notifications, SNS subscriptions,
EventBridge rules and schedules, CloudWatch Logs subscriptions and resource permissions. SAM
points a function's `Events` and `FunctionUrlConfig` at the `AutoPublishAlias` alias by itself,
so those count as invoking the alias. Nothing is reported when the function has no callers in the
project, when any caller invokes an alias or version, or when a caller's target cannot be
resolved. Provisioned concurrency on `$LATEST` itself is LL201's finding.

## Why is this bad?
Provisioned concurrency keeps environments initialized for one specific alias or version, and
SnapStart only restores published versions. An invocation of the unqualified ARN runs `$LATEST`
on ordinary on-demand environments and pays the full cold start. The warm pool is billed every
hour it is enabled while serving no traffic, and the latency it was bought for never improves.

## Example
<!-- example -->

## Use instead
Point the callers at the alias (`!Ref Orders.Alias`, `${Orders.Arn}:live`,
`aws_lambda_alias.live.arn`, or `qualifier = aws_lambda_alias.live.name`):
<!-- use-instead -->

## References
- [Configuring provisioned concurrency](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)
- [Lambda function aliases](https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html)
- [Improving startup performance with Lambda SnapStart](https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html)
"""


_KINDS = {
    "api": "API Gateway integration",
    "function-url": "function URL",
    "esm": "event source mapping",
    "s3": "S3 notification",
    "sns": "SNS subscription",
    "eventbridge": "EventBridge rule",
    "schedule": "schedule",
    "logs": "CloudWatch Logs subscription",
    "iot": "IoT rule",
    "permission": "resource permission",
}


def _kind(caller) -> str:
    return _KINDS.get(caller.kind, caller.kind)


def _warm_target(function):
    """(location, description, address) of the qualified warm configuration, or None."""
    for pc in function.provisioned:
        if pc.qualifier.known and not pc.qualifier.is_latest and not (pc.amount.is_set and pc.amount.value == 0):
            amount = f" {pc.amount.value}" if pc.amount.is_set else ""
            return pc.location, f"provisioned concurrency{amount}", pc.address
    snap = function.snapstart
    published = function.publishes_versions
    if snap.is_set and snap.value == "PublishedVersions" and published.is_set and published.value:
        return snap.location, "SnapStart", function.address
    return None


def check(ctx: RuleContext):
    unresolved = {root for root, _ in getattr(ctx.project, "unresolved_callers", [])}
    for function in ctx.project.functions:
        callers = function.callers
        if not callers or any(c.qualifier is not None for c in callers):
            continue
        if function.root in unresolved:
            continue  # a caller we cannot resolve may invoke the alias
        target = _warm_target(function)
        if target is None:
            continue
        location, what, address = target
        kinds = sorted({_kind(c) for c in callers})
        yield ctx.finding(
            f"{what} on {function.label} applies to an alias or published version, but every caller in the project "
            f"({', '.join(kinds)}) invokes the unqualified function, which runs $LATEST on cold on-demand environments: "
            f"point the callers at the alias (or remove the unused warm configuration)",
            location,
            related=[Related(c.location, f"this {_kind(c)} invokes the unqualified {function.label}") for c in callers],
            subject=address,
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
      ProvisionedConcurrencyConfig:  # expect: LL205
        ProvisionedConcurrentExecutions: 5
  OrdersTopicPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: {target}
      Principal: sns.amazonaws.com
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
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 5
  qualifier                         = aws_lambda_alias.live.name  # expect: LL205
}}

resource "aws_lambda_event_source_mapping" "orders" {{
  event_source_arn = "arn:aws:sqs:us-east-1:123456789012:orders"
  function_name    = {target}
}}
"""

RULE = Rule(
    id="LL205",
    name="pc-not-invoked",
    level="warning",
    summary="Provisioned concurrency or SnapStart is on an alias or version that the project's callers never invoke",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(target="!GetAtt Orders.Arn"), "SAM permission on the unqualified ARN"),
        Example({"main.tf": _TF.format(target="aws_lambda_function.orders.arn")}, "Terraform event source mapping on the unqualified ARN"),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(target="!Ref Orders.Alias"), "SAM permission on the alias"),
        Example({"main.tf": unmarked(_TF).format(target="aws_lambda_alias.live.arn")}, "Terraform event source mapping on the alias"),
        Example({"main.tf": unmarked(_TF).format(target="var.function") + '\nvariable "function" {\n  type = string\n}\n'}, "Terraform target from a variable without default"),
    ),
    tags=("provisioned-concurrency", "snapstart", "cost"),
    default_reason="the warm pool is billed and never serves traffic",
)
