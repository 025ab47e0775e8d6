"""LL405 tracing-disabled and the security rules LL501, LL502, LL503: line-precise in SAM, plain
CloudFormation (YAML and JSON) and Terraform, quiet on references and unresolvable values."""

from __future__ import annotations

import json

import pytest

from lambdalint.rules.ll405_tracing_disabled import RULE as LL405
from lambdalint.rules.ll501_plaintext_secret_in_env import RULE as LL501
from lambdalint.rules.ll501_plaintext_secret_in_env import non_secret_value, secret_name
from lambdalint.rules.ll502_wildcard_execution_role import RULE as LL502
from lambdalint.rules.ll503_public_function_url import RULE as LL503

from .conftest import run_cli, write_files
from .helpers import hits, lines

MINE = (LL405, LL501, LL502, LL503)


# ------------------------------------------------------------------ metadata (the examples run in test_rule_examples.py)
def test_metadata():
    for rule in MINE:
        assert rule.docs.startswith("## What it does")
        for section in ("## Why is this bad?", "## Example", "## Use instead", "## References"):
            assert section in rule.docs, (rule.id, section)
        kinds = {"sam" if "template.yaml" in e.files else "terraform" for e in rule.must_fire}
        assert kinds == {"sam", "terraform"}, rule.id
        kinds = {"sam" if "template.yaml" in e.files else "terraform" for e in rule.must_not_fire}
        assert kinds == {"sam", "terraform"}, rule.id
    assert [(r.id, r.name, r.level) for r in MINE] == [
        ("LL405", "tracing-disabled", "note"),
        ("LL501", "plaintext-secret-in-env", "error"),
        ("LL502", "wildcard-execution-role", "warning"),
        ("LL503", "public-function-url", "warning"),
    ]
    for rule in (LL501, LL502, LL503):
        assert rule.security_severity is not None and "security" in rule.tags
        assert any(t.startswith("external/cwe/cwe-") for t in rule.tags)


def test_sarif_descriptors_carry_security_severity_and_cwe(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_SECRETS})
    code, _ = run_cli(["check", ".", "--format", "sarif", "-o", "out.sarif", "--select", "LL405,LL501,LL502,LL503"], cwd=tmp_path)
    assert code == 1
    log = json.loads((tmp_path / "out.sarif").read_text())
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["LL501"]["properties"]["security-severity"] == "7.5"
    assert "external/cwe/cwe-798" in rules["LL501"]["properties"]["tags"]
    assert "security" in rules["LL501"]["properties"]["tags"]
    assert rules["LL502"]["properties"]["security-severity"] == "6.5"
    assert {"external/cwe/cwe-250", "external/cwe/cwe-732"} <= set(rules["LL502"]["properties"]["tags"])
    assert rules["LL503"]["properties"]["security-severity"] == "5.3"
    assert "external/cwe/cwe-306" in rules["LL503"]["properties"]["tags"]
    assert "security-severity" not in rules["LL405"]["properties"]
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "LL501"]
    assert results and all("s3cr3t" not in r["message"]["text"] for r in results)


# ------------------------------------------------------------------ LL501 names and values
@pytest.mark.parametrize(
    "name",
    ["DB_PASSWORD", "PASSWORD", "db_passwd", "DB_PWD", "DB_PASS", "JWT_SECRET", "CLIENT_SECRET", "SLACK_TOKEN",
     "GITHUB_TOKEN", "API_KEY", "APIKEY", "stripeApiKey", "PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY", "ACCESS_KEY",
     "GOOGLE_CREDENTIALS", "NEW_RELIC_LICENSE_KEY", "SIGNING_KEY", "REFRESH_TOKEN", "x-api-key", "dbPassword"],
)
def test_secret_names(name):
    assert secret_name(name)


