"""The coverage summary: what a run found, linked and could not read (silence is not health)."""

from __future__ import annotations

import json

from .conftest import run_cli, write_files
from .test_default_set import SAM_APP, TERRAFORM_ROOT


def test_text_ends_with_the_coverage_line_and_json_has_the_counts(tmp_path):
    write_files(tmp_path, {**{f"sam/{k}": v for k, v in SAM_APP.items()}, **{f"tf/{k}": v for k, v in TERRAFORM_ROOT.items()}, "big.yaml": "a: " + "x" * (3 * 1024 * 1024) + "\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert out.splitlines()[-1] == "3 functions (3 linked to handler code) in 1 template / 1 Terraform root; 1 file skipped."
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    summary = json.loads(out)["summary"]
    assert summary["functions"] == {"found": 3, "linked": 2 + 1, "by_kind": {"sam": 2, "terraform": 1}}
    assert summary["inputs"] == {"templates": 1, "terraform_roots": 1, "skipped": 1}
    # --quiet keeps findings only
    code, out = run_cli(["check", ".", "--quiet"], cwd=tmp_path)
    assert "functions (" not in out


def test_unlinked_functions_are_counted_apart(tmp_path):
    files = dict(SAM_APP)
    del files["src/api/app.py"]
    files["src/api/README.md"] = "code is built elsewhere\n"
    write_files(tmp_path, files)
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert out.splitlines()[-1].startswith("2 functions (1 linked to handler code) in 1 template")


def test_a_run_that_finds_nothing_says_what_it_looked_for(tmp_path):
    write_files(tmp_path, {"docs/index.md": "# hello\n", "config.yaml": "a: 1\n", "tools/build.py": "print('build')\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 0
    assert "lambdalint: notice: no Lambda function and no handler found: lambdalint looked for SAM/CloudFormation templates" in out
    assert out.splitlines()[-1] == "0 functions (0 linked to handler code) in 0 templates / 0 Terraform roots; 0 files skipped."
    code, out = run_cli(["check", ".", "--format", "sarif"], cwd=tmp_path)
    notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("no Lambda function and no handler found" in n["message"]["text"] for n in notes)


def test_a_standalone_handler_is_something_found(tmp_path):
    write_files(tmp_path, {"app.py": "def lambda_handler(event, context):\n    return 1\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert "no Lambda function and no handler found" not in out


def test_recognised_inputs_it_cannot_read_get_one_notice_each(tmp_path):
    write_files(
        tmp_path,
        {
            "svc/serverless.ts": "export default { service: 'orders', functions: { hello: { handler: 'handler.hello' } } };\n",
            "svc/handler.py": "def hello(event, context):\n    return 1\n",
            "cdk/cdk.out/OrdersStack.template.json": '{"Resources": {}}',
            "deploy/template.yml.j2": "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: {{ runtime }}\n",
            "infra/main.tf": 'module "orders" {\n  source = "git::https://example.com/platform/lambda-service.git?ref=v2"\n}\n\nmodule "api" {\n  source        = "terraform-aws-modules/lambda/aws"\n  function_name = "api"\n  handler       = "app.handler"\n  runtime       = "python3.12"\n  memory_size   = 256\n  create_package         = false\n  local_existing_package = "api.zip"\n}\n\nmodule "local" {\n  source = "./modules/worker"\n}\n',
        },
    )
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never"], cwd=tmp_path)
    notices = {(n["path"], n["line"]): n["message"] for n in json.loads(out)["notices"]}
    assert set(notices) == {("svc/serverless.ts", 0), ("cdk/cdk.out", 0), ("deploy/template.yml.j2", 0), ("infra/main.tf", 1), ("infra/main.tf", 15)}
    # a local module whose folder is not in the scan is named too
    assert notices[("infra/main.tf", 15)].startswith("module.local calls ./modules/worker, which holds no .tf file in the scanned tree")
    assert notices[("svc/serverless.ts", 0)].startswith("Serverless Framework configuration written as a program: not read")
    assert notices[("cdk/cdk.out", 0)].startswith("cdk.out without a manifest.json")  # a cloud assembly with one is read (tests/test_cdk.py)
    assert notices[("deploy/template.yml.j2", 0)].startswith("Jinja template: not read")
    assert notices[("infra/main.tf", 1)] == "module.orders comes from git::https://example.com/platform/lambda-service.git?ref=v2, which lambdalint does not read: Lambda functions it creates are not checked"
    # excluded folders stay silent
    (tmp_path / ".lambdalint.toml").write_text('exclude = ["cdk/*", "svc/*", "deploy/*"]\n')
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never"], cwd=tmp_path)
    assert {n["path"] for n in json.loads(out)["notices"]} == {"infra/main.tf"}
