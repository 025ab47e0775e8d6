"""LL407 stream-without-failure-destination: a Kinesis or DynamoDB stream source with nowhere
to send the records it gives up on."""

from __future__ import annotations

from .base import Example, Rule, RuleContext, sam

DOCS = """\
## What it does
Finds Kinesis and DynamoDB Streams event sources without an on-failure destination
(`DestinationConfig.OnFailure.Destination`, Terraform `destination_config { on_failure {
destination_arn = ... } }`, the lambda module's `destination_arn_on_failure`). It reads SAM
`Kinesis` / `DynamoDB` events, `AWS::Lambda::EventSourceMapping`,
`aws_lambda_event_source_mapping` and the `event_source_mapping` input of the module and of its
`//modules/alias` submodule, whether or not the function it invokes is in the scanned code. The message
says what happens to a failing record with the retry settings as written. SQS sources are left
out (the queue's redrive policy takes failed messages there), and so is a destination that is
an expression. The finding is on the event source.

## Why is this bad?
Lambda reads a shard in order and does not move past a batch until it succeeds. With the
default retry settings (`MaximumRetryAttempts` and `MaximumRecordAgeInSeconds` unset or -1) a
record the handler cannot process is retried until it expires from the stream, which is 24
hours by default and up to a year for Kinesis: the shard stalls behind it and `IteratorAge`
keeps rising. When retries are bounded, Lambda skips the batch after the last attempt, and
without a destination nothing records which records were skipped.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
Bounded retries keep the shard moving; the destination (an SQS queue, SNS topic or S3 bucket)
receives the metadata of every skipped batch so it can be replayed.

## References
- [Error handling for Kinesis event sources](https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html)
- [Error handling for DynamoDB Streams event sources](https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)
"""

STREAMS = {"kinesis": "Kinesis", "dynamodb": "DynamoDB"}


def _unbounded(setting) -> bool:
    return setting is None or not setting.known or setting.is_absent or setting.value == -1


def check(ctx: RuleContext):
    for source in ctx.project.event_sources:
        caller = source.mapping
        if caller.source not in STREAMS or source.may_not_exist:
            continue
        if caller.on_failure is None or not caller.on_failure.is_absent:
            continue
        retries, age = caller.retry_attempts, caller.max_record_age
        if retries is None or age is None or not retries.known or not age.known:
            what = "a record that keeps failing either blocks its shard until it expires or is skipped unrecorded"
        elif _unbounded(retries) and _unbounded(age):
            what = (
                "with the default retry settings a record that keeps failing blocks its shard until it expires "
                "from the stream (24 hours by default, up to a year) while IteratorAge climbs"
            )
        else:
            bound = f"{retries.value} retries" if not _unbounded(retries) else f"{age.value} s of record age"
            what = f"retries are bounded ({bound}), so a batch that keeps failing is then skipped and its records are lost without a trace"
        yield ctx.finding(
            f"the {STREAMS[caller.source]} stream source of {source.label} has no on-failure destination: {what}; "
            f"{source.phrases.stream_failure_destination}",
            caller.location,
            subject=caller.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Events:
        Stream:{mark}
          Type: {kind}
          Properties:
            Stream: !GetAtt Clicks.Arn
            StartingPosition: LATEST
{extra}"""

_DESTINATION = """\
            DestinationConfig:
              OnFailure:
                Destination: arn:aws:sqs:us-east-1:123456789012:ingest-failures
"""

_TF = """\
resource "aws_dynamodb_table" "orders" {{
  name             = "orders"
  hash_key         = "id"
  stream_enabled   = true
  stream_view_type = "NEW_IMAGE"
}}

resource "aws_lambda_function" "ingest" {{
  function_name = "ingest"
  role          = "arn:aws:iam::123456789012:role/ingest"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "ingest.zip"
}}

resource "aws_lambda_event_source_mapping" "ingest" {{{mark}
  event_source_arn  = aws_dynamodb_table.orders.stream_arn
  function_name     = aws_lambda_function.ingest.arn
  starting_position = "LATEST"
{extra}}}
"""

_EXPECT = "  # expect: LL407"

RULE = Rule(
    id="LL407",
    name="stream-without-failure-destination",
    level="warning",
    summary="A Kinesis or DynamoDB stream event source has no on-failure destination",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(kind="Kinesis", mark=_EXPECT, extra=""), "SAM Kinesis event with default retries"),
        sam(_SAM.format(kind="Kinesis", mark=_EXPECT, extra="            MaximumRetryAttempts: 2\n"), "SAM Kinesis event with bounded retries"),
        Example({"main.tf": _TF.format(mark=_EXPECT, extra="")}, "Terraform DynamoDB stream mapping"),
    ),
    must_not_fire=(
        sam(_SAM.format(kind="Kinesis", mark="", extra=_DESTINATION), "SAM Kinesis event with an on-failure destination"),
        Example(
            {"main.tf": _TF.format(mark="", extra='  destination_config {\n    on_failure {\n      destination_arn = "arn:aws:sqs:us-east-1:123456789012:ingest-failures"\n    }\n  }\n')},
            "Terraform with destination_config.on_failure",
        ),
        sam(
            _SAM.replace("Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: 1", "Type: AWS::SQS::Queue").format(kind="SQS", mark="", extra="").replace("Stream: !GetAtt Clicks.Arn\n            StartingPosition: LATEST", "Queue: !GetAtt Clicks.Arn"),
            "SAM SQS event (the queue's redrive policy handles failures)",
        ),
    ),
    tags=("reliability", "streams"),
    default=False,
    default_reason="where skipped records go is an application decision and often handled outside the template; select it for reliability sweeps",
)