@pytest.mark.parametrize(
    "name",
    ["TOKEN_TABLE", "SECRET_ARN", "PASSWORD_PARAM", "SECRET_NAME", "DB_SECRET_ID", "API_KEY_PARAMETER",
     "PRIVATE_KEY_PATH", "TOKEN_TTL", "PASSWORD_LENGTH", "DB_PASSWORD_SECRET_ARN", "TOKEN_URL", "PWD", "TABLE_NAME",
     "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "SECRETS_MANAGER_TTL", "MAX_TOKENS", "KEY", "PASSTHROUGH",
     "TOKENIZER_MODEL", "ACCESS_KEY_ID", "AUTH_TOKEN_HEADER", "JWT_SECRET_ARN_PROD", "SECRET_STRING_KEY", "TOKEN_KEY",
     "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "SSM_PARAMETER_STORE_TIMEOUT_MILLIS", "DD_API_KEY_SECRET_ARN", "API_KEY_ID"],
)
def test_not_secret_names(name):
    assert not secret_name(name)


@pytest.mark.parametrize(
    "value",
    ["", "true", "False", 42, True, "3600", "{{resolve:secretsmanager:db:SecretString:password}}",
     "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", "arn:aws:ssm:eu-west-1:123456789012:parameter/db/pw",
     "/app/db/password", "prod/orders/db", "orders-db-credentials", "orders-secret", "OrdersDbSecret", "eu-west-1", "https://auth.example.com/token",
     "${SLACK_TOKEN}", "{{ssm:/slack/token}}", "AQICAHhwzv2Xb7ZxyZ"],
)
def test_non_secret_values(value):
    assert non_secret_value(value) is not None


@pytest.mark.parametrize(
    "value",
    ["s3cr3t-Passw0rd", "changeme", "xoxb-123-456-abcdef", "postgres://app:hunter2@db.example.com:5432/app",
     "https://api.example.com/hook?token=abc123", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "12345678",
     "s3cr3t-shared-key", "my-api-token", "supersecret", "Sup3rSecretPassword!"],
)
def test_secret_values(value):
    assert non_secret_value(value) is None


# ------------------------------------------------------------------ LL501 per format
SAM_SECRETS = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    Default: not-in-the-env
Globals:
  Function:
    Environment:
      Variables:
        SHARED_API_KEY: s3cr3t-shared-key
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Environment:
        Variables:
          DB_PASSWORD: s3cr3t-Passw0rd
          DB_PASSWORD_REF: !Ref DbPassword
          DB_PASSWORD_SUB: !Sub "${DbPassword}"
          API_KEY: '{{resolve:secretsmanager:orders/api:SecretString:key}}'
          DB_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf
          TOKEN_PARAMETER: arn:aws:ssm:eu-west-1:123456789012:parameter/orders/token
          PASSWORD_PARAM: /orders/db/password
          AUTH_TOKEN: /orders/auth/token
          TOKEN_TABLE: tokens
          USE_TOKEN: "true"
          TOKEN_ENDPOINT: https://auth.example.com/oauth2/token
          TOKEN_REGION: eu-west-1
          WEBHOOK_SECRET: changeme
  ReportsFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
"""


def test_ll501_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_SECRETS}, "LL501")
    # the Globals variable once (two functions use it), the literal password, the placeholder
    assert sorted(f["line"] for f in found) == [12, 22, 34]
    shared = next(f for f in found if f["line"] == 12)
    assert "SHARED_API_KEY" in shared["message"] and "OrdersFunction" in shared["message"] and "ReportsFunction" in shared["message"]
    for f in found:
        assert "s3cr3t" not in f["message"] and "changeme" not in f["message"]
        assert "not shown" in f["message"]


CFN_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Token:
    Type: String
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/orders
      Code:
        ZipFile: "def handler(event, context): return 1"
      Environment:
        Variables:
          GITHUB_TOKEN: ghp_abcdefghijklmnop
          SLACK_TOKEN: !Ref Token
          STRIPE_KEY_NAME: stripe
          DATABASE_PASSWORD: !If [IsProd, "{{resolve:ssm-secure:/db/pw}}", dev]
"""

CFN_JSON = """\
{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Orders": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/orders",
        "Code": {"ZipFile": "def handler(event, context): return 1"},
        "Environment": {
          "Variables": {
            "CLIENT_SECRET": "abc123def456",
            "SECRET_NAME": "orders/client",
            "API_KEY": {"Ref": "ApiKey"}
          }
        }
      }
    }
  }
}
"""


def test_ll501_cloudformation_yaml_and_json(tmp_path):
    assert lines(tmp_path, {"cfn.yaml": CFN_YAML, "cfn.json": CFN_JSON}, "LL501") == [("cfn.json", 13), ("cfn.yaml", 16)]


TF_SECRETS = """\
variable "token" {
  type      = string
  sensitive = true
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  environment {
    variables = {
      DB_PASSWORD     = "hunter2-but-longer"
      "API_KEY"       = var.token
      SECRET_ARN      = aws_secretsmanager_secret.db.arn
      AUTH_TOKEN      = "${var.token}"
      BEARER_TOKEN    = "Bearer ${var.token}"
      TOKEN_TTL       = 3600
      SECRET_ENABLED  = true
      DB_URL_PASSWORD = "postgres://app:pw@db:5432/app"
    }
  }
}

module "reports" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "reports"
  handler       = "app.handler"
  runtime       = "python3.12"
  environment_variables = {
    SENDGRID_API_KEY = "SG.abcdefghijklmnop"
    SENDGRID_KEY_ARN = "arn:aws:secretsmanager:eu-west-1:1:secret:sg"
    PASSWORD_PATH    = "/reports/password"
  }
}

module "env_from_variable" {
  source                = "terraform-aws-modules/lambda/aws"
  function_name         = "other"
  handler               = "app.handler"
  runtime               = "python3.12"
  environment_variables = var.env
}
"""


def test_ll501_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_SECRETS}, "LL501")
    # the literal password, the URL with credentials, the module's literal API key
    assert sorted(f["line"] for f in found) == [14, 21, 32]
    assert all("hunter2" not in f["message"] and "SG.abc" not in f["message"] for f in found)


