"""Node.js/TypeScript and Java handlers: whole projects with line-precise expectations, the
lazy-init idioms of each language, handler linking, suppressions and bad input.

Fixtures carry their expectations (``// expect: LL101`` or ``# expect: LL002`` on the line
above, ``// ok: LL101`` for lines that must stay quiet), as tests/test_annotated_fixtures.py
does for Python."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import check_json, run_cli, write_files

FIXTURES = Path(__file__).parent / "fixtures" / "projects"
PROJECTS = [FIXTURES / "node-sam", FIXTURES / "java-maven"]
CODE_RULES = ("LL002", "LL101", "LL102", "LL103", "LL110", "LL111", "LL120")
ANNOTATION = re.compile(r"(?://|#)\s*(expect|ok):\s*(LL\d{3}(?:\s*,\s*LL\d{3})*)")
SOURCES = ("*.ts", "*.js", "*.mjs", "*.java", "*.yaml")


def annotations(root: Path) -> tuple[set, set]:
    expect, ok = set(), set()
    for pattern in SOURCES:
        for path in sorted(root.rglob(pattern)):
            lines = path.read_text().splitlines()
            rel = path.relative_to(root).as_posix()
            for number, line in enumerate(lines, start=1):
                match = ANNOTATION.search(line)
                if not match or not line.strip().startswith(("//", "#")):
                    continue
                target = number + 1  # the next line that is not itself a comment
                while target <= len(lines) and lines[target - 1].strip().startswith(("//", "#")):
                    target += 1
                for rule in re.split(r"\s*,\s*", match.group(2)):
                    (expect if match.group(1) == "expect" else ok).add((rel, target, rule))
    return expect, ok


def code_findings(root: Path, rules: tuple[str, ...] = CODE_RULES) -> set:
    report = check_json(root, "--select", ",".join(rules))
    return {(f["path"], f["line"], f["rule"]) for f in report["findings"]}


@pytest.mark.parametrize("root", PROJECTS, ids=lambda p: p.name)
def test_annotations_hold(root):
    expect, ok = annotations(root)
    assert expect and ok, "fixture without expectations"
    found = code_findings(root)
    assert expect - found == set(), "expected findings missing"
    assert found & ok == set(), "findings on lines marked ok"
    assert found - expect == set(), "findings not annotated with an expect comment"


def test_same_output_with_several_jobs():
    outputs = set()
    for jobs in ("1", "2"):
        code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--jobs", jobs], cwd=FIXTURES)
        assert code == 0
        outputs.add(out)
    assert len(outputs) == 1


def test_inline_suppression_in_a_slash_comment():
    report = check_json(FIXTURES / "node-sam", "--select", "LL101")
    (suppressed,) = [f for f in report.get("suppressed", []) if f["rule"] == "LL101"]
    assert (suppressed["path"], suppressed["line"]) == ("legacy/report.js", 26)


def test_sarif_has_the_handler_as_related_location():
    code, out = run_cli(["check", ".", "--format", "sarif", "--fail-on", "never", "--select", "LL101"], cwd=FIXTURES / "java-maven")
    (result,) = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "LL101"]
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"].endswith("OrderHandler.java") and related["region"]["startLine"] == 36


def test_snapstart_level_follows_the_template():
    report = check_json(FIXTURES / "java-maven", "--select", "LL110")
    assert {f["level"] for f in report["findings"]} == {"error"}


# ---------------------------------------------------------------- JavaScript idioms

SAM_NODE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: {handler}
      Runtime: nodejs20.x
"""

LAZY_IDIOMS = """\
const { S3Client } = require("@aws-sdk/client-s3");
const { Pool } = require("pg");
const Redis = require("ioredis");
const axios = require("axios");

let a, b, c, d, e;
const byRegion = {};

function viaNot() { if (!a) { a = new S3Client({}); } return a; }
function viaNullish() { b ??= new Pool(); return b; }
function viaOr() { c = c || new Redis(); return c; }
function viaEarlyReturn() { if (d) return d; d = axios.create({ timeout: 1000 }); return d; }
function viaUndefined() { if (e === undefined) e = new S3Client({}); return e; }
function viaKeyed(region) { if (!(region in byRegion)) byRegion[region] = new S3Client({ region }); return byRegion[region]; }
function onlyAtInit() { return new S3Client({}); }
const fromInit = onlyAtInit();

exports.handler = async (event, context) => {
  viaNot(); viaNullish(); viaOr(); viaEarlyReturn(); viaUndefined(); viaKeyed(event.region);
  return fromInit;
};
"""


