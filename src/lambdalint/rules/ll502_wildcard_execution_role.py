"""LL502 wildcard-execution-role: the execution role allows every action (of a service) on every resource."""

from __future__ import annotations

import re

from .base import Example, Rule, RuleContext, sam

DOCS = """\
## What it does
Reports an `Allow` statement in a function's execution role whose `Action` is `"*"` or a
whole-service wildcard such as `"s3:*"` and whose `Resource` is `"*"` (or an ARN that matches
everything of its service in every region and account, such as `arn:aws:logs:*:*:*` or
`arn:aws:s3:::*`), and the AWS managed
policy `AdministratorAccess` attached to that role. The finding is on the statement's `Action`
line (or the managed policy's line); a role shared by several functions is reported once.

Statements are read wherever the project declares them: inline `Policies` of an
`AWS::IAM::Role`, `AWS::IAM::Policy` / `ManagedPolicy` / `RolePolicy` resources that name the
role, SAM `Policies` (inline statements and managed policies), Terraform `inline_policy`,
`aws_iam_role_policy`, `aws_iam_policy` + `aws_iam_role_policy_attachment`,
`data "aws_iam_policy_document"`, `jsonencode({...})` and JSON strings, and the
`terraform-aws-modules/lambda/aws` inputs `policy_statements`, `policy_json(s)`, `policy` and
`policies` when their `attach_*` flag is true.

Not reported:
- SAM policy templates (`S3ReadPolicy`, `DynamoDBCrudPolicy`, ...): they are scoped by design;
- partial wildcards (`s3:Get*`), scoped resources (`arn:aws:s3:::orders/*`), `Deny` statements,
  `NotAction`/`NotResource` statements;
- a service wildcard restricted by a `Condition` (a full `"*"` is reported even then);
- roles with a permissions boundary (the boundary, not the policy, limits what the role can do);
- roles, policies and values that are not in the scanned project or cannot be resolved.

## Why is this bad?
The execution role is what any code running in the function can do: a dependency with a
vulnerability, an injected payload or a plain bug acts with these permissions. `s3:*` on `*`
lets it read, overwrite and delete every bucket in the account and change bucket policies;
`*` on `*` is the whole account. Least privilege (CWE-250, CWE-732) keeps the blast radius to
what the function actually needs.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->
The first example uses SAM policy templates and a managed policy scoped to the service; the
second lists the actions the function calls and the ARNs it touches. IAM Access Analyzer can generate a policy from the function's CloudTrail activity.

## References
- [Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)
- [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
- [AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html)
- [CWE-250: Execution with Unnecessary Privileges](https://cwe.mitre.org/data/definitions/250.html)
"""

_SERVICE_WILDCARD = re.compile(r"[A-Za-z0-9-]+:\*")


def every_resource(resource: str) -> bool:
    """``"*"``, or an ARN that matches every resource of its service in every region and account
    (``arn:aws:logs:*:*:*``, ``arn:aws:s3:::*``, ``arn:*:*:*:*:*``)."""
    resource = resource.strip()
    if resource == "*":
        return True
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[3] in ("", "*") and parts[4] in ("", "*") and parts[5] == "*"


def wildcard_actions(statement) -> list[str]:
    """The statement's ``"*"`` / ``"service:*"`` actions when it allows them on every resource."""
    if statement.effect != "Allow" or statement.not_action or statement.not_resource:
        return []
    if not any(every_resource(r) for r in statement.resources):
        return []
    full = [a for a in statement.actions if a.strip() in ("*", "*:*")]
    if full:
        return full
    if statement.conditional:
        return []
    return [a for a in statement.actions if _SERVICE_WILDCARD.fullmatch(a.strip())]


def check(ctx: RuleContext):
    if not ctx.project.functions:
        return
    from ..records.security import ADMIN_POLICY

    groups: dict = {}
    for function in ctx.project.functions:
        setting = function.execution_role
        if setting is None or not setting.is_set:
            continue
        role = setting.value
        boundary = role.permissions_boundary
        if boundary is None or not boundary.is_absent:
            continue  # a permissions boundary (or an unknown one) caps the role
        for statement in role.statements:
            actions = wildcard_actions(statement)
            if actions:
                key = (statement.location.path, statement.location.line, statement.location.column)
                groups.setdefault(key, ("statement", statement, actions, role, []))[4].append(function)
        for policy in role.managed:
            if policy.is_admin:
                key = (policy.location.path, policy.location.line, policy.location.column)
                groups.setdefault(key, ("admin", policy, None, role, []))[4].append(function)
    for kind, item, actions, role, functions in groups.values():
        names = ", ".join(f.label for f in functions)
        if kind == "statement":
            quoted = ", ".join(f'"{a}"' for a in actions)
            resource = next(r for r in item.resources if every_resource(r))
            scope = "every action in the account" if any(a.strip() in ("*", "*:*") for a in actions) else "every action of " + ", ".join(a.split(":")[0] for a in actions)
            message = (
                f"the execution role of {names} ({role.name}) allows {quoted} on Resource \"{resource}\" in {item.policy}: "
                f"code running in the function can perform {scope} on every resource, far beyond what it needs; "
                f"list the actions it calls and scope Resource to the ARNs it uses"
            )
        else:
            message = (
                f"the execution role of {names} ({role.name}) has the AWS managed policy {ADMIN_POLICY} attached: "
                f"code running in the function can do anything in the account; attach a policy limited to the "
                f"actions and resources the function uses"
            )
        yield ctx.finding(message, item.location, subject=f"{role.address}")


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersBucket:
    Type: AWS::S3::Bucket
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      Policies:
{policies}"""

_TF = """\
resource "aws_iam_role" "orders" {{
  name               = "orders"
  assume_role_policy = "{{}}"
}}

resource "aws_iam_role_policy" "orders" {{
  role = aws_iam_role.orders.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = {actions}
      Resource = {resource}
    }}]
  }})
}}

resource "aws_lambda_function" "orders" {{
  function_name = "orders"
  role          = aws_iam_role.orders.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
}}
"""

RULE = Rule(
    id="LL502",
    name="wildcard-execution-role",
    level="warning",
    summary="The execution role allows every action (or every action of a service) on every resource",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(policies='        - Statement:\n            - Effect: Allow\n              Action: "s3:*"  # expect: LL502\n              Resource: "*"\n'), "SAM inline s3:* on *"),
        sam(_SAM.format(policies="        - AdministratorAccess  # expect: LL502\n"), "SAM AdministratorAccess"),
        Example({"main.tf": _TF.format(actions='"*"  # expect: LL502', resource='"*"')}, "Terraform jsonencode * on *"),
    ),
    must_not_fire=(
        sam(
            _SAM.format(policies="        - S3ReadPolicy:\n            BucketName: !Ref OrdersBucket\n        - DynamoDBCrudPolicy:\n            TableName: orders\n        - AWSLambdaBasicExecutionRole\n"),
            "SAM policy templates and a scoped managed policy", docs=True,
        ),
        sam(
            _SAM.format(policies='        - Statement:\n            - Effect: Allow\n              Action: "s3:*"\n              Resource: !Sub "${OrdersBucket.Arn}/*"\n'),
            "SAM s3:* scoped to one bucket",
        ),
        Example({"main.tf": _TF.format(actions='["s3:GetObject", "s3:PutObject"]', resource='"*"')}, "Terraform named actions", docs=True),
    ),
    tags=("security", "iam", "least-privilege", "external/cwe/cwe-250", "external/cwe/cwe-732"),
    security_severity=6.5,
    default_reason="a wildcard role gives the function, and anyone who compromises it, every action",
)
