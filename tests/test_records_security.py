"""Security and database records: what the format readers make of a whole small SAM project and
a whole small Terraform root (exact records), and what the linkers build from them."""

from __future__ import annotations

from lambdalint.documents.templates import parse_template
from lambdalint.documents.terraform import parse_tf
from lambdalint.findings import Location
from lambdalint.formats.cloudformation import databases as cfn_databases
from lambdalint.formats.cloudformation import security as cfn_security
from lambdalint.formats.cloudformation.resolve import Template
from lambdalint.formats.terraform import databases as tf_databases
from lambdalint.formats.terraform import security as tf_security
from lambdalint.formats.terraform.resolve import group_roots
from lambdalint.link.security import execution_role
from lambdalint.project.model import absent
from lambdalint.records import FunctionRef
from lambdalint.records.databases import DatabaseVariable
from lambdalint.records.security import (
    EnvVar,
    FunctionEnvironment,
    FunctionRole,
    ManagedPolicy,
    Role,
    RoleAttachment,
    RoleRef,
    Statement,
)

from .helpers import SAM_HEAD

SAM = SAM_HEAD + """\
Globals:
  Function:
    Environment:
      Variables:
        LOG_LEVEL: info
        STAGE: prod
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          STAGE: dev
          DB_HOST: !GetAtt Db.Endpoint.Address
          TOKEN: !Ref Token
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy:
            BucketName: orders
        - Statement:
            - Effect: Allow
              Action: "s3:*"
              Resource: "*"
  Billing:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Role: !GetAtt AppRole.Arn
      Code:
        ZipFile: "def handler(event, context): return 1"
      VpcConfig:
        SubnetIds: [subnet-1]
      Environment:
        Variables:
          DATABASE_URL: postgres://db.example.com/billing
          PG_NAME: billing
          QUEUE: orders
  Elsewhere:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/shared
      Code:
        ZipFile: "def handler(event, context): return 1"
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-role
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: logs:PutLogEvents
                Resource: "*"
  ByReference:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: by-reference
      Roles: [!Ref AppRole]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: ["dynamodb:*"]
            Resource: "*"
  ByName:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: by-name
      Roles: [app-role, !GetAtt AppRole.Arn]
      PolicyDocument: '{"Statement": [{"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}]}'
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
"""


