"""formats/<format>/alarms.py: a whole template / Terraform root -> the exact alarm records,
and link/alarms.py: which functions' metrics they watch.

LL402's tests and examples cover the behaviour end to end; these pin the readers' tables and
the linker's contract."""

from __future__ import annotations

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.documents.templates import parse_template
from lambdalint.documents.terraform import parse_tf
from lambdalint.engine import build_project, parse_all
from lambdalint.findings import Location
from lambdalint.formats.cloudformation import alarms as template_alarms
from lambdalint.formats.cloudformation.resolve import Template
from lambdalint.formats.terraform import alarms as root_alarms
from lambdalint.formats.terraform.resolve import group_roots
from lambdalint.link.alarms import ALL, WatchedMetric, watched_metrics
from lambdalint.records import FunctionRef
from lambdalint.records.alarms import Alarm, AlarmMetric

from .conftest import write_files
from .helpers import SAM_HEAD, by_line, line_of

SAM = SAM_HEAD + """\
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
  Errors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref Orders
  ByName:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Throttles
      Dimensions:
        - Name: Resource
          Value: billing:live
        - Name: FunctionName
          Value: !Sub "billing-${Stage}"
  MetricMath:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Metrics:
        - Id: errors
          MetricStat:
            Metric:
              Namespace: AWS/Lambda
              MetricName: Errors
              Dimensions:
                - Name: FunctionName
                  Value: !GetAtt Orders.Arn
        - Id: rate
          Expression: errors / 10
  Queue:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateAgeOfOldestMessage
      Dimensions: !Ref AWS::NoValue
  NoDimensions:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: ConcurrentExecutions
"""

MAIN_TF = """\
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "orders.zip"
}
"""

ALARMS_TF = """\
locals {
  metrics = { errors = "Errors", throttles = "Throttles" }
}
resource "aws_cloudwatch_metric_alarm" "each" {
  for_each    = local.metrics
  alarm_name  = "orders-${each.key}"
  namespace   = "AWS/Lambda"
  metric_name = each.value
  dimensions  = { FunctionName = aws_lambda_function.orders.function_name }
}
resource "aws_cloudwatch_metric_alarm" "set" {
  for_each    = toset(["Duration", "Invocations"])
  namespace   = "AWS/Lambda"
  metric_name = "${each.value}"
  dimensions  = { FunctionName = each.value }
}
resource "aws_cloudwatch_metric_alarm" "math" {
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      dimensions  = { FunctionName = "arn:aws:lambda:us-east-1:123456789012:function:billing:live" }
    }
  }
}
resource "aws_cloudwatch_metric_alarm" "unknown" {
  namespace   = "AWS/Lambda"
  metric_name = var.metric
  dimensions  = var.dimensions
}
module "spillover" {
  source      = "terraform-aws-modules/cloudwatch/aws//modules/metric-alarm"
  metric_query = [{
    id = "spill"
    metric = [{
      namespace   = "AWS/Lambda"
      metric_name = "ProvisionedConcurrencySpilloverInvocations"
      dimensions  = { FunctionName = aws_lambda_function.orders.function_name }
    }]
  }]
}
"""


def test_template_records(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM})
    doc, failure = parse_template(str(tmp_path / "template.yaml"), "template.yaml", named=True)
    assert failure is None
    records = by_line(template_alarms.read(Template(doc)))

    def at(needle: str) -> Location:
        return Location("template.yaml", line_of(SAM, needle))

    def ref(needle, key=None, name=None) -> FunctionRef:
        return FunctionRef("template.yaml", key, name, None, at(needle))

    assert records == [
        # FunctionName wins over Resource; !Sub resolves through the parameter's default
        Alarm("template.yaml#Resources/ByName", at("ByName:"), "template.yaml", (AlarmMetric("Throttles", "AWS/Lambda", ref('Value: !Sub "billing-${Stage}"', name="billing-prod")),)),
        Alarm("template.yaml#Resources/Errors", at("Errors:"), "template.yaml", (AlarmMetric("Errors", "AWS/Lambda", ref("Value: !Ref Orders", key="Orders")),)),
        # a metric-math alarm: the expression has no MetricStat; !GetAtt Orders.Arn is no name
        Alarm("template.yaml#Resources/MetricMath", at("MetricMath:"), "template.yaml", (AlarmMetric("Errors", "AWS/Lambda", ref("Value: !GetAtt Orders.Arn")),)),
        Alarm("template.yaml#Resources/NoDimensions", at("NoDimensions:"), "template.yaml", (AlarmMetric("ConcurrentExecutions", "AWS/Lambda", None),)),
        Alarm("template.yaml#Resources/Queue", at("Queue:"), "template.yaml", (AlarmMetric("ApproximateAgeOfOldestMessage", "AWS/SQS", ref("Dimensions: !Ref")),)),
    ]