def test_lazy_init_idioms_are_quiet(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.handler"), "src/app.js": LAZY_IDIOMS})
    assert code_findings(tmp_path) == set()


@pytest.mark.parametrize(
    "export",
    [
        "exports.handler = async (event) => work();",
        "module.exports.handler = async function (event) { return work(); };",
        "module.exports = { handler: async (event) => work() };",
        "const handler = async (event) => work();\nmodule.exports = { handler };",
        "export const handler = async (event) => work();",
        "export async function handler(event) { return work(); }",
        "const main = async (event) => work();\nexport { main as handler };",
        "export const handler = middy(async (event) => work()).use(x());",
        "const base = async (event) => work();\nexport const handler = middy(base).use(x());",
    ],
)
def test_every_export_form_is_a_handler(tmp_path, export):
    source = 'import { S3Client } from "@aws-sdk/client-s3";\nimport middy from "@middy/core";\n\nfunction work() {\n  return new S3Client({});\n}\n\n' + export + "\n"
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.handler"), "src/app.mjs": source})
    assert code_findings(tmp_path) == {("src/app.mjs", 5, "LL101")}


def test_typescript_class_methods_and_instances(tmp_path):
    source = """\
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

class Repo {
  private readonly table = process.env.TABLE;

  async get(id: string) {
    return this.client().send({ id } as never);
  }

  private client(): DynamoDBClient {
    return new DynamoDBClient({});
  }
}

const repo = new Repo();

export const handler = async (event: { id: string }) => repo.get(event.id);
"""
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="index.handler"), "src/index.ts": source})
    assert code_findings(tmp_path) == {("src/index.ts", 11, "LL101")}


def test_convention_handler_without_a_template(tmp_path):
    write_files(
        tmp_path,
        {
            "fn/index.js": 'const AWS = require("aws-sdk");\nexports.handler = async (event, context) => new AWS.DynamoDB.DocumentClient().get({}).promise();\n',
            "web/button.js": 'const { S3Client } = require("@aws-sdk/client-s3");\nexports.render = (props) => new S3Client({});\n',
        },
    )
    assert code_findings(tmp_path) == {("fn/index.js", 2, "LL101")}


def test_ll120_quiet_for_a_bundle_and_for_an_unreadable_package_json(tmp_path):
    v2 = 'const AWS = require("aws-sdk");\nexports.handler = async () => new AWS.STS().getCallerIdentity().promise();\n'
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.handler"), "src/app.js": v2})
    assert code_findings(tmp_path, ("LL120",)) == {("src/app.js", 1, "LL120")}
    (tmp_path / "src" / "package.json").write_text("{ not json")
    assert code_findings(tmp_path, ("LL120",)) == set()
    (tmp_path / "src" / "package.json").unlink()
    (tmp_path / "src" / "app.js").write_text(v2 + "/* bundled from node_modules/aws-sdk/lib/core.js */\n")
    assert code_findings(tmp_path, ("LL120",)) == set()


def test_ll002_quiet_for_build_output_and_missing_code(tmp_path):
    template = SAM_NODE.format(handler="dist/index.handler") + SAM_NODE.format(handler="index.handler").split("Resources:\n")[1].replace("  Fn:", "  Other:").replace("CodeUri: src/", "CodeUri: elsewhere/")
    write_files(tmp_path, {"template.yaml": template, "src/index.ts": "export const handler = async () => 1;\n"})
    assert code_findings(tmp_path, ("LL002",)) == set()


# ---------------------------------------------------------------- Java idioms

JAVA_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: {handler}
      Runtime: java17
      MemorySize: 1024
"""

JAVA_HOLDER = """\
package demo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.sqs.SqsClient;

public class Handler implements RequestStreamHandler {
    private static class Holder {
        static final SqsClient SQS = SqsClient.builder().build();
    }

    private SqsClient lazy;

