"""formats/<format>/functions.py -> records, and link/functions.py -> the model: what one whole
SAM project and one whole Terraform root give, record by record.

The rules' behaviour is pinned elsewhere (LL201, LL202, LL205, LL207, parity); these pin the
readers' contract: a function is named by its FunctionRef (key in its document, or a literal
name), the qualifier is settled by the reader, and a record about a function outside the
document still exists (it just attaches to nothing)."""

from __future__ import annotations

from lambdalint.documents.templates import parse_template
from lambdalint.documents.terraform import parse_tf
from lambdalint.formats.cloudformation import functions as cfn_functions
from lambdalint.formats.cloudformation.resolve import Template
from lambdalint.formats.terraform import functions as tf_functions
from lambdalint.formats.terraform.resolve import group_roots
from lambdalint.link.functions import link_functions
from lambdalint.project.model import Function
from lambdalint.records.functions import ProvisionedConcurrencyRecord, UnreadModule, VersionRecord

from .helpers import SAM_HEAD, line_of

SAM = SAM_HEAD + """\
Parameters:
  Target:
    Type: String
Globals:
  Function:
    Runtime: python3.12
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      FunctionName: orders-api
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  Legacy:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.legacy
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 2
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker-fn
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code:
        ZipFile: "def handler(event, context): pass"
  WorkerVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Worker
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 3
  WorkerAlias:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: worker-fn
      FunctionVersion: $LATEST
      Name: edge
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 4
  ElsewhereVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Target
  Queue:
    Type: AWS::SQS::Queue
"""

TF = """\
variable "n" {}

resource "aws_lambda_function" "api" {
  function_name = "api-fn"
  runtime       = "python3.12"
  handler       = "app.handler"
  publish       = true
}

resource "aws_lambda_function" "worker" {
  function_name = "worker-fn"
  runtime       = "python3.12"
  handler       = "app.worker"
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.api.function_name
  function_version = aws_lambda_function.api.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 5
}

resource "aws_lambda_provisioned_concurrency_config" "worker" {
  function_name                     = "worker-fn"
  qualifier                         = aws_lambda_function.worker.version
  provisioned_concurrent_executions = 2
}

resource "aws_lambda_provisioned_concurrency_config" "elsewhere" {
  count                             = var.n
  function_name                     = "other-stack-fn"
  qualifier                         = "live"
  provisioned_concurrent_executions = 1
}

module "jobs" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "jobs"
  handler                           = "jobs.handler"
  runtime                           = "python3.12"
  publish                           = true
  provisioned_concurrent_executions = 3
}

module "network" {
  source = "terraform-aws-modules/vpc/aws"
}
"""


def _template(tmp_path) -> Template:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "template.yaml").write_text(SAM)
    doc, failure = parse_template(str(tmp_path / "app" / "template.yaml"), "app/template.yaml", named=True)
    assert failure is None and doc is not None
    return Template(doc)


