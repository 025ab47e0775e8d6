"""Defects found by reviewing real public serverless apps (none written by this project): each
test reproduces the shape of the code where the defect showed, reduced to a few files."""

from __future__ import annotations

import json

from .conftest import check_json, run_cli, write_files

SAM_NODE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
Resources:
  Initializer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: lambda
      Handler: initializer.handler
  Analyzer:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: lambda
      Handler: analyzer.handler
"""

# A helper module that calls its own exports through an alias of module.exports (so tests can
# stub them), as alexcasalboni/aws-lambda-power-tuning's lambda/utils.js does.
UTILS_JS = """\
const { LambdaClient, UpdateFunctionConfigurationCommand } = require("@aws-sdk/client-lambda");
const { S3Client } = require("@aws-sdk/client-s3");

const utils = module.exports;
let cachedS3;

module.exports.setPower = (lambdaARN, value) => {
  const lambda = utils.lambdaClientFromARN(lambdaARN);
  return lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: lambdaARN, MemorySize: value }));
};

module.exports.lambdaClientFromARN = (lambdaARN) => {
  return new LambdaClient({ region: lambdaARN.split(":")[3] });
};

module.exports.readPayload = () => {
  return exports.s3().send({});
};

module.exports.s3 = () => {
  if (!cachedS3) {
    cachedS3 = new S3Client({});
  }
  return cachedS3;
};

exports.unused = () => new S3Client({});
"""

INITIALIZER_JS = """\
const utils = require("./utils");

module.exports.handler = async (event, context) => {
  await utils.setPower(event.lambdaARN, 128);
  return utils.readPayload();
};
"""

ANALYZER_JS = """\
module.exports.handler = async (event, context) => {
  return { power: 128 };
};
"""


def _findings(report, prefix="LL1"):
    return {(f["path"], f["line"], f["rule"]) for f in report["findings"] if f["rule"].startswith(prefix)}


def test_calls_through_an_alias_of_module_exports_are_followed(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_NODE, "lambda/utils.js": UTILS_JS, "lambda/initializer.js": INITIALIZER_JS, "lambda/analyzer.js": ANALYZER_JS})
    report = check_json(tmp_path, "--select", "LL101,LL102,LL103")
    # the client built per call through utils.lambdaClientFromARN is found; the lazily built
    # S3 client reached through exports.s3() and the export no handler calls stay quiet
    # (reported at the handler's call that leads there, the construction as a related location)
    assert _findings(report) == {("lambda/initializer.js", 4, "LL101")}
    (finding,) = report["findings"]
    assert "setPower (utils.js) → lambdaClientFromARN (utils.js)" in finding["message"]


def test_typescript_handler_calling_its_own_export_through_exports(tmp_path):
    source = """\
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export async function save(id: string) {
  const client = new DynamoDBClient({});
  return client.send({ id } as never);
}

export const handler = async (event: any = {}): Promise<any> => {
  return await exports.save(event.id);
};
"""
    template = SAM_NODE.replace("CodeUri: lambda\n      Handler: initializer.handler", "CodeUri: src\n      Handler: index.handler")
    write_files(tmp_path, {"template.yaml": template, "src/index.ts": source, "lambda/analyzer.js": ANALYZER_JS})
    assert _findings(check_json(tmp_path, "--select", "LL101")) == {("src/index.ts", 4, "LL101")}


SAM_JAVA = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Location:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: LocationFunction
      Handler: com.example.location.PostHandler::handleRequest
      Runtime: java21
  Native:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: LocationFunction
      Handler: com.example.location.PostHandler
      Runtime: provided.al2023
"""

JAVA_HANDLER = """\
package com.example.location;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

public class PostHandler implements RequestHandler<String, String> {
    private final DynamoDbClient dynamoDbClient;

    public PostHandler() {
        dynamoDbClient = DynamoDbClient.builder().build();
    }

    public String handleRequest(final String input, final Context context) {
        return dynamoDbClient.toString();
    }
}
"""


def test_coverage_counts_node_and_java_functions_as_linked(tmp_path):
    write_files(tmp_path / "node", {"template.yaml": SAM_NODE, "lambda/utils.js": UTILS_JS, "lambda/initializer.js": INITIALIZER_JS, "lambda/analyzer.js": ANALYZER_JS})
    write_files(tmp_path / "java", {"template.yaml": SAM_JAVA, "LocationFunction/src/main/java/com/example/location/PostHandler.java": JAVA_HANDLER})
    code, out = run_cli(["check", ".", "--fail-on", "never"], cwd=tmp_path)
    # the native-image function (provided.al2023) has no handler code lambdalint reads
    assert out.splitlines()[-1] == "4 functions (3 linked to handler code) in 2 templates / 0 Terraform roots; 0 files skipped."
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never"], cwd=tmp_path)
    assert json.loads(out)["summary"]["functions"]["linked"] == 3