    private SqsClient lazy() {
        if (lazy != null) {
            return lazy;
        }
        lazy = SqsClient.create();
        return lazy;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) {
        Holder.SQS.listQueues();
        lazy().listQueues();
    }
}
"""


def test_java_static_holder_and_early_return_are_quiet(tmp_path):
    write_files(tmp_path, {"template.yaml": JAVA_SAM.format(handler="demo.Handler::handleRequest"), "fn/src/main/java/demo/Handler.java": JAVA_HOLDER})
    assert code_findings(tmp_path) == set()


def test_java_v1_client_and_http_client_per_invocation(tmp_path):
    source = """\
package demo;

import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.net.http.HttpClient;

public class Api {
    public String handle(java.util.Map<String, Object> event, com.amazonaws.services.lambda.runtime.Context context) {
        AmazonS3 s3 = AmazonS3ClientBuilder.standard().withRegion("eu-west-1").build();
        HttpClient http = HttpClient.newHttpClient();
        return s3.getBucketLocation("b") + http.version();
    }
}
"""
    write_files(tmp_path, {"template.yaml": JAVA_SAM.format(handler="demo.Api::handle"), "fn/src/main/java/demo/Api.java": source})
    assert code_findings(tmp_path) == {("fn/src/main/java/demo/Api.java", 9, "LL101"), ("fn/src/main/java/demo/Api.java", 10, "LL102")}


def test_java_jdbc_advice_allows_for_stale_connections(tmp_path):
    # a JDBC connection kept for the environment's life dies with idle timeouts and failovers:
    # the advice is a lazily reopened connection or a validating pool, not a bare static field
    source = """\
package demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.net.http.HttpClient;

