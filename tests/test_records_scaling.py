"""formats/<format>/scaling.py: a whole template / Terraform root -> the exact scaling records,
and link/scaling.py: which functions (and qualifiers) those records may scale.

The rule tests (LL202, LL203) and the parity fixtures cover the behaviour end to end; these pin
the readers' tables and the linker's contract. Locations are compared by line (columns are the
resolver's business, pinned in test_cfn_resolve / test_tf_resolve)."""

from __future__ import annotations

import dataclasses

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.documents.templates import parse_template
from lambdalint.documents.terraform import parse_tf
from lambdalint.engine import build_project, parse_all
from lambdalint.findings import Location
from lambdalint.formats.cloudformation import scaling as template_scaling
from lambdalint.formats.cloudformation.resolve import Template
from lambdalint.formats.terraform import scaling as root_scaling
from lambdalint.formats.terraform.resolve import group_roots
from lambdalint.project.model import Qualifier, absent, present, unknown
from lambdalint.records import FunctionRef
from lambdalint.records.scaling import LambdaResourceId, ScalableTarget, ScalingPolicy, ScheduledAction

from .conftest import write_files
from .helpers import SAM_HEAD, by_line, line_of

SAM = SAM_HEAD + """\
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  OrdersVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
  OrdersTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Sub "function:${Orders}:live"
      MinCapacity: 5
      MaxCapacity: 50
      ScheduledActions:
        - ScheduledActionName: morning
          Schedule: cron(0 8 * * ? *)
  OrdersPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: utilization
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref OrdersTarget
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 0.7
        PredefinedMetricSpecification:
          PredefinedMetricType: LambdaProvisionedConcurrencyUtilization
  VersionTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: !Join [":", ["function", !Ref Orders, !GetAtt OrdersVersion.Version]]
      MinCapacity: 1
      MaxCapacity: 2
  BillingPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: billing
      PolicyType: StepScaling
      ServiceNamespace: lambda
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ResourceId: function:billing:3
  ImportedPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: imported
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !ImportValue shared-target
  TableTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      ResourceId: table/orders
      MinCapacity: 5
      MaxCapacity: 100
  TablePolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: table
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref TableTarget
"""

MAIN_TF = """\
variable "alias" {
  default = "live"
}
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "orders.zip"
  publish       = true
}
resource "aws_lambda_alias" "live" {
  name             = var.alias
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}
resource "aws_lambda_provisioned_concurrency_config" "live" {
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 10
}
"""

SCALING_TF = """\
resource "aws_appautoscaling_target" "live" {
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${aws_lambda_alias.live.function_name}:${aws_lambda_alias.live.name}"
  min_capacity       = 5
  max_capacity       = 50
}
resource "aws_appautoscaling_policy" "live" {
  name               = "utilization"
  policy_type        = "TargetTrackingScaling"
  resource_id        = aws_appautoscaling_target.live.resource_id
  scalable_dimension = aws_appautoscaling_target.live.scalable_dimension
  service_namespace  = aws_appautoscaling_target.live.service_namespace
  target_tracking_scaling_policy_configuration {
    target_value = 0.95
    predefined_metric_specification {
      predefined_metric_type = "LambdaProvisionedConcurrencyUtilization"
    }
  }
}
resource "aws_appautoscaling_scheduled_action" "night" {
  name               = "night"
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:${aws_lambda_function.orders.function_name}:${aws_lambda_function.orders.version}"
  schedule           = "cron(0 22 * * ? *)"
}
resource "aws_appautoscaling_scheduled_action" "billing" {
  name               = "billing"
  service_namespace  = "lambda"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  resource_id        = "function:billing:${var.unknown}"
  schedule           = "rate(1 hour)"
}
resource "aws_appautoscaling_target" "table" {
  service_namespace  = "dynamodb"
  scalable_dimension = "dynamodb:table:ReadCapacityUnits"
  resource_id        = "table/orders"
  min_capacity       = 5
  max_capacity       = 100
}
resource "aws_appautoscaling_policy" "table" {
  name        = "table"
  policy_type = "TargetTrackingScaling"
  resource_id = aws_appautoscaling_target.table.resource_id
}
"""


def template_records(tmp_path, text: str) -> list:
    write_files(tmp_path, {"template.yaml": text})
    doc, failure = parse_template(str(tmp_path / "template.yaml"), "template.yaml", named=True)
    assert failure is None
    return by_line(template_scaling.read(Template(doc)))


def root_records(tmp_path, files: dict[str, str]) -> list:
    write_files(tmp_path, files)
    docs = [parse_tf(str(tmp_path / name), name)[0] for name in files]
    (root,) = group_roots(docs)
    return by_line(root_scaling.read(root))


