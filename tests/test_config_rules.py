"""Configuration rules LL204, LL210, LL211, LL212, LL303, LL305: line-precise in SAM, plain
CloudFormation and Terraform, and quiet on values that cannot be resolved."""

from __future__ import annotations

import pytest

from lambdalint.rules.ll204_pc_exceeds_reserved import RULE as LL204
from lambdalint.rules.ll210_snapstart_unsupported import RULE as LL210
from lambdalint.rules.ll210_snapstart_unsupported import unsupported_runtime
from lambdalint.rules.ll211_snapstart_with_pc import RULE as LL211
from lambdalint.rules.ll212_snapstart_unpublished import RULE as LL212
from lambdalint.rules.ll303_managed_runtime_low_memory import RULE as LL303
from lambdalint.rules.ll305_invalid_limits import RULE as LL305
from lambdalint.rules.ll305_invalid_limits import environment_bytes

from .helpers import hits, lines

MINE = (LL204, LL210, LL211, LL212, LL303, LL305)


# ------------------------------------------------------------------ metadata (the examples run in test_rule_examples.py)
def test_metadata():
    for rule in MINE:
        assert rule.docs.startswith("## What it does") and "## Why is this bad?" in rule.docs
        assert rule.must_fire and rule.must_not_fire
    assert [(r.id, r.name, r.level) for r in MINE] == [
        ("LL204", "pc-exceeds-reserved", "error"),
        ("LL210", "snapstart-unsupported", "error"),
        ("LL211", "snapstart-with-pc", "error"),
        ("LL212", "snapstart-unpublished", "warning"),
        ("LL303", "managed-runtime-low-memory", "warning"),
        ("LL305", "invalid-limits", "error"),
    ]


# ------------------------------------------------------------------ LL305
SAM_LIMITS = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 1000
Resources:
  Big:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 20000
      EphemeralStorage:
        Size: 100
      Environment:
        Variables:
          A: "{big}"
  Fine:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 10240
      Timeout: 900
  Inherits:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 1024
""".format(big="y" * 5000)


def test_ll305_sam_one_finding_per_property(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_LIMITS}, "LL305")
    # Globals timeout (once, though Big and Inherits both use it), memory, storage size, env
    assert sorted(f["line"] for f in found) == [5, 13, 15, 17]
    memory = next(f for f in found if f["line"] == 13)
    assert "20000" in memory["message"] and "10240" in memory["message"]
    env = next(f for f in found if f["line"] == 17)
    assert "5001 bytes" in env["message"]


CFN_LIMITS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Memory:
    Type: Number
  Timeout:
    Type: Number
    Default: 3600
  Token:
    Type: String
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code:
        ZipFile: "def handler(event, context): return 1"
      MemorySize: !Ref Memory
      Timeout: !Ref Timeout
      EphemeralStorage:
        Size: 10241
      Environment:
        Variables:
          TOKEN: !Ref Token
          BLOB: "{big}"
""".format(big="z" * 5000)


def test_ll305_cloudformation_parameters(tmp_path):
    # memory is unknown (no default); timeout resolves through the default; the env has an unknown value
    assert lines(tmp_path, {"template.yaml": CFN_LIMITS}, "LL305") == [("template.yaml", 20), ("template.yaml", 22)]


TF_LIMITS = """\
variable "memory" {}

variable "timeout" {
  default = 1200
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"
  memory_size   = var.memory
  timeout       = var.timeout

  ephemeral_storage {
    size = 20480
  }

  environment {
    variables = {
      BLOB = "%s"
    }
  }
}

module "small" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "small"
  handler       = "app.handler"
  runtime       = "python3.12"
  memory_size   = 64
  ephemeral_storage_size = 512
}
""" % ("q" * 4100)


def test_ll305_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_LIMITS}, "LL305") == [
        ("main.tf", 14),  # timeout from the variable default
        ("main.tf", 17),  # ephemeral storage size
        ("main.tf", 21),  # environment variables
        ("main.tf", 32),  # module memory_size
    ]


def test_ll305_terraform_unknown_env_value_is_skipped(tmp_path):
    tf = TF_LIMITS.replace('BLOB = "', 'KEY = var.memory\n      BLOB = "')
    assert ("main.tf", 21) not in lines(tmp_path, {"main.tf": tf}, "LL305")


