"""LL212 snapstart-unpublished: SnapStart on published versions, but nothing publishes one."""

from __future__ import annotations

from .base import Example, Rule, RuleContext, sam, unmarked
from .ll210_snapstart_unsupported import snapstart_name, snapstart_on

DOCS = """\
## What it does
Reports functions with SnapStart set to `PublishedVersions` when nothing in the project publishes
a version of them: a SAM function without `AutoPublishAlias` or `AutoPublishCodeSha256`, a
CloudFormation function with no `AWS::Lambda::Version` resource for it, an `aws_lambda_function`
or lambda module without `publish = true`. The finding is on the SnapStart setting. A `publish`
value that cannot be resolved statically is never reported.

## Why is this bad?
SnapStart only works on published versions: the snapshot is taken when a version is published,
and only invocations of that version (or an alias pointing to it) restore from it. Calls to the
unqualified function run `$LATEST`, which never gets a snapshot, so every cold start still pays
the full init — the setting looks enabled and does nothing.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
In Terraform set `publish = true` and invoke an `aws_lambda_alias` that points at the function's
`version`; in plain CloudFormation add an `AWS::Lambda::Version` (and an alias) for the function.
Then make callers use the alias ARN.

## Fix safety
With `--unsafe-fixes`, `--fix` adds `AutoPublishAlias: live` to a SAM function (SAM publishes a
version and wires the function's event sources to the alias `live`, which SnapStart serves), and
sets `publish = true` on a Terraform `aws_lambda_function` (replacing `publish = false`). Only
those lines change. It is unsafe because deployments change: every code change publishes a new
version and creates its snapshot, and callers that invoke the function by name without a
qualifier still reach `$LATEST`, where SnapStart does not apply; point them at the alias or
version. Plain CloudFormation and JSON templates get no fix.

## References
- [Improving startup performance with Lambda SnapStart](https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html)
- [Lambda function versions](https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html)
"""

def check(ctx: RuleContext):
    for function in ctx.project.functions:
        if not snapstart_on(function):
            continue
        publishes = function.publishes_versions
        if not publishes.known or publishes.value:
            continue
        fix = function.phrases.publish_for_snapstart
        yield ctx.finding(
            f"{function.label} sets {snapstart_name(function)} to PublishedVersions but nothing publishes a version, "
            f"so only $LATEST runs and it never restores from a snapshot: every cold start still pays the full init; {fix}",
            function.snapstart.location,
            subject=function.address,
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
{extra}      SnapStart:
        ApplyOn: PublishedVersions  # expect: LL212
"""

_TF = """\
{variables}resource "aws_lambda_function" "payments" {{
  function_name = "payments"
  role          = "arn:aws:iam::123456789012:role/payments"
  runtime       = "java21"
  handler       = "com.example.Handler::handleRequest"
  filename      = "payments.zip"
  memory_size   = 2048
{publish}  snap_start {{
    apply_on = "PublishedVersions"  # expect: LL212
  }}
}}
"""

RULE = Rule(
    id="LL212",
    name="snapstart-unpublished",
    level="warning",
    summary="SnapStart applies to published versions, but no version is ever published",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(extra="")},
            "SAM without AutoPublishAlias",
            fixed={"template.yaml": _SAM.format(extra="").replace("    Properties:\n", "    Properties:\n      AutoPublishAlias: live\n")},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(variables="", publish="")},
            "Terraform without publish",
            fixed={"main.tf": _TF.format(variables="", publish="").replace('"payments" {\n', '"payments" {\n  publish = true\n', 1)},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(variables="", publish="  publish       = false  # for now\n")},
            "Terraform with publish = false",
            fixed={"main.tf": _TF.format(variables="", publish="  publish       = true  # for now\n")},
            unsafe_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(extra="      AutoPublishAlias: live\n"), "SAM with AutoPublishAlias"),
        sam(unmarked(_SAM).format(extra="      AutoPublishCodeSha256: abc123\n"), "SAM with AutoPublishCodeSha256"),
        Example({"main.tf": unmarked(_TF).format(variables="", publish="  publish       = true\n")}, "Terraform with publish = true"),
        Example({"main.tf": unmarked(_TF).format(variables='variable "publish" {}\n\n', publish="  publish       = var.publish\n")}, "Terraform publish variable without default"),
    ),
    tags=("snapstart", "deployment"),
    default_reason="SnapStart never takes effect: the setting does nothing",
)
