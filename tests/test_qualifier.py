"""The typed Qualifier: what literal text names (formats/arn.py), which qualifiers may be the same
one (how provisioned concurrency finds the Application Auto Scaling target that scales it), and how
reports and messages print it."""

from __future__ import annotations

import pytest

from lambdalint.findings import Location
from lambdalint.formats import arn
from lambdalint.project.model import Qualifier

from .conftest import check_json, write_files
from .helpers import CFN_HEAD, hits, line_containing

AT = Location("template.yaml", 3, 5)


@pytest.mark.parametrize(
    "text, kind, name",
    [("live", "alias", "live"), ("3", "version", "3"), ("$LATEST", "latest", "$LATEST"), (" blue ", "alias", "blue")],
)
def test_literal_text_names_an_alias_a_version_or_latest(text, kind, name):
    q = arn.qualifier(text, AT)
    assert (q.kind, q.name, q.location) == (kind, name, AT)


def test_invoking_latest_is_the_unqualified_function():
    assert arn.invoked_qualifier("$LATEST", AT) is None
    assert arn.invoked_qualifier("live", AT).name == "live"


def test_which_qualifiers_may_be_the_same():
    live, blue = Qualifier.alias(AT, name="live"), Qualifier.alias(AT, name="blue")
    unnamed_alias = Qualifier.alias(AT, label="aws_lambda_alias.primary")  # its name is an expression
    v1 = Qualifier.version(AT, resource="template.yaml#Resources/Version1", label="Version1")
    v2 = Qualifier.version(AT, resource="template.yaml#Resources/Version2", label="Version2")
    three = Qualifier.version(AT, number="3")
    anything = Qualifier.unknown(AT, "var.qualifier")
    assert live.may_be(live) and not live.may_be(blue)
    assert unnamed_alias.may_be(live) and unnamed_alias.may_be(blue)
    assert v1.may_be(v1) and not v1.may_be(v2)
    assert three.may_be(v1)  # which number a version resource publishes is known only at deploy time
    assert not live.may_be(v1) and not three.may_be(live)
    assert all(anything.may_be(q) and q.may_be(anything) for q in (live, v1, three, Qualifier.latest(AT)))


def test_text_and_description():
    cases = [
        (Qualifier.alias(AT, name="live"), "live", "alias live"),
        (Qualifier.alias(AT, name="live", label="aws_lambda_alias.primary"), "live", "aws_lambda_alias.primary"),
        (Qualifier.version(AT, resource="t.yaml#Resources/Version1", label="Version1"), "version:Version1", "the version published by Version1"),
        (Qualifier.version(AT, resource="main.tf#aws_lambda_function.orders", published=True), "version", "the published version"),
        (Qualifier.version(AT, number="7"), "7", "version 7"),
        (Qualifier.latest(AT), "$LATEST", "$LATEST"),
        (Qualifier.unknown(AT, "var.qualifier"), None, "qualifier var.qualifier"),
    ]
    assert [(q.text, q.describe()) for q, _, _ in cases] == [(text, described) for _, text, described in cases]


# ------------------------------------------------------------------ CloudFormation versions
CFN_VERSIONS = CFN_HEAD + """\
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/orders
      Code:
        ZipFile: "def handler(event, context):\\n    return 1\\n"
  ScaledVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 20
  FixedVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 30
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt FixedVersion.Version
      Name: live
  VersionTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub function:${Orders}:${ScaledVersion.Version}
      MinCapacity: 1
      MaxCapacity: 40
  AliasTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub function:${Orders}:live
      MinCapacity: 1
      MaxCapacity: 40
"""


def test_a_target_on_one_version_resource_does_not_scale_another(tmp_path):
    # ScaledVersion's target names it; FixedVersion has none (the alias target scales alias
    # "live", not the version the alias points at)
    found = hits(tmp_path, {"template.yaml": CFN_VERSIONS}, "LL202")
    assert [f["line"] for f in found] == [line_containing(CFN_VERSIONS, "ProvisionedConcurrentExecutions: 30")]
    assert "provisioned concurrency 30 on the version published by FixedVersion of Orders" in found[0]["message"]


