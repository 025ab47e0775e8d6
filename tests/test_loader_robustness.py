"""Loaders never crash on odd values, never loop, and treat what they cannot resolve as unknown
(never a violation); malformed templates / Terraform are LL001 at the exact line."""

from __future__ import annotations

from .conftest import check_json, write_files

SAM_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
GOOD_HANDLER = "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
TF_FN = """resource "aws_lambda_function" "{name}" {{
  function_name = "{name}"
  role          = "arn:aws:iam::123456789012:role/r"
  s3_bucket     = "b"
  s3_key        = "k"
  handler       = "app.handler"
  runtime       = "python3.12"
{extra}}}
"""


def findings(report, path=None):
    return sorted((f["rule"], f["path"], f["line"]) for f in report["findings"] if path is None or f["path"] == path)


def no_internal_errors(report):
    assert not [f for f in report["findings"] if "internal error" in f["message"]], report["findings"]
    assert not [n for n in report["notices"] if "internal error" in n["message"]], report["notices"]


# 1. non-finite numbers ----------------------------------------------------------------------
def test_infinite_and_nan_numbers_are_unknown(tmp_path):
    write_files(
        tmp_path,
        {
            "sam/template.yaml": SAM_HEAD
            + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      InlineCode: x\n      Handler: index.handler\n      Runtime: python3.12\n"
            "      MemorySize: .inf\n      Timeout: .nan\n      ReservedConcurrentExecutions: -.inf\n",
            "tf/main.tf": TF_FN.format(name="f", extra="  memory_size   = 1e400\n  timeout       = -1e400\n"),
            "other/app.py": GOOD_HANDLER,
        },
    )
    report = check_json(tmp_path, "--ignore", "LL402,LL405")
    no_internal_errors(report)
    # memory/timeout/reservation unknown: no LL302 (default memory), LL305 (limits), LL401 for SAM
    assert findings(report) == [
        ("LL101", "other/app.py", 5),
        ("LL401", "tf/main.tf", 1),  # reserved_concurrent_executions is really not set there
    ]


# 2. event types that are not strings --------------------------------------------------------
def test_sam_event_type_list_or_mapping_is_ignored(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM_HEAD
            + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      InlineCode: x\n      Handler: index.handler\n      Runtime: python3.12\n      MemorySize: 512\n"
            "      Timeout: 60\n      Events:\n        E:\n          Type: [Api]\n        F:\n          Type: {Api: x}\n"
            "        G:\n          Type: S3\n          Properties:\n            Bucket: [x]\n",
        },
    )
    report = check_json(tmp_path, "--ignore", "LL401,LL402,LL405")
    no_internal_errors(report)
    # the S3 event is still read (LL404: no failure destination), the odd ones are not callers
    assert findings(report) == [("LL404", "template.yaml", 4)]


# 3. cycles terminate -------------------------------------------------------------------------
def test_self_referencing_aliases_and_local_cycles_terminate(tmp_path):
    tf = """locals {
  a = local.b
  b = local.a
}
resource "aws_lambda_alias" "a" {
  name             = "live"
  function_name    = aws_lambda_alias.a.arn
  function_version = "1"
}
resource "aws_lambda_alias" "b" {
  name             = "live"
  function_name    = aws_lambda_alias.c.function_name
  function_version = "1"
}
resource "aws_lambda_alias" "c" {
  name             = "live"
  function_name    = aws_lambda_alias.b.function_name
  function_version = "1"
}
resource "aws_lambda_provisioned_concurrency_config" "pc" {
  function_name                     = aws_lambda_alias.a.function_name
  qualifier                         = "$LATEST"
  provisioned_concurrent_executions = 5
}
resource "aws_appautoscaling_target" "t" {
  resource_id        = "function:${aws_lambda_alias.b.function_name}:live"
  scalable_dimension = "lambda:function:ProvisionedConcurrency"
  service_namespace  = "lambda"
  min_capacity       = 1
  max_capacity       = 2
}
""" + TF_FN.format(name="f", extra="  memory_size   = local.a\n  timeout       = local.b\n")
    write_files(tmp_path, {"main.tf": tf})
    report = check_json(tmp_path, "--ignore", "LL401,LL402,LL405")
    no_internal_errors(report)
    assert findings(report) == []  # memory unknown (cycle): no LL302; no function for the PC config


