"""Terraform local modules and Terraform JSON syntax (issue 14, parts 3 and 4).

The fixtures under tests/fixtures/projects/tfmod-*/ are written the way real roots are: a root
calling ./modules/service, which calls ../fn twice; module calls with literal inputs, inputs from
the root's variables and tfvars, unknown inputs, count = 0 and an unknown count; a root in
.tf.json beside .tf. A ``# expect: LLNNN`` comment at the end of a .tf line means that line
must be reported for that rule; every finding of the checked rules must be so annotated (the
module's poor defaults, never used as such, must not be reported)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import check_json, run_cli, write_files

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
NESTED = PROJECTS / "tfmod-nested"
JSON_ROOT = PROJECTS / "tfmod-json"
CONFIG_RULES = "LL2,LL3,LL5"
EXPECT = re.compile(r"#\s*expect:\s*(LL\d{3}(?:\s*,\s*LL\d{3})*)\s*$")


def expectations(root: Path) -> set[tuple[str, int, str]]:
    out = set()
    for path in sorted(root.rglob("*.tf")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            m = EXPECT.search(line)
            if m:
                out |= {(path.relative_to(root).as_posix(), number, rule) for rule in re.split(r"\s*,\s*", m.group(1))}
    return out


def findings(root: Path, select: str = CONFIG_RULES) -> list[dict]:
    return check_json(root, "--select", select)["findings"]


def test_nested_modules_report_at_the_module_line_exactly_where_annotated():
    found = findings(NESTED)
    assert {(f["path"], f["line"], f["rule"]) for f in found} == expectations(NESTED)


def test_each_module_call_is_its_own_function():
    report = check_json(NESTED, "--select", CONFIG_RULES)
    names = sorted(f["address"].split("#", 1)[1] for f in report["functions"])
    # checkout and reporting call ./modules/service, which calls ../fn twice; legacy has
    # count = 0 and creates nothing; the folders modules/fn and modules/service are no roots
    assert names == [
        "module.checkout.module.api.aws_lambda_function.this",
        "module.checkout.module.worker.aws_lambda_function.this",
        "module.edge.aws_lambda_function.this",
        "module.reporting.module.api.aws_lambda_function.this",
        "module.reporting.module.worker.aws_lambda_function.this",
        "module.secrets.aws_lambda_function.this",
    ]
    by_name = {f["address"].split("#", 1)[1]: f for f in report["functions"]}
    # inputs bound through two levels: literal, the service's default, the root's tfvars
    assert by_name["module.checkout.module.api.aws_lambda_function.this"]["settings"]["memory"]["value"] == 512
    assert by_name["module.checkout.module.worker.aws_lambda_function.this"]["settings"]["timeout"]["value"] == 60
    assert by_name["module.reporting.module.worker.aws_lambda_function.this"]["settings"]["timeout"]["value"] == 1200


def test_findings_inside_a_module_name_the_calls_that_reach_it():
    found = findings(NESTED)
    (pc,) = [f for f in found if f["rule"] == "LL201"]
    assert "module.checkout.module.api.aws_lambda_function.this" in pc["message"]
    related = [(r["path"], r["line"]) for r in pc["related"]]
    assert related == [("modules/service/main.tf", 27), ("main.tf", 4)]


def test_unknown_inputs_and_unknown_counts_never_fire():
    found = findings(NESTED)
    # module.secrets passes a timeout nothing resolves and a sensitive variable: silent
    assert not [f for f in found if "module.secrets" in f["message"]]
    # module.legacy (count = 0) passes python3.7: nothing, since it creates nothing
    assert not [f for f in found if "python3.7" in f["message"]]


def test_a_module_folder_called_by_a_root_is_not_checked_alone_with_its_defaults():
    # modules/fn's default runtime python3.8 would be LL306 on its own; only checkout's API
    # (which passes python3.8 itself) is reported, once
    found = [f for f in findings(NESTED, "LL306")]
    assert [(f["path"], f["line"]) for f in found] == [("modules/fn/main.tf", 60)]
    assert "module.checkout.module.api" in found[0]["message"]
    # checked on its own, the folder is a root and its defaults are what it deploys
    alone = findings(NESTED / "modules" / "fn", "LL306")
    assert [(f["path"], f["line"]) for f in alone] == [("main.tf", 60)]


def test_one_module_called_twice_with_the_same_values_reports_once_with_both_calls(tmp_path):
    module = 'variable "runtime" {}\n\nresource "aws_lambda_function" "this" {\n  function_name = "fn"\n  role          = "arn:aws:iam::123456789012:role/r"\n  runtime       = var.runtime\n  handler       = "app.handler"\n  s3_bucket     = "b"\n  s3_key        = "k.zip"\n}\n'
    write_files(
        tmp_path,
        {
            "modules/fn/main.tf": module,
            "dev/main.tf": 'module "fn" {\n  source  = "../modules/fn"\n  runtime = "python3.8"\n}\n',
            "prod/main.tf": 'module "fn" {\n  source  = "../modules/fn"\n  runtime = "python3.8"\n}\n',
        },
    )
    found = findings(tmp_path, "LL306")
    assert len(found) == 1
    assert (found[0]["path"], found[0]["line"]) == ("modules/fn/main.tf", 6)
    assert sorted((r["path"], r["line"]) for r in found[0]["related"]) == [("dev/main.tf", 1), ("prod/main.tf", 1)]


def test_module_output_in_the_root_names_the_module_function(tmp_path):
    module = (
        'variable "name" {}\n\nresource "aws_lambda_function" "this" {\n  function_name = var.name\n'
        '  role          = "arn:aws:iam::123456789012:role/r"\n  runtime       = "python3.12"\n  handler       = "app.handler"\n'
        '  s3_bucket     = "b"\n  s3_key        = "k.zip"\n}\n\noutput "function_name" {\n  value = aws_lambda_function.this.function_name\n}\n'
    )
    root = (
        'module "orders" {\n  source = "./modules/fn"\n  name   = "orders"\n}\n\n'
        'resource "aws_lambda_provisioned_concurrency_config" "orders" {\n'
        "  function_name                     = module.orders.function_name\n"
        '  qualifier                         = "$LATEST"\n'
        "  provisioned_concurrent_executions = 5\n}\n"
    )
    write_files(tmp_path, {"modules/fn/main.tf": module, "main.tf": root})
    found = findings(tmp_path, "LL201")
    assert [(f["path"], f["line"]) for f in found] == [("main.tf", 8)]
    assert "module.orders.aws_lambda_function.this" in found[0]["message"]


def test_terraform_json_root_beside_hcl():
    found = findings(JSON_ROOT, CONFIG_RULES + ",LL101")
    assert sorted((f["path"], f["line"], f["rule"]) for f in found) == [
        ("main.tf.json", 8, "LL306"),  # "runtime": "python3.8"
        ("main.tf.json", 17, "LL501"),  # the STRIPE_SECRET_KEY entry
        ("main.tf.json", 31, "LL305"),  # "timeout": "${var.search_timeout}", 1200 from terraform.tfvars.json
        ("main.tf.json", 37, "LL201"),  # qualifier = .version without publish
        ("modules/fn/main.tf.json", 16, "LL305"),  # the module's timeout, 1000 from the call
        ("src/orders/app.py", 5, "LL101"),  # code linked through data.archive_file in iam.tf
    ]
    report = check_json(JSON_ROOT, "--select", CONFIG_RULES)
    assert len(report["functions"]) == 3  # search's memory is unknown (no default): silent


def test_terraform_json_values_are_read_like_hcl(tmp_path):
    from lambdalint.documents.nodes import Expr, HclTemplateString
    from lambdalint.documents.terraform import parse_tf

    write_files(
        tmp_path,
        {
            "main.tf.json": json.dumps(
                {
                    "variable": {"x": {"default": "${not.an.expression}"}},
                    "module": {"m": {"source": "./m", "count": "${var.n}"}},
                    "resource": {
                        "aws_lambda_function": {
                            "f": [
                                {
                                    "function_name": "fn-${var.x}",
                                    "runtime": "$${literal}",
                                    "dynamic": {"tracing_config": {"for_each": "${var.t}", "content": {"mode": "Active"}}},
                                    "tags": {"environment": "prod"},
                                }
                            ]
                        }
                    },
                },
                indent=2,
            )
        },
    )
    doc, failure = parse_tf(str(tmp_path / "main.tf.json"), "main.tf.json")
    assert failure is None
    variable, module, function = doc.blocks
    assert variable.attr("default").value == "${not.an.expression}"  # a default is a literal
    assert module.attr("source").value == "./m" and module.attr("count").value == Expr("var.n")
    assert function.labels == ["aws_lambda_function", "f"]
    assert function.attr("function_name").value == HclTemplateString("fn-${var.x}")
    assert function.attr("runtime").value == "${literal}"
    assert function.attr("tags").value == {"environment": "prod"}  # an argument, not a block
    (dynamic,) = function.children("dynamic")
    assert dynamic.labels == ["tracing_config"] and dynamic.children("content")[0].attr("mode").value == "Active"
    assert (function.line, function.attr("runtime").line) == (15, 18)  # the "f" key, the "runtime" key


@pytest.mark.parametrize(
    "text, reason",
    [
        ('{"resource": {"aws_lambda_function": {"f": {"runtime": }}}}', "Terraform JSON syntax error"),
        ("[1, 2]", "must be an object"),
        ('{"resource": {"aws_lambda_function": "oops"}}', "needs an object of labels"),
        ('{"resource": ' * 400 + "{}" + "}" * 400, "Terraform JSON"),
    ],
)
def test_bad_terraform_json_is_one_ll001_and_the_rest_is_checked(tmp_path, text, reason):
    write_files(
        tmp_path,
        {
            "bad/main.tf.json": text,
            "good/main.tf": 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  role = "r"\n  runtime = "python3.8"\n  handler = "app.handler"\n  s3_bucket = "b"\n  s3_key = "k"\n}\n',
        },
    )
    found = findings(tmp_path, "LL001,LL306")
    ll001 = [f for f in found if f["rule"] == "LL001"]
    assert [f["path"] for f in ll001] == ["bad/main.tf.json"] and reason in ll001[0]["message"]
    assert [(f["path"], f["rule"]) for f in found if f["rule"] == "LL306"] == [("good/main.tf", "LL306")]


def test_module_loops_depth_and_missing_folders_are_notices_not_crashes(tmp_path):
    fn = 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  role = "r"\n  runtime = "python3.8"\n  handler = "app.handler"\n  s3_bucket = "b"\n  s3_key = "k"\n}\n'
    files = {
        "main.tf": 'module "a" {\n  source = "./a"\n}\n\nmodule "gone" {\n  source = "./missing"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + fn,
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n\nmodule "self" {\n  source = "./"\n}\n',
    }
    # a chain deeper than the limit
    for i in range(12):
        files[f"deep/l{i}/main.tf"] = f'module "next" {{\n  source = "../l{i + 1}"\n}}\n'
    files["deep/l12/main.tf"] = fn
    write_files(tmp_path, files)
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--select", "LL306"], cwd=tmp_path)
    report = json.loads(out)
    notices = {(n["path"], n["line"]): n["message"] for n in report["notices"]}
    assert "a loop" in notices[("b/main.tf", 1)]
    assert "a loop" in notices[("b/main.tf", 5)]
    assert "holds no .tf file" in notices[("main.tf", 5)]
    assert any("nested more than" in m for (p, _), m in notices.items() if p.startswith("deep/"))
    # the function in a/ is still checked, once, as module.a
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [("a/main.tf", "LL306")]


def test_registry_and_git_modules_inside_a_local_module_get_a_notice(tmp_path):
    write_files(
        tmp_path,
        {
            "main.tf": 'module "svc" {\n  source = "./svc"\n}\n',
            "svc/main.tf": 'module "queue" {\n  source  = "terraform-aws-modules/sqs/aws"\n  version = "~> 4.0"\n}\n',
        },
    )
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never"], cwd=tmp_path)
    notices = {(n["path"], n["line"]): n["message"] for n in json.loads(out)["notices"]}
    assert notices[("svc/main.tf", 1)].startswith("module.queue comes from terraform-aws-modules/sqs/aws")


def test_output_is_the_same_for_any_number_of_jobs():
    outs = set()
    for jobs in ("1", "2"):
        code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--select", "ALL", "--jobs", jobs], cwd=NESTED)
        outs.add(out)
    assert len(outs) == 1


def test_pre_commit_on_a_module_file_reads_the_roots_that_call_it(tmp_path):
    import shutil
    import subprocess

    shutil.copytree(NESTED, tmp_path / "repo")
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    # only the module file is named (a hook on a commit that changed it)
    code, out = run_cli(["check", "modules/fn/main.tf", "--format", "json", "--fail-on", "never", "--select", CONFIG_RULES], cwd=repo)
    found = {(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]}
    assert found == {e for e in expectations(NESTED) if e[0] == "modules/fn/main.tf"}
    # and the root named alone still sees its modules (the secret it passes is reported)
    code, out = run_cli(["check", "main.tf", "--format", "json", "--fail-on", "never", "--select", CONFIG_RULES], cwd=repo)
    assert {(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]} == {e for e in expectations(NESTED) if e[0] == "main.tf"}


def test_module_calls_fanning_out_stop_with_a_notice(tmp_path):
    # ten calls per level, five levels: 100,000 instances if nothing stopped them
    files = {"main.tf": "".join(f'module "m{i}" {{\n  source = "./l1"\n}}\n' for i in range(10))}
    for level in range(1, 5):
        files[f"l{level}/main.tf"] = "".join(f'module "m{i}" {{\n  source = "../l{level + 1}"\n}}\n' for i in range(10))
    files["l5/main.tf"] = 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  role = "r"\n  runtime = "python3.12"\n  handler = "app.handler"\n  s3_bucket = "b"\n  s3_key = "k"\n}\n'
    write_files(tmp_path, files)
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", "--select", "LL306"], cwd=tmp_path)
    report = json.loads(out)
    assert any("module instances; further ones are not followed" in n["message"] for n in report["notices"])
    assert 0 < len(report["functions"]) <= 500


def test_parity_app_in_module_form_gives_the_same_rule_function_set():
    """tests/fixtures/projects/parity-terraform-module: the parity app with each function from a
    local ./modules/fn (part 5 of the issue wires it into test_parity.py with the other formats)."""
    from lambdalint.config import Settings
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all, run
    from lambdalint.rules.registry import load_rules

    from . import test_parity

    rules = load_rules()
    target = PROJECTS / "parity-terraform-module"
    result = run([str(target)], Settings(), rules, set(rules), root=PROJECTS)
    files, _ = discover([str(target)], PROJECTS)
    project = build_project(parse_all(files, 1), PROJECTS, Settings())
    assert {test_parity.norm(f.name) for f in project.functions} == test_parity.FUNCTIONS
    got = {(f.rule_id, test_parity.function_of(f, project)) for f in result.findings}
    assert got == test_parity.EXPECTED


def test_for_each_on_a_module_call_makes_one_instance_per_element(tmp_path):
    module = (
        'variable "name" {}\nvariable "runtime" {}\nvariable "memory" {\n  default = 256\n}\n\n'
        'resource "aws_lambda_function" "this" {\n  function_name = var.name\n  role          = "arn:aws:iam::123456789012:role/r"\n'
        "  runtime       = var.runtime\n  memory_size   = var.memory\n  handler       = \"app.handler\"\n  s3_bucket     = \"b\"\n  s3_key        = \"k.zip\"\n}\n"
    )
    root = (
        "locals {\n  functions = {\n    orders = { runtime = \"python3.12\" }\n    legacy = { runtime = \"python3.8\", memory = 512 }\n  }\n}\n\n"
        'module "fns" {\n  for_each = local.functions\n  source   = "./modules/fn"\n  name     = "svc-${each.key}"\n'
        "  runtime  = each.value.runtime\n  memory   = lookup(each.value, \"memory\", 256)\n}\n\n"
        'module "stages" {\n  for_each = toset(["dev", "prod"])\n  source   = "./modules/fn"\n  name     = "api-${each.value}"\n  runtime  = "python3.12"\n}\n'
    )
    write_files(tmp_path, {"modules/fn/main.tf": module, "main.tf": root})
    report = check_json(tmp_path, "--select", "LL306")
    names = sorted((f["name"], f["address"].split("#")[1]) for f in report["functions"])
    assert names == [
        ("dev", 'module.stages["dev"].aws_lambda_function.this'),
        ("legacy", 'module.fns["legacy"].aws_lambda_function.this'),
        ("orders", 'module.fns["orders"].aws_lambda_function.this'),
        ("prod", 'module.stages["prod"].aws_lambda_function.this'),
    ]
    (finding,) = report["findings"]
    assert (finding["path"], finding["line"]) == ("modules/fn/main.tf", 10)
    assert 'module.fns["legacy"]' in finding["message"] and [r["line"] for r in finding["related"]] == [8]
    # lookup(...) is not resolved: the memory stays unknown rather than the module default
    memory = {f["name"]: f["settings"]["memory"] for f in report["functions"]}
    assert memory["orders"]["state"] == "unknown"


# a copy of terraform-aws-modules/lambda kept in the repository (vendored, or the module's own
# examples calling "../../"): its function comes from the inputs through for_each and dynamic
# blocks, so following the folder would lose the code, the triggers and the event sources
_LAMBDA_MODULE_COPY = {
    "vendor/terraform-aws-lambda/variables.tf": "".join(
        f'variable "{name}" {{\n  default = {default}\n}}\n\n'
        for name, default in [
            ("function_name", '""'), ("handler", '""'), ("runtime", '"python3.8"'), ("memory_size", "128"),
            ("source_path", "null"), ("create_async_event_config", "false"), ("allowed_triggers", "{}"), ("event_source_mapping", "{}"),
        ]
    ),
    "vendor/terraform-aws-lambda/main.tf": (
        'resource "aws_lambda_function" "this" {\n  function_name = var.function_name\n  role          = "arn:aws:iam::123456789012:role/r"\n'
        "  handler       = var.handler\n  runtime       = var.runtime\n  memory_size   = var.memory_size\n  filename      = local.archive\n}\n\n"
        'resource "aws_lambda_event_source_mapping" "this" {\n  for_each          = var.event_source_mapping\n'
        "  function_name     = aws_lambda_function.this.arn\n  event_source_arn  = each.value.event_source_arn\n"
        '  starting_position = try(each.value.starting_position, null)\n  dynamic "destination_config" {\n'
        '    for_each = try(each.value.destination_arn_on_failure, null) != null ? [true] : []\n    content {\n      on_failure {\n'
        "        destination_arn = each.value.destination_arn_on_failure\n      }\n    }\n  }\n}\n"
    ),
}


def test_a_local_copy_of_the_lambda_module_is_read_from_its_inputs(tmp_path):
    root = (
        'module "thumbnails" {\n'  # 1
        '  source        = "./vendor/terraform-aws-lambda"\n'
        '  function_name = "thumbnails"\n'
        '  handler       = "app.handler"\n'
        '  runtime       = "python3.12"\n'  # 5
        "  memory_size   = 1024\n"
        '  source_path   = "${path.module}/src"\n'
        "  allowed_triggers = {\n"
        "    Uploads = {\n"
        '      principal  = "s3.amazonaws.com"\n'  # 10
        '      source_arn = "arn:aws:s3:::uploads"\n'
        "    }\n"
        "  }\n"
        "  event_source_mapping = {\n"
        "    clicks = {\n"  # 15
        '      event_source_arn  = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"\n'
        '      starting_position = "LATEST"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    handler = 'import boto3\n\n\ndef handler(event, context):\n    s3 = boto3.client("s3")\n    return s3.list_buckets()\n'
    write_files(tmp_path, {**_LAMBDA_MODULE_COPY, "main.tf": root, "src/app.py": handler})
    report = check_json(tmp_path, "--select", "LL002,LL101,LL306,LL404,LL407")
    assert sorted((f["rule"], f["path"], f["line"]) for f in report["findings"]) == [
        ("LL101", "src/app.py", 5),
        ("LL404", "main.tf", 1),
        ("LL407", "main.tf", 14),
    ]
    assert not [n for n in report["notices"] if "vendor" in n["message"]]
    assert [(f["name"], f["handler_module"]) for f in report["functions"]] == [("thumbnails", "src/app.py")]