def test_template_records(tmp_path):
    records = template_records(tmp_path, SAM)

    def at(needle: str, nth: int = 0) -> Location:
        return Location("template.yaml", line_of(SAM, needle, nth))

    def rid(text, needle, key=None, name=None, qualifier=None, source=""):
        where = at(needle)
        written = present(text, where) if text is not None else unknown(where, source)
        return LambdaResourceId(written, FunctionRef("template.yaml", key, name, qualifier(where), where))

    assert records == [
        ScalingPolicy(
            "template.yaml#Resources/BillingPolicy", at("BillingPolicy:"), "template.yaml",
            policy_type=present("StepScaling", at("PolicyType: StepScaling")),
            metric=absent(None, at("BillingPolicy:")),
            target_value=dataclasses.replace(absent(None, at("BillingPolicy:")), prop="TargetValue"),
            resource_id=rid("function:billing:3", "ResourceId: function:billing:3", name="billing", qualifier=lambda w: Qualifier.version(w, number="3")),
        ),
        ScalingPolicy(
            "template.yaml#Resources/ImportedPolicy", at("ImportedPolicy:"), "template.yaml",
            policy_type=present("TargetTrackingScaling", at("PolicyType", 2)),
            metric=absent(None, at("ImportedPolicy:")),
            target_value=dataclasses.replace(absent(None, at("ImportedPolicy:")), prop="TargetValue"),
            resource_id=LambdaResourceId(
                unknown(at("ImportedPolicy:"), "ScalingTargetId"),
                FunctionRef("template.yaml", None, None, Qualifier.unknown(at("ImportedPolicy:"), "ScalingTargetId"), at("ImportedPolicy:")),
            ),
        ),
        ScalingPolicy(
            "template.yaml#Resources/OrdersPolicy", at("OrdersPolicy:"), "template.yaml",
            policy_type=present("TargetTrackingScaling", at("PolicyType: TargetTrackingScaling")),
            metric=present("LambdaProvisionedConcurrencyUtilization", at("PredefinedMetricType")),
            target_value=dataclasses.replace(present(0.7, at("TargetValue: 0.7")), prop="TargetValue"),
            target="OrdersTarget",
        ),
        ScalableTarget(
            "template.yaml#Resources/OrdersTarget", at("OrdersTarget:"), "template.yaml", "OrdersTarget",
            resource_id=rid(None, 'ResourceId: !Sub "function:${Orders}:live"', key="Orders", qualifier=lambda w: Qualifier.alias(w, name="live"), source="Fn::Sub"),
            min_capacity=present(5, at("MinCapacity: 5")),
            max_capacity=present(50, at("MaxCapacity: 50")),
            schedules=(ScheduledAction("template.yaml#Resources/OrdersTarget/ScheduledActions/0", at("- ScheduledActionName: morning"), "template.yaml", present("cron(0 8 * * ? *)", at("Schedule: cron"))),),
        ),
        ScalingPolicy(
            "template.yaml#Resources/TablePolicy", at("TablePolicy:"), "template.yaml",
            policy_type=present("TargetTrackingScaling", at("PolicyType: TargetTrackingScaling", 2)),
            metric=absent(None, at("TablePolicy:")),
            target_value=dataclasses.replace(absent(None, at("TablePolicy:")), prop="TargetValue"),
            target="TableTarget",  # not a Lambda target: the linker drops the policy
        ),
        ScalableTarget(
            "template.yaml#Resources/VersionTarget", at("VersionTarget:"), "template.yaml", "VersionTarget",
            resource_id=rid(None, "ResourceId: !Join", key="Orders", qualifier=lambda w: Qualifier.version(w, resource="template.yaml#Resources/OrdersVersion", label="OrdersVersion"), source="Fn::Join"),
            min_capacity=present(1, at("MinCapacity: 1")),
            max_capacity=present(2, at("MaxCapacity: 2")),
        ),
    ]