def test_parameter_and_local_chains_that_multiply_text_stay_unknown(tmp_path):
    params = "Parameters:\n  A:\n    Type: String\n    Default: !Sub '${B}'\n  B:\n    Type: String\n    Default: !Sub '${A}'\n"
    for i in range(12):
        params += f"  P{i}:\n    Type: String\n    Default: !Sub '" + f"${{P{i + 1}}}" * 10 + "'\n"
    params += "  P12:\n    Type: String\n    Default: '1'\n"
    locals_ = "locals {\n" + "".join(f'  l{i} = "' + f"${{local.l{i + 1}}}" * 10 + '"\n' for i in range(14)) + '  l14 = "1"\n}\n'
    write_files(
        tmp_path,
        {
            "template.yaml": SAM_HEAD + params + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      InlineCode: x\n      Handler: index.handler\n      Runtime: python3.12\n"
            "      MemorySize: !Sub '${A}'\n      Timeout: !Sub '${P0}'\n",
            "tf/main.tf": locals_ + TF_FN.format(name="f", extra="  memory_size   = local.l0\n"),
        },
    )
    report = check_json(tmp_path, "--ignore", "LL401,LL402,LL405")
    no_internal_errors(report)
    assert findings(report) == []


# 4. unknown provisioned amount on the lambda module -----------------------------------------
def test_unknown_module_provisioned_amount_is_no_provisioned_concurrency(tmp_path):
    write_files(
        tmp_path,
        {
            "main.tf": """variable "pc" {
  type = number
}

module "fn" {
  source = "terraform-aws-modules/lambda/aws"

  function_name                     = "orders"
  handler                           = "app.handler"
  runtime                           = "python3.12"
  memory_size                       = 512
  tracing_mode                      = "Active"
  create_package                    = false
  s3_existing_package               = { bucket = "b", key = "k" }
  provisioned_concurrent_executions = var.pc
  snap_start                        = true
}
""",
        },
    )
    report = check_json(tmp_path)
    no_internal_errors(report)
    # no LL201 / LL205 / LL211 / LL202; LL401 is the plain note; LL402 asks for no spillover alarm
    assert findings(report) == [("LL212", "main.tf", 16), ("LL401", "main.tf", 5), ("LL402", "main.tf", 5)]
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert by_rule["LL401"]["level"] == "note"
    assert "Spillover" not in by_rule["LL402"]["message"]


# 5. count = 0 / empty for_each --------------------------------------------------------------
def test_resources_with_count_zero_or_empty_for_each_do_not_exist(tmp_path):
    tf = """variable "n" {
  default = 0
}
variable "fns" {
  default = {}
}
variable "enabled" {
  default = false
}
variable "maybe" {}
""" + "".join(
        TF_FN.format(name=name, extra=extra)
        for name, extra in [
            ("zero", "  count         = 0\n"),
            ("resolved_zero", "  count         = var.n\n"),
            ("empty_map", "  for_each      = var.fns\n"),
            ("empty_set", "  for_each      = toset([])\n"),
            ("off", "  count         = var.enabled ? 1 : 0\n"),  # a condition on known values
            ("cond", "  count         = var.maybe ? 1 : 0\n  memory_size   = 512\n  timeout       = 10\n"),
        ]
    ) + """module "m" {
  source        = "terraform-aws-modules/lambda/aws"
  count         = 0
  function_name = "m"
  handler       = "app.handler"
  runtime       = "python3.12"
}
resource "aws_lambda_alias" "a" {
  count            = 0
  name             = "live"
  function_name    = aws_lambda_function.cond[0].function_name
  function_version = "$LATEST"
}
resource "aws_lambda_provisioned_concurrency_config" "gone" {
  count                             = 0
  function_name                     = aws_lambda_function.cond[0].function_name
  qualifier                         = "$LATEST"
  provisioned_concurrent_executions = 5
}
resource "aws_lambda_provisioned_concurrency_config" "via_alias" {
  function_name                     = aws_lambda_alias.a[0].function_name
  qualifier                         = "$LATEST"
  provisioned_concurrent_executions = 5
}
"""
    write_files(tmp_path, {"main.tf": tf})
    report = check_json(tmp_path, "--ignore", "LL402,LL405")
    no_internal_errors(report)
    # only the function with an unresolvable count exists; no PC ($LATEST, LL201) reaches it
    cond_line = tf.splitlines().index('resource "aws_lambda_function" "cond" {') + 1
    assert findings(report) == [("LL401", "main.tf", cond_line)]


