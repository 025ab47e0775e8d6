"""Defects a new user hit on a first run (issue 12): each test failed before its fix."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli, write_files

HANDLER = "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3').list_buckets()\n"


# --------------------------------------------------------------------------- output paths


def test_output_into_a_missing_folder_is_a_clear_usage_error(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER})
    code, out = run_cli(["check", ".", "-o", "reports/out.json", "--format", "json"], cwd=tmp_path)
    assert code == 2
    assert out.strip() == "Error: cannot write reports/out.json: folder reports does not exist"


def test_output_that_cannot_be_written_is_a_clear_usage_error(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER})
    code, out = run_cli(["check", ".", "-o", "/dev/full"], cwd=tmp_path)  # every write fails (ENOSPC)
    assert code == 2
    assert out.startswith("Error: cannot write /dev/full: ") and "Traceback" not in out


def test_baseline_output_into_a_missing_folder_is_a_clear_usage_error(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER})
    code, out = run_cli(["baseline", ".", "-o", "nope/baseline.json"], cwd=tmp_path)
    assert code == 2
    assert out.strip() == "Error: cannot write nope/baseline.json: folder nope does not exist"


# --------------------------------------------------------------------------- configuration


def test_malformed_pyproject_found_by_discovery_is_an_error(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER, "pyproject.toml": '[tool.lambdalint\nignore = ["LL101"]\n'})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 2
    assert f"{tmp_path / 'pyproject.toml'}: invalid TOML: " in out


def test_config_errors_print_no_usage_banner(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER, ".lambdalint.toml": 'fail-on = "sometimes"\n'})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 2
    assert "Usage:" not in out
    assert out.startswith("Error: ") and "fail-on" in out


# --------------------------------------------------------------------------- baselines


def test_baseline_with_malformed_entries_is_rejected(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER})
    (tmp_path / "b.json").write_text(json.dumps({"lambdalint_baseline": 1, "findings": [{"rule": "LL101", "path": "app.py"}]}))
    code, out = run_cli(["check", ".", "--baseline", "b.json"], cwd=tmp_path)
    assert code == 2
    assert "b.json: entry 1 of findings has no fingerprint" in out and "Usage:" not in out


# --------------------------------------------------------------------------- exclude


def test_force_exclude_applies_exclude_to_named_files(tmp_path):
    write_files(tmp_path, {"legacy/app.py": HANDLER, "src/app.py": HANDLER, ".lambdalint.toml": 'exclude = ["legacy/*"]\n'})
    # without it, a named file is checked even when excluded (as ruff does)
    code, out = run_cli(["check", "legacy/app.py", "src/app.py"], cwd=tmp_path)
    assert code == 1 and "legacy/app.py:5:12: LL101" in out
    code, out = run_cli(["check", "--force-exclude", "legacy/app.py", "src/app.py"], cwd=tmp_path)
    assert code == 1 and "legacy/app.py" not in out and "src/app.py:5:12: LL101" in out
    code, out = run_cli(["check", "--force-exclude", "legacy/app.py"], cwd=tmp_path)
    assert code == 0, out
    assert "notice" not in out  # nothing to check is not "nothing found"
    # the config key does the same
    (tmp_path / ".lambdalint.toml").write_text('exclude = ["legacy/*"]\nforce-exclude = true\n')
    code, out = run_cli(["check", "legacy/app.py"], cwd=tmp_path)
    assert code == 0, out


def test_precommit_hook_passes_force_exclude():
    from pathlib import Path

    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert "--force-exclude" in hooks[0]["entry"].split()


# --------------------------------------------------------------------------- paths and fingerprints

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ../src/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 20480
"""


def _service(root):
    return write_files(root, {"sub/bin/template.yaml": SAM, "sub/src/app.py": HANDLER})


@pytest.mark.parametrize("marker", [".git", "pyproject.toml"])
def test_baseline_matches_from_any_folder_of_the_repository(tmp_path, marker):
    _service(tmp_path)
    if marker == ".git":
        (tmp_path / ".git").mkdir()
    else:  # not in git: the project root is where its lambdalint configuration lives
        (tmp_path / "pyproject.toml").write_text('[tool.lambdalint]\nfail-on = "warning"\n')
    code, out = run_cli(["baseline", "sub", "-o", "b.json"], cwd=tmp_path)
    assert code == 0 and "Recorded 5 findings" in out, out  # LL101, LL305 and three opt-in ones
    for cwd, target in ((tmp_path, "sub"), (tmp_path / "sub", "."), (tmp_path / "sub" / "src", ".")):
        code, out = run_cli(["check", target, "--baseline", str(tmp_path / "b.json")], cwd=cwd)
        assert code == 0, (cwd, out)
        assert "0 findings" in out.splitlines()[-2]
    # the fingerprints in JSON and SARIF are the baseline's too
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never"], cwd=tmp_path / "sub")
    recorded = {e["fingerprint"] for e in json.loads((tmp_path / "b.json").read_text())["findings"]}
    assert {f["fingerprint"] for f in json.loads(out)["findings"]} <= recorded


