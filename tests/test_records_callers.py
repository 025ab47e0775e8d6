"""formats/<format>/callers.py and api.py: a whole small SAM and Terraform project -> the exact
caller records, in document order; link/callers.py: those records -> the model, including records
whose function is outside the project. (Rules over the same facts: test_event_source_rules,
test_resolver_bugs, test_parity.)"""

from __future__ import annotations

from lambdalint.documents.templates import parse_template
from lambdalint.documents.terraform import parse_tf
from lambdalint.formats.cloudformation import api as cfn_api
from lambdalint.formats.cloudformation import callers as cfn_callers
from lambdalint.formats.cloudformation.resolve import Template
from lambdalint.formats.terraform import api as tf_api
from lambdalint.formats.terraform import callers as tf_callers
from lambdalint.formats.terraform.resolve import group_roots
from lambdalint.link import callers as link_callers
from lambdalint.formats.cloudformation import functions as cfn_functions
from lambdalint.formats.terraform import functions as tf_functions
from lambdalint.link.functions import link_functions
from lambdalint.project.model import PermissionCaller, Project
from lambdalint.records.callers import (
    CallerRecord,
    DeadLetterRecord,
    EventSourceRecord,
    FailureDestinationRecord,
    UnresolvedCaller,
    UrlRecord,
)

from .helpers import SAM_HEAD, line_of

SAM = SAM_HEAD + """\
Parameters:
  Stage:
    Type: String
    Default: prod
  External:
    Type: String
Globals:
  Function:
    EventInvokeConfig:
      DestinationConfig:
        OnFailure:
          Type: SQS
Resources:
  Dlq:
    Type: AWS::SQS::Queue
  Queue:
    Type: AWS::SQS::Queue
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      FunctionName: !Sub orders-${Stage}
      AutoPublishAlias: live
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt Dlq.Arn
      Events:
        Get:
          Type: Api
          Properties:
            Path: /
            Method: get
            TimeoutInMillis: 5000
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
            BatchSize: 5
      FunctionUrlConfig:
        AuthType: NONE
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Sub "${Orders}:live"
      EventSourceArn: !GetAtt Queue.Arn
  LogsPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: orders-prod
      Action: lambda:InvokeFunction
      Principal: !Sub logs.${AWS::Region}.amazonaws.com
  OtherUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:billing
      AuthType: NONE
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: lambda
      Endpoint: !Ref External
      TopicArn: arn:aws:sns:us-east-1:123456789012:topic
"""

TF = """\
variable "size" {}
variable "endpoint" {}

resource "aws_sqs_queue" "jobs" {}
resource "aws_sqs_queue" "dlq" {}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "orders.zip"
  role          = "arn:aws:iam::123456789012:role/orders"
  publish       = true
  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}

resource "aws_lambda_event_source_mapping" "jobs" {
  function_name    = aws_lambda_alias.live.arn
  event_source_arn = aws_sqs_queue.jobs.arn
  batch_size       = 50
}

resource "aws_lambda_permission" "logs" {
  function_name = aws_lambda_function.orders.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "logs.${data.aws_region.current.name}.amazonaws.com"
  action        = "lambda:InvokeFunction"
}

resource "aws_lambda_function_url" "billing" {
  function_name      = "billing"
  authorization_type = "NONE"
}

resource "aws_lambda_function_event_invoke_config" "orders" {
  function_name = aws_lambda_function.orders.qualified_arn
  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}

resource "aws_sns_topic_subscription" "elsewhere" {
  protocol  = "lambda"
  endpoint  = var.endpoint
  topic_arn = "arn:aws:sns:us-east-1:123456789012:topic"
}

resource "aws_apigatewayv2_integration" "orders" {
  api_id             = "abc"
  integration_type   = "AWS_PROXY"
  integration_uri    = aws_lambda_alias.live.invoke_arn
}

module "api" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "api"
  handler       = "app.handler"
  runtime       = "python3.12"
  event_source_mapping = {
    jobs = {
      event_source_arn = aws_sqs_queue.jobs.arn
      batch_size       = var.size
    }
  }
  allowed_triggers = {
    topic = { service = "sns" }
  }
  create_lambda_function_url = true
}
"""


