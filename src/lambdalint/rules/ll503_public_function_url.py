"""LL503 public-function-url: a function URL that anyone can call."""

from __future__ import annotations

from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Reports function URLs whose auth type is `NONE`: `AWS::Lambda::Url` with `AuthType: NONE`,
SAM `FunctionUrlConfig: {AuthType: NONE}` (on the function or in `Globals`), Terraform
`aws_lambda_function_url` with `authorization_type = "NONE"`, and the
`terraform-aws-modules/lambda/aws` module with `create_lambda_function_url = true` and no
`authorization_type` (its default is `"NONE"`) or `authorization_type = "NONE"`. The finding
is on the auth type's line; when the module's default applies, the input is absent and the
finding is on the `module` block's first line. Auth types that cannot be resolved are not
reported, nor are URLs behind a Terraform `count` / `for_each` that cannot be resolved (they
may not exist). A URL is reported even when its function is not in the scanned code (a
literal `TargetFunctionArn` of a function another stack deploys, a `function_name` of
another root): the public endpoint is declared right here.

## Why is this bad?
With `NONE`, Lambda does not authenticate callers: anyone on the internet who learns the URL
can invoke the function, as often as they like, and every invocation is billed to you and
counts against the account's concurrency. Such a URL bypasses API Gateway features too
(throttling, WAF, usage plans, authorizers). CWE-306: missing authentication for a critical
function.

Public endpoints are sometimes intended (a webhook verifying an HMAC signature in the handler).
Then say so where it is configured: `# lambdalint: ignore[LL503]` with a reason.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
and sign requests with SigV4, or put CloudFront in front with origin access control (which
requires `AWS_IAM`), or use API Gateway with an authorizer.

## References
- [Control access to Lambda function URLs](https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)
- [Restricting access to a Lambda function URL origin (CloudFront OAC)](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-lambda.html)
- [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
"""

def check(ctx: RuleContext):
    # one finding per auth type setting: a SAM Globals FunctionUrlConfig covers several functions
    groups: dict = {}
    for url in ctx.project.function_urls:
        auth = url.auth_type
        if url.may_not_exist or not auth.known or auth.value != "NONE":
            continue
        key = (auth.location.path, auth.location.line, auth.location.column)
        groups.setdefault(key, (auth, url, []))[2].append(url)
    for auth, url, urls in groups.values():
        names = ", ".join(u.function.label if u.function is not None else f"the function {u.target}" for u in urls)
        how = "the module's authorization_type defaults to NONE" if auth.is_absent else "its auth type is NONE"
        fix = url.phrases.private_url
        yield ctx.finding(
            f"the function URL of {names} is public ({how}): anyone who finds the URL can invoke the function and "
            f"run up its bill and concurrency; {fix}, or suppress with a reason if it "
            f"is a webhook that verifies signatures itself",
            auth.location,
            subject=url.address,
        )


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
      FunctionUrlConfig:
        AuthType: {auth}
"""

_TF = """\
resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
}}

resource "aws_lambda_function_url" "orders" {{
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "{auth}"  # expect: LL503
}}
"""

RULE = Rule(
    id="LL503",
    name="public-function-url",
    level="warning",
    summary="A function URL has auth type NONE: anyone can invoke the function",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(auth="NONE  # expect: LL503"), "SAM FunctionUrlConfig AuthType NONE"),
        Example({"main.tf": _TF.format(auth="NONE")}, "Terraform authorization_type NONE"),
        Example(
            {"main.tf": 'module "orders" {  # expect: LL503\n  source                     = "terraform-aws-modules/lambda/aws"\n  function_name              = "orders"\n  handler                    = "app.handler"\n  runtime                    = "python3.12"\n  create_lambda_function_url = true\n}\n'},
            "Terraform module URL with the default authorization_type",
        ),
    ),
    must_not_fire=(
        sam(_SAM.format(auth="AWS_IAM"), "SAM AuthType AWS_IAM"),
        Example({"main.tf": unmarked(_TF).format(auth="AWS_IAM")}, "Terraform AWS_IAM"),
        Example(
            {"main.tf": 'variable "auth" {}\n' + unmarked(_TF).format(auth="x").replace('"x"', "var.auth")},
            "Terraform auth type from a variable without default",
        ),
    ),
    tags=("security", "authentication", "external/cwe/cwe-306"),
    security_severity=5.3,
    default_reason="anyone on the internet can invoke the function; say so with a suppression when it is intended",
)
