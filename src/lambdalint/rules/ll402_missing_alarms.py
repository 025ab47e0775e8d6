"""LL402 missing-alarms: the function's key Lambda metrics have no CloudWatch alarm."""

from __future__ import annotations

from .base import Example, Option, Rule, RuleContext, sam, unmarked

SPILLOVER = "ProvisionedConcurrencySpilloverInvocations"
DEFAULT_ALARMS = ["Throttles", "Errors", SPILLOVER, "IteratorAge", "DeadLetterErrors"]
STREAM_SOURCES = ("kinesis", "dynamodb")

DOCS = """\
## What it does
Looks for CloudWatch alarms (`AWS::CloudWatch::Alarm`, `aws_cloudwatch_metric_alarm`, the
terraform-aws-modules metric-alarm module; plain metrics and metric-math `Metrics` /
`metric_query` alarms) anywhere in the scanned project, and reports a function when no alarm
watches one of the metrics it needs, in namespace `AWS/Lambda` with a `FunctionName` dimension
that resolves to the function (`!Ref Fn`, `aws_lambda_function.x.function_name`,
`module.m.lambda_function_name`, or the function's literal name, which also links alarms kept in
another template or Terraform root). The message lists exactly the metrics that lack an alarm:

- `Throttles` and `Errors` for every function;
- `ProvisionedConcurrencySpilloverInvocations` when it has provisioned concurrency;
- `IteratorAge` when a Kinesis or DynamoDB stream feeds it (not SQS);
- `DeadLetterErrors` when it has a dead-letter queue (a literal ARN or a queue or topic of
  the project: `!GetAtt Queue.Arn`, `aws_sqs_queue.dlq.arn`).

An alarm whose metric name or function dimension cannot be resolved is assumed to cover it.

## Why is this bad?
These metrics are the early signals: `Throttles` shows a concurrency wall (reserved, account or
burst limit) before users report 429s or async events pile up; spillover shows demand
outrunning the warm pool, which brings cold starts back; a growing `IteratorAge` means a stream
consumer is falling behind; `DeadLetterErrors` means failed events cannot even reach the DLQ and
are lost. Without an alarm, each of these is discovered during the incident review.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
Teams whose alarms are managed outside the scanned code leave the
rule out of their selection (it is not in the default set), or set it off explicitly:
```toml
[tool.lambdalint.rules.LL402]
alarms = "external"
```

## References
- [Monitoring Lambda with CloudWatch metrics](https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html)
- [Using CloudWatch alarms](https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html)
"""


def required_metrics(function, metrics) -> list[str]:
    out = []
    for metric in metrics:
        if metric == SPILLOVER and all(pc.may_not_exist for pc in function.provisioned):
            continue
        if metric == "IteratorAge" and not any(getattr(c, "source", None) in STREAM_SOURCES for c in function.callers):
            continue
        if metric == "DeadLetterErrors" and not (function.dead_letter is not None and function.dead_letter.is_set):
            continue
        if metric not in out:
            out.append(metric)
    return out


def check(ctx: RuleContext):
    if not ctx.project.functions:
        return
    from ..link.alarms import ALL, watched_metrics

    if ctx.options.get("alarms") == "external":
        return
    metrics = list(ctx.options.get("required-alarms") or [])
    watched = watched_metrics(ctx.project)
    for function in ctx.project.functions:
        have = watched.get(id(function), set())
        if ALL in have:
            continue
        missing = [m for m in required_metrics(function, metrics) if m not in have]
        if not missing:
            continue
        yield ctx.finding(
            f"no CloudWatch alarm in the project watches {', '.join(missing)} for {function.label}; "
            f"add alarms on these AWS/Lambda metrics with a FunctionName dimension for this function "
            f"(if they are managed elsewhere, set alarms = \"external\" under [tool.lambdalint.rules.LL402])",
            function.location,
            subject=function.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:  # expect: LL402
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
{alarms}"""

_SAM_ALARMS = """\
  OrdersAlarms:
    Type: AWS::CloudWatch::Alarm
    Properties:
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      Threshold: 0
      Metrics:
        - Id: errors
          MetricStat:
            Metric:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions:
                - Name: FunctionName
                  Value: !Ref Orders
            Period: 60
            Stat: Sum
          ReturnData: false
        - Id: throttles
          MetricStat:
            Metric:
              Namespace: AWS/Lambda
              MetricName: Throttles
              Dimensions:
                - Name: FunctionName
                  Value: !Ref Orders
            Period: 60
            Stat: Sum
          ReturnData: false
        - Id: total
          Expression: errors + throttles
"""

_TF = """\
resource "aws_lambda_function" "orders" {{  # expect: LL402
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  memory_size   = 1024
}}
{alarms}"""

_TF_ALARMS = """
resource "aws_cloudwatch_metric_alarm" "orders" {
  for_each            = toset(["Errors", "Throttles"])
  alarm_name          = "orders-${each.value}"
  namespace           = "AWS/Lambda"
  metric_name         = each.value
  dimensions          = { FunctionName = aws_lambda_function.orders.function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
}
"""

RULE = Rule(
    id="LL402",
    name="missing-alarms",
    level="warning",
    summary="No CloudWatch alarm watches the function's throttles, errors and related metrics",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(alarms=""), "SAM function without alarms"),
        Example({"main.tf": _TF.format(alarms="")}, "Terraform function without alarms"),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(alarms=_SAM_ALARMS), "SAM metric-math alarm on Errors and Throttles"),
        Example({"main.tf": unmarked(_TF).format(alarms=""), "alarms/alarms.tf": _TF_ALARMS.replace("aws_lambda_function.orders.function_name", '"orders"')}, "Terraform alarms in another root, by literal name"),
        Example({"main.tf": unmarked(_TF).format(alarms=_TF_ALARMS)}, "Terraform for_each alarms"),
    ),
    options=(
        Option("required-alarms", list(DEFAULT_ALARMS), "metrics that need an alarm; ProvisionedConcurrencySpilloverInvocations, IteratorAge and DeadLetterErrors only apply to functions with provisioned concurrency, a Kinesis/DynamoDB stream source or a DLQ"),
        Option("alarms", "project", "\"project\": alarms are defined in the scanned code; \"external\": they live elsewhere, so the rule is off", ("project", "external")),
    ),
    tags=("observability",),
    default=False,
    default_reason="many teams manage alarms elsewhere (a monitoring stack, Datadog, a platform module): an organisation policy",
)