# 6. bool inputs given as strings ------------------------------------------------------------
def test_bool_strings_are_converted_like_terraform(tmp_path):
    tf = write_files(
        tmp_path,
        {
            "main.tf": """module "fn" {
  source = "terraform-aws-modules/lambda/aws"

  function_name                     = "orders"
  handler                           = "app.handler"
  runtime                           = "python3.12"
  memory_size                       = 512
  tracing_mode                      = "Active"
  create_package                    = false
  s3_existing_package               = { bucket = "b", key = "k" }
  snap_start                        = "false"
  publish                           = "true"
  provisioned_concurrent_executions = 2
  reserved_concurrent_executions    = 10
}
module "off" {
  source        = "terraform-aws-modules/lambda/aws"
  create        = "false"
  function_name = "off"
  handler       = "app.handler"
  runtime       = "python3.12"
}
"""
            + TF_FN.format(name="r", extra='  memory_size   = 256\n  publish       = "false"\n  reserved_concurrent_executions = 5\n  tracing_config {\n    mode = "Active"\n  }\n')
            + """resource "aws_lambda_provisioned_concurrency_config" "pc" {
  function_name                     = aws_lambda_function.r.function_name
  qualifier                         = aws_lambda_function.r.version
  provisioned_concurrent_executions = 2
}
""",
        },
    )
    report = check_json(tmp_path, "--ignore", "LL402")
    no_internal_errors(report)
    # module fn: snap_start "false" is off (no LL211), publish "true" publishes (no LL201, LL202
    # instead); module off creates nothing; r's publish "false" leaves its version at $LATEST
    lines = (tf / "main.tf").read_text().splitlines()
    qualifier = next(i for i, line in enumerate(lines, 1) if "qualifier" in line)
    assert findings(report) == [("LL201", "main.tf", qualifier), ("LL202", "main.tf", 13)]


# 7. absolute code paths ---------------------------------------------------------------------
def test_absolute_code_paths_are_outside_the_scanned_tree(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM_HEAD
            + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      CodeUri: /usr/lib/python3\n      Handler: nothere.handler\n      Runtime: python3.12\n      MemorySize: 512\n",
            "main.tf": """data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "/usr/lib/python3"
  output_path = "build/f.zip"
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  filename      = data.archive_file.zip.output_path
  handler       = "nothere.handler"
  runtime       = "python3.12"
  memory_size   = 512
}
module "m" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "m"
  handler       = "nothere.handler"
  runtime       = "python3.12"
  source_path   = "/usr/lib/python3"
  memory_size   = 512
}
""",
        },
    )
    report = check_json(tmp_path, "--ignore", "LL401,LL402,LL405")
    no_internal_errors(report)
    assert findings(report) == []  # no LL002 against a directory outside the project


# 8. Properties as an expression, malformed structure ----------------------------------------
def test_properties_written_as_an_intrinsic_are_unknown(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM_HEAD
            + """Conditions:
  Big: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Fn.Arn
  Fn:
    Type: AWS::Serverless::Function
    Properties: !If
      - Big
      - Handler: index.handler
        Runtime: python3.12
        InlineCode: x
        MemorySize: 1024
      - Handler: index.handler
        Runtime: python3.12
        InlineCode: x
  Plain:
    Type: AWS::Lambda::Function
    Properties: !Ref AWS::NoValue
""",
        },
    )
    report = check_json(tmp_path, "--ignore", "LL402")
    no_internal_errors(report)
    # no LL302 (memory), LL401 (reservation), LL405 (tracing), LL404 (DLQ) on unknown settings
    assert findings(report) == []


