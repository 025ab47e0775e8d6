"""The format-neutral model: located values, resolution, linking, in every format."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.engine import build_project, parse_all

from .conftest import write_files


def project_of(root: Path):
    files, _ = discover([str(root)], root)
    return build_project(parse_all(files, 1), root, Settings())


def by_name(project):
    return {f.name: f for f in project.functions}


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Memory:
    Type: Number
    Default: 1024
  Stage:
    Type: String
  Timeout:
    Type: Number
Mappings:
  Sizes:
    prod:
      memory: 2048
Resources:
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code: ./src
      MemorySize: !Ref Memory
      Timeout: !Ref Timeout
      Role: !GetAtt Role.Arn
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code:
        S3Bucket: bucket
        S3Key: worker.zip
      MemorySize: !FindInMap [Sizes, prod, memory]
      ReservedConcurrentExecutions: 5
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Api
      FunctionVersion: $LATEST
      Name: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 3
"""


def test_cloudformation_values_are_located_and_resolved(tmp_path):
    write_files(tmp_path, {"template.yaml": CFN, "src/app.py": "def handler(event, context):\n    return 1\n"})
    fns = by_name(project_of(tmp_path))
    api, worker = fns["Api"], fns["Worker"]
    assert (api.memory.value, api.memory.state, api.memory.location.line) == (1024, "present", 21)
    assert api.timeout.state == "unknown" and api.timeout.location.line == 22  # parameter without default
    assert api.code_dir.value == "src" and api.handler_module == "src/app.py" and api.handler_function == "handler"
    assert worker.memory.value == 2048
    assert worker.code_dir.state == "unknown"  # S3: never linked, never LL002
    assert worker.reserved_concurrency.value == 5
    assert worker.timeout.is_absent and worker.timeout.value == 3 and worker.timeout.location.line == 24
    (pc,) = api.provisioned
    assert pc.amount.value == 3 and pc.qualifier.is_latest and pc.qualifier.location.line == 38


SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    MemorySize: 512
    CodeUri: functions/
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.app.lambda_handler
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  Image:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      MemorySize: 2048
"""


def test_sam_globals_merge_and_autopublish(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM, "functions/orders/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    fns = by_name(project_of(tmp_path))
    orders, image = fns["Orders"], fns["Image"]
    assert orders.memory.value == 512 and orders.memory.location.line == 6  # from Globals
    assert orders.runtime.value == "python3.12"
    assert orders.handler_module == "functions/orders/app.py"
    assert orders.snapstart.value == "PublishedVersions"
    assert orders.publishes_versions.value is True
    assert (orders.provisioned[0].qualifier.kind, orders.provisioned[0].qualifier.name) == ("alias", "live")
    assert image.code_dir.state == "unknown" and image.memory.value == 2048


TF = """\
variable "memory" {
  default = 1024
}

variable "timeout" {}

locals {
  name = "orders-${var.env}"
  src  = "${path.module}/src"
}

data "archive_file" "orders" {
  type        = "zip"
  source_dir  = local.src
  output_path = "${path.module}/build/orders.zip"
}

resource "aws_lambda_function" "orders" {
  function_name = local.name
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.orders.output_path
  memory_size   = var.memory
  timeout       = var.timeout
  publish       = true
  reserved_concurrent_executions = -1
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = aws_lambda_function.orders.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 4
}