public class Db {
    public boolean handle(java.util.Map<String, Object> event, com.amazonaws.services.lambda.runtime.Context context) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (Connection conn = DriverManager.getConnection(System.getenv("JDBC_URL"))) {
            return conn.isValid(1) && http != null;
        }
    }
}
"""
    write_files(tmp_path, {"template.yaml": JAVA_SAM.format(handler="demo.Db::handle"), "fn/src/main/java/demo/Db.java": source})
    report = check_json(tmp_path, "--select", "LL102")
    messages = {f["line"]: f["message"] for f in report["findings"]}
    assert set(messages) == {9, 10}
    assert "isValid" in messages[10] and "pool that validates" in messages[10] and "constructor" not in messages[10]
    assert "static field or the handler class's constructor" in messages[9]  # an HTTP client does not go stale


def test_java_method_missing_and_library_handlers(tmp_path):
    write_files(tmp_path, {"template.yaml": JAVA_SAM.format(handler="demo.Handler::process"), "fn/src/main/java/demo/Handler.java": JAVA_HOLDER})
    assert code_findings(tmp_path, ("LL002",)) == {("template.yaml", 8, "LL002")}
    write_files(tmp_path, {"template.yaml": JAVA_SAM.format(handler="io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest")})
    assert code_findings(tmp_path, ("LL002",)) == set()


def test_java_uniqueness_needs_snapstart(tmp_path):
    source = "package demo;\n\nimport java.util.UUID;\n\npublic class Job implements com.amazonaws.services.lambda.runtime.RequestHandler<String, String> {\n    private static final UUID ID = UUID.randomUUID();\n\n    public String handleRequest(String e, com.amazonaws.services.lambda.runtime.Context c) {\n        return ID.toString();\n    }\n}\n"
    write_files(tmp_path, {"template.yaml": JAVA_SAM.format(handler="demo.Job::handleRequest"), "fn/src/main/java/demo/Job.java": source})
    assert code_findings(tmp_path, ("LL110",)) == set()
    (tmp_path / "template.yaml").write_text(JAVA_SAM.format(handler="demo.Job::handleRequest") + "      AutoPublishAlias: live\n      SnapStart:\n        ApplyOn: PublishedVersions\n")
    assert code_findings(tmp_path, ("LL110",)) == {("fn/src/main/java/demo/Job.java", 6, "LL110")}


# ---------------------------------------------------------------- bad input


def test_broken_sources_are_ll001_and_the_rest_still_runs(tmp_path):
    write_files(
        tmp_path,
        {
            "template.yaml": SAM_NODE.format(handler="app.handler"),
            "src/app.js": 'const { S3Client } = require("@aws-sdk/client-s3");\nexports.handler = async (event) => {\n  return new S3Client({});\n};\n',
            "src/broken.ts": "export const x = (a: number => {\n",
            "other/src/main/java/demo/Bad.java": "package demo;\npublic class Bad {\n  void m( {\n}\n",
            "other/bin.js": b"\x00\x01binary",
        },
    )
    report = check_json(tmp_path)
    by_rule = {(f["rule"], f["path"]) for f in report["findings"]}
    assert ("LL001", "src/broken.ts") in by_rule and ("LL001", "other/src/main/java/demo/Bad.java") in by_rule and ("LL001", "other/bin.js") in by_rule
    assert ("LL101", "src/app.js") in by_rule
    broken = next(f for f in report["findings"] if f["path"] == "src/broken.ts")
    assert broken["line"] == 1 and "TypeScript syntax error" in broken["message"]


def test_skipped_directories_and_declaration_files(tmp_path):
    handler = 'const { S3Client } = require("@aws-sdk/client-s3");\nexports.handler = async (event, context) => new S3Client({});\n'
    write_files(
        tmp_path,
        {
            "node_modules/pkg/index.js": handler,
            "fn/target/classes/App.java": "class App {}",
            "fn/index.test.js": handler,
            "fn/__tests__/h.js": handler,
            "fn/types.d.ts": "export declare const handler: () => void;\n",
            "fn/index.js": handler,
        },
    )
    report = check_json(tmp_path)
    assert {f["path"] for f in report["findings"] if f["rule"] == "LL101"} == {"fn/index.js"}


def test_precommit_files_get_their_template_and_java_siblings(tmp_path):
    import shutil

    for project in PROJECTS:
        shutil.copytree(project, tmp_path / project.name)
    (tmp_path / ".git").mkdir()
    handler = "java-maven/orders/src/main/java/com/example/orders/OrderHandler.java"
    code, out = run_cli(["check", handler, "node-sam/legacy/report.js", "--format", "json", "--fail-on", "never", "--select", "LL101,LL102,LL103,LL120"], cwd=tmp_path)
    found = {(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]}
    # the client the service class builds is reported at the handler's call, which needs the
    # service class beside it; LL120 needs the template's runtime
    assert found == {(handler, 40, "LL101"), ("node-sam/legacy/report.js", 4, "LL120"), ("node-sam/legacy/report.js", 11, "LL102"), ("node-sam/legacy/report.js", 23, "LL101")}
    # named alone, the service class has no finding of its own any more: it is the handler's
    service = "java-maven/orders/src/main/java/com/example/orders/OrderService.java"
    code, out = run_cli(["check", service, "--format", "json", "--fail-on", "never", "--select", "LL101"], cwd=tmp_path)
    assert json.loads(out)["findings"] == []


def test_pathological_nesting_is_a_finding_not_a_crash(tmp_path):
    depth = 3000
    write_files(
        tmp_path,
        {
            "a.js": "exports.handler = async (event) => {" + "if (x) {" * depth + "}" * depth + "};\n",
            "B.java": "class B { void m(int x) {" + "if (x) {" * depth + "}" * depth + "} }\n",
        },
    )
    report = check_json(tmp_path)
    messages = {f["path"]: f["message"] for f in report["findings"] if f["rule"] == "LL001"}
    assert set(messages) == {"a.js", "B.java"} and all("nested too deeply" in m for m in messages.values())


SPRING_SAM = JAVA_SAM.format(handler="org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest")
SPRING_FILES = {
    "fn/src/main/java/demo/Uppercase.java": """\
package demo;

import java.util.function.Function;

public class Uppercase implements Function<String, String> {
    private final Repository repository;

    public Uppercase(Repository repository) {
        this.repository = repository;
    }

    @Override
    public String apply(String value) {
        return repository.save(value.toUpperCase());
    }
}
""",
    "fn/src/main/java/demo/Repository.java": "package demo;\n\npublic interface Repository {\n    String save(String value);\n}\n",
    "fn/src/main/java/demo/DynamoRepository.java": """\
package demo;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

public class DynamoRepository implements Repository {
    @Override
    public String save(String value) {
        DynamoDbClient ddb = DynamoDbClient.create();
        return ddb.listTables().tableNames().isEmpty() ? value : value + "!";
    }
}
""",
}


def test_spring_cloud_function_adapter_runs_the_functional_beans(tmp_path):
    write_files(tmp_path, {"template.yaml": SPRING_SAM, **SPRING_FILES})
    # FunctionInvoker -> Uppercase.apply -> Repository.save -> its one implementation, reported at
    # the bean's call that leads there
    assert code_findings(tmp_path) == {("fn/src/main/java/demo/Uppercase.java", 14, "LL101")}


TF_NODE = """\
data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/orders.zip"
}

