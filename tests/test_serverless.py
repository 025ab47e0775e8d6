"""Serverless Framework services (serverless.yml): whole fixture projects checked line by line,
the variable resolver, the Framework's defaults and implicit resources, and bad input.

Fixtures: tests/fixtures/projects/sls-python-v3 (Python, v3 syntax, serverless-python-requirements
and serverless-provisioned-concurrency-autoscaling) and sls-node-v4 (TypeScript bundled by
serverless-esbuild, v4 syntax, v2-style iamRoleStatements, raw resources naming generated IDs).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.discover import discover
from lambdalint.documents.nodes import Node
from lambdalint.documents.serverless import ServerlessDocument, parse_serverless
from lambdalint.engine import build_project, parse_all, run
from lambdalint.formats.serverless.resolve import Service, is_unresolved
from lambdalint.rules.registry import load_rules

from .conftest import check_json, write_files

PROJECTS = Path(__file__).resolve().parent / "fixtures" / "projects"


def scan(name: str):
    rules = load_rules()
    result = run([str(PROJECTS / name)], Settings(), rules, set(rules), root=PROJECTS)
    files, _ = discover([str(PROJECTS / name)], PROJECTS)
    project = build_project(parse_all(files, 1), PROJECTS, Settings())
    return result, project


def found(result) -> set[tuple[str, str, int]]:
    return {(f.rule_id, f.location.path, f.location.line) for f in result.findings}


# ------------------------------------------------------------------ whole projects
def test_python_v3_service_findings_land_on_the_serverless_yml_lines():
    result, project = scan("sls-python-v3")
    sls = "sls-python-v3/serverless.yml"
    assert found(result) == {
        ("LL502", sls, 36),  # Action "*" on Resource "*" in provider.iam.role.statements
        ("LL402", sls, 40),  # create: no alarm
        ("LL402", sls, 53),  # report
        ("LL402", sls, 61),  # worker
        ("LL402", sls, 70),  # notify
        ("LL304", sls, 55),  # report: timeout 60 from config/limits.yml behind an HTTP API (30 s)
        ("LL406", sls, 67),  # worker: sqs batch of 10 without functionResponseType
        ("LL404", sls, 70),  # notify: sns-invoked, no destinations.onFailure / onError
        ("LL503", sls, 74),  # notify: url: true is public
        ("LL101", "sls-python-v3/src/orders/report.py", 7),
    }
    # must not fire: LL201 (provisionedConcurrency is on the `provisioned` alias), LL202 (the
    # autoscaling plugin scales it), LL302 (the Framework's default is 1,024 MB, not 128),
    # LL405 (provider.tracing.lambda: true), LL401 (every function reserves concurrency),
    # LL501 (API_TOKEN comes from SSM: unknown), nothing on worker's SSM memory / timeout
    by_name = {f.name: f for f in project.functions}
    assert sorted(by_name) == ["create", "notify", "report", "worker"]
    create, report, worker = by_name["create"], by_name["report"], by_name["worker"]
    assert create.memory.value == 512 and create.memory.prop == "memorySize"  # ${self:custom.memory.${sls:stage}}
    assert create.memory.location.line == 42
    assert [(p.amount.value, p.qualifier.name) for p in create.provisioned] == [(2, "provisioned")]
    assert create.handler_module == "sls-python-v3/src/orders/create.py"
    assert report.timeout.value == 60 and report.timeout.location.line == 55
    assert not worker.memory.known and not worker.timeout.known  # ssm, even with a fallback
    assert create.tracing.value == "Active"
    assert create.environment.value["TABLE"] == "orders-dev"
    assert create.physical_name.value == "orders-dev-create"
    assert create.kind == "serverless"


def test_node_v4_service_findings_land_on_the_serverless_yml_lines():
    result, project = scan("sls-node-v4")
    sls = "sls-node-v4/serverless.yml"
    assert found(result) == {
        ("LL210", sls, 14),  # nightly: snapStart on nodejs20.x (reported at the runtime)
        ("LL306", sls, 14),  # nodejs20.x is deprecated
        ("LL401", sls, 29),  # search: provisioned concurrency without reservedConcurrency
        ("LL402", sls, 29),
        ("LL405", sls, 29),
        ("LL202", sls, 32),  # search: provisioned concurrency without autoscaling
        ("LL402", sls, 37),
        ("LL405", sls, 37),
        ("LL407", sls, 42),  # the kinesis stream has no destinations.onFailure
        ("LL402", sls, 51),
        ("LL405", sls, 51),
        ("LL101", "sls-node-v4/src/handlers/search.ts", 4),  # esbuild: src/handlers/search.main -> search.ts
    }
    # must not fire: LL201 on search (the provisioned alias), LL407 on the DynamoDB stream (its
    # onFailure is set), LL404 on nightly (destinations.onFailure), LL212 on nightly (versions
    # are published by default), LL302 (provider memorySize), LL304 on search (20 s < 29 s)
    search = next(f for f in project.functions if f.name == "search")
    alarm = next(a for a in project.alarms)
    assert alarm.metrics[0].function is search  # !Ref SearchLambdaFunction in resources: names the function
    assert search.provisioned[0].amount.value == 3  # ${env:SEARCH_WARM, 3}: the fallback
    assert search.memory.value == 512 and search.memory.location.line == 16
    assert search.architectures.value == ["arm64"]
    assert search.environment.value["STAGE"] == "dev"
    assert not isinstance(search.environment.value["TABLE_NAME"], str)  # ${param:...}: unknown


def test_a_service_file_of_another_cloud_declares_no_lambda_function(tmp_path):
    write_files(tmp_path, {
        "svc/serverless.yml": "service: g\nprovider:\n  name: google\n  runtime: python37\nfunctions:\n  hello:\n    handler: hello\n",
        "svc/main.py": "def hello(request):\n    return 'ok'\n",
    })
    data = check_json(tmp_path)
    assert data["summary"]["functions"]["found"] == 0
    assert not [f for f in data["findings"] if f["rule"] == "LL306"]


def test_serverless_ts_is_named_in_a_notice_not_read(tmp_path):
    write_files(tmp_path, {"svc/serverless.ts": "export default { service: 'x' };\n"})
    data = check_json(tmp_path)
    assert any(n["path"] == "svc/serverless.ts" and "written as a program" in n["message"] for n in data["notices"])


# ------------------------------------------------------------------ variables
def service(text: str, files: dict | None = None) -> Node:
    from lambdalint.documents.cfn_yaml import load_template

    data = {rel: load_template(body) for rel, body in (files or {}).items()}
    return Service(ServerlessDocument("svc/serverless.yml", load_template(text), ()), data.get).resolved()


def value(node: Node, *path: str):
    for key in path:
        node = node.get(key)
    return node


def test_variables_resolve_self_nested_stage_env_opt_and_file():
    root = service(
        """\