def test_root_records(tmp_path):
    records = root_records(tmp_path, {"main.tf": MAIN_TF, "scaling.tf": SCALING_TF})

    def at(needle: str, nth: int = 0) -> Location:
        return Location("scaling.tf", line_of(SCALING_TF, needle, nth))

    def rid(text, needle, key=None, name=None, qualifier=None, source=""):
        where = at(needle)
        written = present(text, where) if text is not None else unknown(where, source)
        return LambdaResourceId(written, FunctionRef("", key, name, qualifier(where), where))

    night = '"function:${aws_lambda_function.orders.function_name}:${aws_lambda_function.orders.version}"'
    assert records == [
        ScalableTarget(
            "scaling.tf#aws_appautoscaling_target.live", at('resource "aws_appautoscaling_target" "live"'), "", "aws_appautoscaling_target.live",
            # the alias's function_name is the function's; its name resolves through var.alias
            resource_id=rid(None, "resource_id        = \"function:${aws_lambda_alias", key="aws_lambda_function.orders", qualifier=lambda w: Qualifier.alias(w, name="live"),
                            source="function:${aws_lambda_alias.live.function_name}:${aws_lambda_alias.live.name}"),
            min_capacity=present(5, at("min_capacity       = 5")),
            max_capacity=present(50, at("max_capacity       = 50")),
        ),
        ScalingPolicy(
            "scaling.tf#aws_appautoscaling_policy.live", at('resource "aws_appautoscaling_policy" "live"'), "",
            policy_type=present("TargetTrackingScaling", at('policy_type        = "TargetTrackingScaling"')),
            metric=present("LambdaProvisionedConcurrencyUtilization", at("predefined_metric_type")),
            target_value=dataclasses.replace(present(0.95, at("target_value = 0.95")), prop="target_value"),
            target="aws_appautoscaling_target.live",
        ),
        ScheduledAction(
            "scaling.tf#aws_appautoscaling_scheduled_action.night", at('"aws_appautoscaling_scheduled_action" "night"'), "",
            present("cron(0 22 * * ? *)", at("schedule           = \"cron")),
            resource_id=rid(None, night, key="aws_lambda_function.orders",
                            qualifier=lambda w: Qualifier.version(w, resource="main.tf#aws_lambda_function.orders", published=True), source=night.strip('"')),
        ),
        ScheduledAction(
            "scaling.tf#aws_appautoscaling_scheduled_action.billing", at('"aws_appautoscaling_scheduled_action" "billing"'), "",
            present("rate(1 hour)", at("schedule           = \"rate")),
            resource_id=rid(None, '"function:billing:${var.unknown}"', name="billing", qualifier=lambda w: Qualifier.unknown(w, "qualifier"), source="function:billing:${var.unknown}"),
        ),
        ScalingPolicy(
            "scaling.tf#aws_appautoscaling_policy.table", at('resource "aws_appautoscaling_policy" "table"'), "",
            policy_type=present("TargetTrackingScaling", at('policy_type = "TargetTrackingScaling"')),
            metric=absent(None, at('resource "aws_appautoscaling_policy" "table"')),
            target_value=dataclasses.replace(absent(None, at('resource "aws_appautoscaling_policy" "table"')), prop="target_value"),
            target="aws_appautoscaling_target.table",  # not a Lambda target: the linker drops the policy
        ),
    ]


def test_not_a_lambda_resource_id_gives_no_record(tmp_path):
    text = SAM_HEAD + """\
Resources:
  Odd:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ResourceId: service/cluster/web
      MinCapacity: 1
      MaxCapacity: 2
"""
    assert template_records(tmp_path, text) == []


def test_linker_groups_policies_and_names_functions(tmp_path):
    """Whole projects: the SAM app and the Terraform root, with a target in another root that
    names the function by its literal physical name."""
    other = 'resource "aws_appautoscaling_target" "remote" {\n  resource_id        = "function:orders:live"\n  scalable_dimension = "lambda:function:ProvisionedConcurrency"\n  service_namespace  = "lambda"\n}\n'
    write_files(tmp_path, {"sam/template.yaml": SAM, "tf/main.tf": MAIN_TF, "tf/scaling.tf": SCALING_TF, "other/scaling.tf": other})
    files, _ = discover([str(tmp_path)], tmp_path)
    project = build_project(parse_all(files, 1), tmp_path, Settings())
    scaled = {a.address.split("#", 1)[1]: a for a in project.autoscaling}
    assert sorted(scaled) == [
        "Resources/BillingPolicy", "Resources/ImportedPolicy", "Resources/OrdersTarget", "Resources/VersionTarget",
        "aws_appautoscaling_scheduled_action.billing", "aws_appautoscaling_scheduled_action.night",
        "aws_appautoscaling_target.live", "aws_appautoscaling_target.remote",
    ]
    assert [p.address for p in scaled["Resources/OrdersTarget"].policies] == ["sam/template.yaml#Resources/OrdersPolicy"]
    assert [s.schedule.value for s in scaled["Resources/OrdersTarget"].schedules] == ["cron(0 8 * * ? *)"]
    assert [p.address for p in scaled["aws_appautoscaling_target.live"].policies] == ["tf/scaling.tf#aws_appautoscaling_policy.live"]
    kinds = {k: (a.kind, a.names_function, sorted(f.label for f in a.functions), a.describe()) for k, a in scaled.items()}
    everything = ["Orders", "aws_lambda_function.orders"]
    assert kinds == {
        "Resources/OrdersTarget": ("target", True, ["Orders"], "alias live"),
        "Resources/VersionTarget": ("target", True, ["Orders"], "the published version"),
        # a literal name no function has (Orders' name is generated and has no "-billing-" in it)
        "Resources/BillingPolicy": ("policy", True, [], "version 3"),
        "Resources/ImportedPolicy": ("policy", False, everything, "an unresolved qualifier"),
        "aws_appautoscaling_target.live": ("target", True, ["aws_lambda_function.orders"], "alias live"),
        "aws_appautoscaling_scheduled_action.night": ("schedule", True, ["aws_lambda_function.orders"], "the published version"),
        "aws_appautoscaling_scheduled_action.billing": ("schedule", True, [], "an unresolved qualifier"),
        # function_name = "orders" in another root
        "aws_appautoscaling_target.remote": ("target", True, ["aws_lambda_function.orders"], "alias live"),
    }
    pcs = {f.label: [sorted(a.address.split("#", 1)[1] for a in pc.autoscaling) for pc in f.provisioned] for f in project.functions}
    assert pcs == {
        "Orders": [["Resources/ImportedPolicy", "Resources/OrdersTarget"]],
        "aws_lambda_function.orders": [["Resources/ImportedPolicy", "aws_appautoscaling_target.live", "aws_appautoscaling_target.remote"]],
    }


