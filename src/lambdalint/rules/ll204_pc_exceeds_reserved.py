"""LL204 pc-exceeds-reserved: provisioned concurrency larger than the function's reservation."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Rule, RuleContext, sam, unmarked
from .ll211_snapstart_with_pc import pc_location

DOCS = """\
## What it does
Compares every provisioned-concurrency amount configured on a function (any alias or version:
SAM `ProvisionedConcurrencyConfig`, `AWS::Lambda::Alias`/`::Version`,
`aws_lambda_provisioned_concurrency_config`, module `provisioned_concurrent_executions`) with
the function's reserved concurrency (`ReservedConcurrentExecutions`,
`reserved_concurrent_executions`), and reports an amount that is larger. The finding is on the
provisioned amount; the reservation is a related location. Nothing is reported when either
number cannot be resolved, or when the function has no reservation (Terraform's `-1`).

## Why is this bad?
Provisioned concurrency is a pre-warmed part of the concurrency a function may use. When the
function has a reservation, that reservation is its ceiling, so Lambda cannot allocate a warm pool
bigger than it and the deployment fails.

## Example
<!-- example -->

## Use instead
Raise the reservation to at least the provisioned amount (leaving headroom for on-demand
spillover), or lower the provisioned amount:
<!-- use-instead -->

## References
- [Configuring reserved concurrency](https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html)
- [Configuring provisioned concurrency](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)
"""


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        reserved = function.reserved_concurrency
        if not (reserved.is_set and isinstance(reserved.value, int) and reserved.value >= 0):
            continue
        name = reserved.prop
        for pc in function.provisioned:
            amount = pc.amount
            if not (amount.is_set and isinstance(amount.value, int)) or amount.value <= reserved.value:
                continue
            yield ctx.finding(
                f"provisioned concurrency {amount.value} on {function.label} exceeds its reserved concurrency "
                f"{reserved.value} ({name}); a warm pool cannot be larger than the function's reservation, so the "
                f"deployment will fail: raise {name} to at least {amount.value} or lower the provisioned amount",
                pc_location(pc),
                related=[Related(reserved.location, f"reserved concurrency {reserved.value} is set here")],
                subject=pc.address,
            )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{parameters}Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
      AutoPublishAlias: live
      ReservedConcurrentExecutions: {reserved}
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 50  # expect: LL204
"""

_TF = """\
{variables}resource "aws_lambda_function" "orders" {{
  function_name                  = "orders"
  role                           = "arn:aws:iam::123456789012:role/orders"
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = "orders.zip"
  memory_size                    = 1024
  publish                        = true
  reserved_concurrent_executions = {reserved}
}}

resource "aws_lambda_provisioned_concurrency_config" "orders" {{
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 50  # expect: LL204
  qualifier                         = aws_lambda_function.orders.version
}}
"""

RULE = Rule(
    id="LL204",
    name="pc-exceeds-reserved",
    level="error",
    summary="Provisioned concurrency is larger than the function's reserved concurrency",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(parameters="", reserved="20"), "SAM provisioned 50 over reserved 20"),
        Example({"main.tf": _TF.format(variables="", reserved="20")}, "Terraform provisioned 50 over reserved 20"),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(parameters="", reserved="50"), "SAM provisioned equal to reserved"),
        sam(unmarked(_SAM).format(parameters="Parameters:\n  Reserved:\n    Type: Number\n", reserved="!Ref Reserved"), "reserved from a parameter without default"),
        Example({"main.tf": unmarked(_TF).format(variables="", reserved="-1")}, "Terraform without a reservation (-1)"),
        Example({"main.tf": unmarked(_TF).format(variables='variable "reserved" {}\n\n', reserved="var.reserved")}, "Terraform reserved variable without default"),
    ),
    tags=("provisioned-concurrency", "concurrency", "deployment"),
    default_reason="the deployment fails",
)
