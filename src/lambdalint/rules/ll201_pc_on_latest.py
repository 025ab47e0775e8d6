"""LL201 pc-on-latest: provisioned concurrency aimed at $LATEST."""

from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Finds provisioned concurrency that targets `$LATEST`: an `AWS::Lambda::Alias` whose
`FunctionVersion` is `$LATEST`; a SAM function with `ProvisionedConcurrencyConfig` but no
`AutoPublishAlias`; a Terraform `aws_lambda_provisioned_concurrency_config` whose `qualifier`
is `"$LATEST"`, or `aws_lambda_function.X.version` where `X` does not set `publish = true`
(without publishing, that attribute is `$LATEST`); the `terraform-aws-modules/lambda/aws`
module with `provisioned_concurrent_executions` but no `publish = true`.

## Why is this bad?
Provisioned concurrency can only be applied to a published version or an alias that points to
one. AWS rejects the configuration at deploy time ("cannot be applied to unpublished function
versions"), so the stack fails or, in Terraform, every apply errors out. The fix is a deploy
model where code is published as an immutable version and an alias is shifted to it.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
In Terraform, set `publish = true` on the function and point the configuration at an
`aws_lambda_alias` (or the published `version`), as the second example does.

## Fix safety
With `--unsafe-fixes`, `--fix` adds `AutoPublishAlias: live` to a SAM function (SAM then
publishes a version on each code change, points the alias `live` at it and puts the provisioned
concurrency on that alias), and for Terraform sets `publish = true` on the `aws_lambda_function`
whose `.version` the provisioned-concurrency config names, so that attribute is a published
version instead of `$LATEST`. Only those lines change. It is unsafe because deployments change:
every code change publishes a new version, SAM wires the function's event sources to the alias,
and old versions accumulate until you clean them up. Once the provisioned concurrency is valid,
the rules about its cost and use (LL202-LL205) apply to it, so their findings may appear. Plain CloudFormation (which needs an
`AWS::Lambda::Version` and an alias resource) and JSON templates get no fix.

For Terraform the fix also points the `aws_lambda_provisioned_concurrency_config` at an alias,
so that each new version can be given its warm pool by moving the alias: it sets
`publish = true` on the function, reuses an `aws_lambda_alias` of this file whose
`function_version` is the function's `.version`, or else adds one named `live` (labelled like
the function) right after the function's block, and sets `qualifier` to that alias's `name`.
It applies when the qualifier is the function's `.version`, or `"$LATEST"` with `function_name`
naming an `aws_lambda_function` of the same file. An alias of the function that points at
something else is left for you to repoint. For the `terraform-aws-modules/lambda/aws` module it
adds `publish = true` to the module's inputs: the module then puts the provisioned concurrency
on the version it publishes.

## References
- [Configuring provisioned concurrency](https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html)
- [AWS SAM AutoPublishAlias](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-autopublishalias)
"""

_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
{extra}      ProvisionedConcurrencyConfig:  # expect: LL201
        ProvisionedConcurrentExecutions: 5
"""

_TF = """\
resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  memory_size   = 1024
{publish}}}
{alias}
resource "aws_lambda_provisioned_concurrency_config" "orders" {{
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 5
  qualifier                         = {qualifier}
}}
"""

_TF_NEW_ALIAS = """
resource "aws_lambda_alias" "orders" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}
"""

_TF_ALIAS = """
resource "aws_lambda_alias" "blue" {
  name             = "blue"
  function_name    = aws_lambda_function.orders.arn
  function_version = aws_lambda_function.orders.version
}
"""

_MODULE = """\
module "orders" {{
  source = "terraform-aws-modules/lambda/aws"

  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  memory_size   = 1024
  source_path   = "src"

  provisioned_concurrent_executions = 5  # expect: LL201
{publish}}}
"""


def _tf(publish: str = "", alias: str = "", qualifier: str = "aws_lambda_function.orders.version") -> str:
    return _TF.format(publish=publish, alias=alias, qualifier=qualifier)


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        for pc in function.provisioned:
            if not pc.qualifier.is_latest:
                continue
            amount = f" {pc.amount.value}" if pc.amount.is_set else ""
            why = f" ({pc.qualifier_note})" if pc.qualifier_note else ""
            fix = function.phrases.publish_for_provisioned
            yield ctx.finding(
                f"provisioned concurrency{amount} on {function.label} targets $LATEST{why}; "
                f"Lambda only accepts it on a published version or alias and the deployment will fail: {fix}",
                pc.qualifier.location,
                subject=pc.address,
            )


RULE = Rule(
    id="LL201",
    name="pc-on-latest",
    level="error",
    summary="Provisioned concurrency targets $LATEST, which Lambda rejects",
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
            {"main.tf": _tf(qualifier="aws_lambda_function.orders.version  # expect: LL201")},
            "Terraform version attribute without publish",
            fixed={"main.tf": _tf(alias=_TF_NEW_ALIAS, qualifier="aws_lambda_alias.orders.name  # expect: LL201").replace('"orders" {\n', '"orders" {\n  publish = true\n', 1)},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": _tf(publish="  publish       = false\n", qualifier='"$LATEST"  # expect: LL201')},
            "Terraform $LATEST qualifier, publish = false",
            fixed={"main.tf": _tf(publish="  publish       = true\n", alias=_TF_NEW_ALIAS, qualifier="aws_lambda_alias.orders.name  # expect: LL201")},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": _tf(alias=_TF_ALIAS, qualifier="aws_lambda_function.orders.version  # expect: LL201")},
            "Terraform with an alias of the function the configuration does not use",
            fixed={"main.tf": _tf(alias=_TF_ALIAS, qualifier="aws_lambda_alias.blue.name  # expect: LL201").replace('"orders" {\n', '"orders" {\n  publish = true\n', 1)},
            unsafe_fix=True,
        ),
        Example(
            {"main.tf": _MODULE.format(publish="")},
            "terraform-aws-modules/lambda without publish",
            fixed={"main.tf": _MODULE.format(publish="  publish = true\n")},
            unsafe_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(extra="      AutoPublishAlias: live\n"), "SAM with AutoPublishAlias", docs=True),
        Example({"main.tf": _tf(publish="  publish       = true\n")}, "Terraform with publish = true"),
        Example({"main.tf": _tf(publish="  publish       = true\n", alias=_TF_NEW_ALIAS, qualifier="aws_lambda_alias.orders.name")}, "Terraform alias on the published version", docs=True),
        Example({"main.tf": unmarked(_MODULE).format(publish="  publish = true\n")}, "terraform-aws-modules/lambda with publish = true"),
    ),
    tags=("provisioned-concurrency", "deployment"),
    default_reason="Lambda rejects provisioned concurrency on $LATEST: the deployment fails",
)