module "reports" {
  source      = "terraform-aws-modules/lambda/aws"
  version     = "~> 7.0"
  function_name = "reports"
  handler     = "app.handler"
  runtime     = "python3.12"
  source_path = "${path.module}/src"
  provisioned_concurrent_executions = 2
}
"""


def test_terraform_resolution_and_module(tmp_path):
    write_files(tmp_path, {"infra/main.tf": TF, "infra/terraform.tfvars": 'memory = 2048\n', "infra/src/app.py": "def handler(event, context):\n    return 1\n"})
    fns = by_name(project_of(tmp_path))
    orders, reports = fns["orders"], fns["reports"]
    assert orders.memory.value == 2048 and orders.memory.location == orders.memory.location.__class__("infra/main.tf", 23, 3, 23, 29)  # end column is exclusive
    assert orders.timeout.state == "unknown"
    assert orders.reserved_concurrency.is_absent  # -1 means no reservation
    assert orders.code_dir.value == "infra/src" and orders.handler_module == "infra/src/app.py"
    (pc,) = orders.provisioned
    assert (pc.qualifier.kind, pc.qualifier.name, pc.qualifier.label) == ("alias", "live", "aws_lambda_alias.live") and pc.amount.value == 4
    assert reports.kind == "terraform-module" and reports.memory.is_absent and reports.memory.value == 128
    assert reports.memory.location.line == 41  # the module line
    assert reports.handler_module == "infra/src/app.py"
    assert reports.provisioned[0].qualifier.is_latest  # module without publish = true


def test_unresolvable_values_never_fire(tmp_path):
    tf = TF.replace("default = 1024", "type = number")
    write_files(tmp_path, {"main.tf": tf, "src/app.py": "def handler(event, context):\n    return 1\n"})
    from .conftest import check_json

    report = check_json(tmp_path)
    assert not [f for f in report["findings"] if f["rule"] == "LL302" and "orders" in f["message"]]


def test_rule_pack_entry_point(tmp_path):
    """A company rule pack registers through the lambdalint.rules entry-point group."""
    import subprocess
    import sys
    import textwrap

    (tmp_path / "acme_rules.py").write_text(
        textwrap.dedent(
            '''
            from lambdalint.rules.base import Rule, python

            def check(ctx):
                for target in ctx.project.code_targets:
                    fn = target.module.facts.functions[target.handler]
                    if not fn.is_async and target.handler != "handler":
                        from lambdalint.findings import Location
                        yield ctx.finding("handlers must be called `handler` here", Location(target.module.path, fn.line, fn.column))

            RULE = Rule(id="LL901", name="acme-handler-name", level="warning", summary="Handlers are named handler",
                        docs="## What it does\\nx\\n## Why is this bad?\\nx\\n## Example\\nx\\n## Use instead\\nx\\n## References\\nx\\n",
                        check=check, must_fire=(python("def lambda_handler(event, context): pass\\n"),),
                        must_not_fire=(python("def handler(event, context): pass\\n"),))
            '''
        )
    )
    dist = tmp_path / "acme_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[lambdalint.rules]\nacme = acme_rules:RULE\n")
    write_files(tmp_path, {"svc/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "lambdalint", "rules"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "LL901  acme-handler-name" in out.stdout, out.stderr
    out = subprocess.run([sys.executable, "-m", "lambdalint", "check", "svc"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "svc/app.py:1:1: LL901 [warning] handlers must be called `handler` here" in out.stdout, out.stdout + out.stderr


def test_cpu_evidence_is_recorded_on_the_linked_function(tmp_path):
    sam = SAM.replace("Handler: orders.app.lambda_handler", "Handler: orders.app.lambda_handler\n      MemorySize: 128")
    handler = (
        "import hashlib\nimport numpy as np\nfrom PIL import Image\n\n"
        "def thumbnail(path):\n    return Image.open(path).resize((64, 64))\n\n"
        "def lambda_handler(event, context):\n"
        "    key = hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 100000)\n"
        "    return np.mean([1, 2]), thumbnail(event['path']), key\n"
    )
    write_files(tmp_path, {"template.yaml": sam, "functions/orders/app.py": handler})
    orders = by_name(project_of(tmp_path))["Orders"]
    lines = [(loc.path, loc.line) for loc, _ in orders.cpu_evidence]
    assert lines == [("functions/orders/app.py", 6), ("functions/orders/app.py", 9), ("functions/orders/app.py", 10)]
    assert "numpy.mean" in orders.cpu_evidence[2][1]


def test_code_location_may_be_a_single_file(tmp_path):
    sam = SAM.replace("    CodeUri: functions/\n", "    CodeUri: functions/orders/app.py\n").replace("orders.app.lambda_handler", "app.lambda_handler")
    tf = 'module "single" {\n  source      = "terraform-aws-modules/lambda/aws"\n  handler     = "app.lambda_handler"\n  runtime     = "python3.12"\n  source_path = "${path.module}/src/app.py"\n}\n'
    handler = "def lambda_handler(event, context):\n    return 1\n"
    write_files(tmp_path, {"sam/template.yaml": sam, "sam/functions/orders/app.py": handler, "tf/main.tf": tf, "tf/src/app.py": handler})
    fns = by_name(project_of(tmp_path))
    assert fns["Orders"].handler_module == "sam/functions/orders/app.py"
    assert fns["single"].handler_module == "tf/src/app.py"


def test_sam_without_codeuri_builds_from_the_template_directory(tmp_path):
    sam = SAM.replace("    CodeUri: functions/\n", "").replace("orders.app.lambda_handler", "functions/orders/app.lambda_handler")
    write_files(tmp_path, {"svc/template.yaml": sam, "svc/functions/orders/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    orders = by_name(project_of(tmp_path))["Orders"]
    assert orders.code_dir.value == "svc" and orders.handler_module == "svc/functions/orders/app.py"


def test_terraform_submodules_are_not_functions(tmp_path):
    tf = 'module "alias" {\n  source        = "terraform-aws-modules/lambda/aws//modules/alias"\n  name          = "live"\n  function_name = "orders"\n}\n'
    write_files(tmp_path, {"main.tf": tf})
    assert project_of(tmp_path).functions == []
