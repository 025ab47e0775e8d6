"""LL211 snapstart-with-pc: SnapStart and provisioned concurrency on the same function."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Rule, RuleContext, sam, unmarked
from .ll210_snapstart_unsupported import snapstart_name, snapstart_on

DOCS = """\
## What it does
Reports provisioned concurrency configured on a function that also has SnapStart on: a SAM
`ProvisionedConcurrencyConfig`, an `AWS::Lambda::Alias`/`AWS::Lambda::Version` with
`ProvisionedConcurrencyConfig`, an `aws_lambda_provisioned_concurrency_config`, or the lambda
module's `provisioned_concurrent_executions`, next to `SnapStart: {ApplyOn: PublishedVersions}`
/ `snap_start`. The finding is on the provisioned-concurrency amount; the SnapStart setting is a
related location. Nothing is reported when SnapStart cannot be resolved statically.

## Why is this bad?
Both features attack the same cold start from opposite directions: SnapStart restores published
versions from a snapshot, provisioned concurrency keeps a pool of fully initialized environments
running. AWS documents that SnapStart does not support provisioned concurrency, so the
combination is rejected when the configuration is applied.

## Example
<!-- example -->

## Use instead
Pick one. SnapStart removes most init time at no idle cost; provisioned concurrency gives the
flattest tail latency but is billed while it is allocated. If p99 needs warm environments, drop
SnapStart and scale provisioned concurrency with Application Auto Scaling.

## References
- [Improving startup performance with Lambda SnapStart](https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html)
- [Configuring provisioned concurrency](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)
"""


def pc_location(pc):
    """Where a provisioned-concurrency amount is written (the config itself when it is not)."""
    return pc.location if pc.amount.is_absent else pc.amount.location


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        if not snapstart_on(function):
            continue
        for pc in function.provisioned:
            if pc.amount.is_set and isinstance(pc.amount.value, int) and pc.amount.value <= 0:
                continue
            amount = f" of {pc.amount.value}" if pc.amount.is_set else ""
            yield ctx.finding(
                f"{function.label} has SnapStart on and also provisioned concurrency{amount}; Lambda does not support "
                f"the two together and rejects the configuration: keep SnapStart and remove the provisioned "
                f"concurrency, or turn SnapStart off ({snapstart_name(function)})",
                pc_location(pc),
                related=[Related(function.snapstart.location, "SnapStart is enabled here")],
                subject=pc.address,
            )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  PaymentsFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/payments.jar
      Handler: com.example.Handler::handleRequest
      Runtime: java21
      MemorySize: 2048
      AutoPublishAlias: live
{snap}      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10  # expect: LL211
"""

_SNAP_SAM = "      SnapStart:\n        ApplyOn: {apply_on}\n"

_TF = """\
{variables}resource "aws_lambda_function" "payments" {{
  function_name = "payments"
  role          = "arn:aws:iam::123456789012:role/payments"
  runtime       = "java21"
  handler       = "com.example.Handler::handleRequest"
  filename      = "payments.zip"
  memory_size   = 2048
  publish       = true
  snap_start {{
    apply_on = {apply_on}
  }}
}}

resource "aws_lambda_alias" "live" {{
  name             = "live"
  function_name    = aws_lambda_function.payments.function_name
  function_version = aws_lambda_function.payments.version
}}

resource "aws_lambda_provisioned_concurrency_config" "live" {{
  function_name                     = aws_lambda_alias.live.function_name
  provisioned_concurrent_executions = 10  # expect: LL211
  qualifier                         = aws_lambda_alias.live.name
}}
"""

RULE = Rule(
    id="LL211",
    name="snapstart-with-pc",
    level="error",
    summary="SnapStart and provisioned concurrency are configured on the same function",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(snap=_SNAP_SAM.format(apply_on="PublishedVersions")), "SAM SnapStart with ProvisionedConcurrencyConfig"),
        Example({"main.tf": _TF.format(variables="", apply_on='"PublishedVersions"')}, "Terraform snap_start with a provisioned concurrency config"),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(snap=""), "SAM provisioned concurrency without SnapStart"),
        sam(unmarked(_SAM).format(snap=_SNAP_SAM.format(apply_on="None")), "SAM SnapStart ApplyOn None"),
        sam(
            "Parameters:\n  SnapStartMode:\n    Type: String\n" + unmarked(_SAM).format(snap=_SNAP_SAM.format(apply_on="!Ref SnapStartMode")),
            "SnapStart from a parameter without default",
        ),
        Example({"main.tf": unmarked(_TF).format(variables='variable "apply_on" {}\n\n', apply_on="var.apply_on")}, "Terraform apply_on variable without default"),
        Example({"main.tf": unmarked(_TF).format(variables="", apply_on='"None"')}, "Terraform snap_start apply_on None"),
    ),
    tags=("snapstart", "provisioned-concurrency", "deployment"),
    default_reason="the two features exclude each other: the deployment fails",
)
