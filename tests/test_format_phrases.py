"""Rules word their advice in the declaring format's terms by asking the model (``phrases`` on a
function, a function URL or an event source), never by checking which format a record came from.
These tests pin the wording per format on whole projects, and keep the format switches out of
the rule modules."""

from __future__ import annotations

import ast
from pathlib import Path

import lambdalint.rules as rules_package
from lambdalint.formats.cloudformation.functions import CFN_PHRASES, SAM_PHRASES
from lambdalint.formats.terraform.functions import MODULE_PHRASES, RESOURCE_PHRASES

from .helpers import CFN_HEAD, SAM_HEAD, hits

_SNAPSTART_SAM = SAM_HEAD + """\
Resources:
  Payments:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "class Handler: pass"
      Handler: example.Handler::handleRequest
      Runtime: java21
      SnapStart:
        ApplyOn: PublishedVersions
"""

_SNAPSTART_CFN = CFN_HEAD + """\
Resources:
  Payments:
    Type: AWS::Lambda::Function
    Properties:
      Handler: example.Handler::handleRequest
      Runtime: java21
      Role: arn:aws:iam::123456789012:role/payments
      Code:
        S3Bucket: artifacts
        S3Key: payments.zip
      SnapStart:
        ApplyOn: PublishedVersions
"""

_SNAPSTART_TF = """\
resource "aws_lambda_function" "payments" {
  function_name = "payments"
  role          = "arn:aws:iam::123456789012:role/payments"
  handler       = "example.Handler::handleRequest"
  runtime       = "java21"
  filename      = "payments.zip"

  snap_start {
    apply_on = "PublishedVersions"
  }
}
"""

_SNAPSTART_MODULE = """\
module "payments" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "payments"
  handler       = "example.Handler::handleRequest"
  runtime       = "java21"
  snap_start    = true
}
"""


def test_each_format_gets_its_own_publish_advice(tmp_path):
    files = {
        "sam/template.yaml": _SNAPSTART_SAM,
        "cfn/template.yaml": _SNAPSTART_CFN,
        "tf/main.tf": _SNAPSTART_TF,
        "module/main.tf": _SNAPSTART_MODULE,
    }
    found = {f["path"]: f["message"] for f in hits(tmp_path, files, "LL212")}
    assert found["sam/template.yaml"].endswith(SAM_PHRASES.publish_for_snapstart)
    assert found["cfn/template.yaml"].endswith(CFN_PHRASES.publish_for_snapstart)
    assert found["tf/main.tf"].endswith(RESOURCE_PHRASES.publish_for_snapstart)
    assert found["module/main.tf"].endswith(MODULE_PHRASES.publish_for_snapstart)
    assert len(found) == 4


def test_container_image_is_named_as_written(tmp_path):
    cfn = _SNAPSTART_CFN.replace("      Code:\n        S3Bucket: artifacts\n        S3Key: payments.zip\n", "      PackageType: Image\n      Code:\n        ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments:1\n")
    tf = _SNAPSTART_TF.replace('  filename      = "payments.zip"\n', '  package_type  = "Image"\n  image_uri     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments:1"\n')
    found = {f["path"]: f["message"] for f in hits(tmp_path, {"cfn/template.yaml": cfn, "tf/main.tf": tf}, "LL210")}
    assert "a container image (PackageType: Image)" in found["cfn/template.yaml"]
    assert 'a container image (package_type = "Image")' in found["tf/main.tf"]


def test_public_url_advice_follows_the_url_not_its_function(tmp_path):
    # neither URL's function is in the scanned code: the advice still names the URL's own format
    cfn = CFN_HEAD + """\
Resources:
  PublicUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: arn:aws:lambda:eu-west-1:123456789012:function:orders
"""
    tf = """\
resource "aws_lambda_function_url" "orders" {
  function_name      = "orders"
  authorization_type = "NONE"
}
"""
    found = {f["path"]: f["message"] for f in hits(tmp_path, {"stack.yaml": cfn, "infra/main.tf": tf}, "LL503")}
    assert CFN_PHRASES.private_url in found["stack.yaml"]
    assert RESOURCE_PHRASES.private_url in found["infra/main.tf"]


_FORMAT_NAMES = {"sam", "cloudformation", "terraform", "terraform-module"}


def _format_switches(tree: ast.AST) -> list[int]:
    """Lines where a rule compares with a format's name or a file suffix, or keys a table by them."""
    found = []
    for node in ast.walk(tree):
        constants = []
        if isinstance(node, ast.Compare):
            constants = [n for n in [node.left, *node.comparators] if isinstance(n, ast.Constant)]
        elif isinstance(node, ast.Dict):
            constants = [k for k in node.keys if isinstance(k, ast.Constant)]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("endswith", "startswith", "get"):
            for arg in node.args:
                constants += [n for n in ast.walk(arg) if isinstance(n, ast.Constant)]
        for constant in constants:
            value = constant.value
            if isinstance(value, str) and (value in _FORMAT_NAMES or value.startswith((".tf", ".yaml", ".yml", ".json"))):
                found.append(constant.lineno)
    return found


def test_rules_do_not_switch_on_the_format():
    offenders = {}
    for path in sorted(Path(rules_package.__file__).parent.glob("ll*.py")):
        lines = _format_switches(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[path.name] = lines
    assert offenders == {}, "ask the record's phrases (project/model.py Phrases) instead"
