"""check --fix / --diff / --unsafe-fixes on real-shaped projects, through the real CLI."""

from __future__ import annotations

import ast
import json

from lambdalint.fix.model import Edit, Fix
from lambdalint.fix.registry import FIXERS

from .conftest import check_json, run_cli, write_files

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 1024
"""
HANDLER = '''\
"""Orders API: café receipts."""  # non-ASCII before every edit: byte and character offsets differ
import os

import boto3
import psycopg2

TABLE = os.environ["TABLE"]


def lambda_handler(event, context):
    # one client per request
    s3 = boto3.client("s3")  # receipts bucket
    regional = boto3.client("sqs", region_name=event["region"])
    conn = psycopg2.connect(host=os.environ["DB_HOST"], dbname=TABLE)
    with boto3.client("ses") as mail:
        pass
    return s3, regional, conn, mail
'''
OPS = ["--ignore", "LL401,LL402,LL405"]


def project(tmp_path, handler=HANDLER, **extra):
    return write_files(tmp_path, {"template.yaml": TEMPLATE, "src/app.py": handler, **extra})


def fix(root, *args):
    return run_cli(["check", ".", "--fix", "-q", "--fail-on", "never", *OPS, *args], cwd=root)


def test_fix_hoists_safe_fixes_only_and_explains_the_rest(tmp_path):
    root = project(tmp_path)
    code, out = run_cli(["check", ".", "--fix", "--fail-on", "never", *OPS], cwd=root)
    text = (root / "src/app.py").read_text(encoding="utf-8")
    assert 'S3_CLIENT = boto3.client("s3")\n' in text
    assert "    s3 = S3_CLIENT  # receipts bucket\n" in text  # the comment stays
    assert "    # one client per request\n" in text
    assert 'boto3.client("sqs", region_name=event["region"])' in text  # per-invocation region
    assert "psycopg2.connect(host=" in text and "get_db_connection" not in text  # unsafe: not applied
    assert 'with boto3.client("ses") as mail' in text  # a context manager closes what it opens
    ast.parse(text)
    assert "LL101 not fixed: `event[\"region\"]` is a parameter, a local or per-invocation value" in out
    assert "LL102 not fixed: the fix is unsafe (--unsafe-fixes applies it)" in out
    assert "LL101 not fixed: it is used as a context manager" in out
    assert "Fixed 1 finding in 1 file." in out


def test_unsafe_fixes_add_a_lazy_connection_with_a_reconnect_guard(tmp_path):
    root = project(tmp_path)
    fix(root, "--unsafe-fixes")
    text = (root / "src/app.py").read_text(encoding="utf-8")
    assert "    if _db_connection is None or _db_connection.closed:\n" in text
    assert "    conn = get_db_connection()\n" in text
    report = check_json(root, *OPS)
    assert sorted(f["line"] for f in report["findings"] if f["rule"] == "LL102") == []
    assert len([f for f in report["findings"] if f["rule"] == "LL101"]) == 2  # region from the event, the `with`


def test_diff_changes_nothing_and_exits_1_then_0_after_fix(tmp_path):
    root = project(tmp_path)
    code, out = run_cli(["check", ".", "--diff", "-q", *OPS], cwd=root)
    assert code == 1
    assert out.startswith("--- a/src/app.py\n+++ b/src/app.py\n")
    assert '+S3_CLIENT = boto3.client("s3")\n' in out
    assert (root / "src/app.py").read_text(encoding="utf-8") == HANDLER
    fix(root)
    code, out = run_cli(["check", ".", "--diff", "-q", *OPS], cwd=root)
    assert (code, out) == (0, "")


def test_diff_is_the_same_for_every_jobs_value(tmp_path):
    files = {"template.yaml": TEMPLATE, "src/app.py": HANDLER}
    files.update({f"more/h{i}.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n" for i in range(20)})
    root = write_files(tmp_path, files)
    outs = {run_cli(["check", ".", "--diff", "-q", "-j", str(jobs), *OPS], cwd=root)[1] for jobs in (1, 2)}
    assert len(outs) == 1 and outs.pop().count("+S3_CLIENT = boto3.client('s3')") == 20


def test_sarif_replacements_are_exact_byte_ranges(tmp_path):
    """Applying SARIF's replacements to the file's bytes gives what --fix writes."""
    root = project(tmp_path)
    original = (root / "src/app.py").read_bytes()
    run_cli(["check", ".", "--format", "sarif", "-o", "out.sarif", *OPS], cwd=root)
    results = json.loads((root / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    fixes = [r["fixes"][0] for r in results if r.get("fixes") and r["fixes"][0]["properties"]["applicability"] == "safe"]
    assert len(fixes) == 1
    change = fixes[0]["artifactChanges"][0]
    assert change["artifactLocation"] == {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    data = original
    for rep in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["byteOffset"]):
        start = rep["deletedRegion"]["byteOffset"]
        data = data[:start] + rep["insertedContent"]["text"].encode("utf-8") + data[start + rep["deletedRegion"].get("byteLength", 0) :]
    fix(root)
    assert data == (root / "src/app.py").read_bytes()


def test_json_shows_fixes_and_reasons_with_show_fixes(tmp_path):
    root = project(tmp_path)
    report = check_json(root, "--show-fixes", *OPS)
    by_line = {f["line"]: f for f in report["findings"] if f["rule"] in ("LL101", "LL102")}
    assert by_line[12]["fix"]["applicability"] == "safe"
    assert by_line[14]["fix"]["applicability"] == "unsafe"
    assert by_line[13]["fix"] is None and "per-invocation" in by_line[13]["fix_unavailable"]
    edit = by_line[12]["fix"]["edits"][1]
    assert HANDLER.encode("utf-8")[edit["start_byte"] : edit["end_byte"]] == b'boto3.client("s3")'
    plain = check_json(root, *OPS)
    assert all(f["fix"] is None for f in plain["findings"])


def test_crlf_bom_and_encoding_are_kept(tmp_path):
    source = "# -*- coding: latin-1 -*-\r\nimport boto3\r\n\r\ndef handler(event, context):\r\n    # caf\xe9\r\n    return boto3.client('s3')\r\n"
    root = write_files(tmp_path, {"app.py": source.encode("latin-1"), "bom.py": b"\xef\xbb\xbf" + source.replace("latin-1", "utf-8").encode("utf-8")})
    fix(root)
    fixed = (root / "app.py").read_bytes().decode("latin-1")
    assert fixed == "# -*- coding: latin-1 -*-\r\nimport boto3\r\n\r\nS3_CLIENT = boto3.client('s3')\r\n\r\ndef handler(event, context):\r\n    # caf\xe9\r\n    return S3_CLIENT\r\n"
    assert (root / "bom.py").read_bytes().startswith(b"\xef\xbb\xbf# -*- coding: utf-8 -*-\r\nimport boto3\r\n\r\nS3_CLIENT")


def test_files_that_do_not_parse_are_never_fixed(tmp_path):
    broken = "import boto3\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n    return s3.(\n"
    root = write_files(tmp_path, {"app.py": broken, "ok.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"})
    fix(root)
    assert (root / "app.py").read_text() == broken
    assert "S3_CLIENT" in (root / "ok.py").read_text()


def test_reuses_an_existing_module_level_client_and_local_imports_are_explained(tmp_path):
    handler = (
        "import boto3\n\nS3 = boto3.client('s3')\n\n\ndef lambda_handler(event, context):\n"
        "    again = boto3.client('s3')\n    import json\n    return again, json\n\n\n"
        "def other_handler(event, context):\n    import boto3 as b3\n    return b3.client('sqs')\n"
    )
    root = write_files(tmp_path, {"app.py": handler})
    code, out = run_cli(["check", ".", "--fix", "--fail-on", "never", *OPS], cwd=root)
    text = (root / "app.py").read_text()
    assert "    again = S3\n" in text and text.count("boto3.client('s3')") == 1
    assert "`b3` is imported inside the function" in out


def test_closed_sessions_and_async_clients_are_left_alone(tmp_path):
    handler = (
        "import requests\nimport aiohttp\n\n\ndef lambda_handler(event, context):\n"
        "    http = requests.Session()\n    try:\n        return http.get('https://example.com').status_code\n"
        "    finally:\n        http.close()\n\n\n"
        "async def async_handler(event, context):\n    session = aiohttp.ClientSession()\n    return await session.get('https://example.com')\n"
    )
    root = write_files(tmp_path, {"app.py": handler})
    code, out = run_cli(["check", ".", "--fix", "--unsafe-fixes", "--fail-on", "never", *OPS], cwd=root)
    assert (root / "app.py").read_text() == handler
    assert "`http` is closed in the function" in out
    assert "async clients belong to one event loop" in out


def test_pre_commit_mode_fixes_the_named_file_with_its_template_as_context(tmp_path):
    root = project(tmp_path)
    (root / ".git").mkdir()
    run_cli(["check", "src/app.py", "--fix", "-q", "--fail-on", "never", *OPS], cwd=root)
    assert "S3_CLIENT" in (root / "src/app.py").read_text(encoding="utf-8")


# A fixer registered only for these tests (FIXERS takes any importable module): it breaks the file
# or adds a new finding, and the loop must drop it with a notice.
def breaking_fixer(finding, text):
    return Fix(finding.location.path, (Edit(0, 0, "def (:\n"),), "safe", "Break the file")


def finding_adding_fixer(finding, text):
    return Fix(finding.location.path, (Edit(len(text), len(text), "\n\ndef extra_handler(event, context):\n    import psycopg2\n    return psycopg2.connect()\n"),), "safe", "Add a finding")


def test_a_fix_whose_result_does_not_parse_is_dropped_with_a_notice(tmp_path, monkeypatch):
    monkeypatch.setitem(FIXERS, "LL101", "tests.test_fix:breaking_fixer")
    root = write_files(tmp_path, {"app.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"})
    code, out = run_cli(["check", ".", "--fix", "--fail-on", "never", *OPS], cwd=root)
    assert (root / "app.py").read_text().startswith("import boto3")
    assert "app.py:4: notice: LL101 fix not applied: the result would not parse" in out


def test_a_fix_that_adds_a_finding_is_undone(tmp_path, monkeypatch):
    monkeypatch.setitem(FIXERS, "LL101", "tests.test_fix:finding_adding_fixer")
    source = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
    root = write_files(tmp_path, {"app.py": source})
    code, out = run_cli(["check", ".", "--fix", "--fail-on", "never", *OPS], cwd=root)
    assert (root / "app.py").read_text() == source
    assert "LL101 fix not applied: it would add a new finding (LL102)" in out


SAM_TWO = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: PassThrough   # decided in 2021
Resources:
  # the orders API
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      # code lives in src/
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 1024
  Flow:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.lambda_handler, Runtime: python3.12, MemorySize: 1024, Tracing: Disabled}
"""