def test_malformed_template_structure_is_ll001_at_the_line(tmp_path):
    files = {
        "list-props/template.yaml": SAM_HEAD + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      - MemorySize: 512\n",
        "scalar-props/template.yaml": SAM_HEAD + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: just-a-string\n",
        "list-resource/template.yaml": SAM_HEAD + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Fn: [AWS::Serverless::Function]\n",
        "no-type/template.yaml": SAM_HEAD + "Resources:\n  Fn:\n    Properties: {}\n",
        "list-type/template.yaml": SAM_HEAD + "Resources:\n  Fn:\n    Type: [AWS::Serverless::Function]\n",
        "list-root/template.yaml": "- a\n- b\n",
        "empty-resources/template.yaml": "Resources: {}\n",
        "one-label/main.tf": 'resource "aws_lambda_function" {\n  handler = "a.b"\n}\n',
        "good/app.py": GOOD_HANDLER,
    }
    write_files(tmp_path, files)
    report = check_json(tmp_path)
    no_internal_errors(report)
    got = {f["path"].split("/")[0]: (f["line"], f["column"], f["message"]) for f in report["findings"] if f["rule"] == "LL001"}
    expected = {
        "list-props": (6, 5, "the Properties of resource Fn must be a mapping, not a list"),
        "scalar-props": (6, 5, "the Properties of resource Fn must be a mapping"),
        "list-resource": (6, 3, "resource Fn must be a mapping with a Type"),
        "no-type": (4, 3, "resource Fn has no Type"),
        "list-type": (5, 5, "the Type of resource Fn must be a resource type name"),
        "list-root": (1, 1, "a template must be a mapping at the top level"),
        "empty-resources": (1, 1, "Resources is empty"),
        "one-label": (1, 1, 'a resource block needs 2 labels (resource "TYPE" "NAME"'),
    }
    assert set(got) == set(expected)
    for name, (line, column, text) in expected.items():
        assert got[name][:2] == (line, column), (name, got[name])
        assert text in got[name][2], (name, got[name])
    assert any(f["rule"] == "LL101" and f["path"] == "good/app.py" for f in report["findings"])


# 9. the Terraform syntax-error prefix appears once ------------------------------------------
def test_terraform_syntax_error_prefix_once(tmp_path):
    write_files(tmp_path, {"main.tf": 'resource "aws_lambda_function" "f" {\n  memory_size = 128\n  handler = \n}\n', "terraform.tfvars": "memory = [\n"})
    report = check_json(tmp_path)
    got = {f["path"]: f for f in report["findings"] if f["rule"] == "LL001"}
    assert set(got) == {"main.tf", "terraform.tfvars"}
    for f in got.values():
        assert f["message"].count("Terraform syntax error") == 1, f["message"]
    assert (got["main.tf"]["line"], got["terraform.tfvars"]["line"]) == (3, 2)


# 10. wildcard statements inside JSON strings carry their column -----------------------------
def test_json_string_policies_locate_the_action_key(tmp_path):
    tf = r'''resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
  inline_policy {
    name   = "heredoc"
    policy = <<-EOT
      {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
      }
    EOT
  }
}
resource "aws_iam_role_policy" "quoted" {
  role   = aws_iam_role.r.id
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}"
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  s3_bucket     = "b"
  s3_key        = "k"
  handler       = "a.h"
  runtime       = "python3.12"
}
'''
    cfn = r'''AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: block
          PolicyDocument: |
            {"Statement": [
              {"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        - PolicyName: quoted
          PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
        - PolicyName: dq
          PolicyDocument: "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:*\", \"Resource\": \"*\"}]}"
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      Handler: a.h
      Runtime: python3.12
      Code: {ZipFile: x}
'''
    write_files(tmp_path, {"tf/main.tf": tf, "cfn/template.yaml": cfn})
    report = check_json(tmp_path)
    got = sorted((f["path"], f["line"], f["column"]) for f in report["findings"] if f["rule"] == "LL502")

    def col(text: str, line: int, needle: str) -> int:
        return text.splitlines()[line - 1].index(needle) + 1

    assert got == [
        ("cfn/template.yaml", 11, col(cfn, 11, '"Action"')),
        ("cfn/template.yaml", 13, col(cfn, 13, '"Action"')),
        ("cfn/template.yaml", 15, col(cfn, 15, '\\"Action')),
        ("tf/main.tf", 9, col(tf, 9, '"Action"')),
        ("tf/main.tf", 16, col(tf, 16, '\\"Action')),
    ]
