"""LL003 unused-suppression: an ignore comment that silences nothing (ruff's RUF100 idea)."""

from .base import Rule, python

DOCS = """\
## What it does
Reports `# lambdalint: ignore[...]` comments that silenced no finding in this run, and
comments that name a rule that does not exist. With `--strict-suppressions` it also reports
bare `# lambdalint: ignore` comments, which silence every rule on their line. A comment naming
a rule that is not enabled in this run is left alone: its staleness cannot be proven.

## Why is this bad?
Suppressions outlive the code they were written for. A stale one documents a problem that no
longer exists, and a bare one will silently swallow the next, unrelated finding on that line.
Keeping them honest keeps the escape hatch trustworthy.

## Example
<!-- example -->

## Use instead
Remove the comment, or name exactly the rules it is meant to silence:
<!-- use-instead -->

## References
- [ruff RUF100: unused-noqa](https://docs.astral.sh/ruff/rules/unused-noqa/)
"""

RULE = Rule(
    id="LL003",
    name="unused-suppression",
    level="warning",
    summary="An inline suppression comment silences nothing",
    docs=DOCS,
    check=None,  # computed by the engine after suppressions are applied
    must_fire=(
        python("import boto3\n# expect: LL003\ns3 = boto3.client('s3')  # lambdalint: ignore[LL101]\n\ndef lambda_handler(event, context):\n    return s3.list_buckets()\n", "nothing to silence"),
        python("# expect: LL003\ndef lambda_handler(event, context):  # lambdalint: ignore[LL9999]\n    return 1\n", "unknown rule"),
    ),
    must_not_fire=(
        python("import boto3\n\ndef lambda_handler(event, context):\n    s3 = boto3.client('s3')  # lambdalint: ignore[LL101] -- admin path, runs once\n    return s3.list_buckets()\n", "used suppression"),
        python("import boto3\n\ndef lambda_handler(event, context):\n    # lambdalint: ignore[client-in-handler]\n    s3 = boto3.client('s3')\n    return s3.list_buckets()\n", "by name, on the line above"),
    ),
    tags=("tool", "suppressions"),
    default_reason="a stale suppression would silently hide the next real finding on its line; only comments naming rules that ran are judged",
)