def test_config_fixes_edit_only_their_lines_and_keep_comments(tmp_path):
    root = write_files(tmp_path, {"template.yaml": SAM_TWO.replace("\n", "\r\n"), "src/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    code, out = run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", "LL405", "--fail-on", "never"], cwd=root)
    text = (root / "template.yaml").read_bytes().decode("utf-8")
    # the Globals value is replaced in place (comment kept); the flow-style mapping is left alone
    assert text == SAM_TWO.replace("Tracing: PassThrough   #", "Tracing: Active   #").replace("\n", "\r\n")
    assert "LL405 not fixed" in out


def test_json_templates_are_not_edited(tmp_path):
    template = json.dumps({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"Orders": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "src/", "Handler": "app.lambda_handler", "Runtime": "python3.12", "MemorySize": 1024}}},
    }, indent=2)
    root = write_files(tmp_path, {"template.json": template, "src/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    code, out = run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", "LL405", "--fail-on", "never"], cwd=root)
    assert (root / "template.json").read_text() == template
    assert "LL405 not fixed: JSON templates are not edited" in out


def test_terraform_fix_keeps_the_rest_of_the_block(tmp_path):
    tf = (
        'resource "aws_lambda_function" "orders" {\n'
        '  function_name = "orders" # name\n'
        '  role          = "arn:aws:iam::123456789012:role/orders"\n'
        '  runtime       = "python3.12"\n'
        '  handler       = "app.handler"\n'
        '  filename      = "orders.zip"\n'
        '  memory_size   = 1024\n'
        '  environment {\n'
        '    variables = { NOTE = "a } brace in a string" }\n'
        '  }\n'
        '}\n'
    )
    root = write_files(tmp_path, {"main.tf": tf})
    run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", "LL405", "--fail-on", "never"], cwd=root)
    assert (root / "main.tf").read_text() == tf[: -len("}\n")] + '  tracing_config {\n    mode = "Active"\n  }\n}\n'