def _q(q):
    return None if q is None else q.describe()


def _s(setting):
    return (setting.state, None if setting.value is None else str(setting.value))


def _target(ref):
    return None if ref is None else (ref.key, ref.name, _q(ref.qualifier))


def summary(record) -> tuple:
    """A record as the facts it carries, addresses without their document."""
    kind = type(record).__name__
    if isinstance(record, UnresolvedCaller):
        return (kind, record.location.line)
    if isinstance(record, DeadLetterRecord):
        return (kind, _target(record.target), _s(record.dead_letter))
    if isinstance(record, FailureDestinationRecord):
        d = record.destination
        return (kind, _target(record.target), _s(d.destination), _q(d.qualifier), d.address.split("#")[1])
    if isinstance(record, EventSourceRecord):
        m = record.mapping
        return (kind, _target(record.target), m.invocation, m.source, _s(m.batch_size), m.address.split("#")[1], record.written)
    if isinstance(record, UrlRecord):
        c = record.caller
        return (kind, _target(record.target), _q(c.qualifier), _s(c.auth_type), c.address.split("#")[1], record.written)
    c = record.caller
    extra = c.principal if isinstance(c, PermissionCaller) else _s(c.timeout_ms) if c.timeout_ms is not None else None
    return (kind, _target(record.target), c.kind, c.invocation, _q(c.qualifier), c.address.split("#")[1], extra)


def _template(tmp_path) -> Template:
    (tmp_path / "template.yaml").write_text(SAM)
    doc, failure = parse_template(str(tmp_path / "template.yaml"), "template.yaml", named=True)
    assert failure is None and doc is not None
    return Template(doc)


def _root(tmp_path):
    (tmp_path / "main.tf").write_text(TF)
    doc, failure = parse_tf(str(tmp_path / "main.tf"), "main.tf")
    assert failure is None
    return group_roots([doc])[0]


LIVE = "alias live"


def test_sam_template_records(tmp_path):
    records = [summary(r) for r in cfn_callers.read(_template(tmp_path))]
    assert records == [
        # the function's own properties first (Globals' EventInvokeConfig applies to it)
        ("DeadLetterRecord", ("Orders", None, None), ("present", "Dlq.Arn")),
        ("FailureDestinationRecord", ("Orders", None, None), ("present", "the SQS queue SAM creates"), LIVE, "Resources/Orders/EventInvokeConfig"),
        ("CallerRecord", ("Orders", None, LIVE), "api", "sync", LIVE, "Resources/Orders/Events/Get", None),
        ("EventSourceRecord", ("Orders", None, LIVE), "queue", "sqs", ("present", "5"), "Resources/Orders/Events/Jobs", "Orders"),
        ("UrlRecord", ("Orders", None, LIVE), LIVE, ("present", "NONE"), "Resources/Orders/FunctionUrlConfig", "Orders"),
        # then the resources, by logical ID
        ("CallerRecord", (None, "orders-prod", None), "permission", "async", None, "Resources/LogsPermission", "logs.x.amazonaws.com"),
        ("EventSourceRecord", ("Orders", None, LIVE), "queue", "sqs", ("absent", "10"), "Resources/Mapping", "FunctionName"),
        # a URL on a function another stack deploys: recorded all the same
        ("UrlRecord", (None, "arn:aws:lambda:us-east-1:123456789012:function:billing", None), None, ("present", "NONE"), "Resources/OtherUrl", "arn:aws:lambda:us-east-1:123456789012:function:billing"),
        # a parameter without default: it may invoke any function of the stack
        ("UnresolvedCaller", line_of(SAM, "Endpoint: !Ref External")),
    ]


def test_sam_api_records(tmp_path):
    records = [summary(r) for r in cfn_api.read(_template(tmp_path))]
    assert records == [("CallerRecord", ("Orders", None, LIVE), "api", "sync", LIVE, "Resources/Orders/Events/Get", ("present", "5000"))]


