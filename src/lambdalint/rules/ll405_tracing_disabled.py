"""LL405 tracing-disabled: active X-Ray tracing is off."""

from __future__ import annotations

from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Reports functions that do not have active AWS X-Ray tracing: SAM `Tracing: Active` (on the
function or in `Globals`), CloudFormation `TracingConfig.Mode: Active`, Terraform
`tracing_config { mode = "Active" }`, or `tracing_mode = "Active"` on the
`terraform-aws-modules/lambda/aws` module. A function whose mode is `PassThrough` (or unset,
which means the same) is reported on the mode's line, or on the function's first line when the
mode is never written. A mode set once in SAM `Globals` is one finding that names every
function it applies to. Modes that cannot be resolved statically are never reported.

## Why is this bad?
Without active tracing Lambda only records a trace when an upstream service has already
sampled the request, so most invocations leave no trace. Cold-start `Init` segments, time
spent in downstream AWS calls and the effect of memory, provisioned concurrency or SnapStart
changes stay invisible: you cannot prove a latency fix you cannot see.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
The execution role also needs `xray:PutTraceSegments` and `xray:PutTelemetryRecords` (the
managed policy `AWSXRayDaemonWriteAccess`; SAM adds it for you). Sampling keeps the cost low.

## Fix safety
With `--unsafe-fixes`, `--fix` sets the value to Active where it is written (`Tracing`,
`TracingConfig.Mode`, `tracing_config.mode`), or adds `Tracing: Active` (SAM),
`TracingConfig: {Mode: Active}` (CloudFormation) or a `tracing_config` block (Terraform
`aws_lambda_function`) to the function, editing only those lines. It is unsafe because traces
are billed, and outside SAM the execution role must also allow `xray:PutTraceSegments` and
`xray:PutTelemetryRecords` (SAM adds that policy by itself). JSON templates and flow-style YAML
are not edited.

## References
- [Visualize Lambda function invocations using AWS X-Ray](https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html)
- [AWS::Lambda::Function TracingConfig](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-tracingconfig.html)
"""


def check(ctx: RuleContext):

    groups: dict = {}  # one finding per offending setting (a Globals mode covers several functions)
    for function in ctx.project.functions:
        tracing = function.tracing
        if not tracing.known or tracing.value == "Active":
            continue
        key = (tracing.location.path, tracing.location.line, tracing.location.column) if tracing.is_set else function.address
        groups.setdefault(key, []).append(function)
    for functions in groups.values():
        first = functions[0]
        tracing = first.tracing
        name = first.tracing.prop
        names = ", ".join(f.label for f in functions)
        if tracing.is_set:
            what = f"{name} is {tracing.value!r} for {names}"
        else:
            what = f"{name} is not set on {names}"
        yield ctx.finding(
            f"{what}, so active X-Ray tracing is off and most invocations (cold starts, downstream calls) leave "
            f"no trace to measure latency with; set {name} to Active",
            tracing.location,
            subject=first.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{globals}Resources:
  OrdersFunction:  # expect: LL405
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
{props}"""

_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # the orders API
  OrdersFunction:  # expect: LL405
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/orders
      Code:
        ZipFile: "def handler(event, context): return 1"
"""
_TF = """\
resource "aws_lambda_function" "orders" {{  # expect: LL405
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
{props}}}
"""

RULE = Rule(
    id="LL405",
    name="tracing-disabled",
    level="note",
    summary="Active X-Ray tracing is off for the function",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(globals="", props="")},
            "SAM function without Tracing",
            fixed={"template.yaml": _SAM.format(globals="", props="").replace("    Properties:\n", "    Properties:\n      Tracing: Active\n")},
            unsafe_fix=True,
        ),
        Example(
            {"template.yaml": unmarked(_SAM).format(globals="", props="      Tracing: PassThrough  # not yet  # expect: LL405\n")},
            "SAM Tracing: PassThrough",
            fixed={"template.yaml": unmarked(_SAM).format(globals="", props="      Tracing: Active  # not yet  # expect: LL405\n")},
            unsafe_fix=True,
        ),
        Example(
            {"template.yaml": _CFN},
            "CloudFormation function without TracingConfig",
            fixed={"template.yaml": _CFN.replace("    Properties:\n", "    Properties:\n      TracingConfig:\n        Mode: Active\n")},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(props="")},
            "Terraform without tracing_config",
            fixed={"main.tf": _TF.format(props='  tracing_config {\n    mode = "Active"\n  }\n')},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": unmarked(_TF).format(props='  tracing_config {\n    mode = "PassThrough"  # expect: LL405\n  }\n')},
            "Terraform PassThrough",
            fixed={"main.tf": unmarked(_TF).format(props='  tracing_config {\n    mode = "Active"  # expect: LL405\n  }\n')},
            unsafe_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(globals="", props="      Tracing: Active\n"), "SAM Tracing: Active"),
        sam(unmarked(_SAM).format(globals="Globals:\n  Function:\n    Tracing: Active\n", props=""), "SAM Tracing: Active in Globals"),
        sam(unmarked(_SAM).format(globals="Parameters:\n  Mode:\n    Type: String\n", props="      Tracing: !Ref Mode\n"), "tracing from a parameter without default"),
        Example({"main.tf": unmarked(_TF).format(props='  tracing_config {\n    mode = "Active"\n  }\n')}, "Terraform Active"),
        Example(
            {"main.tf": 'module "orders" {\n  source        = "terraform-aws-modules/lambda/aws"\n  function_name = "orders"\n  handler       = "app.handler"\n  runtime       = "python3.12"\n  tracing_mode  = "Active"\n}\n'},
            "Terraform module tracing_mode = Active",
        ),
    ),
    tags=("observability",),
    default=False,
    default_reason="tracing may come from another APM (Datadog, OpenTelemetry, Lumigo): an organisation policy",
)