service: s
custom:
  sizes: {dev: 256, prod: 2048}
  name: ${self:service}-${sls:stage}
  list: [a, b]
provider:
  stage: ${opt:stage, "dev"}
  memorySize: ${self:custom.sizes.${self:provider.stage}}
  timeout: ${env:TIMEOUT, 12}
  runtime: ${file(./conf.yml):runtime}
  environment: ${file(./env.json)}
  tags:
    first: ${self:custom.list.0}
    name: ${self:custom.name}
    nothing: ${self:custom.missing, 'fallback'}
""",
        {"svc/conf.yml": "runtime: python3.12\n", "svc/env.json": '{"A": "1"}'},
    )
    provider = root.get("provider")
    assert value(provider, "stage").value == "dev"
    assert value(provider, "memorySize").value == 256
    assert value(provider, "memorySize").line == 8  # where the variable is written
    assert value(provider, "timeout").value == 12
    assert value(provider, "runtime").value == "python3.12"
    assert value(provider, "environment", "A").value == "1"
    assert value(provider, "tags", "first").value == "a"
    assert value(provider, "tags", "name").value == "s-dev"
    assert value(provider, "tags", "nothing").value == "fallback"


@pytest.mark.parametrize(
    "text",
    [
        "${ssm:/app/memory}",
        "${ssm:/app/memory, 512}",  # a deploy-time source has a value we cannot see
        "${aws:accountId}",
        "${cf:other-stack.Output}",
        "${param:memory}",
        "${s3:bucket/key}",
        "${file(./settings.js):memory}",  # a program: never run
        "${file(./missing.yml):memory}",
        "${file(../../etc/passwd)}",
        "${self:custom.nothing}",
        "${opt:memory}",
        "${self:custom.a}",  # a -> b -> a
        "${myPlugin:thing}",
        "${self:custom.${ssm:/x}}",
    ],
)
def test_unresolvable_variables_are_unknown(text):
    root = service(f"service: s\ncustom:\n  a: ${{self:custom.b}}\n  b: ${{self:custom.a}}\nprovider:\n  memorySize: \"{text}\"\n")
    assert is_unresolved(value(root, "provider", "memorySize"))


def test_text_that_only_looks_like_a_variable_is_kept():
    root = service("service: s\nprovider:\n  stage: prod\n  x: 'price ${ not closed'\n")
    assert value(root, "provider", "x").value == "price ${ not closed"


def test_unknown_memory_and_timeout_never_fire(tmp_path):
    write_files(tmp_path, {
        "svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  timeout: ${ssm:/t}\nfunctions:\n  api:\n    handler: app.handler\n    memorySize: ${ssm:/m}\n    events:\n      - http: GET /\n",
        "svc/app.py": "def handler(event, context):\n    return 1\n",
    })
    data = check_json(tmp_path, "--select", "LL302,LL304,LL301,LL305")
    assert data["findings"] == []


# ------------------------------------------------------------------ the Framework's defaults
def test_framework_defaults_memory_timeout_and_versions(tmp_path):
    write_files(tmp_path, {
        "svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: java21\nfunctions:\n  api:\n    handler: com.example.Handler\n    snapStart: true\n",
    })
    files, _ = discover([str(tmp_path)], tmp_path)
    project = build_project(parse_all(files, 1), tmp_path, Settings())
    (fn,) = project.functions
    assert (fn.memory.value, fn.memory.is_absent) == (1024, True)
    assert (fn.timeout.value, fn.timeout.is_absent) == (6, True)
    assert fn.publishes_versions.value is True  # versionFunctions defaults to true
    assert fn.snapstart.value == "PublishedVersions"
    data = check_json(tmp_path, "--select", "LL212,LL302")
    assert data["findings"] == []


def test_version_functions_off_makes_snapstart_unpublished(tmp_path):
    write_files(tmp_path, {
        "svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: java21\n  versionFunctions: false\nfunctions:\n  api:\n    handler: com.example.Handler\n    snapStart: true\n",
    })
    data = check_json(tmp_path, "--select", "LL212")
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("LL212", 9)]  # at snapStart


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "text",
    [
        "service: [unclosed\n",
        "- just\n- a list\n",
        "service: s\nfunctions: 7\n",
        "service: s\nfunctions:\n  a: 1\n  b:\n    events: nope\n  c:\n    events:\n      - {}\n      - http\n      - sqs: {arn: [1, 2]}\n",
        "service: s\nprovider: ${self:provider}\nfunctions:\n  a:\n    handler: x.y\n",
        "a: &a [*a]\nservice: s\n",
        "service: s\nresources: ${file(./r.yml)}\nfunctions:\n  a:\n    handler: h.h\n    memorySize: ${self:functions.a.memorySize}\n",
    ],
)
def test_bad_service_files_never_crash_and_other_files_are_still_checked(tmp_path, text):
    write_files(tmp_path, {
        "bad/serverless.yml": text,
        "good/template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: .\n",
        "good/app.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3').list_buckets()\n",
    })
    data = check_json(tmp_path)
    assert ("LL101", "good/app.py") in {(f["rule"], f["path"]) for f in data["findings"]}
    internal = [f for f in data["findings"] if "internal error" in f["message"]]
    assert internal == []


def test_a_malformed_service_file_is_ll001_at_its_line(tmp_path):
    write_files(tmp_path, {"svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: [unclosed\n"})
    data = check_json(tmp_path)
    assert [(f["rule"], f["path"]) for f in data["findings"]] == [("LL001", "svc/serverless.yml")]


def test_parse_serverless_rejects_a_file_that_is_no_service(tmp_path):
    path = write_files(tmp_path, {"serverless.yml": "just: data\n"}) / "serverless.yml"
    doc, failure = parse_serverless(str(path), "serverless.yml")
    assert doc is None and failure is not None and failure.line == 1


def test_output_is_the_same_across_jobs(tmp_path):
    from .conftest import run_cli

    outputs = set()
    for jobs in ("1", "2"):
        code, out = run_cli(["check", str(PROJECTS / "sls-python-v3"), str(PROJECTS / "sls-node-v4"), "--format", "json", "--fail-on", "never", "--select", "ALL", "--jobs", jobs], cwd=PROJECTS)
        outputs.add(out)
    assert len(outputs) == 1


# ------------------------------------------------------------------ parity
def test_parity_app_gives_the_sam_set_except_where_the_framework_defaults_differ():
    """tests/fixtures/projects/parity-serverless is ../parity/sam as a service: the same (rule,
    function) set, except LL201 on orders (the Framework always puts provisioned concurrency on
    its `provisioned` alias; LL202 reports the missing autoscaling instead) and LL302 on reports
    (an unset memorySize deploys 1,024 MB)."""
    from .test_parity import EXPECTED

    result, project = scan("parity-serverless")
    by_line = {(f.location.path, f.location.line): f.name for f in project.functions}
    got = set()
    for finding in result.findings:
        if finding.location.path.endswith(".py"):
            got.add((finding.rule_id, finding.location.path.split("/")[2]))
        else:
            name = by_line.get((finding.location.path, finding.location.line))
            name = name or next(f.name for f in project.functions if any(p.location == finding.location for p in f.provisioned))
            got.add((finding.rule_id, name))
    assert got == (EXPECTED - {("LL201", "orders"), ("LL302", "reports")}) | {("LL202", "orders")}


def test_values_from_a_file_source_are_reported_where_serverless_yml_uses_them(tmp_path):
    write_files(tmp_path, {
        "svc/serverless.yml": "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  environment: ${file(./env.yml)}\nfunctions: ${file(./functions.yml)}\n",
        "svc/env.yml": "A: 1\nDB_PASSWORD: sup3rs3cretvalue\n",
        "svc/functions.yml": "\n\n\n\napi:\n  handler: app.handler\n  timeout: 60\n  events:\n    - http: GET /\n",
        "svc/app.py": "def handler(event, context):\n    return 1\n",
    })
    data = check_json(tmp_path, "--select", "LL501,LL304")
    assert sorted((f["rule"], f["path"], f["line"]) for f in data["findings"]) == [("LL304", "svc/serverless.yml", 6), ("LL501", "svc/serverless.yml", 5)]


def svc(tmp_path, text: str, *select: str, name: str = "serverless.yml", **files: str) -> list[tuple[str, int]]:
    write_files(tmp_path, {f"svc/{name}": text, "svc/app.py": "def handler(event, context):\n    return 1\n", **{f"svc/{k}": v for k, v in files.items()}})
    data = check_json(tmp_path, "--select", ",".join(select))
    return sorted((f["rule"], f["line"]) for f in data["findings"])


HEAD = "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n"


def test_sqs_with_function_response_type_and_stream_with_on_failure_are_quiet(tmp_path):
    text = HEAD + (
        "functions:\n  worker:\n    handler: app.handler\n    events:\n"
        "      - sqs:\n          arn: arn:aws:sqs:eu-west-1:123456789012:q\n          functionResponseType: ReportBatchItemFailures\n"
        "      - stream:\n          arn: arn:aws:kinesis:eu-west-1:123456789012:stream/s\n          destinations:\n            onFailure: arn:aws:sqs:eu-west-1:123456789012:dlq\n"
        "      - sqs: arn:aws:sqs:eu-west-1:123456789012:other\n"
    )
    assert svc(tmp_path, text, "LL406", "LL407") == [("LL406", 16)]  # only the short-form sqs event


def test_a_role_given_by_arn_is_outside_the_project_and_per_function_statements_are_read(tmp_path):
    text = HEAD + (
        "  iam:\n    role: arn:aws:iam::123456789012:role/shared\n"
        "functions:\n  a:\n    handler: app.handler\n"
        "  b:\n    handler: app.handler\n    iamRoleStatements:\n      - Effect: Allow\n        Action: '*'\n        Resource: '*'\n"
    )
    assert svc(tmp_path, text, "LL502") == [("LL502", 14)]  # at Action of b's own role (serverless-iam-roles-per-function)


def test_provisioned_concurrency_over_reserved_and_the_alias_is_never_latest(tmp_path):
    text = HEAD + "functions:\n  a:\n    handler: app.handler\n    reservedConcurrency: 2\n    provisionedConcurrency: 5\n"
    assert svc(tmp_path, text, "LL201", "LL204") == [("LL204", 9)]


def test_serverless_json_is_read(tmp_path):
    text = '{"service": "s", "provider": {"name": "aws", "runtime": "python3.12", "timeout": 60},\n "functions": {"api": {"handler": "app.handler", "events": [{"httpApi": "GET /"}]}}}\n'
    assert svc(tmp_path, text, "LL304", name="serverless.json") == [("LL304", 1)]


def test_raw_resources_as_a_list_and_generated_ids_in_sub(tmp_path):
    text = HEAD + (
        "functions:\n  get-user:\n    handler: app.handler\n    provisionedConcurrency: 1\n"
        "resources:\n  - Resources:\n      Target:\n        Type: AWS::ApplicationAutoScaling::ScalableTarget\n        Properties:\n"
        "          ResourceId: !Sub function:${GetDashuserLambdaFunction}:provisioned\n"
        "          ScalableDimension: lambda:function:ProvisionedConcurrency\n          ServiceNamespace: lambda\n          MinCapacity: 1\n          MaxCapacity: 4\n"
    )
    assert svc(tmp_path, text, "LL202") == []  # the target scales get-user's provisioned alias


def test_functions_that_are_no_mapping_are_ll001_at_their_line(tmp_path):
    assert svc(tmp_path, HEAD + "functions: 7\n", "LL001") == [("LL001", 5)]


def test_config_fixes_never_write_cloudformation_into_serverless_yml(tmp_path):
    import shutil

    from .conftest import run_cli

    shutil.copytree(PROJECTS / "sls-python-v3", tmp_path / "svc")
    code, out = run_cli(["check", ".", "--select", "ALL", "--diff", "--unsafe-fixes"], cwd=tmp_path / "svc")
    assert "+++ b/src/orders/report.py" in out  # the code fix is offered
    assert "+++ b/serverless.yml" not in out  # CloudFormation-shaped edits are declined there


def test_alerts_plugin_alarms_watch_the_functions(tmp_path):
    text = HEAD + (
        "  stage: prod\nplugins:\n  - serverless-plugin-aws-alerts\ncustom:\n  alerts:\n    stages: [prod]\n"
        "    alarms:\n      - functionErrors\n      - functionThrottles\n"
        "functions:\n  a:\n    handler: app.handler\n  b:\n    handler: app.handler\n    alarms:\n      - name: slow\n        metric: Duration\n"
    )
    assert svc(tmp_path, text, "LL402") == []


def test_alerts_plugin_is_off_on_a_stage_it_does_not_list(tmp_path):
    text = HEAD + (
        "  stage: dev\nplugins:\n  - serverless-plugin-aws-alerts\ncustom:\n  alerts:\n    stages: [prod]\n"
        "    alarms:\n      - functionErrors\n      - functionThrottles\nfunctions:\n  a:\n    handler: app.handler\n"
    )
    assert svc(tmp_path, text, "LL402") == [("LL402", 15)]  # at the function's key