def test_a_region_from_the_environment_is_fixed_and_the_message_agrees(tmp_path):
    source = "import os\nimport boto3\n\ndef handler(event, context):\n    return boto3.client('sqs', region_name=os.environ['QUEUE_REGION'])\n"
    root = write_files(tmp_path, {"app.py": source})
    report = check_json(root, "--select", "LL101", "--show-fixes")
    [finding] = report["findings"]
    assert "create it once at module level" in finding["message"] and finding["fix"]["applicability"] == "safe"


def cpu_evidence_fixer(finding, text):
    # makes the handler CPU-bound: LL301 then fires on the template, a file no fix touched
    start = text.index("boto3.client('s3')")
    return Fix(finding.location.path, (Edit(start, start + len("boto3.client('s3')"), "hashlib.pbkdf2_hmac('sha256', b'x', b'y', 100000)"),), "safe", "Add CPU work")


def test_a_fix_that_adds_a_finding_in_another_file_is_undone_by_the_final_check(tmp_path, monkeypatch):
    monkeypatch.setitem(FIXERS, "LL101", "tests.test_fix:cpu_evidence_fixer")
    template = TEMPLATE.replace("      MemorySize: 1024\n", "      MemorySize: 128\n")
    source = "import hashlib\nimport boto3\n\ndef lambda_handler(event, context):\n    return boto3.client('s3')\n"
    root = write_files(tmp_path, {"template.yaml": template, "src/app.py": source})
    code, out = run_cli(["check", ".", "--fix", "--fail-on", "never", *OPS], cwd=root)
    assert (root / "src/app.py").read_text() == source
    assert "fixes for this file not applied: together they would add a finding" in out


