"""LL120 aws-sdk-v2-missing-on-node18: SDK v2 loaded on a Node.js runtime that no longer ships it."""

import posixpath

from ..findings import Location, Related
from .base import Example, Rule, RuleContext, unmarked

DOCS = """\
## What it does
Finds `require("aws-sdk")` and `import ... from "aws-sdk"` (AWS SDK for JavaScript v2, also
`aws-sdk/clients/*`) in the handler module of a function whose runtime is `nodejs18.x` or newer,
or in a local module the handler loads, when no `package.json` from the module's directory up to
the scanned root lists `aws-sdk` and the file is not a bundle that already contains it.

Only the configuration and the code read together show this: the template says which runtime
runs the code, the code says which SDK it loads.

## Why is this bad?
The Node.js 18 and newer managed runtimes include only the modular AWS SDK v3 (`@aws-sdk/*`);
v2 was dropped. A function that relied on the v2 copy built into older runtimes deploys fine and
then fails every cold start with `Runtime.ImportModuleError: Cannot find module 'aws-sdk'`. It
happens most often when only the `Runtime` line of a template is bumped.

## Example
<!-- example -->

## Use instead
Move to SDK v3 (smaller, faster to load, and shipped with the runtime):
<!-- use-instead -->
or, as a stopgap, add `aws-sdk` to the `dependencies` of the function's `package.json` so it is
packaged with the code.

## References
- [Building Lambda functions with Node.js: SDK versions included in the runtime](https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html)
- [Migrate to the AWS SDK for JavaScript v3](https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/migrating.html)
"""

_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: {runtime}
      MemorySize: 512
"""
_V2_HANDLER = """\
const AWS = require("aws-sdk");  // expect: LL120
const s3 = new AWS.S3();

exports.handler = async (event) => s3.listBuckets().promise();
"""
_V3_HANDLER = """\
const { S3Client, ListBucketsCommand } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});

exports.handler = async (event) => s3.send(new ListBucketsCommand({}));
"""


def check(ctx: RuleContext):
    project = ctx.project
    if not project.script_modules:
        return
    from ..link.scripts import lists_dependency, resolve_relative, runtime_major

    seen: set[tuple[str, int]] = set()
    for function in project.functions:
        if not function.is_node:
            continue
        major = runtime_major(function.runtime.value)
        module = project.script_modules.get(function.handler_module or "")
        if major is None or major < 18 or module is None:
            continue
        loading, bundled = None, False
        queue, visited = [module.path], set()
        while queue:  # the handler module and the local modules it loads
            path = queue.pop(0)
            if path in visited:
                continue
            visited.add(path)
            facts = project.script_modules[path].facts
            bundled = bundled or facts.bundles_sdk_v2
            if facts.sdk_v2_import and loading is None:
                loading = path
            queue.extend(r for r in (resolve_relative(project, path, spec) for spec in facts.relative_imports) if r)
        if loading is None or bundled:
            continue
        if lists_dependency(project, posixpath.dirname(loading), "aws-sdk") is not False:
            continue  # listed (packaged with the code), or a package.json we cannot read
        line, column, end_line, end_column = project.script_modules[loading].facts.sdk_v2_import
        if (loading, line) in seen:
            continue
        seen.add((loading, line))
        via = "" if loading == module.path else f" (loaded by handler module `{module.path}`)"
        yield ctx.finding(
            f"`aws-sdk` (AWS SDK for JavaScript v2) is loaded here{via}, but {function.name} runs on {function.runtime.value}, "
            "whose managed runtime ships only SDK v3, and no package.json lists aws-sdk: every cold start would fail with "
            "\"Cannot find module 'aws-sdk'\"; move to the @aws-sdk/client-* packages (v3) or add aws-sdk to dependencies",
            Location(loading, line, column, end_line, end_column),
            related=[Related(function.runtime.location, f"{function.name} runs on {function.runtime.value}")],
            subject=f"{loading}:aws-sdk",
        )


RULE = Rule(
    id="LL120",
    name="aws-sdk-v2-missing-on-node18",
    level="error",
    summary="AWS SDK v2 (aws-sdk) is loaded on a Node.js 18+ runtime that does not include it",
    docs=DOCS,
    check=check,
    must_fire=(
        Example({"template.yaml": _SAM.format(runtime="nodejs20.x"), "src/app.js": _V2_HANDLER}, "require('aws-sdk') on nodejs20.x"),
        Example(
            {"template.yaml": _SAM.format(runtime="nodejs18.x"), "src/app.mjs": "import { listBuckets } from './lib/s3.mjs';\n\nexport const handler = async () => listBuckets();\n", "src/lib/s3.mjs": "import AWS from 'aws-sdk';  // expect: LL120\n\nexport const listBuckets = () => new AWS.S3().listBuckets().promise();\n", "src/package.json": '{"dependencies": {"uuid": "^9.0.0"}}\n'},
            "ESM import in a local module, package.json without aws-sdk",
        ),
    ),
    must_not_fire=(
        Example({"template.yaml": _SAM.format(runtime="nodejs16.x"), "src/app.js": unmarked(_V2_HANDLER)}, "nodejs16.x still ships v2"),
        Example({"template.yaml": _SAM.format(runtime="nodejs20.x"), "src/app.js": _V3_HANDLER}, "SDK v3", docs=True),
        Example({"template.yaml": _SAM.format(runtime="nodejs20.x"), "src/app.js": unmarked(_V2_HANDLER), "src/package.json": '{"dependencies": {"aws-sdk": "^2.1500.0"}}\n'}, "aws-sdk listed as a dependency"),
    ),
    tags=("correctness", "nodejs"),
    default_reason="the function fails at init (`Cannot find module 'aws-sdk'`): broken in every context",
)
