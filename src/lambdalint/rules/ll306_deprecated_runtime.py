"""LL306 deprecated-runtime: a function on a runtime AWS has deprecated (or already blocks)."""

from __future__ import annotations

from .base import Example, Option, Rule, RuleContext, sam, unmarked
from .runtime_lifecycle import CHECKED, LIFECYCLE, SOURCE, supported_successor

DOCS = f"""\
## What it does
Reports functions whose `Runtime` (`runtime` in Terraform, the `runtime` input of the
terraform-aws-modules/lambda module; SAM `Globals` included) is past AWS's deprecation date:
python3.8, python3.9, nodejs16.x, nodejs18.x, go1.x, java8, dotnet6, ruby2.7 and the others in
AWS's deprecated-runtime table. It is a warning while the runtime is only deprecated, and an
error once Lambda blocks creating functions on it (a new stack, environment or region no longer
deploys; updates are blocked a month or so later). The message names the dates and a supported
runtime of the same language to move to.

The dates are data ([`runtime_lifecycle.py`](../src/lambdalint/rules/runtime_lifecycle.py)),
taken from [AWS's runtime tables]({SOURCE}) and last checked on {CHECKED}. Runtimes that cannot
be resolved statically, container images (no `Runtime`) and custom runtimes on `provided.al2023`
are never reported.

## Why is this bad?
A deprecated runtime gets no security patches and no technical support: the language version
and the operating system under the function are end of life. Then AWS blocks creating functions
on it, and later blocks updating them: a routine deployment fails with
`InvalidParameterValueException` on the day of an urgent fix.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
Test the code on the new version first: language upgrades change behaviour (Node.js 18 ships the
AWS SDK v3 only; Python removes deprecated modules).

## Fix safety
With `--unsafe-fixes`, `--fix` replaces the runtime where it is written (a SAM `Globals` value
once for every function that inherits it) with the successor the message names, keeping quotes
and comments. It is unsafe because a new language version changes behaviour: run the tests on
it before deploying. No fix is offered when the successor is an OS-only runtime
(`provided.al2023` for `go1.x`), since the code must first be rebuilt as a `bootstrap` binary.

## References
- [Lambda runtimes and their deprecation dates]({SOURCE})
- [Runtime deprecation policy](https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html)
"""


def _today(ctx: RuleContext) -> str:
    as_of = ctx.options.get("as-of") or ""
    if as_of:
        return as_of
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def check(ctx: RuleContext):
    today = _today(ctx)
    by_setting: dict = {}  # a SAM Globals runtime shared by several functions is one finding
    for function in ctx.project.functions:
        runtime = function.runtime
        if not runtime.is_set or not isinstance(runtime.value, str):
            continue
        lifecycle = LIFECYCLE.get(runtime.value.strip())
        if lifecycle is None or lifecycle.deprecated > today:
            continue
        key = (runtime.location.path, runtime.location.line, runtime.location.column)
        by_setting.setdefault(key, (runtime, lifecycle, []))[2].append(function)
    for runtime, lifecycle, functions in by_setting.values():
        name = runtime.prop
        names = ", ".join(f.label for f in functions)
        successor = supported_successor(lifecycle.runtime, today)
        blocked = lifecycle.create_blocked is not None and lifecycle.create_blocked <= today
        if blocked:
            updates = f" and updates since {lifecycle.update_blocked}" if lifecycle.update_blocked and lifecycle.update_blocked <= today else (
                f", and will block updates from {lifecycle.update_blocked}" if lifecycle.update_blocked else ""
            )
            why = f"Lambda has blocked creating functions on it since {lifecycle.create_blocked}{updates}, so deploying this can fail"
        elif lifecycle.create_blocked:
            why = f"it gets no security patches, and Lambda blocks creating functions on it from {lifecycle.create_blocked}"
            if lifecycle.update_blocked:
                why += f" and updating them from {lifecycle.update_blocked}"
        else:
            why = "it gets no security patches or support"
        yield ctx.finding(
            f"{name} {lifecycle.runtime} on {names} was deprecated by AWS on {lifecycle.deprecated}: {why}; "
            f"move to {successor}",
            runtime.location,
            subject=functions[0].address,
            level="error" if blocked else None,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{globals}Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      MemorySize: 512
{props}"""

_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/orders
      Handler: index.handler
      Runtime: {runtime}
      MemorySize: 512
      Code:
        ZipFile: "exports.handler = async () => 1;"
"""

_TF = """\
resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "{runtime}"  # expect: LL306
  handler       = "main"
  filename      = "orders.zip"
  memory_size   = 512
}}
"""

_MODULE = """\
module "orders" {{
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "orders"
  handler       = "app.handler"
  runtime       = "{runtime}"  # expect: LL306
  memory_size   = 512
  create_package         = false
  local_existing_package = "orders.zip"
}}
"""

RULE = Rule(
    id="LL306",
    name="deprecated-runtime",
    level="warning",
    summary="The function runs on a runtime AWS has deprecated",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(globals="Globals:\n  Function:\n    Runtime: python3.8  # expect: LL306\n", props="")},
            "SAM Globals python3.8",
            fixed={"template.yaml": _SAM.format(globals="Globals:\n  Function:\n    Runtime: python3.13  # expect: LL306\n", props="")},
            unsafe_fix=True,
        ),
        sam(_SAM.format(globals="", props="      Runtime: ruby2.7  # expect: LL306\n"), "SAM ruby2.7 (creation blocked: error)"),
        Example({"template.yaml": _CFN.format(runtime="nodejs16.x  # expect: LL306")}, "CloudFormation nodejs16.x"),
        Example({"main.tf": _TF.format(runtime="go1.x")}, "Terraform go1.x (successor provided.al2023: no fix)"),
        Example({"main.tf": _TF.format(runtime="nodejs16.x")}, "Terraform nodejs16.x", fixed={"main.tf": _TF.format(runtime="nodejs24.x")}, unsafe_fix=True),
        Example({"main.tf": _MODULE.format(runtime="java8")}, "Terraform module java8"),
    ),
    must_not_fire=(
        sam(_SAM.format(globals="Globals:\n  Function:\n    Runtime: python3.13\n", props=""), "SAM Globals python3.13"),
        sam(
            "Parameters:\n  Runtime:\n    Type: String\n" + _SAM.format(globals="", props="      Runtime: !Ref Runtime\n"),
            "runtime from a parameter without default",
        ),
        Example({"template.yaml": _CFN.format(runtime="nodejs24.x")}, "CloudFormation nodejs24.x"),
        Example({"main.tf": unmarked(_TF).format(runtime="provided.al2023")}, "Terraform custom runtime on provided.al2023"),
        Example({"main.tf": 'variable "runtime" {}\n' + unmarked(_TF).format(runtime="${var.runtime}")}, "Terraform variable without default"),
    ),
    tags=("runtime", "security", "deployment"),
    options=(
        Option("as-of", "", "judge deprecation as of this ISO date (YYYY-MM-DD) instead of today, for reproducible CI runs", pattern=r"\d{4}-\d{2}-\d{2}"),
    ),
    default_reason="a deprecated runtime gets no security patches, and AWS eventually blocks updates to the function",
)