def test_published_version_of_a_module_that_is_no_function_may_be_any_qualifier(tmp_path):
    """``module.m.lambda_function_version`` of a module that is not the Lambda module names no
    function of the project: the qualifier is unknown, so it may scale any configuration."""
    main = MAIN_TF + 'module "wrapper" {\n  source = "./modules/wrapper"\n}\n'
    target = 'resource "aws_appautoscaling_target" "wrapped" {\n  resource_id        = "function:${module.wrapper.lambda_function_name}:${module.wrapper.lambda_function_version}"\n  scalable_dimension = "lambda:function:ProvisionedConcurrency"\n  service_namespace  = "lambda"\n}\n'
    write_files(tmp_path, {"main.tf": main, "scaling.tf": target})
    files, _ = discover([str(tmp_path)], tmp_path)
    project = build_project(parse_all(files, 1), tmp_path, Settings())
    (wrapped,) = project.autoscaling
    assert wrapped.resource_id.qualifier.kind == "version" and wrapped.resource_id.qualifier.resource == "main.tf#module.wrapper"
    assert not wrapped.qualifier.known and not wrapped.names_function
    ((pc,),) = [f.provisioned for f in project.functions]
    assert pc.autoscaling == [wrapped]


def test_odd_values_are_unknown_never_a_crash(tmp_path):
    text = SAM_HEAD + """\
Resources:
  ListId:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ResourceId: [function, orders, live]
      MinCapacity: .inf
      MaxCapacity: [1]
      ScheduledActions: {Schedule: rate(1 hour)}
  OddPolicy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyType: [TargetTrackingScaling]
      ScalingTargetId: [ListId]
      TargetTrackingScalingPolicyConfiguration: [TargetValue, 2]
  IfProperties:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties: !If [Cond, {ResourceId: "function:a:b"}, !Ref AWS::NoValue]
"""
    listed, odd = template_records(tmp_path, text)
    # a ResourceId we cannot read may name any function and qualifier (never a reason to warn)
    assert (listed.address, listed.resource_id.function.resolved, listed.resource_id.qualifier.known) == ("template.yaml#Resources/ListId", False, False)
    assert (listed.min_capacity.known, listed.max_capacity.known, listed.schedules) == (False, False, ())
    assert (odd.address, odd.target, odd.resource_id.function.resolved, odd.target_value.is_set, odd.metric.is_set) == ("template.yaml#Resources/OddPolicy", None, False, False, False)
    files = {"main.tf": 'resource "aws_appautoscaling_target" "number" {\n  resource_id  = 5\n  min_capacity = "many"\n}\nresource "aws_appautoscaling_policy" "empty" {\n  resource_id = ""\n}\nresource "aws_appautoscaling_scheduled_action" "glued" {\n  resource_id = "function:${var.fn}-blue:live"\n}\n'}
    (glued,) = root_records(tmp_path, files)
    # an unresolvable piece in the function part names no function; the qualifier is still read
    assert (glued.resource_id.function.key, glued.resource_id.function.name, glued.resource_id.qualifier) == (None, None, Qualifier.alias(glued.resource_id.text.location, name="live"))