def test_environment_bytes():
    assert environment_bytes({"AB": "cd", "N": 12, "B": True}) == 4 + 3 + 5
    assert environment_bytes({"A": {"Ref": "X"}}) is None
    assert environment_bytes(None) is None


# ------------------------------------------------------------------ LL303
SAM_JAVA = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Memory:
    Type: Number
Globals:
  Function:
    Runtime: java21
Resources:
  Unset:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/a.jar
      Handler: a.Handler::handleRequest
  Small:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/b.jar
      Handler: b.Handler::handleRequest
      MemorySize: 512
  Large:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/c.jar
      Handler: c.Handler::handleRequest
      MemorySize: 1024
  FromParam:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/d.jar
      Handler: d.Handler::handleRequest
      MemorySize: !Ref Memory
  Python:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/e
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 256
"""


def test_ll303_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_JAVA}, "LL303")
    assert sorted(f["line"] for f in found) == [10, 20]  # unset -> resource line; 512 -> MemorySize line
    unset = next(f for f in found if f["line"] == 10)
    assert "128 MB default" in unset["message"] and "java21" in unset["message"]


CFN_DOTNET = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: dotnet8
      Handler: Api::Api.Function::Handler
      Role: arn:aws:iam::123456789012:role/api
      Code:
        S3Bucket: bucket
        S3Key: api.zip
      MemorySize: 256
"""


def test_ll303_cloudformation(tmp_path):
    assert lines(tmp_path, {"template.yaml": CFN_DOTNET}, "LL303") == [("template.yaml", 12)]


TF_JAVA = """\
variable "memory" {}

resource "aws_lambda_function" "a" {
  function_name = "a"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = "java17"
  handler       = "a.Handler::handleRequest"
  filename      = "a.zip"
}

resource "aws_lambda_function" "b" {
  function_name = "b"
  role          = "arn:aws:iam::123456789012:role/b"
  runtime       = "java17"
  handler       = "b.Handler::handleRequest"
  filename      = "b.zip"
  memory_size   = var.memory
}

module "c" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "c"
  handler       = "C::C.Function::Handler"
  runtime       = "dotnet8"
  memory_size   = 384
}
"""


def test_ll303_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_JAVA}, "LL303") == [("main.tf", 3), ("main.tf", 25)]


# ------------------------------------------------------------------ LL210
SAM_SNAP = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Runtime:
    Type: String
Globals:
  Function:
    AutoPublishAlias: live
    MemorySize: 1024
    SnapStart:
      ApplyOn: PublishedVersions
Resources:
  Node:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "exports.handler = async () => 1"
      Handler: index.handler
      Runtime: nodejs20.x
  Image:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1
  Efs:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/efs.jar
      Handler: a.Handler::handleRequest
      Runtime: java21
      FileSystemConfigs:
        - Arn: arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1
          LocalMountPath: /mnt/data
  Tmp:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.13
      EphemeralStorage:
        Size: 1024
  Fine:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
  Unknown:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: !Ref Runtime
"""


def test_ll210_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_SNAP}, "LL210")
    by_subject = {f["subject"].rsplit("/", 1)[1]: f["line"] for f in found}
    assert by_subject == {"Node": 18, "Image": 22, "Efs": 30, "Tmp": 40}
    node = next(f for f in found if f["line"] == 18)
    assert "nodejs20.x" in node["message"] and node["related"] and node["related"][0]["line"] == 11


CFN_SNAP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Legacy:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: java8.al2
      Handler: a.Handler::handleRequest
      Role: arn:aws:iam::123456789012:role/a
      Code:
        S3Bucket: bucket
        S3Key: a.zip
      SnapStart:
        ApplyOn: PublishedVersions
  Modern:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: dotnet8
      Handler: A::A.Function::Handler
      Role: arn:aws:iam::123456789012:role/a
      Code:
        S3Bucket: bucket
        S3Key: a.zip
      SnapStart:
        ApplyOn: PublishedVersions
"""


def test_ll210_cloudformation(tmp_path):
    assert lines(tmp_path, {"template.yaml": CFN_SNAP}, "LL210") == [("template.yaml", 6)]


