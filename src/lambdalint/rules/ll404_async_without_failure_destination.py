"""LL404 async-without-failure-destination: asynchronously invoked, and failed events go nowhere."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Finds functions that something in the project invokes asynchronously — S3 notifications, SNS
subscriptions, EventBridge / CloudWatch Events rules and schedules, EventBridge Scheduler, SES,
IoT rules, CloudWatch Logs subscriptions, or a resource permission for one of those services
(also a principal written with pseudo parameters, `!Sub logs.${AWS::Region}.amazonaws.com`) —
and that have neither a dead-letter queue (`DeadLetterConfig`, SAM `DeadLetterQueue`,
`dead_letter_config`, module `dead_letter_target_arn`) nor an on-failure destination
(`AWS::Lambda::EventInvokeConfig`, SAM `EventInvokeConfig` on the function or in `Globals`,
where an `SQS` / `SNS` `OnFailure` without a `Destination` is the queue or topic SAM creates,
`aws_lambda_function_event_invoke_config`, module `create_async_event_config` +
`destination_on_failure`). The finding is on the function; the asynchronous callers are related
locations. CloudFormation custom resources are not asynchronous callers here, and a DLQ or
destination whose value cannot be resolved counts as configured.

## Why is this bad?
With asynchronous invocation Lambda queues the event, returns immediately to the sender and
retries a failing or throttled invocation itself (twice after errors; throttled events are kept
for up to six hours). When the retries run out, the event is discarded unless there is somewhere
to send it. Nobody gets an error: the upload is never processed, the notification is never
handled, and there is nothing to replay once the bug is fixed.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
In Terraform, add an `aws_lambda_function_event_invoke_config` with
`destination_config { on_failure { destination = ... } }`, or a `dead_letter_config` block.

## Fix safety
Display-only: `--fix` never applies it. The suggestion sends failed events to an SQS queue named
after the function: SAM `EventInvokeConfig` on the function, an `AWS::Lambda::EventInvokeConfig`
after a plain CloudFormation function, an `aws_lambda_function_event_invoke_config` after the
Terraform function, or `create_async_event_config` and `destination_on_failure` for the lambda
module. The queue (or topic, bus, function) must exist, the execution role must be allowed to
send to it, and someone must watch it, so you create or name it; the Terraform ARN is a marked
placeholder. JSON templates get the advice in the message only.

## References
- [Asynchronous invocation](https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html)
- [Capturing records of asynchronous invocations (destinations)](https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html)
"""

_DESCRIBE = {
    "s3": "an S3 notification",
    "sns": "an SNS subscription",
    "eventbridge": "an EventBridge rule",
    "schedule": "a schedule",
    "logs": "a CloudWatch Logs subscription",
    "iot": "an IoT rule",
    "permission": "a permission for {principal}",
}


def describe(caller) -> str:
    text = _DESCRIBE.get(caller.kind, caller.kind)
    return text.format(principal=getattr(caller, "principal", "") or "an AWS service")


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        callers = [c for c in function.callers if c.invocation == "async"]
        if not callers:
            continue
        dlq = function.dead_letter
        if dlq is None or not dlq.is_absent or function.failure_destinations:
            continue
        kinds = sorted({describe(c) for c in callers})
        yield ctx.finding(
            f"{function.label} is invoked asynchronously ({', '.join(kinds)}) but has no on-failure destination "
            f"or dead-letter queue, so events that still fail after Lambda's retries are silently dropped: "
            f"{function.phrases.failure_destination}",
            dlq.location,
            related=[Related(c.location, f"{describe(c)} invokes {function.label} asynchronously") for c in callers],
            subject=function.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Thumbnails:  # expect: LL404
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
{extra}      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
"""

_SAM_FIX = """\
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: arn:aws:sqs:us-east-1:123456789012:thumbnail-failures
"""

_TF = """\
resource "aws_lambda_function" "thumbnails" {{  # expect: LL404
  function_name = "thumbnails"
  role          = "arn:aws:iam::123456789012:role/thumbnails"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "thumbnails.zip"
  memory_size   = 1024
}}

resource "aws_sns_topic_subscription" "uploads" {{
  topic_arn = "arn:aws:sns:us-east-1:123456789012:uploads"
  protocol  = "lambda"
  endpoint  = aws_lambda_function.thumbnails.arn
}}
{extra}"""

_TF_FIX = """
resource "aws_lambda_function_event_invoke_config" "thumbnails" {
  function_name = aws_lambda_function.thumbnails.function_name
  destination_config {
    on_failure {
      destination = "arn:aws:sqs:us-east-1:123456789012:thumbnail-failures"
    }
  }
}
"""

# the display-only fix's suggestion (the queue is the author's to create or name)
_SAM_SNIPPET = """\
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: !Sub arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:thumbnails-failures
"""

_TF_SNIPPET = """
resource "aws_lambda_function_event_invoke_config" "thumbnails" {
  function_name = aws_lambda_function.thumbnails.function_name
  destination_config {
    on_failure {
      destination = "arn:aws:sqs:REGION:ACCOUNT_ID:thumbnails-failures" # placeholder: your queue's ARN
    }
  }
}
"""

RULE = Rule(
    id="LL404",
    name="async-without-failure-destination",
    level="warning",
    summary="An asynchronously invoked function has no on-failure destination or dead-letter queue",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(extra="")},
            "SAM S3 event without a destination",
            fixed={"template.yaml": _SAM.format(extra="").replace("    Properties:\n", "    Properties:\n" + _SAM_SNIPPET, 1)},
            display_only_fix=True,
        ),
        Example(
            {"main.tf": _TF.format(extra="")},
            "Terraform SNS subscription without a destination",
            fixed={"main.tf": _TF.format(extra="").replace("}\n\nresource \"aws_sns", "}\n" + _TF_SNIPPET + "\nresource \"aws_sns", 1)},
            display_only_fix=True,
        ),
    ),
    must_not_fire=(
        sam(unmarked(_SAM).format(extra=_SAM_FIX), "SAM EventInvokeConfig with OnFailure"),
        sam(unmarked(_SAM).format(extra="      DeadLetterQueue:\n        Type: SQS\n        TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq\n"), "SAM DeadLetterQueue"),
        Example({"main.tf": unmarked(_TF).format(extra=_TF_FIX)}, "Terraform event invoke config with on_failure"),
    ),
    tags=("reliability", "async"),
    default=False,
    default_reason="whether a dropped event matters (and where failures go) is a per-application decision; often handled outside the template",
)
