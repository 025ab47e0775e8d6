"""LL406 queue-without-batch-failure-reporting: an SQS source delivers batches, and one failed
message makes the whole batch come back."""

from __future__ import annotations

from ..findings import Related
from .base import Example, Rule, RuleContext, sam

DOCS = """\
## What it does
Finds SQS event sources that hand the function more than one message at a time (a batch size
above 1; without `BatchSize` Lambda uses 10) and do not turn on partial batch responses
(`FunctionResponseTypes: [ReportBatchItemFailures]`, Terraform `function_response_types`). It
reads SAM `SQS` events, `AWS::Lambda::EventSourceMapping`, `aws_lambda_event_source_mapping`
and the `event_source_mapping` input of the `terraform-aws-modules/lambda/aws` module and of its
`//modules/alias` submodule, whether or not the function it invokes is in the scanned code. The
finding is on `FunctionResponseTypes` when it is written without `ReportBatchItemFailures`,
otherwise on the event source. Kinesis and DynamoDB streams are left out (their failures work
by bisecting and checkpoints, see LL407), and so are batch sizes or response types that
cannot be resolved.

## Why is this bad?
Lambda deletes the messages of a batch only when the invocation succeeds. If the handler raises
on one message, every message of the batch becomes visible again after the visibility timeout
and is processed again: work is repeated, side effects happen twice, and with a redrive policy
the messages that were fine end up in the dead-letter queue next to the bad one once the
receive count runs out. With partial batch responses the handler returns the IDs of the
messages that failed, and only those are retried.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
and return `{"batchItemFailures": [{"itemIdentifier": message_id}, ...]}` from the handler
(Powertools' batch utility does it for you). A handler that must see each message alone can
set `BatchSize: 1` instead, at the price of more invocations.

## Fix safety
With `--unsafe-fixes`, `--fix` adds `FunctionResponseTypes: [ReportBatchItemFailures]` to the SAM
`SQS` event or the `AWS::Lambda::EventSourceMapping` (Terraform: `function_response_types =
["ReportBatchItemFailures"]` in the `aws_lambda_event_source_mapping`), at the indentation of
its neighbours. It is unsafe because the handler's contract changes with it: Lambda then reads
the handler's return value, and a handler that catches a failure and returns nothing (or no
`batchItemFailures` list) has every message of the batch deleted as processed, the failed one
included. Change the handler to report the failed message IDs in the same commit. JSON templates, a `FunctionResponseTypes`
already written without the value, and the terraform-aws-modules `event_source_mapping` input
get no fix; `--fix` says why.

## References
- [Handling errors for an SQS event source (partial batch responses)](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
- [Powertools for AWS Lambda: batch processing](https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/)
"""

REPORT = "ReportBatchItemFailures"


def check(ctx: RuleContext):
    for source in ctx.project.event_sources:
        caller = source.mapping
        if caller.source != "sqs" or source.may_not_exist:
            continue
        batch, types = caller.batch_size, caller.response_types
        if batch is None or types is None or not batch.known or not types.known:
            continue
        if not isinstance(batch.value, int) or batch.value <= 1:
            continue
        if not isinstance(types.value, list) or REPORT in types.value:
            continue
        size = f"batches of up to {batch.value} messages" + (" (the default)" if batch.is_absent else "")
        window = caller.batching_window
        if window is not None and window.is_set and isinstance(window.value, int) and window.value > 0:
            size += f", gathered for up to {window.value} s"
        yield ctx.finding(
            f"the SQS event source of {source.label} delivers {size} without {REPORT}: when one message "
            f"fails the whole batch is retried, so the others are processed again and can end up in the "
            f"dead-letter queue; {source.phrases.batch_failure_reporting} and return the failed message IDs from the handler",
            types.location if types.is_set else caller.location,
            related=[Related(batch.location, "the batch size is set here")] if batch.is_set else [],
            subject=caller.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Events:
        Queue:{mark}
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
{extra}"""

_TF = """\
resource "aws_sqs_queue" "orders" {{}}

resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
}}

resource "aws_lambda_event_source_mapping" "orders" {{{mark}
  event_source_arn = aws_sqs_queue.orders.arn
  function_name    = aws_lambda_function.orders.arn
{extra}}}
"""

_EXPECT = "  # expect: LL406"

RULE = Rule(
    id="LL406",
    name="queue-without-batch-failure-reporting",
    level="warning",
    summary="An SQS event source with batches of more than one message does not report partial batch failures",
    docs=DOCS,
    check=check,
    must_fire=(
        Example(
            {"template.yaml": _SAM.format(mark=_EXPECT, extra="            BatchSize: 10\n")},
            "SAM SQS event with BatchSize 10",
            fixed={"template.yaml": _SAM.format(mark=_EXPECT, extra="            BatchSize: 10\n").replace(
                "          Properties:\n", "          Properties:\n            FunctionResponseTypes:\n              - ReportBatchItemFailures\n"
            )},
            unsafe_fix=True,
        ),
        sam(_SAM.format(mark=_EXPECT, extra=""), "SAM SQS event with the default batch size"),
        Example(
            {"main.tf": _TF.format(mark=_EXPECT, extra="  batch_size       = 5\n")},
            "Terraform event source mapping with batch_size 5",
            fixed={"main.tf": _TF.format(mark=_EXPECT, extra="  batch_size       = 5\n").replace(
                _EXPECT + "\n", _EXPECT + '\n  function_response_types = ["ReportBatchItemFailures"]\n'
            )},
            unsafe_fix=True,
        ),
    ),
    must_not_fire=(
        sam(_SAM.format(mark="", extra="            BatchSize: 10\n            FunctionResponseTypes:\n              - ReportBatchItemFailures\n"), "SAM SQS event reporting batch item failures"),
        sam(_SAM.format(mark="", extra="            BatchSize: 1\n"), "SAM SQS event with BatchSize 1"),
        Example({"main.tf": _TF.format(mark="", extra='  batch_size              = 5\n  function_response_types = ["ReportBatchItemFailures"]\n')}, "Terraform with function_response_types"),
        Example({"main.tf": 'variable "batch" {}\n\n' + _TF.format(mark="", extra="  batch_size       = var.batch\n")}, "Terraform batch size from a variable without default"),
    ),
    tags=("reliability", "sqs"),
    default=False,
    default_reason="some handlers make every message idempotent or catch failures per message; select it for reliability sweeps",
)