def test_a_javascript_handler_without_a_template_is_something_found(tmp_path):
    write_files(tmp_path, {"app.js": 'const { S3Client } = require("@aws-sdk/client-s3");\nexports.handler = async (event, context) => new S3Client({});\n'})
    code, out = run_cli(["check", ".", "--fail-on", "never"], cwd=tmp_path)
    assert "app.js:2:" in out and "LL101" in out
    assert "no Lambda function and no handler found" not in out


SAM_PYTHON = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  CreateOrder:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/create_order/
      Handler: main.handler
      Runtime: python3.12
"""

# The shape of aws-serverless-ecommerce-platform's orders/src/create_order/main.py: the handler
# validates an order against three services in a thread pool, each worker signing its request
# with a fresh boto3 session.
CREATE_ORDER = """\
import asyncio
import atexit
import concurrent.futures
import functools

import boto3
import requests

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table("orders")


def validate_delivery(order):
    region = boto3.session.Session().region_name
    return requests.post("https://delivery", json=order, headers={"region": region}).ok


def validate_payment(order):
    sts = boto3.client("sts")
    return sts.get_caller_identity()["Account"] == order["account"]


def validate_products(order):
    return bool(table.get_item(Key={"id": order["id"]}))


def flush():
    boto3.client("firehose").put_record_batch(DeliveryStreamName="x", Records=[])


def load_rules():
    return boto3.client("ssm").get_parameter(Name="/rules")


async def validate(order):
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
        futures = [executor.submit(validate_delivery, order), loop.run_in_executor(None, validate_payment, order)]
        checks = list(map(validate_products, [order]))
    return futures, checks


def handler(event, context):
    atexit.register(flush)
    rules = functools.lru_cache(load_rules)
    return asyncio.run(validate(event["order"])), rules
"""


def test_functions_handed_to_an_executor_run_per_invocation(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_PYTHON, "src/create_order/main.py": CREATE_ORDER})
    report = check_json(tmp_path, "--select", "LL101,LL102,LL103")
    # submit / run_in_executor / map run the function now; atexit and lru_cache do not
    assert _findings(report) == {("src/create_order/main.py", 14, "LL101"), ("src/create_order/main.py", 19, "LL101")}
    chains = {f["line"]: f["message"] for f in report["findings"]}
    assert "via handler → validate → validate_delivery" in chains[14]
    assert "via handler → validate → validate_payment" in chains[19]


# aws-bookstore-demo-app functions/APIs/getRecommendations.py: a Neptune traversal source
# connected per invocation, beside the same code connecting once at import
NEPTUNE = """\
import os

from gremlin_python.driver.driver_remote_connection import DriverRemoteConnection
from gremlin_python.structure.graph import Graph

ENDPOINT = "wss://" + os.environ["neptunedb"] + ":8182/gremlin"
shared = Graph().traversal().withRemote(DriverRemoteConnection(ENDPOINT, "g"))


def handler(event, context):
    graph = Graph()
    g = graph.traversal().withRemote(DriverRemoteConnection(ENDPOINT, "g"))
    return g.V().limit(5).toList() + shared.V().limit(1).toList()
"""


def test_a_neptune_gremlin_connection_per_invocation(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_PYTHON.replace("src/create_order/", "src/"), "src/main.py": NEPTUNE})
    assert _findings(check_json(tmp_path, "--select", "LL102")) == {("src/main.py", 12, "LL102")}


def test_a_javascript_client_configured_from_a_local_derived_from_the_input_says_to_key_a_cache(tmp_path):
    source = """\
const { LambdaClient } = require("@aws-sdk/client-lambda");
const { S3Client } = require("@aws-sdk/client-s3");

const clientFromARN = (lambdaARN) => {
  const region = lambdaARN.split(":")[3];
  return new LambdaClient({ region, maxAttempts: 3 });
};