_TF_FN = """\
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "orders.zip"
}
"""

_TF_PC = """\
resource "aws_lambda_provisioned_concurrency_config" "orders" {
  function_name                     = aws_lambda_function.orders.function_name
  provisioned_concurrent_executions = 5
  qualifier                         = "$LATEST"
}
"""


def test_terraform_pc_fix_declines_what_it_cannot_see_or_should_not_move(tmp_path):
    # the function in another file of the root: this file alone cannot be fixed
    root = write_files(tmp_path / "split", {"lambda.tf": _TF_FN, "pc.tf": _TF_PC})
    code, out = run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", "LL201", "--fail-on", "never"], cwd=root)
    assert "LL201 not fixed: `aws_lambda_function.orders` is not defined in this file" in out
    assert (root / "pc.tf").read_text() == _TF_PC and (root / "lambda.tf").read_text() == _TF_FN
    # an alias of the function on $LATEST is the author's to repoint
    alias = 'resource "aws_lambda_alias" "live" {\n  name             = "live"\n  function_name    = aws_lambda_function.orders.function_name\n  function_version = "$LATEST"\n}\n'
    tf = _TF_FN + "\n" + alias + "\n" + _TF_PC
    root = write_files(tmp_path / "alias", {"main.tf": tf})
    code, out = run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", "LL201", "--fail-on", "never"], cwd=root)
    assert "does not point at its .version" in out
    assert (root / "main.tf").read_text() == tf


def test_terraform_pc_fix_keeps_crlf_and_the_rest_of_the_file(tmp_path):
    tf = ("# orders service\n" + _TF_FN + "\n" + _TF_PC.replace('"$LATEST"', '"$LATEST" # warm pool')).replace("\n", "\r\n")
    root = write_files(tmp_path, {"main.tf": tf})
    run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", "LL201", "--fail-on", "never"], cwd=root)
    text = (root / "main.tf").read_bytes().decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert 'qualifier                         = aws_lambda_alias.orders.name # warm pool\r\n' in text
    assert 'resource "aws_lambda_alias" "orders" {\r\n  name             = "live"\r\n' in text
    assert text.startswith("# orders service\r\nresource \"aws_lambda_function\" \"orders\" {\r\n  publish = true\r\n")
    after = check_json(root)
    assert not [f for f in after["findings"] if f["rule"] in ("LL001", "LL201")]