# ------------------------------------------------------------------ LL502
SAM_ROLES = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersBucket:
    Type: AWS::S3::Bucket
  Templates:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Policies:
        - S3CrudPolicy:
            BucketName: !Ref OrdersBucket
        - DynamoDBCrudPolicy:
            TableName: orders
        - AWSLambdaBasicExecutionRole
        - AmazonS3ReadOnlyAccess
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: "*"
            - Effect: Deny
              Action: "*"
              Resource: "*"
  Wide:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Policies:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess
        - Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action:
                - dynamodb:*
              Resource: "*"
  Bounded:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
  ExtraPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles:
        - !Ref TemplatesRole
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sqs:*
            Resource: "*"
"""


def test_ll502_sam(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_ROLES}, "LL502")
    assert sorted(f["line"] for f in found) == [33, 37, 61]
    admin = next(f for f in found if f["line"] == 33)
    assert "AdministratorAccess" in admin["message"]
    extra = next(f for f in found if f["line"] == 61)
    assert "Templates" in extra["message"] and "ExtraPolicy" in extra["message"]


CFN_ROLE_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - !Ref WideManaged
      Policies:
        - PolicyName: root
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action:
                  - logs:*
                Resource: arn:aws:logs:*:*:*
              - Effect: Allow
                Action: ec2:*
                Resource: "*"
                Condition:
                  StringEquals:
                    aws:RequestedRegion: eu-west-1
              - Effect: Allow
                NotAction: iam:*
                Resource: "*"
  WideManaged:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: "def handler(event, context): return 1"
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/elsewhere
      Code:
        ZipFile: "def handler(event, context): return 1"
"""

CFN_ROLE_JSON = """\
{
  "Resources": {
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {},
        "ManagedPolicyArns": [
          {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AdministratorAccess"]]}
        ]
      }
    },
    "RolePolicy": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyName": "p",
        "Roles": [{"Ref": "Role"}],
        "PolicyDocument": {
          "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": ["arn:aws:s3:::orders/*", "*"]}
          ]
        }
      }
    },
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "Handler": "index.handler",
        "Role": {"Fn::GetAtt": ["Role", "Arn"]},
        "Code": {"ZipFile": "def handler(event, context): return 1"}
      }
    }
  }
}
"""


def test_ll502_cloudformation_yaml_and_json(tmp_path):
    found = lines(tmp_path, {"cfn.yaml": CFN_ROLE_YAML, "cfn.json": CFN_ROLE_JSON}, "LL502")
    # YAML: logs:* on arn:aws:logs:*:*:*, the attached managed policy's "*"; the conditional ec2:*,
    # the NotAction statement and the role outside the template are not reported
    assert found == [("cfn.json", 8), ("cfn.json", 19), ("cfn.yaml", 15), ("cfn.yaml", 33)]