def test_named_file_outside_a_repository_keeps_its_folder(tmp_path):
    _service(tmp_path)
    code, out = run_cli(["check", "sub/bin/template.yaml"], cwd=tmp_path)
    assert code == 1
    assert out.startswith("sub/bin/template.yaml:10:7: LL305 [error]"), out
    code, out = run_cli(["check", "sub/src/app.py", "--format", "github"], cwd=tmp_path)
    assert out.startswith("::warning file=sub/src/app.py,line=5,"), out


# --------------------------------------------------------------------------- suppression comments


def test_markers_inside_python_strings_are_not_suppressions(tmp_path):
    source = '''\
"""Docs for this module. Silence a finding like this:

    s3 = boto3.client("s3")  # lambdalint: ignore[LL101]
"""
import boto3

USAGE = "# lambdalint: ignore[LL102]"


def lambda_handler(event, context):
    s3 = boto3.client("s3")  # lambdalint: ignore[LL101] -- admin task, once a day
    return s3, "# lambdalint: ignore[LL103]"
'''
    write_files(tmp_path, {"app.py": source})
    code, report = 0, None
    code, out = run_cli(["check", ".", "--format", "json", "--select", "ALL"], cwd=tmp_path)
    report = json.loads(out)
    assert report["findings"] == [], report["findings"]  # no LL003 for the strings
    assert [(f["rule"], f["line"]) for f in report["suppressed"]] == [("LL101", 11)]


def test_the_linters_own_source_has_no_unused_suppressions():
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src"
    code, out = run_cli(["check", str(src), "--select", "ALL", "--fail-on", "never"])
    assert "LL003" not in out, out


TF = """\
resource "aws_lambda_function" "worker" {{
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"
  memory_size   = 20480 {comment}
  description   = "not a comment: // lambdalint: ignore[LL305]"
}}
"""


@pytest.mark.parametrize(
    "comment",
    ["# lambdalint: ignore[LL305] -- sized by the platform", "// lambdalint: ignore[LL305] -- sized by the platform", "/* lambdalint: ignore[LL305] -- sized by the platform */"],
)
def test_terraform_comment_styles_all_suppress(tmp_path, comment):
    write_files(tmp_path, {"main.tf": TF.format(comment=comment)})
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    report = json.loads(out)
    assert code == 0, report["findings"]
    assert [(f["rule"], f["line"], f["suppressed"]) for f in report["suppressed"]] == [("LL305", 7, "sized by the platform")]


def test_terraform_markers_in_strings_and_heredocs_are_not_suppressions(tmp_path):
    text = TF.format(comment="").replace('  description   = "not', '  policy        = <<EOF\n// lambdalint: ignore[LL305]\nEOF\n  description   = "not')
    write_files(tmp_path, {"main.tf": text})
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    assert code == 1 and [f["rule"] for f in json.loads(out)["findings"]] == ["LL305"]


# --------------------------------------------------------------------------- statistics


def test_statistics_count_findings_at_the_level_they_were_reported(tmp_path):
    db = "import psycopg2\n\n_conn = None\n\n\ndef handler(event, context):\n    global _conn\n    if _conn is None:\n        _conn = psycopg2.connect('')\n    return 1\n"
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 512
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: reports/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 512
"""
    write_files(tmp_path, {"template.yaml": template, "orders/app.py": db, "reports/app.py": "def handler(event, context):\n    return 1\n"})
    _, out = run_cli(["check", ".", "--select", "LL401", "--statistics"], cwd=tmp_path)
    rows = [line.split() for line in out.splitlines() if "missing-reserved-concurrency" in line and line.lstrip()[0].isdigit()]
    assert sorted(rows) == [["1", "LL401", "missing-reserved-concurrency", "[note]"], ["1", "LL401", "missing-reserved-concurrency", "[warning]"]]


# --------------------------------------------------------------------------- LL002 and packages


@pytest.mark.parametrize("code_uri", ["handler.zip", "build/function.zip", "target/app.jar"])
def test_ll002_does_not_treat_a_packaged_archive_as_a_folder(tmp_path, code_uri):
    template = SAM.replace("CodeUri: ../src/", f"CodeUri: {code_uri}").replace("MemorySize: 20480", "MemorySize: 512")
    write_files(tmp_path, {"template.yaml": template, code_uri: b"PK\x03\x04 not a real archive"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 0, out
    assert "LL002" not in out


def test_ll402_hint_names_a_configuration_that_works(tmp_path):
    import re

    write_files(tmp_path, {"main.tf": TF.format(comment="").replace("20480", "512")})
    code, out = run_cli(["check", ".", "--select", "LL402"], cwd=tmp_path)
    assert code == 1
    hint = re.search(r'set alarms = "external" under \[(tool\.lambdalint\.rules\.LL402)\]', out)
    assert hint, out
    (tmp_path / "pyproject.toml").write_text(f'[{hint.group(1)}]\nalarms = "external"\n')
    code, out = run_cli(["check", ".", "--select", "LL402"], cwd=tmp_path)
    assert code == 0, out


def test_terraform_messages_name_the_resource_address(tmp_path):
    write_files(tmp_path, {"main.tf": TF.format(comment="").replace('"worker" {', '"this" {')})
    code, out = run_cli(["check", ".", "--select", "ALL"], cwd=tmp_path)
    assert "memory_size 20480 on aws_lambda_function.this is outside" in out
    assert "aws_lambda_function.this sets no reserved concurrency" in out
    assert " this sets " not in out and " on this " not in out


# --------------------------------------------------------------------------- LL501 by value format

ENV_SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Sync:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return 1"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 512
      Environment:
        Variables:
{variables}"""


