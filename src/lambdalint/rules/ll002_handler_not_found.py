"""LL002 handler-not-found: the configured handler's module or function does not exist."""

import posixpath

from .base import Example, Rule, RuleContext, sam

DOCS = """\
## What it does
Checks that a Python function's `Handler` (for example `app.lambda_handler` with
`CodeUri: src/`) names a module that exists in the code directory and a function (or other
module-level name) defined in it. For Node.js, `index.handler` must name a module
`index.js`/`.mjs`/`.cjs`/`.ts` that exports `handler` (CommonJS `exports.handler` /
`module.exports`, ESM `export const`/`export function`/`export { x as handler }`); for Java,
`com.example.App::handleRequest` must name a class of the project's own packages with that
method (library adapters such as Spring Cloud Function's `FunctionInvoker` are not judged).
Handlers that point into build output (`dist/`, `build/`, `target/`) are not judged either. Only runs when the code directory is part of the scanned tree;
code from S3, container images and unresolvable expressions are never reported.

## Why is this bad?
Lambda imports the handler during init. A missing module or function fails every cold start
with `Runtime.ImportModuleError: Unable to import module` or `Handler 'x' missing on module`:
the function cannot serve a single request, and the deploy itself succeeds, so the error shows
up only when traffic arrives.

## Example
<!-- example -->

## Use instead
<!-- use-instead -->

## References
- [Define Lambda function handlers in Python](https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html)
"""

_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: {handler}
      Runtime: python3.12
      MemorySize: 512
"""
_NODE_SAM = _SAM.replace("Runtime: python3.12", "Runtime: nodejs20.x")
_JAVA_SAM = _SAM.replace("Runtime: python3.12", "Runtime: java21").replace("CodeUri: src/", "CodeUri: orders/")
_JAVA_APP = """\
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

public class App implements RequestHandler<String, String> {
    public String handleRequest(String event, Context context) {
        return event;
    }
}
"""
_HANDLER = "def lambda_handler(event, context):\n    return {'ok': True}\n"


def check(ctx: RuleContext):
    project = ctx.project
    for function in project.functions:
        if function.is_node or function.is_java:
            from ..link.scripts import handler_problem

            problem = handler_problem(function, project)
            if problem:
                yield ctx.finding(f"handler `{function.handler.value}` of {function.name}: {problem}", function.handler.location, subject=function.address)
            continue
        if not function.handler_module:
            continue
        module_path, attr = function.handler_module, function.handler_function
        handler = function.handler
        if module_path not in project.files:
            if project.exists_on_disk(module_path):
                continue  # present but not analysed (excluded, too large): not our call
            yield ctx.finding(
                f"handler `{handler.value}` of {function.label} points to module `{module_path}`, which does not exist "
                f"in the code directory `{function.code_dir.value}`: every cold start would fail with "
                "'Unable to import module'; fix Handler or the code location",
                handler.location,
                subject=function.address,
            )
            continue
        module = project.python_modules.get(module_path)
        if module is None:
            continue  # unparseable: LL001 says so
        facts = module.facts
        if attr in facts.top_level_names or facts.star_import:
            continue
        defined = sorted(n for n in facts.functions if facts.functions[n].top_level)
        hint = f" (it defines {', '.join(defined[:5])})" if defined else ""
        yield ctx.finding(
            f"handler `{handler.value}` of {function.label}: `{posixpath.basename(module_path)}` has no top-level `{attr}`{hint}; "
            "Lambda would fail every cold start with 'Handler missing on module'",
            handler.location,
            subject=function.address,
        )


RULE = Rule(
    id="LL002",
    name="handler-not-found",
    level="error",
    summary="The function's Handler names a module, export, class or method that does not exist",
    docs=DOCS,
    check=check,
    must_fire=(
        sam(_SAM.format(handler="app.handler  # expect: LL002"), "function missing", src__app_py=_HANDLER),
        sam(_SAM.format(handler="orders.lambda_handler  # expect: LL002"), "module missing", src__app_py=_HANDLER),
        Example({"template.yaml": _NODE_SAM.format(handler="app.handler  # expect: LL002"), "src/app.mjs": "export const lambdaHandler = async (event) => ({ statusCode: 200 });\n"}, "Node.js export missing"),
        Example({"template.yaml": _JAVA_SAM.format(handler="example.Orders::handleRequest  # expect: LL002"), "orders/src/main/java/example/App.java": _JAVA_APP}, "Java class missing"),
    ),
    must_not_fire=(
        sam(_SAM.format(handler="app.lambda_handler"), "handler exists", src__app_py=_HANDLER),
        sam(_SAM.format(handler="app.handler"), "handler bound by assignment", src__app_py="from mangum import Mangum\napp = object()\nhandler = Mangum(app)\n"),
        sam(_SAM.format(handler="app.lambda_handler").replace("CodeUri: src/", "CodeUri: s3://bucket/orders.zip"), "code from S3"),
        Example({"template.yaml": _NODE_SAM.format(handler="app.lambdaHandler"), "src/app.ts": "export const lambdaHandler = async (event: unknown) => ({ statusCode: 200 });\n"}, "Node.js TypeScript export exists"),
        Example({"template.yaml": _JAVA_SAM.format(handler="example.App::handleRequest"), "orders/src/main/java/example/App.java": _JAVA_APP}, "Java class and method exist"),
        Example({"template.yaml": _JAVA_SAM.format(handler="org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"), "orders/src/main/java/example/App.java": _JAVA_APP}, "Spring Cloud Function adapter"),
    ),
    tags=("correctness",),
    default_reason="the function cannot start (`Unable to import module`): broken in every context",
)