def test_terraform_root_records(tmp_path):
    records = [summary(r) for r in tf_callers.read(_root(tmp_path))]
    live = "aws_lambda_alias.live"  # the alias resource, named live
    published = "the published version"
    assert [r[:2] for r in records] == [
        ("DeadLetterRecord", ("aws_lambda_function.orders", None, None)),
        ("DeadLetterRecord", ("module.api", None, None)),
        ("EventSourceRecord", ("module.api", None, None)),
        ("CallerRecord", ("module.api", None, "qualifier allowed_triggers")),
        ("UrlRecord", ("module.api", None, None)),
        ("EventSourceRecord", ("aws_lambda_function.orders", None, live)),
        ("CallerRecord", ("aws_lambda_function.orders", None, live)),
        ("UrlRecord", (None, "billing", None)),
        ("FailureDestinationRecord", ("aws_lambda_function.orders", None, published)),
        ("UnresolvedCaller", line_of(TF, "endpoint  = var.endpoint")),
    ]
    assert records[0][2] == ("present", "aws_sqs_queue.dlq.arn")
    assert records[1][2] == ("absent", None)
    # the module's mapping: batch size from a variable without default is unknown, not the default
    assert records[2][2:] == ("queue", "sqs", ("unknown", None), "module.api/event_source_mapping/jobs", "module.api")
    assert records[3][2:] == ("permission", "async", "qualifier allowed_triggers", "module.api/allowed_triggers/topic", "sns.amazonaws.com")
    assert records[4][2:] == (None, ("absent", "NONE"), "module.api/lambda_function_url", "module.api")
    assert records[5][2:] == ("queue", "sqs", ("present", "50"), "aws_lambda_event_source_mapping.jobs", "aws_lambda_alias.live.arn")
    assert records[6][2:] == ("permission", "async", live, "aws_lambda_permission.logs", "logs.x.amazonaws.com")
    assert records[7][2:] == (None, ("present", "NONE"), "aws_lambda_function_url.billing", "billing")
    assert records[8][2:] == (("unknown", None), published, "aws_lambda_function_event_invoke_config.orders")


def test_terraform_api_records(tmp_path):
    records = [summary(r) for r in tf_api.read(_root(tmp_path))]
    assert records == [("CallerRecord", ("aws_lambda_function.orders", None, LIVE), "api", "sync", LIVE, "aws_apigatewayv2_integration.orders", ("absent", "30000"))]


def test_sam_records_link_to_the_model(tmp_path):
    t = _template(tmp_path)
    functions = link_functions(cfn_functions.read(t, lambda rel: True))
    project = Project(functions=functions)
    link_callers.link(cfn_api.read(t), functions)
    link_callers.link(cfn_callers.read(t), functions, project)
    (orders,) = functions
    # the Api event is one caller (the API reader's, with its timeout), not two
    assert [(c.kind, c.address.split("#")[1]) for c in orders.callers] == [
        ("api", "Resources/Orders/Events/Get"),
        ("esm", "Resources/Orders/Events/Jobs"),
        ("function-url", "Resources/Orders/FunctionUrlConfig"),
        ("permission", "Resources/LogsPermission"),
        ("esm", "Resources/Mapping"),
    ]
    assert orders.callers[0].timeout_ms.value == 5000
    assert str(orders.dead_letter.value) == "Dlq.Arn"
    assert [d.address.split("#")[1] for d in orders.failure_destinations] == ["Resources/Orders/EventInvokeConfig"]
    assert [(u.address.split("#")[1], u.function is orders) for u in project.function_urls] == [("Resources/Orders/FunctionUrlConfig", True), ("Resources/OtherUrl", False)]
    assert [(s.mapping.address.split("#")[1], s.function is orders) for s in project.event_sources] == [("Resources/Orders/Events/Jobs", True), ("Resources/Mapping", True)]
    assert project.unresolved_callers == [("template.yaml", project.unresolved_callers[0][1])]
    assert project.unresolved_callers[0][1].line == line_of(SAM, "Endpoint: !Ref External")


