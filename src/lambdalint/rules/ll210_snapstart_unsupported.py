"""LL210 snapstart-unsupported: SnapStart turned on where Lambda cannot use it."""

from __future__ import annotations

import re

from ..findings import Related
from .base import Example, Rule, RuleContext, sam, unmarked

DOCS = """\
## What it does
Reports functions with SnapStart on (`SnapStart: {ApplyOn: PublishedVersions}`,
`snap_start { apply_on = "PublishedVersions" }`, module `snap_start = true`) where Lambda does
not support it:
- a runtime outside Java 11+, Python 3.12+ and .NET 8+ (Node.js, Ruby, Go, custom runtimes,
  and older Java, Python and .NET versions);
- a container-image function (`PackageType: Image`);
- an EFS mount (`FileSystemConfigs`, `file_system_config`, module `file_system_arn`);
- ephemeral storage above 512 MB.

The finding is reported on the conflicting setting; the SnapStart setting is a related location.
A runtime or setting that cannot be resolved statically is never reported.

## Why is this bad?
SnapStart snapshots an initialized, zip-packaged environment and restores it on cold start. Lambda
refuses to enable it for runtimes it has no snapshot support for, for images, for functions that
mount EFS and for functions with more than 512 MB of `/tmp`, so the deployment fails — or, if the
setting is dropped to make it pass, the cold-start work it was meant to remove is back.

## Example
<!-- example -->

## Use instead
Remove the conflict (a supported runtime, a zip package, no EFS mount, 512 MB of `/tmp`), or
drop SnapStart and use provisioned concurrency on an alias to keep environments warm.

## References
- [Improving startup performance with Lambda SnapStart](https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html)
- [SnapStart supported features and limitations](https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-runtimes)
"""

SNAPSTART_ON = "PublishedVersions"


def snapstart_on(function) -> bool:
    """SnapStart is known to be on (never true for an unresolved setting)."""
    return function.snapstart.is_set and function.snapstart.value == SNAPSTART_ON


def snapstart_name(function) -> str:
    return function.snapstart.prop


_VERSIONED = (
    (re.compile(r"java(\d+)(?:\.al2)?$"), 11, "Java"),
    (re.compile(r"python3\.(\d+)$"), 12, "Python 3"),
    (re.compile(r"dotnet(?:core)?(\d+)(?:\.\d+)?$"), 8, ".NET"),
)
_UNSUPPORTED_FAMILIES = ("nodejs", "ruby", "go", "provided", "python2")


def unsupported_runtime(runtime: str) -> bool:
    """True for a runtime identifier SnapStart is known not to support."""
    runtime = runtime.strip().lower()
    if runtime.startswith("dotnetcore"):
        return True
    for pattern, minimum, _ in _VERSIONED:
        m = pattern.match(runtime)
        if m:
            return int(m.group(1)) < minimum
    return runtime.startswith(_UNSUPPORTED_FAMILIES)


def _reasons(function):
    """(location, description, fix) for each setting that rules SnapStart out."""
    runtime = function.runtime
    if runtime.is_set and isinstance(runtime.value, str) and unsupported_runtime(runtime.value):
        yield (
            runtime.location,
            f"runtime {runtime.value}, which SnapStart does not support (it needs Java 11+, Python 3.12+ or .NET 8+)",
            "move to a supported runtime",
        )
    package = function.package_type
    if package.is_set and package.value == "Image":
        yield (
            package.location,
            f"a container image ({function.phrases.written(package.prop, 'Image')})",
            "package the function as a .zip archive",
        )
    fs = function.file_systems
    if fs is not None and fs.is_set and fs.value:
        yield (fs.location, f"an EFS mount ({fs.prop})", "remove the EFS mount")
    storage = function.ephemeral_storage
    if storage is not None and storage.is_set and isinstance(storage.value, int) and storage.value > 512:
        yield (
            storage.location,
            f"{storage.value} MB of ephemeral storage (SnapStart allows at most 512 MB of /tmp)",
            "reduce ephemeral storage to 512 MB",
        )


