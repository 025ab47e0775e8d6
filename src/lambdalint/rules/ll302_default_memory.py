"""LL302 default-memory: memory never set, so the function runs at 128 MB."""

from .ll301_cpu_bound_low_memory import cpu_bound_low_memory, low_memory_option
from .ll303_managed_runtime_low_memory import managed_runtime_low_memory
from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Reports functions whose memory is never set: not on the function, not in SAM `Globals`, not
as a module input. Such a function runs at Lambda's default of 128 MB.

## Why is this bad?
Lambda allocates CPU in proportion to memory: 128 MB buys roughly 0.07 of a vCPU, while a full
vCPU arrives around 1,769 MB. Any real work (JSON parsing, TLS, compression, SDK calls) runs
slowly at the default, and because billing is memory × duration, the slow run is often no
cheaper. The default is rarely a decision; it is usually an omission.

## Example
<!-- example -->

## Use instead
Measure with AWS Lambda Power Tuning using a representative payload, then set the winner
explicitly:
<!-- use-instead -->

## Fix safety
Display-only: `--fix` never applies it. The suggestion adds `MemorySize: 1024` (Terraform
`memory_size = 1024`) to the function, marked as a starting point: the right size comes from a
Power Tuning run, and memory changes both speed and price, so no value is written for you. JSON
templates get the advice in the message only.

## References
- [Configure Lambda function memory](https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html)
- [AWS Lambda Power Tuning](https://github.com/alexcasalboni/aws-lambda-power-tuning)
"""

_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{globals}Resources:
  OrdersFunction:  # expect: LL302
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
{memory}"""


_TF = 'resource "aws_lambda_function" "f" {  # expect: LL302\n  function_name = "f"\n  runtime = "python3.12"\n  handler = "app.handler"\n  filename = "f.zip"\n  role = "arn:aws:iam::1:role/r"\n}\n'
_NOTE = "a starting point: measure with AWS Lambda Power Tuning"


def check(ctx: RuleContext):

    for function in ctx.project.functions:
        if not function.memory.is_absent or function.memory.value != 128:
            continue  # set, or a deployer whose own default is not Lambda's 128 MB (Serverless Framework: 1,024)
        if managed_runtime_low_memory(function):
            continue  # LL303 reports the same root cause for Java/.NET
        if cpu_bound_low_memory(function, low_memory_option(ctx.settings)):
            continue  # LL301 reports the same root cause with the CPU-bound evidence
        name = function.memory.prop
        yield ctx.finding(
            f"{name} is not set on {function.label}, so it runs at the 128 MB default with about 0.07 of a vCPU; "
            f"measure with AWS Lambda Power Tuning and set {name} explicitly",
            function.memory.location,
            subject=function.address,
        )


RULE = Rule(
    id="LL302",
    name="default-memory",
    level="note",
    summary="Memory is never set, so the function runs at the 128 MB default",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(globals="", memory="")},
            "SAM function without MemorySize",
            fixed={"template.yaml": _SAM.format(globals="", memory="").replace("    Properties:\n", f"    Properties:\n      MemorySize: 1024 # {_NOTE}\n")},
            display_only_fix=True,
        ),
        Example(
            {"main.tf": _TF},
            "Terraform without memory_size",
            fixed={"main.tf": _TF.replace("{  # expect: LL302\n", f"{{  # expect: LL302\n  memory_size = 1024 # {_NOTE}\n", 1)},
            display_only_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(globals="", memory="      MemorySize: 512\n"), "memory on the function"),
        sam(unmarked(_SAM).format(globals="Globals:\n  Function:\n    MemorySize: 1024\n", memory=""), "memory in Globals"),
        sam(unmarked(_SAM).format(globals="Parameters:\n  Memory:\n    Type: Number\n", memory="      MemorySize: !Ref Memory\n"), "memory from a parameter without default"),
    ),
    tags=("performance", "cost"),
    default=False,
    default_reason="fires on almost every function; choosing memory is a power-tuning exercise for audits, not a pull-request blocker",
)