def _tf_docs(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(TF)
    doc, failure = parse_tf(str(tmp_path / "infra" / "main.tf"), "infra/main.tf")
    assert failure is None and doc is not None
    return [doc]


def _summary(record) -> tuple:
    """What a record says, without the Location objects' columns."""
    if isinstance(record, Function):
        return ("function", record.label, record.physical_name.value if record.physical_name.is_set else None)
    if isinstance(record, ProvisionedConcurrencyRecord):
        q = record.qualifier
        return ("provisioned", record.function.key, record.function.name, q.kind, q.text, record.amount.value, record.location.line, record.address.split("#")[1], record.note, record.may_not_exist)
    if isinstance(record, VersionRecord):
        return ("version", record.function.key, record.function.name, record.location.line)
    raise AssertionError(record)


def everything(path: str) -> bool:
    return True


def test_a_sam_template_gives_functions_then_what_qualifies_them(tmp_path):
    records = cfn_functions.read(_template(tmp_path), everything)
    assert all(r.function.document == "app/template.yaml" for r in records if not isinstance(r, Function))
    assert [_summary(r) for r in records] == [
        # SAM's own provisioned concurrency follows its function: on $LATEST without an
        # AutoPublishAlias, else on that alias
        ("function", "Legacy", None),
        ("provisioned", "Legacy", None, "latest", "$LATEST", 2, line_of(SAM, "ProvisionedConcurrencyConfig:", 1), "Resources/Legacy", "the function has no AutoPublishAlias, so nothing publishes a version", False),
        ("function", "Orders", "orders-api"),
        ("provisioned", "Orders", None, "alias", "live", 5, line_of(SAM, "ProvisionedConcurrencyConfig:"), "Resources/Orders", "", False),
        ("function", "Worker", "worker-fn"),
        # then aliases and versions, in logical-ID order
        ("version", None, None, line_of(SAM, "ElsewhereVersion:")),  # a parameter without a default: any function
        # the alias names its function by the literal physical name: the linker matches it
        ("provisioned", None, "worker-fn", "latest", "$LATEST", 4, line_of(SAM, "ProvisionedConcurrencyConfig:", 3), "Resources/WorkerAlias", "alias WorkerAlias has FunctionVersion $LATEST", False),
        ("provisioned", "Worker", None, "version", "version:WorkerVersion", 3, line_of(SAM, "ProvisionedConcurrencyConfig:", 2), "Resources/WorkerVersion", "", False),
        ("version", "Worker", None, line_of(SAM, "WorkerVersion:")),
    ]


def test_sam_records_link_to_their_functions(tmp_path):
    functions = {f.name: f for f in link_functions(cfn_functions.read(_template(tmp_path), everything))}
    assert [(pc.qualifier.describe(), pc.amount.value) for pc in functions["Orders"].provisioned] == [("alias live", 5)]
    assert [(pc.qualifier.describe(), pc.amount.value) for pc in functions["Worker"].provisioned] == [("$LATEST", 4), ("the version published by WorkerVersion", 3)]
    worker = functions["Worker"].publishes_versions
    assert worker.is_set and worker.value is True and worker.location.line == line_of(SAM, "WorkerVersion:")
    assert functions["Orders"].publishes_versions.value is True  # AutoPublishAlias
    # the version of an unknown function may be Legacy's: publishing is unknown, located there
    legacy = functions["Legacy"].publishes_versions
    assert not legacy.known and legacy.location.line == line_of(SAM, "ElsewhereVersion:") and "unresolved FunctionName" in legacy.source


def test_a_terraform_root_gives_functions_then_what_qualifies_them(tmp_path):
    (root,) = group_roots(_tf_docs(tmp_path))
    records = tf_functions.read(root, everything)
    assert all(r.function.document == "infra" for r in records if not isinstance(r, Function))
    assert [_summary(r) for r in records] == [
        ("function", "aws_lambda_function.api", "api-fn"),
        ("function", "aws_lambda_function.worker", "worker-fn"),
        ("function", "module.jobs", "jobs"),
        # the module's own configuration points at its published version
        ("provisioned", "module.jobs", None, "version", "version", 3, line_of(TF, "provisioned_concurrent_executions = 3"), "module.jobs", "", False),
        # through the alias to its function; the alias points at a published version
        ("provisioned", "aws_lambda_function.api", None, "alias", "live", 5, line_of(TF, "qualifier                         = aws_lambda_alias"), "aws_lambda_provisioned_concurrency_config.live", "", False),
        # a literal physical name is settled to the function's key by the reader
        ("provisioned", "aws_lambda_function.worker", None, "latest", "$LATEST", 2, line_of(TF, "aws_lambda_function.worker.version"), "aws_lambda_provisioned_concurrency_config.worker", "aws_lambda_function.worker does not set publish = true, so its version attribute is $LATEST", False),
        # a function of another root: the record stays, naming nothing here
        ("provisioned", None, None, "alias", "live", 1, line_of(TF, 'qualifier                         = "live"'), "aws_lambda_provisioned_concurrency_config.elsewhere", "", True),
    ]


def test_terraform_records_link_to_their_functions(tmp_path):
    (root,) = group_roots(_tf_docs(tmp_path))
    functions = {f.label: f for f in link_functions(tf_functions.read(root, everything))}
    assert [(pc.qualifier.describe(), pc.amount.value) for pc in functions["aws_lambda_function.api"].provisioned] == [("aws_lambda_alias.live", 5)]
    assert [pc.qualifier.is_latest for pc in functions["aws_lambda_function.worker"].provisioned] == [True]
    assert [(pc.qualifier.describe(), pc.amount.value) for pc in functions["module.jobs"].provisioned] == [("the published version", 3)]


def test_modules_from_other_sources_are_listed_as_unread(tmp_path):
    (doc,) = _tf_docs(tmp_path)
    assert tf_functions.unread_modules(doc) == [UnreadModule(line_of(TF, 'module "network"'), "module.network", "terraform-aws-modules/vpc/aws")]