resource "aws_lambda_function" "orders" {
  function_name    = "orders"
  filename         = data.archive_file.orders.output_path
  source_code_hash = data.archive_file.orders.output_base64sha256
  handler          = "index.handler"
  runtime          = "nodejs20.x"
  role             = "arn:aws:iam::123456789012:role/orders"
  memory_size      = 512
}
"""
TF_HANDLER = """\
const AWS = require("aws-sdk");

exports.handler = async (event) => {
  const ddb = new AWS.DynamoDB.DocumentClient();
  return ddb.get({ TableName: "orders", Key: { id: event.id } }).promise();
};
"""


def test_terraform_function_links_and_baseline_survives_a_line_shift(tmp_path):
    write_files(tmp_path, {"main.tf": TF_NODE, "src/index.js": TF_HANDLER})
    assert code_findings(tmp_path) == {("src/index.js", 1, "LL120"), ("src/index.js", 4, "LL101")}
    code, _ = run_cli(["baseline", ".", "-o", "baseline.json"], cwd=tmp_path)
    assert code == 0
    (tmp_path / "src/index.js").write_text("// orders lookup\n" + TF_HANDLER.replace("  return ddb", "  const s3 = new AWS.S3();\n  return ddb"))
    code, out = run_cli(["check", ".", "--baseline", "baseline.json", "--format", "json", "--fail-on", "never", "--select", ",".join(CODE_RULES)], cwd=tmp_path)
    new = {(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]}
    assert new == {("src/index.js", 6, "LL101")}  # only the new client; the moved ones stay matched


CROSS_MODULE = {
    "template.yaml": SAM_NODE.format(handler="app.handler"),
    "src/app.ts": """\
import { getClient, cachedClient } from "./lib/clients";
import * as db from "./lib/db";
import { Repo } from "./lib/repo";
import helper from "./lib/helper";

export const handler = async (event: { id: string }) => {
  await getClient().send({} as never);
  await cachedClient().send({} as never);
  await db.query("select 1");
  const repo = new Repo();
  await repo.save(event.id);
  return [event.id].map(helper);
};
""",
    "src/lib/clients.ts": """\
import { S3Client } from "@aws-sdk/client-s3";

let s3: S3Client | undefined;

export function getClient(): S3Client {
  return new S3Client({});
}

export const cachedClient = () => (s3 ??= new S3Client({}));
""",
    "src/lib/db.ts": 'import mysql from "mysql2/promise";\n\nexport async function query(sql: string) {\n  const conn = await mysql.createConnection({ host: "db" });\n  return conn.query(sql);\n}\n',
    "src/lib/repo.ts": 'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n\nexport class Repo {\n  private client = new DynamoDBClient({});\n\n  async save(id: string) {\n    return this.client.send({ id } as never);\n  }\n}\n',
    "src/lib/helper.ts": 'import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";\nconst sm = new SecretsManagerClient({});\nexport default async function helper(id: string) {\n  return sm.send(new GetSecretValueCommand({ SecretId: id }));\n}\n',
}


def test_calls_into_local_modules_are_followed(tmp_path):
    write_files(tmp_path, CROSS_MODULE)
    # functions, namespace imports, a class built per invocation, a default export handed to map;
    # as for Python, each is reported at the handler module's call that leads there
    assert code_findings(tmp_path) == {("src/app.ts", 7, "LL101"), ("src/app.ts", 9, "LL102"), ("src/app.ts", 10, "LL101"), ("src/app.ts", 12, "LL103")}


def test_a_helper_modules_use_is_reported_at_the_handlers_call(tmp_path):
    write_files(tmp_path, CROSS_MODULE)
    code, out = run_cli(["check", ".", "--format", "sarif", "--fail-on", "never", "--select", "LL102"], cwd=tmp_path)
    (result,) = json.loads(out)["runs"][0]["results"]
    assert "`mysql.createConnection()` in `query` (src/lib/db.ts:4)" in result["message"]["text"]
    assert "handler → query (db.ts)" in result["message"]["text"]
    related = [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"]) for r in result["relatedLocations"]]
    assert related == [("src/app.ts", 6), ("src/lib/db.ts", 4)]
    # a suppression on the handler's call silences it
    files = dict(CROSS_MODULE)
    files["src/app.ts"] = files["src/app.ts"].replace('  await db.query("select 1");', '  await db.query("select 1"); // lambdalint: ignore[LL102]')
    write_files(tmp_path, files)
    assert ("src/app.ts", 9, "LL102") not in code_findings(tmp_path)
    # pre-commit on the handler file alone: its template and the helper modules are read
    (tmp_path / ".git").mkdir()
    files["src/app.ts"] = CROSS_MODULE["src/app.ts"]
    write_files(tmp_path, files)
    code, out = run_cli(["check", "src/app.ts", "--format", "json", "--fail-on", "never", "--select", ",".join(CODE_RULES)], cwd=tmp_path)
    found = {(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]}
    assert found == {("src/app.ts", 7, "LL101"), ("src/app.ts", 9, "LL102"), ("src/app.ts", 10, "LL101"), ("src/app.ts", 12, "LL103")}


def test_one_report_per_use_in_a_helper_module(tmp_path):
    # two calls in the handler reach the same construction: one finding, at the first call
    files = dict(CROSS_MODULE)
    files["src/app.ts"] = files["src/app.ts"].replace('  await db.query("select 1");\n', '  await db.query("select 1");\n  await db.query("select 2");\n')
    write_files(tmp_path, files)
    assert [line for path, line, rule in code_findings(tmp_path, ("LL102",))] == [9]


def test_memoized_factories_are_quiet(tmp_path):
    node = 'const { S3Client } = require("@aws-sdk/client-s3");\nconst once = require("lodash/once");\n\nconst getS3 = once(() => new S3Client({}));\n\nexports.handler = async (event) => getS3().send({});\n'
    java = """\
package demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

public class Regional implements com.amazonaws.services.lambda.runtime.RequestHandler<Map<String, String>, String> {
    private static final Map<String, S3Client> CLIENTS = new ConcurrentHashMap<>();

    public String handleRequest(Map<String, String> event, com.amazonaws.services.lambda.runtime.Context context) {
        S3Client s3 = CLIENTS.computeIfAbsent(event.get("region"), r -> S3Client.builder().region(Region.of(r)).build());
        return s3.listBuckets().toString();
    }
}
"""
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.handler"), "src/app.js": node, "java/src/main/java/demo/Regional.java": java})
    assert code_findings(tmp_path) == set()


def test_ll002_quiet_for_an_export_assigned_conditionally(tmp_path):
    source = "const a = async () => 1;\nconst b = async () => 2;\nif (process.env.FAST) {\n  exports.handler = a;\n} else {\n  exports.handler = b;\n}\n"
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.handler"), "src/app.js": source})
    assert code_findings(tmp_path, ("LL002",)) == set()
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.main")})
    assert code_findings(tmp_path, ("LL002",)) == {("template.yaml", 8, "LL002")}


def test_browser_components_are_not_scanned(tmp_path):
    write_files(tmp_path, {"web/Button.tsx": 'import { S3Client } from "@aws-sdk/client-s3";\nexport const clickHandler = (event: unknown) => new S3Client({});\n'})
    assert check_json(tmp_path)["findings"] == []


# Shaped like aws-solutions/serverless-image-handler's metrics Lambda: the handler builds a
# helper per invocation, whose constructor builds a client holder with `this.x` lazy getters.
CLIENT_HOLDER_TS = """\
import { SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";

export class ClientHolder {
  private sqs: SQSClient;
  private logs: CloudWatchLogsClient;

  getSqs(): SQSClient {
    if (!this.sqs) {
      this.sqs = new SQSClient({});
    }
    return this.sqs;
  }

  getLogs(): CloudWatchLogsClient {
    this.logs ??= new CloudWatchLogsClient({});
    return this.logs;
  }
}
"""

REPORTER_TS = """\
import { ClientHolder } from "./client-holder";

export class Reporter {
  private clients: ClientHolder;

  constructor() {
    this.clients = new ClientHolder();
  }

  async send(body: string) {
    return this.clients.getSqs().send({ body } as never);
  }

  async query() {
    return this.clients.getLogs().send({} as never);
  }
}
"""


def _reporter_project(handler: str) -> dict:
    return {
        "template.yaml": SAM_NODE.format(handler="index.handler"),
        "src/client-holder.ts": CLIENT_HOLDER_TS,
        "src/reporter.ts": REPORTER_TS,
        "src/index.ts": handler,
    }


def test_this_guard_on_an_object_built_per_invocation_fires(tmp_path):
    handler = """\
import { Reporter } from "./reporter";

export async function handler(event: any, _context: any) {
  const reporter = new Reporter();
  await reporter.send(JSON.stringify(event));
  return reporter.query();
}
"""
    write_files(tmp_path, _reporter_project(handler))
    report = check_json(tmp_path, "--select", "LL101")
    found = {(f["path"], f["line"]) for f in report["findings"]}
    assert len(found) == 2, report["findings"]
    for finding in report["findings"]:
        assert "per `ClientHolder` object" in finding["message"]


def test_this_guard_on_a_module_level_object_is_quiet(tmp_path):
    # the object (and so its `this.x` cache) lives as long as the execution environment
    handler = """\
import { Reporter } from "./reporter";

const reporter = new Reporter();

export async function handler(event: any, _context: any) {
  await reporter.send(JSON.stringify(event));
  return reporter.query();
}
"""
    write_files(tmp_path, _reporter_project(handler))
    assert check_json(tmp_path, "--select", "LL101")["findings"] == []


def test_this_guard_on_a_singleton_is_quiet(tmp_path):
    # built per call only behind a module-level guard: one object per environment
    handler = """\
import { Reporter } from "./reporter";

let reporter: Reporter | undefined;

export async function handler(event: any, _context: any) {
  if (!reporter) {
    reporter = new Reporter();
  }
  return reporter.send(JSON.stringify(event));
}
"""
    write_files(tmp_path, _reporter_project(handler))
    assert check_json(tmp_path, "--select", "LL101")["findings"] == []


def test_this_guard_in_a_class_built_at_init_in_the_same_module_is_quiet(tmp_path):
    source = """\
const { S3Client } = require("@aws-sdk/client-s3");

class Store {
  client() {
    if (!this.s3) this.s3 = new S3Client({});
    return this.s3;
  }
}

const store = new Store();

exports.handler = async (event) => store.client().send({});
"""
    write_files(tmp_path, {"template.yaml": SAM_NODE.format(handler="app.handler"), "src/app.js": source})
    assert check_json(tmp_path, "--select", "LL101")["findings"] == []
    per_call = source.replace("const store = new Store();\n\n", "").replace("async (event) => store.client()", "async (event) => {\n  const store = new Store();\n  return store.client()").replace(".send({});", ".send({});\n};")
    write_files(tmp_path, {"src/app.js": per_call})
    assert [(f["path"], f["line"]) for f in check_json(tmp_path, "--select", "LL101")["findings"]] == [("src/app.js", 5)]


def test_java_use_in_another_class_is_reported_at_the_handlers_call(tmp_path):
    import shutil

    shutil.copytree(FIXTURES / "java-maven", tmp_path / "java-maven")
    code, out = run_cli(["check", ".", "--format", "sarif", "--fail-on", "never", "--select", "LL101"], cwd=tmp_path)
    (result,) = json.loads(out)["runs"][0]["results"]
    where = result["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("OrderHandler.java") and where["region"]["startLine"] == 40
    assert "in `OrderService.archive` (java-maven/orders/src/main/java/com/example/orders/OrderService.java:44)" in result["message"]["text"]
    related = [(r["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1], r["physicalLocation"]["region"]["startLine"]) for r in result["relatedLocations"]]
    assert related == [("OrderHandler.java", 36), ("OrderService.java", 44)]


def test_a_factory_in_a_helper_module_is_reported_at_each_call(tmp_path):
    # getClient() returns a new client: each call in the handler's module builds one, so a new
    # call is a new finding (as for Python); the per-call helper db.query stays one report
    files = dict(CROSS_MODULE)
    files["src/app.ts"] = files["src/app.ts"].replace("  await cachedClient().send({} as never);\n", "  await cachedClient().send({} as never);\n  await getClient().send({ again: true } as never);\n")
    write_files(tmp_path, files)
    assert sorted(line for path, line, rule in code_findings(tmp_path, ("LL101",)) if path == "src/app.ts") == [7, 9, 11]
    report = check_json(tmp_path, "--select", "LL101")
    messages = {f["line"]: f["message"] for f in report["findings"]}
    assert "in `getClient` (src/lib/clients.ts:6)" in messages[9]
