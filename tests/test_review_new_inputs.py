"""Adversarial review of the CDK, Serverless Framework and Terraform module inputs (issue 14):
each test is an attack that once broke a run, lost results or read outside the project, written
as a whole small project run through the CLI, with a good project beside it whose findings must
survive."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import check_json, run_cli, write_files

PROJECTS = Path(__file__).resolve().parent / "fixtures" / "projects"

# a good SAM app checked beside every attack: its finding must still be there
GOOD = {
    "good/template.yaml": 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Good:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n      MemorySize: 1024\n',
    "good/src/app.py": "import boto3\n\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n    return s3\n",
}
GOOD_FINDING = ("LL101", "good/src/app.py", 5)
SNAPSTART_HANDLER = "import uuid\n\nimport boto3\n\nRUN_ID = str(uuid.uuid4())\n\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n    return s3\n"


def run_with_good(tmp_path: Path, files: dict, *extra: str) -> dict:
    write_files(tmp_path, {**GOOD, **files})
    report = check_json(tmp_path, *extra)
    assert GOOD_FINDING in {(f["rule"], f["path"], f["line"]) for f in report["findings"]}
    return report


def places(report: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["path"], f["line"]) for f in report["findings"]}


# ---------------------------------------------------------------- CDK


def _manifest(*stacks: str, **stages: str) -> str:
    artifacts = {s: {"type": "aws:cloudformation:stack", "properties": {"templateFile": f"{s}.template.json"}} for s in stacks}
    artifacts.update({name: {"type": "cdk:cloud-assembly", "properties": {"directoryName": folder}} for name, folder in stages.items()})
    return json.dumps({"version": "36.0.0", "artifacts": artifacts})


def _stack(asset: str, construct: str = "Shop/OrdersFn/Resource", **props) -> str:
    properties = {"Handler": "app.handler", "Runtime": "python3.12", "Code": {"S3Bucket": "b", "S3Key": "k.zip"}, "Role": "arn:aws:iam::123456789012:role/r", "MemorySize": 1024, **props}
    resource = {"Type": "AWS::Lambda::Function", "Properties": properties, "Metadata": {"aws:cdk:path": construct, "aws:asset:path": asset, "aws:asset:property": "Code"}}
    return json.dumps({"Resources": {"OrdersFn1A2B3C4D": resource}}, indent=1)


def test_cdk_asset_symlinked_outside_the_assembly_is_not_read(tmp_path):
    """An asset folder that is a symlink out of cdk.out (here to the interpreter's own library)
    must not bring files from outside the project into the scan."""
    outside = tmp_path / "outside"
    write_files(outside, {"lib/app.py": "import boto3\n\n\ndef handler(event, context):\n    return boto3.client('s3')\n"})
    files = {"app/cdk.out/manifest.json": _manifest("Shop"), "app/cdk.out/Shop.template.json": _stack("asset.out")}
    project = tmp_path / "project"
    write_files(project, {**GOOD, **files})
    os.symlink(outside / "lib", project / "app" / "cdk.out" / "asset.out")
    report = check_json(project)
    assert GOOD_FINDING in places(report)
    assert report["summary"]["files"] == 3  # the good app and the stack template, nothing of outside/
    assert not [f for f in report["findings"] if "asset.out" in f["path"]]


def test_cdk_stack_template_symlinked_outside_the_assembly_is_a_notice(tmp_path):
    (tmp_path / "secret.json").write_text('{"Resources": {}}')
    project = tmp_path / "project"
    write_files(project, {**GOOD, "app/cdk.out/manifest.json": _manifest("Shop")})
    os.symlink(tmp_path / "secret.json", project / "app" / "cdk.out" / "Shop.template.json")
    report = check_json(project)
    assert GOOD_FINDING in places(report)
    assert any(n["path"] == "app/cdk.out/manifest.json" and "outside the assembly" in n["message"] for n in report["notices"])
    assert not any(f["path"].endswith("Shop.template.json") for f in report["findings"])


def test_cdk_stage_stack_reads_the_assets_of_the_root_assembly(tmp_path):
    """A Stage (CDK Pipelines) writes its stacks to cdk.out/assembly-Prod/, but its assets stay in
    cdk.out/ and the stack names them ../asset.<hash>: the function keeps its code and settings."""
    files = {
        "app/functions/orders/app.py": SNAPSTART_HANDLER,
        "app/cdk.out/asset.abc123/app.py": SNAPSTART_HANDLER,
        "app/cdk.out/manifest.json": _manifest(Prod="assembly-Prod"),
        "app/cdk.out/assembly-Prod/manifest.json": _manifest("ProdShop"),
        "app/cdk.out/assembly-Prod/ProdShop.template.json": _stack("../asset.abc123", "Prod/Shop/OrdersFn/Resource", SnapStart={"ApplyOn": "PublishedVersions"}),
    }
    report = run_with_good(tmp_path, files)
    modules = {f["name"]: f["handler_module"] for f in report["functions"]}
    assert modules["OrdersFn1A2B3C4D"] == "app/functions/orders/app.py"
    # SnapStart's uniqueness rule needs the function's settings: it fires at the source line
    assert ("LL110", "app/functions/orders/app.py", 5) in places(report)
    assert not [f for f in report["findings"] if "asset.abc123" in f["path"]]


# ---------------------------------------------------------------- Terraform modules

MODULE_FN = """\
resource "aws_lambda_function" "this" {
  function_name = var.name
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  role          = "arn:aws:iam::123456789012:role/fn"
  memory_size   = var.memory
}

variable "name" {}
variable "memory" {}
"""


def test_module_source_climbing_out_of_the_scan_is_a_notice_at_the_call(tmp_path):
    """`source = "../../x"` past the scanned folder is not silently dropped."""
    files = {"infra/main.tf": 'module "outside" {\n  source = "../../../shared/fn"\n  name   = "x"\n}\n\nmodule "up" {\n  source = "../.."\n}\n'}
    report = run_with_good(tmp_path, files)
    notes = {(n["path"], n["line"], n["message"]) for n in report["notices"]}
    assert ("infra/main.tf", 1, "module.outside calls ../../../shared/fn, a folder outside the scanned tree: Lambda functions it creates are not checked") in notes
    assert ("infra/main.tf", 6, "module.up calls ../.., a folder outside the scanned tree: Lambda functions it creates are not checked") in notes


def test_module_calling_its_own_folder_is_one_loop_notice_not_an_unread_module(tmp_path):
    files = {"infra/main.tf": 'module "self" {\n  source = "."\n}\n\nmodule "fn" {\n  source = "./fn"\n  name   = "orders"\n  memory = 64\n}\n', "infra/fn/main.tf": MODULE_FN}
    report = run_with_good(tmp_path, files)
    messages = [n["message"] for n in report["notices"] if n["path"] == "infra/main.tf"]
    assert len(messages) == 1 and "a loop" in messages[0], messages
    # the other call is still read with its inputs
    assert ("LL305", "infra/fn/main.tf", 7) in places(report)


# ---------------------------------------------------------------- Serverless Framework

SLS_HEAD = "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n"


def test_functions_written_as_a_list_of_maps_and_files_are_all_read(tmp_path):
    """`functions:` may be a list (one map or ${file(...)} per group): every function is read."""
    files = {
        "svc/serverless.yml": SLS_HEAD + "functions:\n  - orders:\n      handler: handler.main\n      memorySize: 64\n  - ${file(./more-functions.yml)}\n",
        "svc/more-functions.yml": "billing:\n  handler: handler.main\n  timeout: 1000\n",
        "svc/handler.py": "def main(event, context):\n    return {}\n",
    }
    report = run_with_good(tmp_path, files)
    assert {f["name"] for f in report["functions"] if f["path"] == "svc/serverless.yml"} == {"orders", "billing"}
    got = places(report)
    assert ("LL305", "svc/serverless.yml", 4 + 4) in got  # memorySize: 64
    assert ("LL305", "svc/serverless.yml", 4 + 5) in got  # the file's timeout, where serverless.yml uses it


# ---------------------------------------------------------------- determinism across units


def _sweep(tmp_path: Path, files: dict, monkeypatch, unit_files: int, jobs: str = "1") -> str:
    """The JSON report of the tree, checked in units of ``unit_files`` files."""
    from lambdalint import units

    write_files(tmp_path, files)
    monkeypatch.setattr(units, "UNIT_FILES", unit_files)
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--select", "ALL", "--jobs", jobs], cwd=tmp_path)
    return out


FILLER = {f"{folder}/m{i}.py": "VALUE = 1\n" for folder in ("shop/services/other", "shop/infra/lib", "tf/envs/prod/lib", "tf/modules/other") for i in range(4)}


@pytest.mark.parametrize("git", [False, True])
def test_cdk_app_with_source_far_from_cdk_out_gives_the_same_report_split_or_not(tmp_path, monkeypatch, git):
    """The CDK app in shop/infra takes its code from shop/services/orders (fromAsset('../services/
    orders')): a sweep split into units must still map the asset to that source, as one run
    over the whole tree does, for any --jobs."""
    files = {
        **GOOD,
        **FILLER,
        "shop/services/orders/app.py": SNAPSTART_HANDLER,
        "shop/infra/cdk.out/asset.abc123/app.py": SNAPSTART_HANDLER,
        "shop/infra/cdk.out/manifest.json": _manifest("Shop"),
        "shop/infra/cdk.out/Shop.template.json": _stack("asset.abc123", SnapStart={"ApplyOn": "PublishedVersions"}),
        "tf/envs/prod/main.tf": 'module "fn" {\n  source = "../../modules/fn"\n  name   = "orders"\n  memory = 64\n}\n',
        "tf/envs/dev/main.tf.json": json.dumps({"module": {"fn": {"source": "../../modules/fn", "name": "orders-dev", "memory": 20000}}}, indent=1),
        "tf/modules/fn/main.tf": MODULE_FN,
    }
    if git:
        (tmp_path / "shop").mkdir()
        subprocess.run(["git", "init", "-q", str(tmp_path / "shop")], check=True)
    whole = _sweep(tmp_path, files, monkeypatch, 10**6)
    assert _sweep(tmp_path, files, monkeypatch, 3) == whole
    assert _sweep(tmp_path, files, monkeypatch, 3, "2") == whole
    report = json.loads(whole)
    assert ("LL110", "shop/services/orders/app.py", 5) in places(report)
    assert {("LL305", "tf/modules/fn/main.tf", 7)} <= places(report)
    assert not [f for f in report["findings"] if "asset.abc123" in f["path"]]


# ---------------------------------------------------------------- pre-commit mode

ARCHIVED_MODULE = """\
data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/../../../src/orders"
  output_path = "${path.module}/orders.zip"
}

resource "aws_lambda_function" "this" {
  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = data.archive_file.code.output_path
  role          = "arn:aws:iam::123456789012:role/orders"
  memory_size   = var.memory
  publish       = true

  snap_start {
    apply_on = "PublishedVersions"
  }
}

variable "memory" {}
"""


def test_pre_commit_on_a_handler_a_terraform_module_reaches_by_climbing_keeps_its_context(tmp_path):
    """The hook names only src/orders/app.py; the module that deploys it (with SnapStart) lives
    in infra/modules/fn and reaches it with ../../../src/orders: the handler is checked with
    that function's settings, and only findings in the named file are reported."""
    files = {
        "infra/main.tf": 'module "fn" {\n  source = "./modules/fn"\n  memory = 1024\n}\n',
        "infra/modules/fn/main.tf": ARCHIVED_MODULE,
        "src/orders/app.py": SNAPSTART_HANDLER,
    }
    write_files(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    code, out = run_cli(["check", "src/orders/app.py", "--format", "json", "--fail-on", "never", "--select", "ALL"], cwd=tmp_path)
    report = json.loads(out)
    assert places(report) == {("LL110", "src/orders/app.py", 5), ("LL101", "src/orders/app.py", 9)}
    assert [(f["name"], f["handler_module"]) for f in report["functions"]] == [("fn", "src/orders/app.py")]


# ---------------------------------------------------------------- wording

# property names of the other formats: a serverless.yml user never writes them
FOREIGN_WORDS = re.compile(r"MemorySize|ReservedConcurrentExecutions|AutoPublishAlias|FunctionResponseTypes|DestinationConfig|ProvisionedConcurrencyConfig|memory_size|reserved_concurrent|tracing_config|DeadLetterQueue|CodeUri|aws_lambda|aws_appautoscaling|AWS::|lambda:function:ProvisionedConcurrency")

BUSY_SERVICE = """\
service: shop
provider:
  name: aws
  runtime: python3.8
functions:
  orders:
    handler: handler.main
    memorySize: 128
    timeout: 60
    reservedConcurrency: 5
    provisionedConcurrency: 10
    snapStart: true
    environment:
      DB_PASSWORD: hunter2hunter2
    url: true
    events:
      - http: {path: /orders, method: get}
      - sqs: arn:aws:sqs:us-east-1:123456789012:orders
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/orders
      - s3: uploads
"""


def test_serverless_messages_speak_the_frameworks_keys_only(tmp_path):
    files = {"svc/serverless.yml": BUSY_SERVICE, "svc/handler.py": "def main(event, context):\n    return {}\n"}
    report = run_with_good(tmp_path, files, "--show-fixes")
    mine = [f for f in report["findings"] if f["path"] == "svc/serverless.yml"]
    assert {"LL202", "LL204", "LL211", "LL304", "LL404", "LL406", "LL407", "LL501", "LL503"} <= {f["rule"] for f in mine}
    assert [(f["rule"], FOREIGN_WORDS.findall(f["message"])) for f in mine if FOREIGN_WORDS.search(f["message"])] == []
    autoscaling = next(f for f in mine if f["rule"] == "LL202")
    assert "concurrencyAutoscaling" in autoscaling["message"]


def test_a_big_list_named_by_many_keys_is_not_copied_without_bound(tmp_path):
    """${self:custom.big} used 400 times copies a 50,000-item list each time (20 million nodes
    from a 200 KB file): the copies count against the service's node budget, so the rest become
    unknown and the service is still checked."""
    big = "[" + ",".join(["1"] * 50_000) + "]"
    uses = "".join(f"  copy{i}: ${{self:custom.big}}\n" for i in range(400))
    service = SLS_HEAD + "custom:\n  big: " + big + "\n  memory: 64\n" + uses + "functions:\n  orders:\n    handler: handler.main\n    memorySize: ${self:custom.memory}\n"
    files = {"svc/serverless.yml": service, "svc/handler.py": "def main(event, context):\n    return {}\n"}
    report = run_with_good(tmp_path, files)
    assert ("LL305", "svc/serverless.yml", service.count("\n")) in places(report)  # memorySize, the last line


def test_service_copies_have_a_node_budget(tmp_path):
    from lambdalint.documents.serverless import parse_serverless
    from lambdalint.formats.serverless import resolve

    path = tmp_path / "serverless.yml"
    path.write_text(SLS_HEAD + "custom:\n  big: [" + ",".join(["1"] * 1000) + "]\n" + "".join(f"  copy{i}: ${{self:custom.big}}\n" for i in range(300)) + "functions: {}\n")
    doc, failure = parse_serverless(str(path), "serverless.yml")
    tree = resolve.Service(doc).resolved()
    custom = tree.get("custom").value
    copied = [k for k, v in custom.items() if k.startswith("copy") and isinstance(v.value, list)]
    unknown = [k for k, v in custom.items() if k.startswith("copy") and resolve.is_unresolved(v)]
    assert len(copied) < 300 and len(copied) + len(unknown) == 300
    assert len(copied) * 1000 <= resolve.MAX_NODES


def test_pre_commit_on_a_cdk_handler_outside_the_app_folder_keeps_its_context(tmp_path):
    """The CDK app is shop/infra (cdk.out there) and its code shop/services/orders: naming the
    handler alone still reads the synthesized stack that deploys it."""
    files = {
        "shop/services/orders/app.py": SNAPSTART_HANDLER,
        "shop/infra/cdk.out/asset.abc123/app.py": SNAPSTART_HANDLER,
        "shop/infra/cdk.out/manifest.json": _manifest("Shop"),
        "shop/infra/cdk.out/Shop.template.json": _stack("asset.abc123", SnapStart={"ApplyOn": "PublishedVersions"}),
        "shop/other/cdk.out/manifest.json": _manifest("Other"),
        "shop/other/cdk.out/Other.template.json": _stack("asset.def456", "Other/Fn/Resource"),
        "shop/other/cdk.out/asset.def456/index.py": "def handler(event, context):\n    return {}\n",
    }
    write_files(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    code, out = run_cli(["check", "shop/services/orders/app.py", "--format", "json", "--fail-on", "never", "--select", "ALL"], cwd=tmp_path)
    report = json.loads(out)
    assert places(report) == {("LL110", "shop/services/orders/app.py", 5), ("LL101", "shop/services/orders/app.py", 9)}
    assert [(f["name"], f["handler_module"]) for f in report["functions"]] == [("OrdersFn1A2B3C4D", "shop/services/orders/app.py")]


def test_terraform_json_label_levels_given_as_arrays_of_objects_are_read(tmp_path):
    """JSON cannot repeat a key, so HCL's JSON syntax lets any level be an array of objects
    (`"resource": [{"aws_lambda_function": {...}}, ...]`): each element is read, none lost."""
    fn = {"function_name": "orders", "handler": "app.handler", "runtime": "python3.12", "filename": "f.zip", "role": "arn:aws:iam::123456789012:role/r", "memory_size": 64}
    body = {"resource": [{"aws_lambda_function": {"orders": fn}}, {"aws_lambda_function": [{"billing": {**fn, "function_name": "billing", "memory_size": 100000}}]}]}
    text = json.dumps(body, indent=1)
    report = run_with_good(tmp_path, {"infra/main.tf.json": text})
    assert not [f for f in report["findings"] if f["rule"] == "LL001"]
    assert {f["name"] for f in report["functions"] if f["path"] == "infra/main.tf.json"} == {"orders", "billing"}
    assert [f["line"] for f in report["findings"] if f["rule"] == "LL305"] == [i + 1 for i, line in enumerate(text.splitlines()) if '"memory_size"' in line]


def test_file_sources_that_are_huge_a_directory_binary_or_a_symlink_loop_are_unknown(tmp_path):
    """${file(...)} naming a 3 GB (sparse) file, a folder, a binary file, a symlink loop, the
    service itself or a path out of the project: each value is unknown (never a reason to fire,
    never read into memory), and the service's other functions are still checked."""
    service = SLS_HEAD + (
        "custom:\n"
        "  huge: ${file(./huge.yml):memory}\n"
        "  folder: ${file(./conf):memory}\n"
        "  binary: ${file(./binary.yml):memory}\n"
        "  loop: ${file(./loop.yml):memory}\n"
        "  itself: ${file(./serverless.yml):custom.itself}\n"
        "  outside: ${file(../../../../etc/hostname)}\n"
        "functions:\n"
    )
    for i, key in enumerate(("huge", "folder", "binary", "loop", "itself", "outside")):
        service += f"  fn{i}:\n    handler: handler.main\n    memorySize: ${{self:custom.{key}}}\n    timeout: ${{self:custom.{key}}}\n"
    service += "  plain:\n    handler: handler.main\n    memorySize: 64\n"
    files = {"svc/serverless.yml": service, "svc/handler.py": "def main(event, context):\n    return {}\n", "svc/conf/memory": "64\n", "svc/binary.yml": b"memory: 64\n\x00\x01\x02"}
    write_files(tmp_path, files)
    with open(tmp_path / "svc" / "huge.yml", "wb") as handle:
        handle.write(b"memory: 64\n")
        handle.truncate(3 * 1024**3)
    os.symlink("loop.yml", tmp_path / "svc" / "loop.yml")
    report = run_with_good(tmp_path, {}, "--select", "LL101,LL302,LL305,LL304,LL001")
    mine = [(f["rule"], f["line"]) for f in report["findings"] if f["path"].startswith("svc/")]
    assert mine == [("LL305", service.count("\n"))], mine


# ---------------------------------------------------------------- internal failures


def test_a_crash_while_following_modules_is_one_ll001_and_the_roots_are_still_checked(tmp_path, monkeypatch):
    """A bug in module expansion (simulated) must not end the run: one LL001 names it, the
    root's own function and every other project are still checked."""
    import lambdalint.formats.terraform.modules as modules

    def explode(caller, block):
        raise RuntimeError("simulated module bug")

    monkeypatch.setattr(modules, "_elements", explode)
    monkeypatch.setattr(modules, "_last", ((), None))
    own = MODULE_FN.replace("var.name", '"own"').replace("var.memory", "64").replace('variable "name" {}\nvariable "memory" {}\n', "")
    files = {"infra/main.tf": 'module "fn" {\n  source = "./fn"\n  name   = "orders"\n  memory = 64\n}\n\n' + own, "infra/fn/main.tf": MODULE_FN}
    report = run_with_good(tmp_path, files)
    failures = [f for f in report["findings"] if f["rule"] == "LL001"]
    assert len(failures) == 1 and "simulated module bug" in failures[0]["message"]
    assert ("LL305", "infra/main.tf", 6 + 7) in places(report)


def test_a_crash_while_reading_a_cdk_stack_is_one_ll001_and_the_rest_is_checked(tmp_path, monkeypatch):
    import lambdalint.formats.cdk.records as cdk_records

    def explode(*args):
        raise RuntimeError("simulated CDK bug")

    monkeypatch.setattr(cdk_records, "_as_cdk", explode)
    files = {"app/cdk.out/manifest.json": _manifest("Shop"), "app/cdk.out/Shop.template.json": _stack("asset.abc123"), "app/cdk.out/asset.abc123/app.py": SNAPSTART_HANDLER}
    report = run_with_good(tmp_path, files)
    failures = [f for f in report["findings"] if f["rule"] == "LL001"]
    assert [f["path"] for f in failures] == ["app/cdk.out/Shop.template.json"] and "simulated CDK bug" in failures[0]["message"]


def test_a_boolean_where_a_number_goes_is_unknown_not_one(tmp_path):
    """`memorySize: true` is no 1 MB and `reservedConcurrency: false` no 0 (a disabled
    function): neither is reported as a number."""
    service = SLS_HEAD + "functions:\n  orders:\n    handler: handler.main\n    memorySize: true\n    timeout: yes\n    reservedConcurrency: false\n"
    report = run_with_good(tmp_path, {"svc/serverless.yml": service, "svc/handler.py": "def main(event, context):\n    return {}\n"})
    mine = {(f["rule"], f["line"]) for f in report["findings"] if f["path"] == "svc/serverless.yml"}
    assert not {rule for rule, _ in mine} & {"LL302", "LL305", "LL401", "LL403", "LL301"}, mine


# ---------------------------------------------------------------- unknown values


def test_unknown_concurrency_never_fires_in_any_new_format(tmp_path):
    """${ssm:}/${param:}/${cf:} concurrency in serverless.yml, a module input from a variable
    without default, a CDK CfnParameter: no concurrency rule fires on what only deploy time
    knows, while the same rules still fire on a literal beside them."""
    service = SLS_HEAD + (
        "functions:\n"
        "  orders:\n    handler: handler.main\n    reservedConcurrency: ${ssm:/shop/reserved}\n    provisionedConcurrency: ${param:warm}\n"
        "  billing:\n    handler: handler.main\n    reservedConcurrency: 1\n    provisionedConcurrency: ${cf:shared.warm}\n"
        "  known:\n    handler: handler.main\n    reservedConcurrency: 1\n    provisionedConcurrency: 5\n"
    )
    module = MODULE_FN.replace("  memory_size   = var.memory\n", "  memory_size   = var.memory\n  reserved_concurrent_executions = var.reserved\n  publish = true\n") + 'variable "reserved" {}\n\nresource "aws_lambda_alias" "live" {\n  name             = "live"\n  function_name    = aws_lambda_function.this.function_name\n  function_version = aws_lambda_function.this.version\n}\n\nresource "aws_lambda_provisioned_concurrency_config" "live" {\n  function_name                     = aws_lambda_function.this.function_name\n  qualifier                         = aws_lambda_alias.live.name\n  provisioned_concurrent_executions = var.warm\n}\n\nvariable "warm" {}\n'
    stack = json.loads(_stack("asset.abc123", ReservedConcurrentExecutions={"Ref": "Reserved"}))
    stack["Parameters"] = {"Reserved": {"Type": "Number"}}
    files = {
        "svc/serverless.yml": service,
        "svc/handler.py": "def main(event, context):\n    return {}\n",
        "infra/main.tf": 'variable "reserved" {}\nvariable "warm" {}\n\nmodule "fn" {\n  source   = "./fn"\n  name     = "orders"\n  memory   = 1024\n  reserved = var.reserved\n  warm     = var.warm\n}\n',
        "infra/fn/main.tf": module,
        "app/cdk.out/manifest.json": _manifest("Shop"),
        "app/cdk.out/Shop.template.json": json.dumps(stack, indent=1),
        "app/cdk.out/asset.abc123/app.py": "def handler(event, context):\n    return {}\n",
    }
    report = run_with_good(tmp_path, files, "--select", "LL101,LL201,LL202,LL203,LL204,LL401,LL403")
    fired = sorted((f["rule"], f["path"], f["message"].split(" ")[0] if f["rule"] == "LL401" else "") for f in report["findings"] if not f["path"].startswith("good/"))
    known_line = service.count("\n")
    assert [(f["rule"], f["line"]) for f in report["findings"] if f["path"] == "svc/serverless.yml"] == [("LL202", known_line), ("LL204", known_line)], fired
    assert not [f for f in report["findings"] if f["path"].startswith(("infra/", "app/"))], fired