TF_ROLES = """\
resource "aws_iam_role" "orders" {
  name               = "orders"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  inline_policy {
    name = "inline"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem"]
          Resource = "*"
        },
        {
          Effect   = "Allow"
          Action   = "sqs:*"
          Resource = "*"
        },
      ]
    })
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
  }
}

data "aws_iam_policy_document" "wide" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::orders/*"]
  }
  statement {
    effect    = "Allow"
    actions   = ["s3:*"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "wide" {
  name   = "wide"
  policy = data.aws_iam_policy_document.wide.json
}

resource "aws_iam_role_policy_attachment" "wide" {
  role       = aws_iam_role.orders.name
  policy_arn = aws_iam_policy.wide.arn
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.orders.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "basic" {
  role       = aws_iam_role.orders.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.orders.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "kinesis:*",
      "Resource": "*"
    }
  ]
}
EOF
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = aws_iam_role.orders.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
}

resource "aws_lambda_function" "external" {
  function_name = "external"
  role          = var.role_arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "external.zip"
}
"""


def test_ll502_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_ROLES}, "LL502")
    # the inline jsonencode statement's Action, the data source statement's actions, the
    # AdministratorAccess attachment's policy_arn, the heredoc statement's "Action"
    assert sorted(f["line"] for f in found) == [17, 38, 60, 76]
    assert all("orders" in f["message"] for f in found)


TF_MODULE_ROLES = """\
module "statements" {
  source                   = "terraform-aws-modules/lambda/aws"
  function_name            = "statements"
  handler                  = "app.handler"
  runtime                  = "python3.12"
  attach_policy_statements = true
  policy_statements = {
    read = {
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::orders/*"]
    }
    everything = {
      effect    = "Allow"
      actions   = ["*"]
      resources = ["*"]
    }
  }
}

module "json" {
  source             = "terraform-aws-modules/lambda/aws"
  function_name      = "json"
  handler            = "app.handler"
  runtime            = "python3.12"
  attach_policy_json = true
  policy_json = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["sns:*"]
      Resource = ["*"]
    }]
  })
}

module "not_attached" {
  source                   = "terraform-aws-modules/lambda/aws"
  function_name            = "not_attached"
  handler                  = "app.handler"
  runtime                  = "python3.12"
  policy_statements = {
    everything = {
      effect    = "Allow"
      actions   = ["*"]
      resources = ["*"]
    }
  }
}

module "bounded" {
  source                    = "terraform-aws-modules/lambda/aws"
  function_name             = "bounded"
  handler                   = "app.handler"
  runtime                   = "python3.12"
  role_permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
  attach_policy_json        = true
  policy_json               = data.aws_iam_policy_document.star.json
}

data "aws_iam_policy_document" "star" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
"""


def test_ll502_terraform_module(tmp_path):
    assert lines(tmp_path, {"main.tf": TF_MODULE_ROLES}, "LL502") == [("main.tf", 15), ("main.tf", 30)]


# ------------------------------------------------------------------ LL503
SAM_URLS = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Auth:
    Type: String
Resources:
  Public:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: NONE
  Private:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: AWS_IAM
  FromParameter:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      FunctionUrlConfig:
        AuthType: !Ref Auth
"""


def test_ll503_sam(tmp_path):
    assert lines(tmp_path, {"template.yaml": SAM_URLS}, "LL503") == [("template.yaml", 14)]


CFN_URL_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
  PublicUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !GetAtt Fn.Arn
      AuthType: NONE
  PrivateUrl:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: !Ref Fn
      Qualifier: live
      AuthType: AWS_IAM
"""

CFN_URL_JSON = """\
{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/fn",
        "Code": {"ZipFile": "def handler(event, context): return 1"}
      }
    },
    "Url": {
      "Type": "AWS::Lambda::Url",
      "Properties": {
        "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]},
        "AuthType": "NONE"
      }
    }
  }
}
"""


def test_ll503_cloudformation_yaml_and_json(tmp_path):
    assert lines(tmp_path, {"cfn.yaml": CFN_URL_YAML, "cfn.json": CFN_URL_JSON}, "LL503") == [("cfn.json", 16), ("cfn.yaml", 15)]