TF_SNAP = """\
variable "runtime" {}

resource "aws_lambda_function" "ruby" {
  function_name = "ruby"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = "ruby3.3"
  handler       = "app.handler"
  filename      = "a.zip"
  publish       = true
  snap_start {
    apply_on = "PublishedVersions"
  }
}

resource "aws_lambda_function" "efs" {
  function_name = "efs"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = "java21"
  handler       = "a.Handler::handleRequest"
  filename      = "a.zip"
  publish       = true
  ephemeral_storage {
    size = 512
  }
  file_system_config {
    arn              = aws_efs_access_point.data.arn
    local_mount_path = "/mnt/data"
  }
  snap_start {
    apply_on = "PublishedVersions"
  }
}

resource "aws_lambda_function" "unknown" {
  function_name = "unknown"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = var.runtime
  handler       = "app.handler"
  filename      = "a.zip"
  publish       = true
  snap_start {
    apply_on = "PublishedVersions"
  }
}

module "image" {
  source         = "terraform-aws-modules/lambda/aws"
  function_name  = "image"
  create_package = false
  package_type   = "Image"
  image_uri      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"
  publish        = true
  snap_start     = true
}
"""


def test_ll210_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_SNAP}, "LL210") == [("main.tf", 6), ("main.tf", 25), ("main.tf", 50)]


@pytest.mark.parametrize(
    "runtime,unsupported",
    [
        ("java8", True), ("java8.al2", True), ("java11", False), ("java21", False),
        ("python3.11", True), ("python3.12", False), ("python3.13", False),
        ("dotnet6", True), ("dotnetcore3.1", True), ("dotnet8", False),
        ("nodejs22.x", True), ("provided.al2023", True), ("ruby3.3", True), ("go1.x", True),
        ("something-new", False),
    ],
)
def test_snapstart_runtime_support(runtime, unsupported):
    assert unsupported_runtime(runtime) is unsupported


# ------------------------------------------------------------------ LL211
SAM_SNAP_PC = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Mode:
    Type: String
Resources:
  Both:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/a.jar
      Handler: a.Handler::handleRequest
      Runtime: java21
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  Unknown:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/a.jar
      Handler: a.Handler::handleRequest
      Runtime: java21
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: !Ref Mode
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
"""


def test_ll211_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_SNAP_PC}, "LL211")
    assert [(f["line"], f["related"][0]["line"]) for f in found] == [(17, 15)]


CFN_SNAP_PC = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Payments:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: java21
      Handler: a.Handler::handleRequest
      Role: arn:aws:iam::123456789012:role/a
      Code:
        S3Bucket: bucket
        S3Key: a.zip
      SnapStart:
        ApplyOn: PublishedVersions
  Version:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Payments
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Payments
      FunctionVersion: !GetAtt Version.Version
      Name: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
"""


def test_ll211_cloudformation(tmp_path):
    assert lines(tmp_path, {"template.yaml": CFN_SNAP_PC}, "LL211") == [("template.yaml", 25)]


TF_SNAP_PC = """\
variable "pc" {}

resource "aws_lambda_function" "payments" {
  function_name = "payments"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = "java21"
  handler       = "a.Handler::handleRequest"
  filename      = "a.zip"
  publish       = true
  snap_start {
    apply_on = "PublishedVersions"
  }
}

resource "aws_lambda_provisioned_concurrency_config" "payments" {
  function_name                     = aws_lambda_function.payments.function_name
  provisioned_concurrent_executions = var.pc
  qualifier                         = aws_lambda_function.payments.version
}

module "plain" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "plain"
  handler                           = "a.Handler::handleRequest"
  runtime                           = "java21"
  publish                           = true
  provisioned_concurrent_executions = 4
}

module "snap" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "snap"
  handler                           = "a.Handler::handleRequest"
  runtime                           = "java21"
  publish                           = true
  snap_start                        = true
  provisioned_concurrent_executions = 4
}
"""


def test_ll211_terraform(tmp_path):
    # an unknown amount is still provisioned concurrency: the conflict does not depend on the number
    assert lines(tmp_path, {"main.tf": TF_SNAP_PC}, "LL211") == [("main.tf", 17), ("main.tf", 37)]


# ------------------------------------------------------------------ LL212
SAM_UNPUBLISHED = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: java21
    SnapStart:
      ApplyOn: PublishedVersions
Resources:
  Unpublished:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/a.jar
      Handler: a.Handler::handleRequest
  OwnSetting:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/a.jar
      Handler: a.Handler::handleRequest
      SnapStart:
        ApplyOn: PublishedVersions
  Published:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: build/a.jar
      Handler: a.Handler::handleRequest
      AutoPublishAlias: live
