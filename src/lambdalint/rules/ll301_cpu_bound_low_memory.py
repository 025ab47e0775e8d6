"""LL301 cpu-bound-low-memory: CPU-heavy handler code on a sliver of a vCPU."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Option, Rule, RuleContext, sam, unmarked

DEFAULT_LOW_MEMORY_MB = 128
FULL_VCPU_MB = 1769

DOCS = """\
## What it does
Reports functions whose memory is at or below `low-memory-mb` (default 128 MB; an unset memory
counts, since Lambda's default is 128 MB) when the handler linked to them does CPU-bound work on
every invocation: numpy, pandas, scipy, Pillow, OpenCV, scikit-learn and similar libraries,
`hashlib.pbkdf2_hmac`/`scrypt`, bcrypt, `cryptography`, zlib/gzip/lzma/bz2 compression, image,
video or PDF processing. The finding is on the memory setting (or the function when memory is
unset); the code evidence is attached as related locations.

## Why is this bad?
Lambda gives a function CPU in proportion to its memory: about 0.07 of a vCPU at 128 MB, a full
vCPU only at 1,769 MB. CPU-bound code at 128 MB runs many times slower than it would with a full
core, and because the bill is memory × duration, the slow run usually costs about as much as
the fast one. The low setting saves nothing and adds latency.

## Example
<!-- example -->

## Use instead
Run AWS Lambda Power Tuning with a representative payload and set the winner:
<!-- use-instead -->

## Options
- `low-memory-mb` (default 128): report CPU-bound functions at or below this memory.

## References
- [Configure Lambda function memory](https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html)
- [AWS Lambda Power Tuning](https://github.com/alexcasalboni/aws-lambda-power-tuning)
"""

OPTIONS = (Option("low-memory-mb", DEFAULT_LOW_MEMORY_MB, "report CPU-bound functions with this much memory (MB) or less"),)


def cpu_bound_low_memory(function, low_memory_mb: int = DEFAULT_LOW_MEMORY_MB) -> bool:
    """True when LL301 reports this function (LL302 stays quiet for it: one root cause, one finding)."""
    memory = function.memory
    if not function.cpu_evidence or not memory.known or not isinstance(memory.value, int) or isinstance(memory.value, bool):
        return False
    return 128 <= memory.value <= int(low_memory_mb)  # below 128 is LL305's invalid value


def low_memory_option(settings) -> int:
    """The configured ``low-memory-mb`` (for rules that defer to LL301)."""
    options = getattr(settings, "rule_options", {}) or {}
    return int(options.get("LL301", {}).get("low-memory-mb", DEFAULT_LOW_MEMORY_MB))


def check(ctx: RuleContext):

    threshold = int(ctx.options.get("low-memory-mb", DEFAULT_LOW_MEMORY_MB))
    for function in ctx.project.functions:
        if not cpu_bound_low_memory(function, threshold):
            continue
        memory = function.memory
        name = function.memory.prop
        setting = f"{name} {memory.value}" if memory.is_set else f"{name} unset (the 128 MB default)"
        first_loc, first_what = function.cpu_evidence[0]
        more = len(function.cpu_evidence) - 1
        evidence = f"{first_what.split(' runs ', 1)[0]} at {first_loc.path}:{first_loc.line}" + (f" and {more} more" if more else "")
        related = [Related(loc, what) for loc, what in function.cpu_evidence]
        yield ctx.finding(
            f"{function.label} runs with {setting}, about {memory.value / FULL_VCPU_MB:.2f} of a vCPU, but its handler does "
            f"CPU-bound work on every invocation ({evidence}); Lambda scales CPU with memory (a full vCPU at "
            f"{FULL_VCPU_MB:,} MB), so this work runs many times slower for about the same cost: measure with AWS Lambda "
            f"Power Tuning and raise {name}",
            memory.location,
            related=related,
            subject=function.address,
        )


_APP = """\
import hashlib


def handler(event, context):
    return hashlib.pbkdf2_hmac("sha256", event["password"].encode(), b"salt", 200_000).hex()
"""

_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Hasher:  # expect: LL301
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
{memory}"""

_TF = """\
data "archive_file" "hasher" {{
  type        = "zip"
  source_dir  = "${{path.module}}/src"
  output_path = "${{path.module}}/build/hasher.zip"
}}

resource "aws_lambda_function" "hasher" {{
  function_name = "hasher"
  role          = "arn:aws:iam::123456789012:role/hasher"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.hasher.output_path
{memory}}}
"""

RULE = Rule(
    id="LL301",
    name="cpu-bound-low-memory",
    level="warning",
    summary="A function doing CPU-bound work runs at low memory (a fraction of a vCPU)",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(memory=""), "SAM with the 128 MB default and pbkdf2 in the handler", src__app_py=_APP),
        Example({"main.tf": _TF.format(memory="  memory_size   = 128  # expect: LL301\n"), "src/app.py": _APP}, "Terraform at 128 MB with pbkdf2"),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(memory="      MemorySize: 1769\n"), "SAM at 1769 MB", src__app_py=_APP),
        sam(unmarked(_SAM).format(memory=""), "I/O-only handler at 128 MB", src__app_py="def handler(event, context):\n    return {'ok': True}\n"),
        Example(
            {"main.tf": 'variable "memory" {}\n\n' + _TF.format(memory="  memory_size   = var.memory\n"), "src/app.py": _APP},
            "Terraform variable without default",
        ),
    ),
    tags=("performance", "cost"),
    options=OPTIONS,
    default_reason="backed by evidence in the handler (CPU-heavy work at a fraction of a vCPU), not by a guess",
)
