"""LL403 reserved-exceeds-account: reservations in one stack / root leave too little unreserved."""

from __future__ import annotations

from collections import defaultdict

from ..findings import Related
from .base import Example, Option, Rule, RuleContext, sam

DOCS = """\
## What it does
Adds up the reserved concurrency of every function in one CloudFormation/SAM stack (template)
or one Terraform root and reports the stack when the sum is larger than the account's
concurrency limit minus the part Lambda keeps unreserved (defaults: a limit of 1,000 and a floor
of 100, so 900 may be reserved). It fires once per stack or root, on the largest reservation,
with every other contributing reservation as a related location. Values that cannot be resolved
are left out of the sum; Terraform's `-1` is no reservation.

## Why is this bad?
Lambda always keeps part of the account's regional concurrency unreserved for functions without
a reservation, and refuses a reservation that would eat into it: the deployment of the stack
fails. Even where a raised quota makes it deployable, reserving nearly the whole pool leaves
every other function of the account to throttle on what remains.

## Example
<!-- example -->

## Use instead
Reserve what each function needs to protect its downstreams, and request a regional quota
increase (then set `account-concurrency`) before reserving more:
<!-- use-instead -->

## References
- [Configuring reserved concurrency](https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html)
- [Lambda quotas](https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
"""


def check(ctx: RuleContext):

    account = int(ctx.options.get("account-concurrency", 1000))
    floor = int(ctx.options.get("unreserved-floor", 100))
    allowed = account - floor
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for function in ctx.project.functions:
        reserved = function.reserved_concurrency
        if not (reserved.is_set and isinstance(reserved.value, int) and reserved.value >= 0):
            continue
        # a stack and a Terraform root are separate deployments, even in the same directory
        groups[(function.phrases.root_noun, function.root)].append(function)
    for (_, root), functions in sorted(groups.items()):
        total = sum(f.reserved_concurrency.value for f in functions)
        if total <= allowed:
            continue
        ordered = sorted(functions, key=lambda f: (-f.reserved_concurrency.value, f.reserved_concurrency.location, f.address))
        largest = ordered[0]
        where = largest.phrases.root_label(root)
        name = largest.reserved_concurrency.prop
        related, seen = [], {largest.reserved_concurrency.location}
        for f in ordered[1:]:
            loc = f.reserved_concurrency.location
            if loc in seen:
                continue
            seen.add(loc)
            related.append(Related(loc, f"{f.label} reserves {f.reserved_concurrency.value}"))
        yield ctx.finding(
            f"reserved concurrency in {where} adds up to {total} across {len(functions)} function(s), more than the "
            f"{allowed} an account can reserve ({account} concurrency limit minus {floor} that must stay unreserved); "
            f"the deployment will be rejected: lower the reservations (largest: {largest.label} with {name} "
            f"{largest.reserved_concurrency.value}) or raise the account quota and set account-concurrency",
            largest.reserved_concurrency.location,
            related=related,
            subject=largest.address,
        )


_FN = """\
  {name}:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
      ReservedConcurrentExecutions: {reserved}
"""
_SAM = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n'

_TF_FN = """\
resource "aws_lambda_function" "{name}" {{
  function_name                  = "{name}"
  role                           = "arn:aws:iam::123456789012:role/{name}"
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = "{name}.zip"
  memory_size                    = 1024
  reserved_concurrent_executions = {reserved}
}}
"""

RULE = Rule(
    id="LL403",
    name="reserved-exceeds-account",
    level="error",
    summary="Reserved concurrency in one stack or Terraform root exceeds what the account can reserve",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM + _FN.format(name="Ingest", reserved="600  # expect: LL403") + _FN.format(name="Export", reserved=400), "SAM reservations summing to 1000"),
        Example({"main.tf": _TF_FN.format(name="ingest", reserved="600  # expect: LL403") + "\n" + _TF_FN.format(name="export", reserved=400)}, "Terraform reservations summing to 1000"),
    ),
    must_not_fire=(
        sam(_SAM + _FN.format(name="Ingest", reserved=600) + _FN.format(name="Export", reserved=300), "SAM reservations summing to 900"),
        Example({"main.tf": _TF_FN.format(name="ingest", reserved=600) + "\n" + _TF_FN.format(name="export", reserved="var.export") + '\nvariable "export" {\n  type = number\n}\n'}, "Terraform reservation from a variable without default"),
        Example({"a/main.tf": _TF_FN.format(name="ingest", reserved=600), "b/main.tf": _TF_FN.format(name="export", reserved=400)}, "two Terraform roots"),
    ),
    options=(
        Option("account-concurrency", 1000, "the account's regional concurrency limit"),
        Option("unreserved-floor", 100, "concurrency that must stay unreserved (smaller in low-quota accounts)"),
    ),
    tags=("concurrency", "deployment"),
    default_reason="the account cannot grant the reservations: the deployment fails",
)
