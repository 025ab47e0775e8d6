"""LL305 invalid-limits: a setting outside the range Lambda accepts."""

from __future__ import annotations

from typing import Any

from .base import Example, Rule, RuleContext, sam

MEMORY_RANGE = (128, 10240)
MAX_TIMEOUT = 900
STORAGE_RANGE = (512, 10240)
MAX_ENVIRONMENT_BYTES = 4096

DOCS = """\
## What it does
Checks the function settings that Lambda validates against hard limits, and reports each one
that is out of range:
- memory (`MemorySize`, `memory_size`) below 128 MB or above 10,240 MB;
- timeout (`Timeout`, `timeout`) above 900 seconds;
- ephemeral `/tmp` storage (`EphemeralStorage.Size`, `ephemeral_storage { size }`, module
  `ephemeral_storage_size`) below 512 MB or above 10,240 MB;
- environment variables whose names and values add up to more than 4 KB.

Each offending setting is its own finding, reported on that setting's line. Values that cannot
be resolved statically (a parameter without a default, a Terraform variable without a value) are
never reported, and the environment size is only checked when every value is a literal.

## Why is this bad?
None of these limits can be raised through a quota request: they are the edges of what the
service accepts. A template or plan that crosses one does not deploy — CloudFormation rolls the
stack back and `terraform apply` fails — usually late, in a pipeline, after review.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
Work that needs more than 15 minutes belongs in Step Functions, ECS/Fargate or AWS Batch, or
must be split into smaller invocations. Large configuration belongs in SSM Parameter Store,
Secrets Manager or AppConfig rather than in environment variables.

## References
- [Lambda quotas](https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
- [Configure Lambda function memory](https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html)
- [Configure ephemeral storage](https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html)
"""


def _literal_size(value: Any) -> int | None:
    """Bytes of one literal environment value, or None when it is not a known literal."""
    if isinstance(value, str):  # an unresolved value inside a resolved map is typed, never text
        return len(value.encode("utf-8"))
    if isinstance(value, bool):
        return len("true" if value else "false")
    if isinstance(value, (int, float)):
        return len(str(value))
    return None


def environment_bytes(environment: Any) -> int | None:
    """Total size of the variables' names and values, or None if any value is unknown."""
    if not isinstance(environment, dict):
        return None
    total = 0
    for key, value in environment.items():
        size = _literal_size(value)
        if size is None or not isinstance(key, str):
            return None
        total += len(key.encode("utf-8")) + size
    return total


def check(ctx: RuleContext):
    seen: set = set()  # a SAM Globals value shared by several functions is one offending property
    for finding in _findings(ctx):
        key = (finding.location.path, finding.location.line, finding.location.column)
        if key not in seen:
            seen.add(key)
            yield finding


def _findings(ctx: RuleContext):
    for function in ctx.project.functions:
        memory = function.memory
        if memory.is_set and isinstance(memory.value, int) and not MEMORY_RANGE[0] <= memory.value <= MEMORY_RANGE[1]:
            name = function.memory.prop
            yield ctx.finding(
                f"{name} {memory.value} on {function.label} is outside the 128–10240 MB range Lambda accepts, "
                f"so the deployment will be rejected; set {name} between 128 and 10240",
                memory.location,
                subject=function.address,
            )
        timeout = function.timeout
        if timeout.is_set and isinstance(timeout.value, int) and timeout.value > MAX_TIMEOUT:
            name = function.timeout.prop
            yield ctx.finding(
                f"{name} {timeout.value} s on {function.label} is above the 900-second (15-minute) maximum of a Lambda "
                f"invocation, so the deployment will be rejected; set {name} to at most 900 and move longer work to "
                f"Step Functions, Fargate or Batch",
                timeout.location,
                subject=function.address,
            )
        storage = function.ephemeral_storage
        if (
            storage is not None
            and storage.is_set
            and isinstance(storage.value, int)
            and not STORAGE_RANGE[0] <= storage.value <= STORAGE_RANGE[1]
        ):
            name = function.ephemeral_storage.prop
            yield ctx.finding(
                f"{name} {storage.value} on {function.label} is outside the 512–10240 MB range Lambda allows for /tmp, "
                f"so the deployment will be rejected; set it between 512 and 10240",
                storage.location,
                subject=function.address,
            )
        environment = function.environment
        if environment.is_set:
            size = environment_bytes(environment.value)
            if size is not None and size > MAX_ENVIRONMENT_BYTES:
                name = function.environment.prop
                yield ctx.finding(
                    f"{name} on {function.label} adds up to {size} bytes of names and values, above Lambda's 4 KB "
                    f"(4096-byte) limit for environment variables, so the deployment will be rejected; move large "
                    f"values to SSM Parameter Store, Secrets Manager or AppConfig and read them at init",
                    environment.location,
                    subject=function.address,
                )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ReportsFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
{props}"""

_TF = """\
resource "aws_lambda_function" "reports" {{
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "reports.zip"
{props}}}
"""

RULE = Rule(
    id="LL305",
    name="invalid-limits",
    level="error",
    summary="A memory, timeout, ephemeral storage or environment setting is outside Lambda's limits",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(props="      MemorySize: 16384  # expect: LL305\n"), "SAM memory above 10240 MB"),
        sam(_SAM.format(props="      MemorySize: 1024\n      Timeout: 1800  # expect: LL305\n"), "SAM timeout above 900 s"),
        sam(_SAM.format(props="      MemorySize: 1024\n      EphemeralStorage:\n        Size: 20480  # expect: LL305\n"), "SAM ephemeral storage above 10240 MB"),
        sam(_SAM.format(props="      MemorySize: 1024\n      Environment:\n        Variables:  # expect: LL305\n          BLOB: " + "x" * 4100 + "\n"), "SAM environment above 4 KB"),
        Example({"main.tf": _TF.format(props="  memory_size   = 64  # expect: LL305\n")}, "Terraform memory below 128 MB"),
        Example({"main.tf": _TF.format(props="  timeout       = 3600  # expect: LL305\n")}, "Terraform timeout above 900 s"),
        Example({"main.tf": _TF.format(props="  ephemeral_storage {\n    size = 256  # expect: LL305\n  }\n")}, "Terraform ephemeral storage below 512 MB"),
    ),
    must_not_fire=(
        sam(_SAM.format(props="      MemorySize: 10240\n      Timeout: 900\n      EphemeralStorage:\n        Size: 10240\n"), "SAM at the upper limits"),
        sam(_SAM.format(props="      MemorySize: 128\n      Environment:\n        Variables:\n          STAGE: prod\n"), "SAM at the lower limits"),
        sam(
            "Parameters:\n  Memory:\n    Type: Number\n" + _SAM.format(props="      MemorySize: !Ref Memory\n"),
            "memory from a parameter without default",
        ),
        Example({"main.tf": _TF.format(props="  memory_size   = 10240\n  timeout       = 900\n  ephemeral_storage {\n    size = 512\n  }\n")}, "Terraform at the limits"),
        Example({"main.tf": 'variable "timeout" {}\n' + _TF.format(props="  timeout       = var.timeout\n")}, "Terraform variable without default"),
    ),
    tags=("limits", "deployment"),
    default_reason="Lambda rejects the value: the deployment fails",
)