@pytest.mark.parametrize(
    "value,kind",
    [
        ("AKIAJ3NNM5W3TUIQRW7A", "an AWS access key ID"),
        ("ASIAJ3NNM5W3TUIQRW7A", "an AWS access key ID"),
        ('"-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----"', "a private key"),
        ("ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "a GitHub token"),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "a GitHub token"),
        ("xoxb-1234567890-0987654321-AbCdEfGhIjKl", "a Slack token"),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "a Stripe live secret key"),
        ("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "a Google API key"),
    ],
)
def test_ll501_recognises_credentials_by_value_whatever_the_name(tmp_path, value, kind):
    write_files(tmp_path, {"template.yaml": ENV_SAM.format(variables=f"          key1: {value}\n")})
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    findings = [f for f in json.loads(out)["findings"] if f["rule"] == "LL501"]
    assert code == 1 and len(findings) == 1, out
    assert f"environment variable key1 of Sync holds {kind} (" in findings[0]["message"]
    assert value.split("\\n")[0].strip('"') not in findings[0]["message"]  # never printed


def test_ll501_aws_secret_key_next_to_its_key_id(tmp_path):
    variables = "          UPSTREAM_ID: AKIAJ3NNM5W3TUIQRW7A\n          UPSTREAM_KEY: Fq8b2mZ0vT4kL9xR1cW7yN3pH6sJ5dA0eG2iU8oB\n"
    write_files(tmp_path, {"template.yaml": ENV_SAM.format(variables=variables)})
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    messages = sorted(f["message"].split(" (")[0] for f in json.loads(out)["findings"] if f["rule"] == "LL501")
    assert messages == [
        "environment variable UPSTREAM_ID of Sync holds an AWS access key ID",
        "environment variable UPSTREAM_KEY of Sync holds an AWS secret access key",
    ]


def test_ll501_keeps_example_keys_hashes_and_placeholders_as_before(tmp_path):
    variables = (
        "          DOCS_ID: AKIAIOSFODNN7EXAMPLE\n"
        "          DOCS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        "          COMMIT: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b\n"
        "          MODE: sk_test_4eC39HqLyjWDarjtT1zdp7dc\n"
        "          API_TOKEN: changeme\n"  # a placeholder under a secret name: still reported
    )
    write_files(tmp_path, {"template.yaml": ENV_SAM.format(variables=variables)})
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    names = [f["message"].split()[2] for f in json.loads(out)["findings"] if f["rule"] == "LL501"]
    assert names == ["API_TOKEN"]


def test_package_json_with_a_stray_transform_is_not_a_broken_template(tmp_path):
    # found in public CDK samples: package.json carrying "Transform": "AWS::Serverless-2016-10-31"
    write_files(tmp_path, {"package.json": '{\n  "dependencies": {"aws-cdk": "2.103.1"},\n  "Transform": "AWS::Serverless-2016-10-31"\n}\n', "app.py": "def handler(event, context):\n    return 1\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 0 and "LL001" not in out, out


def test_templates_of_other_file_types_are_not_cloudformation(tmp_path):
    write_files(tmp_path, {"ClaimCheck.sln.template": "\ufeff\nMicrosoft Visual Studio Solution File, Format Version 12.00\n", "nginx.conf.template": "server { listen 80; }\n", "app.py": "def handler(event, context):\n    return 1\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert code == 0 and "LL001" not in out, out
    # a CloudFormation template named *.template still is one
    write_files(tmp_path, {"stack.template": "Resources: [not, a, mapping\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert "stack.template:" in out and "LL001" in out
