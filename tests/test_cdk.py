"""AWS CDK through its cloud assembly (cdk.out): what must fire, what must not, and where.

Fixtures are real CDK apps synthesized with `cdk synth` (aws-cdk-lib 2.x, Node.js 20), committed
with their cdk.out (without node_modules): tests/fixtures/projects/cdk-shop (five functions in one
stack), cdk-nested (a nested stack, an SQS event source and an esbuild-bundled NodejsFunction)
and parity-cdk (the parity app). To regenerate one: `npm install aws-cdk-lib constructs aws-cdk
esbuild` in a scratch folder, link its node_modules into the app, run `npx cdk synth --quiet`.

Config findings point at the synthesized template's lines and name the construct path; code
findings land in the repository's source file the asset was copied from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lambdalint.config import Settings
from lambdalint.engine import run
from lambdalint.rules.registry import load_rules

from .conftest import check_json, run_cli, write_files
from .helpers import line_of

PROJECTS = Path(__file__).resolve().parent / "fixtures" / "projects"
SHOP = PROJECTS / "cdk-shop"
NESTED = PROJECTS / "cdk-nested"
PARITY = PROJECTS / "parity-cdk"
SHOP_TEMPLATE = "cdk.out/ShopStack.template.json"
NESTED_TEMPLATE = "cdk.out/PortalStackReporting4A961345.nested.template.json"
PARENT_TEMPLATE = "cdk.out/PortalStack.template.json"


def at(project: Path, template: str, needle: str) -> tuple[str, int]:
    return template, line_of((project / template).read_text(encoding="utf-8"), needle)


def findings(project: Path, *extra: str) -> list[dict]:
    return check_json(project, *extra)["findings"]


def places(project: Path, *extra: str) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["path"], f["line"]) for f in findings(project, *extra)}


def test_shop_findings_exact_lines():
    resource = lambda logical_id: at(SHOP, SHOP_TEMPLATE, f'"{logical_id}": {{')  # noqa: E731
    orders, thumbs, checkout, ledger, catalog = (resource(i) for i in ("OrdersFnC7735A71", "ThumbnailsFn776EB257", "CheckoutFn6FADEFB2", "LedgerFn20FD8AC2", "CatalogFnBCFD74AE"))
    # the alias of $LATEST: reported at its FunctionVersion
    pc_on_latest = (SHOP_TEMPLATE, line_of((SHOP / SHOP_TEMPLATE).read_text(), '"FunctionVersion": "$LATEST"'))
    expected = {
        ("LL201", *pc_on_latest),
        ("LL301", *thumbs),  # PIL at the 128 MB default
        ("LL401", *thumbs),  # note: no reservation
        ("LL401", *ledger),  # warning: pymysql behind it
        ("LL102", "functions/ledger/app.py", 7),
        ("LL101", "functions/orders/app.py", 8),
        # opt-in operational rules
        *{("LL402", *fn) for fn in (orders, thumbs, checkout, ledger, catalog)},
        *{("LL405", *fn) for fn in (orders, thumbs, ledger)},
    }
    assert places(SHOP) == expected


def test_shop_quiet_functions_and_default_set():
    got = findings(SHOP, "--select", "LL1,LL2,LL3,LL401,LL5,LL002")
    by_rule = {}
    for f in got:
        by_rule.setdefault(f["rule"], []).append(f)
    # checkout: provisioned concurrency on fn.addAlias (currentVersion) with auto scaling: silent
    assert not [f for f in got if "CheckoutFn" in f["message"]]
    # catalog: client at init, 1024 MB, reserved, traced: silent
    assert not [f for f in got if "CatalogFn" in f["message"] or f["path"].startswith("functions/catalog")]
    assert not [f for f in got if f["rule"] in ("LL202", "LL002", "LL001")]
    ledger = [f for f in by_rule["LL401"] if "LedgerFn" in f["message"]]
    assert ledger and ledger[0]["level"] == "warning"


def test_messages_name_the_construct_and_speak_cdk():
    got = {f["rule"]: f for f in findings(SHOP, "--select", "LL201,LL301")}
    assert "ShopStack/OrdersFn" in got["LL201"]["message"] and "alias ShopStack/OrdersLive has FunctionVersion $LATEST" in got["LL201"]["message"]
    assert "currentVersion" in got["LL201"]["message"] and "AutoPublishAlias" not in got["LL201"]["message"]
    assert "ShopStack/ThumbnailsFn" in got["LL301"]["message"] and "memorySize" in got["LL301"]["message"]
    assert "MemorySize" not in got["LL301"]["message"]
    # the evidence is in the source file, not in the asset copy
    assert any(r["path"] == "functions/thumbnails/app.py" for r in got["LL301"]["related"])


def test_code_findings_land_in_source_never_in_the_asset_copy():
    for project in (SHOP, NESTED, PARITY):
        got = findings(project)
        assert not [f for f in got if "/asset." in f["path"]], project.name
        # one finding per code problem: the asset copy is not checked again by convention
        code = [(f["rule"], f["line"]) for f in got if f["path"].endswith(".py")]
        assert len(code) == len(set(code))


def test_functions_link_to_their_source_folder():
    _, out = run_cli(["check", ".", "--select", "ALL", "--fail-on", "never"], cwd=SHOP)
    assert "5 functions (5 linked to handler code) in 1 template" in out
    rules = load_rules()
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all

    files, _ = discover([str(SHOP)], SHOP)
    project = build_project(parse_all(files, 1), SHOP, Settings())
    linked = {f.label: (f.kind, f.handler_module) for f in project.functions}
    assert linked == {f"ShopStack/{name.capitalize()}Fn": ("cdk", f"functions/{name}/app.py") for name in ("orders", "thumbnails", "checkout", "ledger", "catalog")}
    assert rules


def test_nested_stack_is_read_and_bundled_node_code_is_not():
    text = (NESTED / NESTED_TEMPLATE).read_text()
    pc = (NESTED_TEMPLATE, line_of(text, '"ProvisionedConcurrentExecutions": 3'))
    mapping = at(NESTED, NESTED_TEMPLATE, '"NotifyFnSqsEventSourcePortalStackReportingJobs3D99E76307E5DD1E": {')
    got = places(NESTED, "--select", "LL1,LL2,LL3,LL406,LL002")
    assert got == {
        ("LL101", "lambda/reports/handler.py", 8),
        ("LL202", *pc),  # fn.addAlias('live', {provisionedConcurrentExecutions: 3}) without auto scaling
        ("LL406", *mapping),  # batchSize 10 without reportBatchItemFailures
        # the bundled NodejsFunction's source is still checked, as a standalone handler file
        ("LL101", "lambda/webhook/index.ts", 4),
    }
    messages = {f["rule"]: f["message"] for f in findings(NESTED, "--select", "LL202,LL406")}
    assert "PortalStack/Reporting/ReportsFn" in messages["LL202"] and "addAutoScaling" in messages["LL202"]
    assert "reportBatchItemFailures: true on the SqsEventSource" in messages["LL406"]


def test_nested_counts_every_function():
    _, out = run_cli(["check", ".", "--select", "ALL", "--fail-on", "never"], cwd=NESTED)
    # ReportsFn and NotifyFn in the nested stack, WebhookFn in the parent; the bundled one
    # has no source folder to link
    assert "3 functions (2 linked to handler code) in 2 templates" in out


def test_parity_app_gives_the_parity_findings():
    """The same (rule, function) set as the SAM / CloudFormation / Terraform parity fixtures
    (tests/test_parity.py EXPECTED)."""
    names = {"orders", "reports", "images", "health", "search"}
    expected = {("LL201", "orders"), ("LL302", "reports"), ("LL101", "images"), *{(r, n) for r in ("LL401", "LL402", "LL405") for n in names}}
    got = set()
    for f in findings(PARITY):
        if f["path"].endswith(".py"):
            got.add((f["rule"], f["path"].split("/")[1]))
        else:
            name = next(n for n in names if f"ParityStack/{n.capitalize()}" in f["message"])
            got.add((f["rule"], name))
    assert got == expected
    assert len(findings(PARITY)) == len(expected)


def test_output_is_deterministic_across_jobs():
    rules = load_rules()
    outputs = []
    for jobs in (1, 2):
        result = run([str(SHOP)], Settings(), rules, set(rules), jobs=jobs, root=SHOP)
        outputs.append([(f.rule_id, f.location.path, f.location.line, f.message) for f in result.findings])
    assert outputs[0] == outputs[1] and outputs[0]


# ---------------------------------------------------------------- assets and discovery


def copy(project: Path, tmp_path: Path) -> Path:
    target = tmp_path / project.name
    shutil.copytree(project, target)
    return target


def test_source_edited_since_synth_falls_back_to_the_asset(tmp_path):
    app = copy(SHOP, tmp_path)
    source = app / "functions" / "orders" / "app.py"
    source.write_text(source.read_text() + "\n# edited after the last synth\n")
    got = [f for f in findings(app, "--select", "LL101") if f["rule"] == "LL101"]
    paths = sorted(f["path"] for f in got)
    # the deployed code is the asset: reported there, and the edited source once by convention
    assert len(paths) == 2 and paths[1] == "functions/orders/app.py" and paths[0].startswith("cdk.out/asset.") and paths[0].endswith("/app.py")


def test_installed_dependencies_in_an_asset_are_skipped(tmp_path):
    """PythonFunction bundles `pip install -t` output next to the handler: never checked."""
    app = copy(SHOP, tmp_path)
    template = json.loads((app / SHOP_TEMPLATE).read_text())
    asset = template["Resources"]["OrdersFnC7735A71"]["Metadata"]["aws:asset:path"]
    folder = app / "cdk.out" / asset
    write_files(
        folder,
        {
            "requests/__init__.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n",
            "requests-2.32.0.dist-info/RECORD": "requests/__init__.py,sha256=x,10\nrequests-2.32.0.dist-info/RECORD,,\n",
            "six.py": "def lambda_handler(event, context):\n    import boto3\n    return boto3.client('s3')\n",
            "six-1.16.0.dist-info/RECORD": "six.py,sha256=y,10\n",
        },
    )
    from lambdalint.discover import discover

    files, _ = discover([str(app)], app)
    rels = {f.rel for f in files}
    assert f"cdk.out/{asset}/app.py" in rels
    assert not [r for r in rels if "requests" in r or r.endswith("six.py")]


def test_only_manifest_templates_and_referenced_assets_are_read(tmp_path):
    app = copy(SHOP, tmp_path)
    write_files(
        app / "cdk.out",
        {
            "OldStack.template.json": '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "python3.8"}}}}',
            "asset.stale/app.py": "import boto3\n\ndef lambda_handler(event, context):\n    return boto3.client('s3')\n",
        },
    )
    from lambdalint.discover import discover

    rels = {f.rel for f in discover([str(app)], app)[0]}
    assert "cdk.out/ShopStack.template.json" in rels
    assert not {"cdk.out/OldStack.template.json", "cdk.out/asset.stale/app.py", "cdk.out/tree.json", "cdk.out/manifest.json"} & rels


def test_cdk_out_without_manifest_is_a_notice(tmp_path):
    write_files(tmp_path, {"cdk.out/asset.x/app.py": "def lambda_handler(event, context):\n    return 1\n", "src/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    report = check_json(tmp_path)
    assert any(n["path"] == "cdk.out" and "manifest.json" in n["message"] for n in report["notices"])


# ---------------------------------------------------------------- bad input


def _shop_with_manifest(tmp_path: Path, manifest) -> Path:
    app = copy(SHOP, tmp_path)
    (app / "cdk.out" / "manifest.json").write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    return app


@pytest.mark.parametrize(
    "manifest, line, words",
    [
        ('{"version": "55.0.0",\n "artifacts": {\n  "ShopStack": {"type": \n', 4, "not valid JSON"),
        ({"version": "55.0.0"}, 1, "no artifacts"),
        ({"artifacts": {"ShopStack": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Missing.template.json"}}}}, 1, "does not exist"),
        ({"artifacts": {"ShopStack": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../../../etc/passwd"}}}}, 1, "outside the assembly"),
        ({"artifacts": {"ShopStack": {"type": "aws:cloudformation:stack", "properties": {"templateFile": 42}}}}, 1, "templateFile"),
        ("[1, 2, 3]", 1, "no artifacts"),
        ("\ufeff{}", 1, "not valid JSON"),
        ('{"artifacts": {"x": ' + "[" * 100000 + "]" * 100000 + "}}", 1, "nests too deeply"),
        ('{"artifacts": {}, "pad": "' + "x" * (3 * 1024 * 1024) + '"}', 1, "over the"),
    ],
)
def test_bad_manifest_is_a_notice_with_file_and_line_and_the_rest_is_checked(tmp_path, manifest, line, words):
    app = _shop_with_manifest(tmp_path, manifest)
    report = check_json(app)
    notices = [n for n in report["notices"] if n["path"] == "cdk.out/manifest.json"]
    assert notices and notices[0]["line"] == line and words in notices[0]["message"], report["notices"]
    # the handlers are still checked, by convention
    assert {("LL101", "functions/orders/app.py"), ("LL102", "functions/ledger/app.py")} <= {(f["rule"], f["path"]) for f in report["findings"]}


def test_manifest_array_artifacts_and_odd_entries_never_crash(tmp_path):
    app = _shop_with_manifest(tmp_path, {"artifacts": {"a": None, "b": [], "c": {"type": "aws:cloudformation:stack", "properties": []}, "ShopStack": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "ShopStack.template.json"}}}})
    assert ("LL201", SHOP_TEMPLATE) in {(f["rule"], f["path"]) for f in findings(app)}


def test_stage_loop_and_deep_stages_end(tmp_path):
    app = copy(SHOP, tmp_path)
    manifest = json.loads((app / "cdk.out" / "manifest.json").read_text())
    manifest["artifacts"]["Loop"] = {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Loop"}}
    (app / "cdk.out" / "manifest.json").write_text(json.dumps(manifest))
    stage = app / "cdk.out" / "assembly-Loop"
    stage.mkdir()
    (stage / "manifest.json").write_text(json.dumps({"artifacts": {"Back": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}, "Deeper": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "x"}}}}))
    (stage / "x").symlink_to(stage, target_is_directory=True)
    assert ("LL201", SHOP_TEMPLATE) in {(f["rule"], f["path"]) for f in findings(app)}


def test_stage_assembly_is_read(tmp_path):
    """A CDK Stage writes its stacks to cdk.out/assembly-<Stage>/ with a manifest of its own."""
    app = tmp_path / "app"
    shutil.copytree(SHOP, app)
    out = app / "cdk.out"
    stage = out / "assembly-Prod"
    stage.mkdir()
    for item in list(out.iterdir()):
        if item.name.startswith(("asset.", "ShopStack.")):
            shutil.move(str(item), str(stage / item.name))
    (stage / "manifest.json").write_text((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": {"assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}))
    got = {(f["rule"], f["path"]) for f in findings(app)}
    assert ("LL201", "cdk.out/assembly-Prod/ShopStack.template.json") in got
    assert ("LL101", "functions/orders/app.py") in got


def test_broken_stack_template_is_ll001_and_the_rest_is_checked(tmp_path):
    app = copy(NESTED, tmp_path)
    (app / NESTED_TEMPLATE).write_text('{"Resources": {"Fn": ')
    report = check_json(app)
    failures = [f for f in report["findings"] if f["rule"] == "LL001"]
    assert [f["path"] for f in failures] == [NESTED_TEMPLATE]
    assert ("LL101", "lambda/reports/handler.py") in {(f["rule"], f["path"]) for f in report["findings"]}
    assert any(f["path"] == PARENT_TEMPLATE for f in report["findings"])


def test_unknown_values_never_fire(tmp_path):
    """A memorySize from a CfnParameter without default (parity Search) and a function whose
    code is an S3 location nobody synthesized locally stay silent."""
    got = findings(PARITY)
    assert not [f for f in got if "ParityStack/Search" in f["message"] and f["rule"] in ("LL301", "LL302", "LL305")]


def test_cdk_framework_functions_are_left_out(tmp_path):
    app = copy(SHOP, tmp_path)
    path = app / SHOP_TEMPLATE
    template = json.loads(path.read_text())
    template["Resources"]["LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aFD4BFC8A"] = {
        "Type": "AWS::Lambda::Function",
        "Properties": {"Handler": "index.handler", "Runtime": "nodejs22.x", "Code": {"S3Bucket": "b", "S3Key": "k.zip"}},
        "Metadata": {"aws:cdk:path": "ShopStack/LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a/Resource"},
    }
    path.write_text(json.dumps(template, indent=1))
    _, out = run_cli(["check", ".", "--select", "ALL", "--fail-on", "never"], cwd=app)
    assert "LogRetention" not in out and "5 functions" in out


def test_cdk_scaling_target_names_its_function():
    """CDK writes a scalable target's ResourceId as function:<Select 6 of the alias ARN>:live;
    it names the alias's function, so it scales that function only (not every 'live' alias of
    the project)."""
    from lambdalint.discover import discover
    from lambdalint.engine import build_project, parse_all

    files, _ = discover([str(SHOP)], SHOP)
    project = build_project(parse_all(files, 1), SHOP, Settings())
    (target,) = [a for a in project.autoscaling if a.kind == "target"]
    assert target.resource_id.function.key == "CheckoutFn6FADEFB2"
    checkout = next(f for f in project.functions if f.label == "ShopStack/CheckoutFn")
    assert checkout.provisioned and checkout.provisioned[0].autoscaling


def test_pre_commit_on_a_changed_handler_reads_the_synthesized_stack(tmp_path):
    """pre-commit names only the changed source file; the stack in cdk.out (usually not
    committed, but on disk after cdk synth) still gives it its configuration."""
    import subprocess

    app = copy(SHOP, tmp_path)
    subprocess.run(["git", "init", "-q", str(app)], check=True)
    code, out = run_cli(["check", "functions/thumbnails/app.py", "functions/orders/app.py", "--format", "json", "--select", "ALL", "--fail-on", "never"], cwd=app)
    report = json.loads(out)
    got = {(f["rule"], f["path"]) for f in report["findings"]}
    # only findings in the named files; the handler is linked (its config says 128 MB: LL301's
    # evidence is there, but LL301 itself is reported at the template, not a named file)
    assert got == {("LL101", "functions/orders/app.py")}
    modules = {f["name"]: f["handler_module"] for f in report["functions"]}
    assert modules["ThumbnailsFn776EB257"] == "functions/thumbnails/app.py"
    assert modules["OrdersFnC7735A71"] == "functions/orders/app.py"


def test_nested_stack_asset_loops_end(tmp_path):
    """A template naming itself (or its parent) as a nested stack asset is read once."""
    app = copy(NESTED, tmp_path)
    parent = app / PARENT_TEMPLATE
    text = parent.read_text().replace('"PortalStackReporting4A961345.nested.template.json"', '"PortalStack.template.json"', 1)
    parent.write_text(text)
    nested = app / NESTED_TEMPLATE
    data = json.loads(nested.read_text())
    data["Resources"]["Loop"] = {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"}, "Metadata": {"aws:asset:path": "../cdk.out/PortalStack.template.json", "aws:asset:property": "TemplateURL"}}
    nested.write_text(json.dumps(data, indent=1))
    from lambdalint.discover import discover

    rels = [f.rel for f in discover([str(app)], app)[0] if f.kind == "template"]
    assert rels == [PARENT_TEMPLATE]


def test_fixes_never_edit_cdk_out(tmp_path):
    """cdk.out is rewritten by the next synth: its findings get no fix (code fixes still apply to
    the source file)."""
    app = copy(SHOP, tmp_path)
    before = {p: p.read_bytes() for p in (app / "cdk.out").rglob("*") if p.is_file()}
    code, out = run_cli(["check", ".", "--select", "ALL", "--fix", "--unsafe-fixes", "--fail-on", "never"], cwd=app)
    assert code == 0
    assert before == {p: p.read_bytes() for p in (app / "cdk.out").rglob("*") if p.is_file()}
    assert "_db_connection" in (app / "functions" / "ledger" / "app.py").read_text() or "LL102" in out


def test_layer_assets_are_not_handler_code(tmp_path):
    """A LayerVersion's asset (aws:asset:property Content) holds libraries, not handlers."""
    app = copy(SHOP, tmp_path)
    path = app / SHOP_TEMPLATE
    template = json.loads(path.read_text())
    template["Resources"]["DepsLayer"] = {
        "Type": "AWS::Lambda::LayerVersion",
        "Properties": {"Content": {"S3Bucket": "b", "S3Key": "k.zip"}},
        "Metadata": {"aws:cdk:path": "ShopStack/DepsLayer/Resource", "aws:asset:path": "asset.layer", "aws:asset:property": "Content"},
    }
    path.write_text(json.dumps(template, indent=1))
    write_files(app / "cdk.out" / "asset.layer", {"python/vendored/client.py": "import boto3\n\ndef lambda_handler(event, context):\n    return boto3.client('s3')\n"})
    from lambdalint.discover import discover

    assert not [f.rel for f in discover([str(app)], app)[0] if "asset.layer" in f.rel]