def test_terraform_records_link_to_the_model(tmp_path):
    root = _root(tmp_path)
    functions = link_functions(tf_functions.read(root, lambda rel: True))
    project = Project(functions=functions)
    link_callers.link(tf_callers.read(root), functions, project)
    orders, api = functions
    assert [(c.kind, c.address.split("#")[1]) for c in orders.callers] == [
        ("esm", "aws_lambda_event_source_mapping.jobs"),
        ("permission", "aws_lambda_permission.logs"),
    ]
    assert [c.kind for c in api.callers] == ["esm", "permission", "function-url"]
    assert [d.qualifier.describe() for d in orders.failure_destinations] == ["the published version"]
    # the URL of a function outside the root is listed, without a function
    assert [(u.address.split("#")[1], u.function) for u in project.function_urls] == [("module.api/lambda_function_url", api), ("aws_lambda_function_url.billing", None)]
    assert len(project.unresolved_callers) == 1


MODULE_THROUGH_A_LOCAL = """\
variable "kind" {}

locals {
  mappings = {
    jobs = {
      event_source_arn        = "arn:aws:sqs:us-east-1:123456789012:jobs"
      batch_size              = 20
      function_response_types = [var.kind]
    }
    broken = "not a map"
  }
}

module "worker" {
  source               = "terraform-aws-modules/lambda/aws"
  function_name        = "worker"
  handler              = "app.handler"
  runtime              = "python3.12"
  event_source_mapping = local.mappings
}
"""


def test_module_event_sources_through_a_local_keep_unresolved_pieces_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(MODULE_THROUGH_A_LOCAL)
    doc, failure = parse_tf(str(tmp_path / "main.tf"), "main.tf")
    assert failure is None
    records = [r for r in tf_callers.read(group_roots([doc])[0]) if isinstance(r, EventSourceRecord)]
    broken, jobs = (r.mapping for r in records)
    assert (jobs.source, jobs.batch_size.value, jobs.batch_size.is_set) == ("sqs", 20, True)
    # a list with a piece nothing resolves is unknown (never "set to [something]")
    assert not jobs.response_types.known and jobs.response_types.source == "local.mappings.jobs.function_response_types[0]"
    assert jobs.batching_window.is_absent and jobs.batching_window.value == 0
    # an entry that is no map: every field unknown, so no rule judges it
    assert broken.source is None and not broken.batch_size.known and not broken.response_types.known


ALIAS_SUBMODULE = """\
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

module "api" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "api"
  handler       = "app.handler"
  runtime       = "python3.12"
  publish       = true
}

module "live" {
  source        = "terraform-aws-modules/lambda/aws//modules/alias"
  name          = "live"
  function_name = module.api.lambda_function_name

  create_async_event_config = true
  destination_on_failure    = aws_sqs_queue.jobs.arn

  event_source_mapping = {
    jobs = {
      event_source_arn = aws_sqs_queue.jobs.arn
      batch_size       = 50
    }
  }

  allowed_triggers = {
    Topic = {
      service = "sns"
    }
  }
}

module "named" {
  source        = "terraform-aws-modules/lambda/aws//modules/alias"
  name          = "prod"
  function_name = "reports"

  event_source_mapping = {
    jobs = {
      event_source_arn = aws_sqs_queue.jobs.arn
    }
  }
}
"""


def test_alias_submodule_inputs_are_records_of_its_function_qualified_by_the_alias(tmp_path):
    (tmp_path / "main.tf").write_text(ALIAS_SUBMODULE)
    doc, failure = parse_tf(str(tmp_path / "main.tf"), "main.tf")
    assert failure is None
    read = [r for r in tf_callers.read(group_roots([doc])[0]) if not isinstance(r, DeadLetterRecord)]
    # each names the function (a module output -> its key, a literal -> its name), qualified by the alias
    live, prod = ("module.api", None, "module.live"), (None, "reports", "module.named")
    assert [summary(r) for r in read] == [
        # a destination nothing resolves to text is unknown: it never makes a rule fire
        ("FailureDestinationRecord", live, ("unknown", None), "module.live", "module.live/destination_on_failure"),
        ("EventSourceRecord", live, "queue", "sqs", ("present", "50"), "module.live/event_source_mapping/jobs", "module.api.lambda_function_name"),
        ("CallerRecord", live, "permission", "async", "module.live", "module.live/allowed_triggers/Topic", "sns.amazonaws.com"),
        ("EventSourceRecord", prod, "queue", "sqs", ("absent", "10"), "module.named/event_source_mapping/jobs", "reports"),
    ]
    assert [r.target.qualifier.name for r in read] == ["live", "live", "live", "prod"]
