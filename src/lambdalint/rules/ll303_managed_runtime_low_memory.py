"""LL303 managed-runtime-low-memory: a Java or .NET function at 512 MB or less."""

from __future__ import annotations

from .base import Example, Rule, RuleContext, sam, unmarked

THRESHOLD_MB = 512

DOCS = """\
## What it does
Reports Java (`java*`) and .NET (`dotnet*`) functions whose memory is 512 MB or less. An unset
memory counts: it is Lambda's 128 MB default.

## Why is this bad?
Lambda hands out CPU in proportion to memory; a full vCPU only arrives around 1,769 MB, and
512 MB is well under a third of one. JVM and .NET functions do their heaviest work at cold
start — class loading, dependency-injection graphs, JIT compilation — and that work is CPU-bound.
Squeezed onto a sliver of a core, init stretches to seconds, and warm requests keep paying the
JIT tax. Because Lambda bills memory × duration, the shorter run at a higher setting often costs
about the same.

## Example
<!-- example -->

## Use instead
Run AWS Lambda Power Tuning with a realistic payload and set the result; for JVM and .NET
functions it is rarely below 1024 MB:
<!-- use-instead -->
SnapStart (Java 11+, .NET 8+) can remove most of the remaining init time.

## References
- [Configure Lambda function memory](https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html)
- [AWS Lambda Power Tuning](https://github.com/alexcasalboni/aws-lambda-power-tuning)
"""


def managed_runtime_low_memory(function) -> bool:
    """True when LL303 reports this function (LL302 stays quiet for it: one root cause, one finding)."""
    runtime, memory = function.runtime, function.memory
    if not (runtime.is_set and isinstance(runtime.value, str) and runtime.value.startswith(("java", "dotnet"))):
        return False
    if not memory.known or not isinstance(memory.value, int):
        return False
    return 128 <= memory.value <= THRESHOLD_MB  # below 128 is LL305's invalid value


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        if not managed_runtime_low_memory(function):
            continue
        family = "Java" if function.runtime.value.startswith("java") else ".NET"
        name = function.memory.prop
        setting = f"{name} {function.memory.value}" if function.memory.is_set else f"{name} unset (128 MB default)"
        yield ctx.finding(
            f"{family} function {function.label} ({function.runtime.value}) runs with {setting}, a fraction of a vCPU "
            f"for class loading and JIT compilation, so cold starts and early requests crawl; measure with AWS Lambda "
            f"Power Tuning and raise {name} (JVM/.NET functions usually need 1024 MB or more)",
            function.memory.location,
            subject=function.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  PaymentsFunction:  # expect: LL303
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/payments.jar
      Handler: com.example.Handler::handleRequest
      Runtime: {runtime}
{memory}"""

_TF = """\
resource "aws_lambda_function" "payments" {{
  function_name = "payments"
  role          = "arn:aws:iam::123456789012:role/payments"
  runtime       = "{runtime}"
  handler       = "Payments::Payments.Function::Handler"
  filename      = "payments.zip"
{memory}}}
"""

RULE = Rule(
    id="LL303",
    name="managed-runtime-low-memory",
    level="warning",
    summary="A Java or .NET function has 512 MB of memory or less",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(unmarked(_SAM).format(runtime="java21", memory="      MemorySize: 512  # expect: LL303\n"), "SAM Java at 512 MB"),
        sam(_SAM.format(runtime="java17", memory=""), "SAM Java with the 128 MB default"),
        Example({"main.tf": _TF.format(runtime="dotnet8", memory="  memory_size   = 256  # expect: LL303\n")}, "Terraform .NET at 256 MB"),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(runtime="java21", memory="      MemorySize: 1024\n"), "SAM Java at 1024 MB"),
        sam(unmarked(_SAM).format(runtime="python3.12", memory="      MemorySize: 256\n"), "Python at 256 MB"),
        sam(
            "Parameters:\n  Memory:\n    Type: Number\n" + unmarked(_SAM).format(runtime="java21", memory="      MemorySize: !Ref Memory\n"),
            "memory from a parameter without default",
        ),
        Example({"main.tf": _TF.format(runtime="dotnet8", memory="  memory_size   = 2048\n")}, "Terraform .NET at 2048 MB"),
        Example({"main.tf": 'variable "memory" {}\n' + _TF.format(runtime="java21", memory="  memory_size   = var.memory\n")}, "Terraform variable without default"),
    ),
    tags=("performance", "cold-start"),
    default=False,
    default_reason="right for latency-sensitive Java/.NET functions, but small background functions run fine at 512 MB: depends on the latency goal",
)