def test_root_records(tmp_path):
    files = {"main.tf": MAIN_TF, "alarms.tf": ALARMS_TF}
    write_files(tmp_path, files)
    (root,) = group_roots([parse_tf(str(tmp_path / name), name)[0] for name in files])
    records = by_line(root_alarms.read(root))

    def at(needle: str) -> Location:
        return Location("alarms.tf", line_of(ALARMS_TF, needle))

    def ref(block, key=None, name=None) -> FunctionRef:
        return FunctionRef("", key, name, None, at(block))

    each = 'resource "aws_cloudwatch_metric_alarm" "each"'
    the_set = 'resource "aws_cloudwatch_metric_alarm" "set"'
    math = 'resource "aws_cloudwatch_metric_alarm" "math"'
    unknown = 'resource "aws_cloudwatch_metric_alarm" "unknown"'
    assert records == [
        # one metric per for_each value; the function is this root's
        Alarm("alarms.tf#aws_cloudwatch_metric_alarm.each", at(each), "", tuple(AlarmMetric(m, "AWS/Lambda", ref(each, key="aws_lambda_function.orders")) for m in ("Errors", "Throttles"))),
        # each.value takes two values: it names no one function
        Alarm("alarms.tf#aws_cloudwatch_metric_alarm.set", at(the_set), "", tuple(AlarmMetric(m, "AWS/Lambda", ref(the_set)) for m in ("Duration", "Invocations"))),
        Alarm("alarms.tf#aws_cloudwatch_metric_alarm.math", at(math), "", (AlarmMetric("Errors", "AWS/Lambda", ref(math, name="arn:aws:lambda:us-east-1:123456789012:function:billing:live")),)),
        Alarm("alarms.tf#aws_cloudwatch_metric_alarm.unknown", at(unknown), "", (AlarmMetric(None, "AWS/Lambda", ref(unknown)),)),
        Alarm("alarms.tf#module.spillover", at('module "spillover"'), "", (AlarmMetric("ProvisionedConcurrencySpilloverInvocations", "AWS/Lambda", ref('module "spillover"', key="aws_lambda_function.orders")),)),
    ]


def test_linker_ties_metrics_to_functions(tmp_path):
    """Whole projects: the SAM app and the Terraform root, plus a billing function whose
    literal name the alarms use from another stack and root."""
    billing = SAM_HEAD + 'Resources:\n  Billing:\n    Type: AWS::Serverless::Function\n    Properties:\n      FunctionName: billing\n      InlineCode: "def handler(event, context): return 1"\n      Handler: index.handler\n      Runtime: python3.12\n'
    write_files(tmp_path, {"sam/template.yaml": SAM, "billing/template.yaml": billing, "tf/main.tf": MAIN_TF, "tf/alarms.tf": ALARMS_TF})
    files, _ = discover([str(tmp_path)], tmp_path)
    project = build_project(parse_all(files, 1), tmp_path, Settings())
    fns = {f.label: f for f in project.functions}
    alarms = {a.address: a.metrics for a in project.alarms}
    assert alarms["sam/template.yaml#Resources/Errors"] == [WatchedMetric("Errors", "AWS/Lambda", function=fns["Orders"])]
    assert alarms["sam/template.yaml#Resources/ByName"] == [WatchedMetric("Throttles", "AWS/Lambda", name="billing-prod")]
    assert alarms["sam/template.yaml#Resources/MetricMath"] == [WatchedMetric("Errors", "AWS/Lambda", any_function=True)]
    assert alarms["tf/alarms.tf#aws_cloudwatch_metric_alarm.math"] == [WatchedMetric("Errors", "AWS/Lambda", name="billing")]
    assert alarms["tf/alarms.tf#module.spillover"] == [WatchedMetric("ProvisionedConcurrencySpilloverInvocations", "AWS/Lambda", function=fns["aws_lambda_function.orders"])]
    watched = {label: watched_metrics(project)[id(fn)] for label, fn in fns.items()}
    unknown_anywhere = {"Errors", "Duration", "Invocations", ALL}  # MetricMath, "set" and "unknown" may watch any function
    assert watched == {
        "Orders": unknown_anywhere,
        "Billing": unknown_anywhere,
        "aws_lambda_function.orders": unknown_anywhere | {"Throttles", "ProvisionedConcurrencySpilloverInvocations"},
    }


def test_odd_values_are_unknown_never_a_crash(tmp_path):
    text = SAM_HEAD + """\
Resources:
  Scalars:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: [Errors]
      Namespace: AWS/Lambda
      Dimensions: [FunctionName, orders]
  OddMetrics:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Metrics: [1, {MetricStat: 2}, {MetricStat: {Metric: [x]}}]
  NamedByExpression:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: Errors
      Dimensions:
        - Name: !Ref DimensionName
          Value: orders
"""
    write_files(tmp_path, {"template.yaml": text})
    doc, failure = parse_template(str(tmp_path / "template.yaml"), "template.yaml", named=True)
    assert failure is None
    records = {a.address.split("/")[-1]: [(m.metric, m.namespace, m.function if m.function is None else m.function.resolved) for m in a.metrics] for a in template_alarms.read(Template(doc))}
    # a dimension list we cannot read, or a dimension name only known at deploy time: any function
    assert records == {"NamedByExpression": [("Errors", None, False)], "OddMetrics": [], "Scalars": [(None, "AWS/Lambda", False)]}
    files = {"main.tf": 'resource "aws_cloudwatch_metric_alarm" "odd" {\n  for_each     = "x"\n  metric_name  = each.value\n  dimensions   = 3\n  metric_query = "nope"\n}\n'}
    write_files(tmp_path, files)
    (root,) = group_roots([parse_tf(str(tmp_path / "main.tf"), "main.tf")[0]])
    # the alarm's own metric (each.value of an unknown for_each) and the unreadable metric_query
    (alarm,) = root_alarms.read(root)
    assert [(m.metric, m.namespace, m.function.resolved) for m in alarm.metrics] == [(None, None, False), (None, None, False)]
