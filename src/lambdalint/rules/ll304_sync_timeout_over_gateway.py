"""LL304 sync-timeout-over-gateway: a function behind API Gateway may run longer than the gateway waits."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Rule, RuleContext, sam

DOCS = """\
## What it does
Finds functions invoked by an API Gateway integration — SAM `Api`/`HttpApi` events,
`AWS::ApiGateway::Method` (`Integration.Uri`), `AWS::ApiGatewayV2::Integration`
(`IntegrationUri`), Terraform `aws_api_gateway_integration` (`uri`) and
`aws_apigatewayv2_integration` (`integration_uri`) — whose `Timeout` is longer than the
integration's timeout. That is the integration's `TimeoutInMillis` / `timeout_milliseconds`
when set; otherwise API Gateway's default: 29 seconds for REST and WebSocket APIs, 30 seconds
for HTTP APIs. The finding is on the function's timeout; the integrations are related
locations. An unset timeout (3 seconds) and values that cannot be resolved are not reported.

## Why is this bad?
A synchronous caller stops waiting when the integration times out: the client receives a
504 while the function keeps running, and billing, up to its own timeout. Retries by the client
then start more invocations of work that is still in flight, amplifying load exactly when the
backend is slow. The function's timeout should end the work before the gateway gives up, so
errors are handled (and logged) by your code.

## Example
<!-- example -->

## Use instead
Keep the function under the integration timeout, and move long work to an asynchronous path
(a queue or Step Functions) that the API only starts:
<!-- use-instead -->
Regional and private REST APIs may raise `TimeoutInMillis` above 29 seconds (after a quota
increase); when you do, the rule compares against that value.

## Fix safety
Display-only: `--fix` never applies it. The suggestion sets the function's own timeout to the
whole seconds the integration waits: it replaces the function's `Timeout` / `timeout` value, or
adds one when the value comes from SAM `Globals` (which other functions share; the function's
own setting overrides it). Applied blindly it would cut off work that legitimately runs longer
(the caller already got a 504, but the side effects completed); that work belongs on an
asynchronous path, which is a design change. JSON templates get the advice in the message only.

## References
- [Amazon API Gateway quotas](https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
- [Configure Lambda function timeout](https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html)
"""

_API_NAMES = {"rest": "REST API", "http": "HTTP API", "websocket": "WebSocket API"}


def gateway_limits(function) -> list:
    """(caller, limit in ms) for every API Gateway caller whose timeout is known."""
    out = []
    for caller in function.callers:
        if caller.kind != "api" or caller.invocation != "sync":
            continue
        timeout = caller.timeout_ms
        if timeout is None or not timeout.known or not isinstance(timeout.value, int) or isinstance(timeout.value, bool):
            continue
        out.append((caller, timeout.value))
    return out


def check(ctx: RuleContext):

    for function in ctx.project.functions:
        timeout = function.timeout
        if not (timeout.is_set and isinstance(timeout.value, (int, float)) and not isinstance(timeout.value, bool)):
            continue
        over = [(c, limit) for c, limit in gateway_limits(function) if timeout.value * 1000 > limit]
        if not over:
            continue
        over.sort(key=lambda item: (item[1], item[0].location))
        caller, limit = over[0]
        name = function.timeout.prop
        seconds = f"{limit / 1000:g}"
        api = _API_NAMES.get(getattr(caller, "api", ""), "API Gateway")
        how = "set by the integration" if caller.timeout_ms.is_set else "API Gateway's default"
        related = [
            Related(c.location, f"API Gateway integration waits {lim / 1000:g} s ({'set here' if c.timeout_ms.is_set else 'default'})")
            for c, lim in over
        ]
        yield ctx.finding(
            f"{name} {timeout.value} on {function.label} is longer than the {seconds} s it is waited for by its {api} "
            f"integration ({how}): the caller gets a 504 after {seconds} s while the function keeps running and billing "
            f"for up to {timeout.value} s; set {name} to at most {limit // 1000} "
            f"and hand longer work to an asynchronous path",
            timeout.location,
            related=related,
            subject=function.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
{parameters}Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
      Timeout: {timeout}
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders
            Method: get
"""

_TF = """\
{variables}resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  memory_size   = 1024
  timeout       = {timeout}
}}

resource "aws_api_gateway_integration" "orders" {{
  rest_api_id             = "abc123"
  resource_id             = "def456"
  http_method             = "GET"
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.orders.invoke_arn
{integration}}}
"""

RULE = Rule(
    id="LL304",
    name="sync-timeout-over-gateway",
    level="warning",
    summary="A function behind API Gateway has a timeout longer than the integration's",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(parameters="", timeout="60  # expect: LL304")},
            "SAM Api event with Timeout 60",
            fixed={"template.yaml": _SAM.format(parameters="", timeout="29  # expect: LL304")},
            display_only_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(variables="", timeout="120  # expect: LL304", integration="")},
            "Terraform REST integration with timeout 120",
            fixed={"main.tf": _TF.format(variables="", timeout="29  # expect: LL304", integration="")},
            display_only_fix=True,
        ),
    ),
    must_not_fire=(
        sam(_SAM.format(parameters="", timeout="29"), "SAM Api event with Timeout 29"),
        sam(_SAM.format(parameters="Parameters:\n  Timeout:\n    Type: Number\n", timeout="!Ref Timeout"), "timeout from a parameter without default"),
        Example(
            {"main.tf": _TF.format(variables="", timeout="60", integration="  timeout_milliseconds    = 90000\n")},
            "Terraform integration with a raised timeout",
        ),
        Example({"main.tf": _TF.format(variables='variable "timeout" {}\n\n', timeout="var.timeout", integration="")}, "Terraform variable without default"),
    ),
    tags=("timeouts", "api-gateway"),
    default_reason="the caller gets a gateway timeout while the function keeps running and billing",
)