# a SAM API function and a plain CloudFormation function behind SNS, indented by four, with
# comments and resource-level Metadata after the Properties
SAM_FOUR = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
    Uploads:
        Type: AWS::S3::Bucket
    # the API
    Orders:
        Type: AWS::Serverless::Function
        Properties:
            CodeUri: src/
            Handler: app.handler
            Runtime: python3.12
            AutoPublishAlias: live
            Timeout: 60  # seconds
            ProvisionedConcurrencyConfig:
                ProvisionedConcurrentExecutions: 40
            Events:
                Get:
                    Type: Api
                    Properties:
                        Path: /orders
                        Method: get
        Metadata:
            BuildMethod: python3.12

    # thumbnails
    Plain:
        Type: AWS::Lambda::Function
        Properties:
            Code:
                ZipFile: "def handler(e, c): return 1"
            Handler: index.handler
            Runtime: python3.12
            Role: arn:aws:iam::123456789012:role/x
        Metadata:
            Owner: media
    PlainTopic:
        Type: AWS::SNS::Topic
        Properties:
            Subscription:
                - Protocol: lambda
                  Endpoint: !GetAtt Plain.Arn
"""

DISPLAY_RULES = "LL202,LL302,LL304,LL401,LL404"


def _sarif_edit(original: bytes, fix: dict) -> bytes:
    data = original
    for rep in sorted(fix["artifactChanges"][0]["replacements"], key=lambda r: -r["deletedRegion"]["byteOffset"]):
        start = rep["deletedRegion"]["byteOffset"]
        data = data[:start] + rep["insertedContent"]["text"].encode("utf-8") + data[start + rep["deletedRegion"].get("byteLength", 0) :]
    return data


def test_display_only_fixes_are_never_applied_and_each_suggestion_silences_its_finding(tmp_path):
    root = write_files(tmp_path, {"template.yaml": SAM_FOUR, "src/app.py": 'import json\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": json.dumps({})}\n'})
    code, out = run_cli(["check", ".", "--fix", "--unsafe-fixes", "--select", DISPLAY_RULES, "--fail-on", "never"], cwd=root)
    assert (root / "template.yaml").read_text() == SAM_FOUR
    assert "LL404 not fixed: the fix is display-only: Send events that still fail" in out
    code, out = run_cli(["check", ".", "--diff", "-q", "--unsafe-fixes", "--select", DISPLAY_RULES], cwd=root)
    assert (code, out) == (0, "")
    run_cli(["check", ".", "--format", "sarif", "-o", "out.sarif", "--select", DISPLAY_RULES], cwd=root)
    results = json.loads((root / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    suggested = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["fixes"][0] for r in results}
    assert {rule for rule, _ in suggested} == set(DISPLAY_RULES.split(","))
    assert all(fix["properties"]["applicability"] == "display-only" for fix in suggested.values())
    original = SAM_FOUR.encode("utf-8")
    for (rule, line), fix in sorted(suggested.items()):
        (root / "template.yaml").write_bytes(_sarif_edit(original, fix))
        after = check_json(root)
        assert not [f for f in after["findings"] if f["rule"] == "LL001"], (rule, after["findings"])
        assert not [f for f in after["findings"] if f["rule"] == rule and f["line"] == line], (rule, (root / "template.yaml").read_text())
    # the new resources land after the resource's Metadata, at the resources' indentation
    plain = _sarif_edit(original, suggested[("LL404", 27)]).decode("utf-8")
    assert "        Metadata:\n            Owner: media\n    PlainEventInvokeConfig:\n        Type: AWS::Lambda::EventInvokeConfig\n" in plain
    orders = _sarif_edit(original, suggested[("LL202", 16)]).decode("utf-8")
    assert "            BuildMethod: python3.12\n    OrdersScalableTarget:\n" in orders
    assert "            ResourceId: !Sub function:${Orders}:live\n" in orders
    assert "\n\n    # thumbnails\n    Plain:\n" in orders
    timeout = _sarif_edit(original, suggested[("LL304", 14)]).decode("utf-8")
    assert "            Timeout: 29  # seconds\n" in timeout


def test_display_only_fixes_for_terraform_modules_and_json_templates(tmp_path):
    module = (
        'module "thumbnails" {\n'
        '  source        = "terraform-aws-modules/lambda/aws"\n'
        '  function_name = "thumbnails"\n'
        '  handler       = "app.handler"\n'
        '  runtime       = "python3.12"\n'
        '  source_path   = "src"\n'
        "}\n\n"
        'resource "aws_sns_topic_subscription" "uploads" {\n'
        '  topic_arn = "arn:aws:sns:us-east-1:123456789012:uploads"\n'
        '  protocol  = "lambda"\n'
        "  endpoint  = module.thumbnails.lambda_function_arn\n"
        "}\n"
    )
    root = write_files(tmp_path / "tf", {"main.tf": module, "src/app.py": "def handler(event, context):\n    return 1\n"})
    report = check_json(root, "--show-fixes", "--select", "LL302,LL404")
    fixes = {f["rule"]: f["fix"] for f in report["findings"]}
    assert set(fixes) == {"LL302", "LL404"}, report["findings"]
    original = module.encode("utf-8")
    for rule, fix in fixes.items():
        data = original
        for e in sorted(fix["edits"], key=lambda e: -e["start_byte"]):
            data = data[: e["start_byte"]] + e["content"].encode("utf-8") + data[e["end_byte"] :]
        (root / "main.tf").write_bytes(data)
        after = check_json(root)
        assert not [f for f in after["findings"] if f["rule"] in ("LL001", rule)], (rule, data.decode())
    # module inputs go at the end of the block: its source stays first
    assert [e["content"] for e in fixes["LL404"]["edits"]] == [
        '  create_async_event_config = true\n  destination_on_failure    = "arn:aws:sqs:REGION:ACCOUNT_ID:thumbnails-failures" # placeholder: your queue\'s ARN\n'
    ]
    assert fixes["LL404"]["edits"][0]["start_byte"] == module.index("}\n")
    template = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31", "Resources": {"Orders": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "src/", "Handler": "app.handler", "Runtime": "python3.12"}}}}, indent=2)
    root = write_files(tmp_path / "json", {"template.json": template, "src/app.py": "def handler(event, context):\n    return 1\n"})
    report = check_json(root, "--show-fixes", "--select", "LL302")
    assert [f["fix_unavailable"] for f in report["findings"]] == ["JSON templates are not edited"]


def test_autoscaling_suggestion_declines_a_repeated_configuration(tmp_path):
    # a scalable target without the configuration's count would name an alias that may not exist
    tf = _TF_FN.replace('  filename      = "orders.zip"\n', '  filename      = "orders.zip"\n  publish       = true\n') + (
        '\nresource "aws_lambda_alias" "orders" {\n  count            = var.warm > 0 ? 1 : 0\n  name             = "live"\n'
        "  function_name    = aws_lambda_function.orders.function_name\n  function_version = aws_lambda_function.orders.version\n}\n\n"
        'resource "aws_lambda_provisioned_concurrency_config" "orders" {\n  count                             = var.warm > 0 ? 1 : 0\n'
        "  function_name                     = aws_lambda_function.orders.function_name\n  provisioned_concurrent_executions = 5\n"
        "  qualifier                         = aws_lambda_alias.orders[0].name\n}\n\n"
        'variable "warm" {\n  default = 1\n}\n'
    )
    root = write_files(tmp_path, {"main.tf": tf})
    report = check_json(root, "--show-fixes", "--select", "LL202")
    assert [f["fix_unavailable"] for f in report["findings"]] == ["the configuration uses count: the scalable target needs the same count and index"], report["findings"]


def test_timeout_suggestion_edits_the_function_not_the_shared_globals(tmp_path):
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 120 # the batch jobs need it
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 1024
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders
            Method: get
  Batch:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 1024
"""
    root = write_files(tmp_path, {"template.yaml": template, "src/app.py": "def handler(event, context):\n    return 1\n"})
    report = check_json(root, "--show-fixes", "--select", "LL304")
    [finding] = report["findings"]
    edits = finding["fix"]["edits"]
    assert [e["content"] for e in edits] == ["      Timeout: 29\n"]
    assert edits[0]["start_byte"] == template.index("      CodeUri: src/")


def test_autoscaling_suggestion_takes_the_alias_from_sam_globals(tmp_path):
    template = (
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
        "Globals:\n  Function:\n    AutoPublishAlias: prod\n"
        "Resources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n      MemorySize: 1024\n"
        "      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 20\n"
    )
    root = write_files(tmp_path, {"template.yaml": template, "src/app.py": "def handler(event, context):\n    return 1\n"})
    report = check_json(root, "--show-fixes", "--select", "LL202")
    [finding] = report["findings"]
    [edit] = finding["fix"]["edits"]
    assert "      ResourceId: !Sub function:${Orders}:prod\n" in edit["content"] and edit["start_byte"] == len(template)
    (root / "template.yaml").write_text(template + edit["content"])
    assert check_json(root, "--select", "LL001,LL202")["findings"] == []