def at(path: str, text: str, needle: str, nth: int = 0) -> Location:
    """Where the ``nth`` occurrence of ``needle`` starts."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    line = text.count("\n", 0, pos) + 1
    return Location(path, line, pos - (text.rfind("\n", 0, pos) + 1) + 1)


def _template(tmp_path) -> Template:
    (tmp_path / "template.yaml").write_text(SAM)
    doc, failure = parse_template(str(tmp_path / "template.yaml"), "template.yaml", named=True)
    assert failure is None and doc is not None
    return Template(doc)


def test_sam_security_records(tmp_path):
    records = cfn_security.read(_template(tmp_path))
    loc = lambda needle, nth=0: at("template.yaml", SAM, needle, nth)  # noqa: E731
    app_role = Location("template.yaml", loc("  AppRole:").line, 3)
    orders = FunctionRef("template.yaml", "Orders", None, None, Location("template.yaml", loc("  Orders:").line, 3))
    billing = FunctionRef("template.yaml", "Billing", None, None, Location("template.yaml", loc("  Billing:").line, 3))
    elsewhere = FunctionRef("template.yaml", "Elsewhere", None, None, Location("template.yaml", loc("  Elsewhere:").line, 3))
    assert records == [
        Role(
            document="template.yaml",
            key="AppRole",
            names=frozenset({"AppRole", "app-role"}),
            address="template.yaml#Resources/AppRole",
            name="AppRole",
            location=app_role,
            statements=(Statement("Allow", ("logs:PutLogEvents",), ("*",), False, loc("Action: logs:PutLogEvents"), "inline policy logs of role AppRole"),),
            managed=(ManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess", loc("arn:aws:iam::aws:policy/ReadOnlyAccess")),),
            permissions_boundary=absent(None, app_role),
        ),
        FunctionEnvironment(billing, (
            EnvVar("DATABASE_URL", loc("DATABASE_URL"), True, "postgres://db.example.com/billing"),
            EnvVar("PG_NAME", loc("PG_NAME"), True, "billing"),
            EnvVar("QUEUE", loc("QUEUE"), True, "orders"),
        )),
        FunctionRole(billing, RoleRef(key="AppRole"), loc("Role: !GetAtt AppRole.Arn"), "a role outside the template"),
        # ByName: the literal name matches; !GetAtt ...Arn is no role name
        RoleAttachment("template.yaml", (RoleRef(name="app-role"),), (Statement("Deny", ("sqs:*",), ("*",), False, loc('"Action"'), "policy ByName"),)),
        RoleAttachment("template.yaml", (RoleRef(name="AppRole"),), (Statement("Allow", ("dynamodb:*",), ("*",), False, loc('Action: ["dynamodb:*"]'), "policy ByReference"),)),
        FunctionEnvironment(elsewhere, ()),
        FunctionRole(elsewhere, None, loc("Role: arn:aws:iam::123456789012:role/shared"), "a role outside the template"),
        FunctionEnvironment(orders, (
            EnvVar("STAGE", loc("STAGE: dev"), True, "dev"),
            EnvVar("DB_HOST", loc("DB_HOST"), False, None, "Fn::GetAtt"),
            EnvVar("TOKEN", loc("TOKEN"), False, None, "Ref"),
            EnvVar("LOG_LEVEL", loc("LOG_LEVEL"), True, "info", "", "Globals"),  # Globals STAGE is overridden
        )),
        Role(
            document="template.yaml",
            key="Orders (generated role)",
            names=frozenset({"OrdersRole"}),
            address="template.yaml#Resources/OrdersRole",
            name="OrdersRole",
            location=orders.location,
            statements=(Statement("Allow", ("s3:*",), ("*",), False, loc('Action: "s3:*"'), "inline policy #3 in Policies of Orders"),),
            managed=(ManagedPolicy("AWSLambdaBasicExecutionRole", loc("AWSLambdaBasicExecutionRole")),),  # S3ReadPolicy is scoped: not collected
            permissions_boundary=absent(None, orders.location),
        ),
        FunctionRole(orders, RoleRef(key="Orders (generated role)"), orders.location, ""),
    ]


def test_sam_role_links_with_every_policy_naming_it(tmp_path):
    records = cfn_security.read(_template(tmp_path))
    role = next(r for r in records if isinstance(r, Role) and r.key == "AppRole")
    linked = execution_role(role, [r for r in records if isinstance(r, RoleAttachment)])
    assert [s.policy for s in linked.statements] == ["inline policy logs of role AppRole", "policy ByName", "policy ByReference"]
    assert [m.arn for m in linked.managed] == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert role.statements == tuple(linked.statements[:1])  # the record itself is left as read


def test_sam_database_records(tmp_path):
    records = cfn_databases.read(_template(tmp_path))
    loc = lambda needle: at("template.yaml", SAM, needle)  # noqa: E731
    billing = FunctionRef("template.yaml", "Billing", None, None, Location("template.yaml", loc("  Billing:").line, 3))
    orders = FunctionRef("template.yaml", "Orders", None, None, Location("template.yaml", loc("  Orders:").line, 3))
    assert records == [
        DatabaseVariable(billing, "DATABASE_URL", loc("DATABASE_URL"), False, "postgres://db.example.com/billing", True),
        DatabaseVariable(billing, "PG_NAME", loc("PG_NAME"), False, "billing", True),
        DatabaseVariable(billing, "QUEUE", loc("QUEUE"), False, "orders", True),
        DatabaseVariable(orders, "DB_HOST", loc("DB_HOST"), True, None, False),
        DatabaseVariable(orders, "STAGE", loc("STAGE: dev"), False, "dev", False),
        DatabaseVariable(orders, "TOKEN", loc("TOKEN"), False, None, False),
    ]


TF = """\
locals {
  env = {
    STAGE = "dev"
  }
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "orders.zip"
  role          = aws_iam_role.app.arn
  environment {
    variables = local.env
  }
}

resource "aws_lambda_function" "billing" {
  function_name = "billing"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "billing.zip"
  role          = "arn:aws:iam::123456789012:role/shared"
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = ["sg-1"]
  }
  environment {
    variables = {
      DB_HOST  = aws_db_instance.main.address
      DB_NAME  = "billing"
      ENDPOINT = "main.abc.eu-west-1.rds.amazonaws.com"
      TOKEN    = var.token
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "app-role"
  assume_role_policy = "{}"
  inline_policy {
    name   = "logs"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })
  }
}

resource "aws_iam_role_policy" "by_reference" {
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.wide.json
}

data "aws_iam_policy_document" "wide" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "queues" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sqs:*", Resource = "*" }] })
}

resource "aws_iam_role_policy_attachment" "by_name" {
  role       = "app-role"
  policy_arn = aws_iam_policy.queues.arn
}

