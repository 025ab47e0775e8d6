"""LL001 parse-error: a handler, template or Terraform file that cannot be parsed."""

from ..findings import Finding, ParseFailure
from .base import Example, Rule

DOCS = """\
## What it does
Reports a file that looks like a Lambda handler, a CloudFormation/SAM template or a Terraform
file but cannot be parsed: a syntax error, a duplicate key, a binary file, an encoding that is
not UTF-8, a YAML alias bomb, nesting too deep to read. The message carries the parser's reason
and the position it gave.

## Why is this bad?
A file lambdalint cannot read is a file it cannot check, and usually one the deploy will reject
too (CloudFormation refuses duplicate keys; Python raises at import, which Lambda reports as an
init failure). The rest of the scan still runs: one broken file never hides the findings of the
others.

## Example
<!-- example -->

## Use instead
Fix the file so its parser accepts it. Python files that use syntax newer than the Python
running lambdalint are not errors: they are reported as a notice naming the Python version
needed to analyse them.

## References
- [CloudFormation template anatomy](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html)
"""

_TEMPLATE_OK = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""


def finding_for(failure: ParseFailure) -> Finding:
    from ..findings import Location

    return Finding(
        rule_id="LL001",
        level="error",
        message=f"cannot parse this file: {failure.reason}",
        location=Location(failure.path, max(failure.line, 1), max(failure.column, 1)),
        subject=failure.path,
    )


RULE = Rule(
    id="LL001",
    name="parse-error",
    level="error",
    summary="A handler, template or Terraform file cannot be parsed",
    docs=DOCS,
    check=None,  # produced by the parse stage, not by a check
    must_fire=(
        Example({"template.yaml": _TEMPLATE_OK + "    Type: AWS::SNS::Topic  # expect: LL001\n"}, "duplicate key"),
        Example({"app.py": "def lambda_handler(event, context)  # expect: LL001\n    return 1\n"}, "Python syntax error"),
        Example({"main.tf": 'resource "aws_lambda_function" "f" {\n  memory_size = = 128  # expect: LL001\n}\n'}, "broken Terraform"),
    ),
    must_not_fire=(
        Example({"template.yaml": _TEMPLATE_OK}, "valid template"),
        Example({"config.yaml": "key: [unclosed\n"}, "a YAML file that is not a template"),
    ),
    tags=("tool",),
    default_reason="a file lambdalint cannot read is a file nothing checked; the parser's reason is usually a real syntax error",
)