TF_URLS = """\
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
}

resource "aws_lambda_function_url" "public" {
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_function_url" "private" {
  function_name      = aws_lambda_function.orders.arn
  authorization_type = "AWS_IAM"
}

module "default_auth" {
  source                     = "terraform-aws-modules/lambda/aws"
  function_name              = "default_auth"
  handler                    = "app.handler"
  runtime                    = "python3.12"
  create_lambda_function_url = true
}

module "iam_auth" {
  source                     = "terraform-aws-modules/lambda/aws"
  function_name              = "iam_auth"
  handler                    = "app.handler"
  runtime                    = "python3.12"
  create_lambda_function_url = true
  authorization_type         = "AWS_IAM"
}

module "no_url" {
  source             = "terraform-aws-modules/lambda/aws"
  function_name      = "no_url"
  handler            = "app.handler"
  runtime            = "python3.12"
  authorization_type = "NONE"
}
"""


def test_ll503_terraform(tmp_path):
    found = hits(tmp_path, {"main.tf": TF_URLS}, "LL503")
    # the resource's authorization_type line; the module's first line (its default is NONE)
    assert sorted(f["line"] for f in found) == [11, 19]
    assert "defaults to NONE" in next(f for f in found if f["line"] == 19)["message"]


# ------------------------------------------------------------------ LL405
SAM_TRACING = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: PassThrough
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
  B:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
  C:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Tracing: Active
"""


def test_ll405_sam_globals_once(tmp_path):
    found = hits(tmp_path, {"template.yaml": SAM_TRACING}, "LL405")
    assert [f["line"] for f in found] == [5]
    assert "'PassThrough' for A, B, so" in found[0]["message"]


CFN_TRACING_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsProd: !Equals [prod, prod]
Resources:
  Traced:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
      TracingConfig:
        Mode: Active
  Untraced:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
  Conditional:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(event, context): return 1"
      TracingConfig: !If [IsProd, {Mode: Active}, !Ref "AWS::NoValue"]
"""

CFN_TRACING_JSON = """\
{
  "Resources": {
    "PassThrough": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Runtime": "python3.12",
        "Handler": "index.handler",
        "Role": "arn:aws:iam::123456789012:role/fn",
        "Code": {"ZipFile": "def handler(event, context): return 1"},
        "TracingConfig": {"Mode": "PassThrough"}
      }
    }
  }
}
"""


def test_ll405_cloudformation_yaml_and_json(tmp_path):
    assert lines(tmp_path, {"cfn.yaml": CFN_TRACING_YAML, "cfn.json": CFN_TRACING_JSON}, "LL405") == [("cfn.json", 10), ("cfn.yaml", 15)]


TF_TRACING = """\
variable "tracing" {
  type = bool
}

resource "aws_lambda_function" "untraced" {
  function_name = "untraced"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "fn.zip"
}

resource "aws_lambda_function" "dynamic" {
  function_name = "dynamic"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "fn.zip"
  dynamic "tracing_config" {
    for_each = var.tracing ? [1] : []
    content {
      mode = "Active"
    }
  }
}

module "passthrough" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "passthrough"
  handler       = "app.handler"
  runtime       = "python3.12"
  tracing_mode  = "PassThrough"
}

module "layer_only" {
  source       = "terraform-aws-modules/lambda/aws"
  create_layer = true
  layer_name   = "deps"
  runtime      = "python3.12"
}
"""


def test_ll405_terraform(tmp_path):
    # a dynamic tracing_config is unknown; a module that only builds a layer is no function
    assert lines(tmp_path, {"main.tf": TF_TRACING}, "LL405") == [("main.tf", 5), ("main.tf", 32)]


TF_LOCAL_ENV = """\
locals {
  env = {
    STAGE       = "prod"
    DB_PASSWORD = "from-a-local-map"
  }
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
  environment {
    variables = local.env
  }
}
"""


def test_ll501_terraform_locals_map(tmp_path):
    # a map literal kept in locals is still a literal in the code: reported at its key
    assert lines(tmp_path, {"main.tf": TF_LOCAL_ENV}, "LL501") == [("main.tf", 4)]