def test_report_prints_version_resources_as_before(tmp_path):
    write_files(tmp_path, {"template.yaml": CFN_VERSIONS})
    (orders,) = check_json(tmp_path, "--select", "LL202")["functions"]
    assert [(p["address"].split("#")[1], p["qualifier"], p["autoscaled"]) for p in orders["provisioned"]] == [
        ("Resources/FixedVersion", {"value": "version:FixedVersion", "state": "present"}, False),
        ("Resources/ScaledVersion", {"value": "version:ScaledVersion", "state": "present"}, True),
    ]


# ------------------------------------------------------------------ Terraform aliases by name
TF_ALIAS = """\
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  role          = "arn:aws:iam::123456789012:role/orders"
  publish       = true
}

variable "alias_name" {
  default = "live"
}

resource "aws_lambda_alias" "primary" {
  name             = var.alias_name
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}

resource "aws_lambda_provisioned_concurrency_config" "primary" {
  function_name                     = aws_lambda_alias.primary.function_name
  qualifier                         = aws_lambda_alias.primary.name
  provisioned_concurrent_executions = 50
}
"""

TF_TARGET = """\
resource "aws_appautoscaling_target" "pc" {{
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:orders:{alias}"
  min_capacity       = 5
  max_capacity       = 100
}}
"""


def test_terraform_alias_is_matched_by_the_name_it_sets_not_its_block_label(tmp_path):
    # another root scales "function:orders:live" by literal text: the alias block is "primary", its
    # name (from a variable's default) is "live"
    files = {"app/main.tf": TF_ALIAS, "scaling/main.tf": TF_TARGET.format(alias="live")}
    assert hits(tmp_path, files, "LL202") == []


def test_terraform_alias_scaled_under_another_name_still_fires(tmp_path):
    files = {"app/main.tf": TF_ALIAS, "scaling/main.tf": TF_TARGET.format(alias="primary")}
    found = hits(tmp_path, files, "LL202")
    assert [(f["path"], f["line"]) for f in found] == [("app/main.tf", line_containing(TF_ALIAS, "provisioned_concurrent_executions = 50"))]
    assert "provisioned concurrency 50 on aws_lambda_alias.primary of aws_lambda_function.orders" in found[0]["message"]


def test_report_prints_a_terraform_alias_by_its_name(tmp_path):
    write_files(tmp_path, {"main.tf": TF_ALIAS})
    (orders,) = check_json(tmp_path, "--select", "LL202")["functions"]
    assert [p["qualifier"] for p in orders["provisioned"]] == [{"value": "live", "state": "present"}]


@pytest.mark.parametrize(
    "text, function",
    [("orders", "orders"), ("orders:live", "orders"), ("arn:aws:lambda:us-east-1:123456789012:function:orders:7", "orders"), ("not a name:x", "not a name")],
)
def test_function_part_of_a_dimension_or_arn(text, function):
    # CloudWatch's Resource dimension is NAME:QUALIFIER; alarms match the name part
    assert arn.function_part(text) == function


TF_FUNCTION = """\
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/orders.zip"
  role          = "arn:aws:iam::123456789012:role/orders"
}
"""

TF_RESOURCE_ALARMS = """\
resource "aws_cloudwatch_metric_alarm" "by_alias" {{
  for_each    = toset(["Errors", "Throttles"])
  alarm_name  = "{function}-live-${{each.value}}"
  namespace   = "AWS/Lambda"
  metric_name = each.value
  dimensions  = {{ Resource = "{function}:live" }}
}}
"""


def test_an_alarm_on_an_alias_resource_dimension_watches_its_function(tmp_path):
    files = {"app/main.tf": TF_FUNCTION, "monitoring/main.tf": TF_RESOURCE_ALARMS.format(function="orders")}
    assert hits(tmp_path, files, "LL402") == []


def test_an_alarm_on_another_functions_alias_does_not(tmp_path):
    files = {"app/main.tf": TF_FUNCTION, "monitoring/main.tf": TF_RESOURCE_ALARMS.format(function="billing")}
    found = hits(tmp_path, files, "LL402")
    assert [(f["path"], f["line"]) for f in found] == [("app/main.tf", 1)]
    assert "Throttles, Errors" in found[0]["message"]