resource "aws_iam_policy_attachment" "admin" {
  name       = "admin"
  roles      = [aws_iam_role.app.name, "someone-else"]
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "by_arn" {
  role       = aws_iam_role.app.arn
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

module "api" {
  source                   = "terraform-aws-modules/lambda/aws"
  function_name            = "api"
  handler                  = "app.handler"
  runtime                  = "python3.12"
  environment_variables    = { MODE = "api" }
  attach_policy_statements = true
  policy_statements = {
    tables = {
      effect    = "Allow"
      actions   = ["dynamodb:*"]
      resources = ["*"]
    }
  }
}

module "worker" {
  source      = "terraform-aws-modules/lambda/aws"
  create_role = false
  lambda_role = aws_iam_role.app.arn
}
"""


def _root(tmp_path):
    (tmp_path / "main.tf").write_text(TF)
    doc, failure = parse_tf(str(tmp_path / "main.tf"), "main.tf")
    assert failure is None and doc is not None
    (root,) = group_roots([doc])
    return root


def test_terraform_security_records(tmp_path):
    root = _root(tmp_path)
    records = tf_security.read(root)
    loc = lambda needle, nth=0: at("main.tf", TF, needle, nth)  # noqa: E731
    block = lambda needle: Location("main.tf", loc(needle).line, 1)  # noqa: E731
    d = root.dir
    orders = FunctionRef(d, "aws_lambda_function.orders", None, None, block('resource "aws_lambda_function" "orders"'))
    billing = FunctionRef(d, "aws_lambda_function.billing", None, None, block('resource "aws_lambda_function" "billing"'))
    api = FunctionRef(d, "module.api", None, None, block('module "api"'))
    worker = FunctionRef(d, "module.worker", None, None, block('module "worker"'))
    app = block('resource "aws_iam_role" "app"')
    assert records == [
        FunctionEnvironment(orders, (EnvVar("STAGE", loc("STAGE"), True, "dev"),)),  # through local.env
        FunctionRole(orders, RoleRef(key="aws_iam_role.app"), loc("role          = aws_iam_role.app.arn"), "a role outside the root"),
        FunctionEnvironment(billing, (
            EnvVar("DB_HOST", loc("DB_HOST"), False, None, "aws_db_instance.main.address"),
            EnvVar("DB_NAME", loc("DB_NAME"), True, "billing"),
            EnvVar("ENDPOINT", loc("ENDPOINT"), True, "main.abc.eu-west-1.rds.amazonaws.com"),
            EnvVar("TOKEN", loc("TOKEN"), False, None, "var.token"),
        )),
        FunctionRole(billing, None, loc('role          = "arn:aws:iam::123456789012:role/shared"'), "a role outside the root"),
        Role(
            document=d,
            key="aws_iam_role.app",
            names=frozenset({"app-role"}),
            address="main.tf#aws_iam_role.app",
            name="aws_iam_role.app",
            location=app,
            statements=(Statement("Allow", ("logs:*",), ("*",), False, loc('Action = "logs:*"'), "inline policy logs of aws_iam_role.app"),),
            permissions_boundary=absent(None, app),
        ),
        RoleAttachment(d, (RoleRef(key="aws_iam_role.app"),), (
            Statement("Allow", ("s3:*",), ("*",), False, loc('actions   = ["s3:*"]'), "aws_iam_role_policy.by_reference (data.aws_iam_policy_document.wide)"),
        )),
        RoleAttachment(d, (RoleRef(name="app-role"),), (Statement("Allow", ("sqs:*",), ("*",), False, loc('Action = "sqs:*"'), "aws_iam_policy.queues"),)),
        RoleAttachment(d, (RoleRef(key="aws_iam_role.app"), RoleRef(name="someone-else")), (), (
            ManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess", loc('policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"')),
        )),
        # aws_iam_role_policy_attachment.by_arn: role = ...arn is no role name: no record
        FunctionEnvironment(api, (EnvVar("MODE", loc("MODE"), True, "api"),)),
        Role(
            document=d,
            key="module.api",
            names=frozenset(),
            address="main.tf#module.api",
            name="the role of module.api",
            location=api.location,
            statements=(Statement("Allow", ("dynamodb:*",), ("*",), False, loc('actions   = ["dynamodb:*"]'), "policy_statements.tables of module.api"),),
            permissions_boundary=absent(None, api.location),
        ),
        FunctionRole(api, RoleRef(key="module.api"), api.location, ""),
        FunctionEnvironment(worker, ()),
        FunctionRole(worker, RoleRef(key="aws_iam_role.app"), loc("lambda_role = aws_iam_role.app.arn"), "lambda_role"),
    ]
    role = next(r for r in records if isinstance(r, Role) and r.key == "aws_iam_role.app")
    linked = execution_role(role, [r for r in records if isinstance(r, RoleAttachment)])
    assert [s.policy for s in linked.statements] == [
        "inline policy logs of aws_iam_role.app",
        "aws_iam_role_policy.by_reference (data.aws_iam_policy_document.wide)",
        "aws_iam_policy.queues",
    ]
    assert [m.arn for m in linked.managed] == ["arn:aws:iam::aws:policy/AdministratorAccess"]


def test_terraform_database_records(tmp_path):
    root = _root(tmp_path)
    loc = lambda needle: at("main.tf", TF, needle)  # noqa: E731
    billing = FunctionRef(root.dir, "aws_lambda_function.billing", None, None, Location("main.tf", loc('resource "aws_lambda_function" "billing"').line, 1))
    api = FunctionRef(root.dir, "module.api", None, None, Location("main.tf", loc('module "api"').line, 1))
    variables = loc("variables = {")
    assert tf_databases.read(root) == [
        # a variables map behind local.env is not read for databases (as before the records)
        DatabaseVariable(billing, "DB_HOST", variables, True, None, True),
        DatabaseVariable(billing, "DB_NAME", variables, False, "billing", True),
        DatabaseVariable(billing, "ENDPOINT", variables, False, "main.abc.eu-west-1.rds.amazonaws.com", True),
        DatabaseVariable(billing, "TOKEN", variables, False, None, True),
        DatabaseVariable(api, "MODE", loc("environment_variables"), False, "api", False),
    ]