def check(ctx: RuleContext):
    for function in ctx.project.functions:
        if not snapstart_on(function):
            continue
        reasons = list(_reasons(function))
        if not reasons:
            continue
        location = reasons[0][0]
        what = "; ".join(r[1] for r in reasons)
        fixes = ", ".join(dict.fromkeys(r[2] for r in reasons))
        related = [Related(function.snapstart.location, f"SnapStart is enabled here ({snapstart_name(function)})")]
        related += [Related(r[0], r[1]) for r in reasons[1:]]
        yield ctx.finding(
            f"SnapStart is enabled on {function.label} but the function has {what}; Lambda will reject the "
            f"configuration: {fixes}, or turn SnapStart off and use provisioned concurrency instead",
            location,
            related=related,
            subject=function.address,
        )


_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ThumbsFunction:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: {runtime}
      MemorySize: 1024
      AutoPublishAlias: live
{extra}      SnapStart:
        ApplyOn: PublishedVersions
"""

_TF = """\
resource "aws_lambda_function" "thumbs" {{
  function_name = "thumbs"
  role          = "arn:aws:iam::123456789012:role/thumbs"
  runtime       = "{runtime}"  # expect: LL210
  handler       = "app.handler"
  filename      = "thumbs.zip"
  memory_size   = 1024
  publish       = true
{extra}  snap_start {{
    apply_on = "PublishedVersions"
  }}
}}
"""

RULE = Rule(
    id="LL210",
    name="snapstart-unsupported",
    level="error",
    summary="SnapStart is enabled on a runtime or configuration that Lambda does not support",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(runtime="nodejs20.x  # expect: LL210", extra=""), "SAM Node.js runtime"),
        sam(_SAM.format(runtime="python3.11  # expect: LL210", extra=""), "SAM Python before 3.12"),
        sam(_SAM.format(runtime="python3.12", extra="      EphemeralStorage:\n        Size: 2048  # expect: LL210\n"), "SAM ephemeral storage above 512 MB"),
        sam(
            _SAM.format(
                runtime="java21",
                extra="      FileSystemConfigs:  # expect: LL210\n        - Arn: arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1\n          LocalMountPath: /mnt/data\n",
            ),
            "SAM EFS mount",
        ),
        Example({"main.tf": _TF.format(runtime="java8.al2", extra="")}, "Terraform Java 8"),
        Example({"main.tf": unmarked(_TF).format(runtime="python3.13", extra="  ephemeral_storage {\n    size = 1024  # expect: LL210\n  }\n")}, "Terraform ephemeral storage above 512 MB"),
        Example(
            {"main.tf": unmarked(_TF).format(runtime="java21", extra="  file_system_config {  # expect: LL210\n    arn              = \"arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1\"\n    local_mount_path = \"/mnt/data\"\n  }\n")},
            "Terraform EFS mount",
        ),
    ),
    must_not_fire=(
        sam(_SAM.format(runtime="java21", extra=""), "SAM Java 21"),
        sam(_SAM.format(runtime="python3.12", extra="      EphemeralStorage:\n        Size: 512\n"), "SAM Python 3.12 with 512 MB of /tmp"),
        sam(
            "Parameters:\n  Runtime:\n    Type: String\n" + _SAM.format(runtime="!Ref Runtime", extra=""),
            "runtime from a parameter without default",
        ),
        Example({"main.tf": unmarked(_TF).format(runtime="dotnet8", extra="")}, "Terraform .NET 8"),
        Example({"main.tf": 'variable "runtime" {}\n' + unmarked(_TF).format(runtime="${var.runtime}", extra="")}, "Terraform runtime variable without default"),
    ),
    tags=("snapstart", "deployment"),
    default_reason="Lambda rejects the configuration: the deployment fails",
)