"""


def test_ll212_sam(tmp_path):
    assert lines(tmp_path, {"template.yaml": SAM_UNPUBLISHED}, "LL212") == [("template.yaml", 7), ("template.yaml", 20)]


CFN_UNPUBLISHED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Lonely:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: java21
      Handler: a.Handler::handleRequest
      Role: arn:aws:iam::123456789012:role/a
      Code:
        S3Bucket: bucket
        S3Key: a.zip
      SnapStart:
        ApplyOn: PublishedVersions
  Versioned:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: java21
      Handler: a.Handler::handleRequest
      Role: arn:aws:iam::123456789012:role/a
      Code:
        S3Bucket: bucket
        S3Key: a.zip
      SnapStart:
        ApplyOn: PublishedVersions
  VersionedV1:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !GetAtt Versioned.Arn
"""


def test_ll212_cloudformation(tmp_path):
    assert lines(tmp_path, {"template.yaml": CFN_UNPUBLISHED}, "LL212") == [("template.yaml", 13)]


def test_ll212_cloudformation_version_of_unknown_function_is_quiet(tmp_path):
    template = CFN_UNPUBLISHED.replace("!GetAtt Versioned.Arn", "!ImportValue shared-function-arn")
    assert lines(tmp_path, {"template.yaml": template}, "LL212") == []


TF_UNPUBLISHED = """\
variable "publish" {}

resource "aws_lambda_function" "unpublished" {
  function_name = "unpublished"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = "java21"
  handler       = "a.Handler::handleRequest"
  filename      = "a.zip"
  snap_start {
    apply_on = "PublishedVersions"
  }
}

resource "aws_lambda_function" "unknown" {
  function_name = "unknown"
  role          = "arn:aws:iam::123456789012:role/a"
  runtime       = "java21"
  handler       = "a.Handler::handleRequest"
  filename      = "a.zip"
  publish       = var.publish
  snap_start {
    apply_on = "PublishedVersions"
  }
}

module "mod" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "mod"
  handler       = "a.Handler::handleRequest"
  runtime       = "java21"
  snap_start    = true
}
"""


def test_ll212_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_UNPUBLISHED}, "LL212") == [("main.tf", 10), ("main.tf", 31)]


# ------------------------------------------------------------------ LL204
SAM_RESERVED = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Reserved:
    Type: Number
Resources:
  Over:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      AutoPublishAlias: live
      ReservedConcurrentExecutions: 10
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 25
  Unknown:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      AutoPublishAlias: live
      ReservedConcurrentExecutions: !Ref Reserved
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 25
"""


def test_ll204_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_RESERVED}, "LL204")
    assert [(f["line"], f["related"][0]["line"]) for f in found] == [(16, 14)]
    assert "25" in found[0]["message"] and "10" in found[0]["message"]


CFN_RESERVED = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/a
      Code:
        S3Bucket: bucket
        S3Key: a.zip
      ReservedConcurrentExecutions: 5
  V1:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Orders
  Blue:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt V1.Version
      Name: blue
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  Green:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Orders
      FunctionVersion: !GetAtt V1.Version
      Name: green
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 6
"""


def test_ll204_cloudformation(tmp_path):
    assert lines(tmp_path, {"template.yaml": CFN_RESERVED}, "LL204") == [("template.yaml", 32)]


TF_RESERVED = """\
variable "reserved" {}

resource "aws_lambda_function" "orders" {
  function_name                  = "orders"
  role                           = "arn:aws:iam::123456789012:role/a"
  runtime                        = "python3.12"
  handler                        = "app.handler"
  filename                       = "a.zip"
  publish                        = true
  reserved_concurrent_executions = 3
}

resource "aws_lambda_provisioned_concurrency_config" "orders" {
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 8
  qualifier                         = aws_lambda_function.orders.version
}

module "unknown" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "unknown"
  handler                           = "app.handler"
  runtime                           = "python3.12"
  publish                           = true
  reserved_concurrent_executions    = var.reserved
  provisioned_concurrent_executions = 8
}

module "over" {
  source                            = "terraform-aws-modules/lambda/aws"
  function_name                     = "over"
  handler                           = "app.handler"
  runtime                           = "python3.12"
  publish                           = true
  reserved_concurrent_executions    = 2
  provisioned_concurrent_executions = 8
}
"""


def test_ll204_terraform(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_RESERVED}, "LL204") == [("main.tf", 15), ("main.tf", 36)]