exports.handler = async (event, context) => {
  const region = "eu-west-1";
  return [clientFromARN(event.arn), new S3Client({ region })];
};
"""
    template = SAM_NODE.replace("CodeUri: lambda\n      Handler: initializer.handler", "CodeUri: src\n      Handler: app.handler")
    write_files(tmp_path, {"template.yaml": template, "src/app.js": source, "lambda/analyzer.js": ANALYZER_JS})
    messages = {f["line"]: f["message"] for f in check_json(tmp_path, "--select", "LL101")["findings"]}
    assert set(messages) == {6, 11}
    assert "comes from the invocation's input" in messages[6]
    assert "create it once at module scope" in messages[11]


def test_the_config_fingerprint_is_the_same_in_every_process(tmp_path):
    """`lambdalint merge` refuses shards whose config fingerprints differ: with --select ALL the
    fingerprint followed the per-process hash seed, so two shards of one sweep never merged."""
    import os
    import subprocess
    import sys

    write_files(tmp_path, {"template.yaml": SAM_NODE, "lambda/utils.js": UTILS_JS, "lambda/initializer.js": INITIALIZER_JS, "lambda/analyzer.js": ANALYZER_JS})
    fingerprints = set()
    for seed, target in (("1", "lambda"), ("2", "template.yaml"), ("3", "lambda")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-m", "lambdalint", "check", target, "--select", "ALL", "--format", "json", "--fail-on", "never", "-o", f"shard{seed}.json"], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        fingerprints.add(json.loads((tmp_path / f"shard{seed}.json").read_text())["config"]["fingerprint"])
    assert len(fingerprints) == 1
    code, out = run_cli(["merge", "shard1.json", "shard2.json", "--format", "json"], cwd=tmp_path)
    assert code in (0, 1) and json.loads(out)["summary"]["findings"] > 0


def test_a_refused_merge_is_one_error_line_without_the_usage_banner(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_NODE, "lambda/initializer.js": INITIALIZER_JS, "lambda/analyzer.js": ANALYZER_JS, "lambda/utils.js": UTILS_JS})
    assert run_cli(["check", ".", "--format", "json", "--fail-on", "never", "-o", "a.json"], cwd=tmp_path)[0] == 0
    assert run_cli(["check", ".", "--select", "ALL", "--format", "json", "--fail-on", "never", "-o", "b.json"], cwd=tmp_path)[0] == 0
    code, out = run_cli(["merge", "a.json", "b.json"], cwd=tmp_path)
    assert code == 2
    assert "different configurations" in out and "Usage:" not in out


def test_the_python_fixers_leave_javascript_and_java_findings_alone(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_NODE, "lambda/utils.js": UTILS_JS, "lambda/initializer.js": INITIALIZER_JS, "lambda/analyzer.js": ANALYZER_JS})
    before = (tmp_path / "lambda/utils.js").read_text()
    code, out = run_cli(["check", ".", "--select", "LL101", "--fix", "--unsafe-fixes", "--fail-on", "never"], cwd=tmp_path)
    # no "the fixer failed (ParserSyntaxError ...)" notice from running libcst on JavaScript
    assert "notice" not in out and "fixer failed" not in out, out
    assert "utils.js:13:" in out
    assert (tmp_path / "lambda/utils.js").read_text() == before


def test_html_linked_count_is_the_runs_count(tmp_path):
    import re

    from .test_js_java_handlers import SPRING_FILES, SPRING_SAM

    write_files(tmp_path, {"template.yaml": SPRING_SAM, **SPRING_FILES})
    report = check_json(tmp_path)
    assert report["summary"]["functions"]["linked"] == 1  # through the adapter's beans
    code, html = run_cli(["check", ".", "--select", "ALL", "--format", "html", "--fail-on", "never"], cwd=tmp_path)
    assert re.search(r'id="s-linked">1<', html)


def test_a_package_function_handed_to_an_executor_runs_per_invocation(tmp_path):
    files = {
        "template.yaml": SAM_PYTHON.replace("src/create_order/", "src/"),
        "src/lib/__init__.py": "",
        "src/lib/checks.py": 'import boto3\n\n\ndef validate_payment(order):\n    return boto3.client("sts").get_caller_identity()["Account"] == order["account"]\n\n\ndef validate_stock(order):\n    return bool(order)\n',
        "src/main.py": """\
import atexit
import concurrent.futures

from lib import checks
from lib.checks import validate_stock


def handler(event, context):
    atexit.register(checks.validate_payment)
    with concurrent.futures.ThreadPoolExecutor() as executor:
        a = executor.submit(checks.validate_payment, event)
        b = executor.submit(validate_stock, event)
    return a.result(), b.result()
""",
    }
    write_files(tmp_path, files)
    report = check_json(tmp_path, "--select", "LL101")
    # reported at the hand-over in the handler module (where a suppression goes), once
    assert _findings(report) == {("src/main.py", 11, "LL101")}
    assert "src/lib/checks.py:5" in report["findings"][0]["message"]
    code, out = run_cli(["check", ".", "--select", "LL101", "--diff", "--unsafe-fixes"], cwd=tmp_path)
    assert "+++" not in out  # no hoist is offered for the executor call itself


def test_precommit_on_a_template_counts_the_handlers_it_read(tmp_path):
    # a run on named files reads the handler code of the functions they declare (Node.js and
    # Java handlers are linked only once their code is parsed) and the coverage line says so
    write_files(tmp_path / "node", {"template.yaml": SAM_NODE, "lambda/utils.js": UTILS_JS, "lambda/initializer.js": INITIALIZER_JS, "lambda/analyzer.js": ANALYZER_JS})
    write_files(tmp_path / "java", {"template.yaml": SAM_JAVA, "LocationFunction/src/main/java/com/example/location/PostHandler.java": JAVA_HANDLER})
    (tmp_path / ".git").mkdir()
    code, out = run_cli(["check", "node/template.yaml", "java/template.yaml", "--fail-on", "never"], cwd=tmp_path)
    assert out.splitlines()[-1] == "4 functions (3 linked to handler code) in 2 templates / 0 Terraform roots; 0 files skipped."
    # a handler named alone brings its template and the local modules it imports
    code, out = run_cli(["check", "node/lambda/initializer.js", "--format", "json", "--fail-on", "never"], cwd=tmp_path)
    summary = json.loads(out)["summary"]
    assert summary["functions"]["linked"] == 2 and summary["inputs"]["templates"] == 1
