"""The pipeline keeps going and tells the truth when something goes wrong."""

from __future__ import annotations

import json

from .conftest import OPERATIONS, check_json, run_cli, write_files

HANDLER = "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: {handler}
      Runtime: python3.12
      MemorySize: 1024
      SnapStart:
        ApplyOn: PublishedVersions
      AutoPublishAlias: live
"""


def test_a_loader_crash_is_one_ll001_and_the_rest_is_checked(tmp_path, monkeypatch):
    import lambdalint.formats.cloudformation.functions as cfn

    real = cfn.read

    def explode(doc, exists):
        if doc.path.startswith("bad/"):
            raise ValueError("simulated loader bug")
        return real(doc, exists)

    monkeypatch.setattr(cfn, "read", explode)
    write_files(tmp_path, {"bad/template.yaml": SAM.format(handler="app.lambda_handler"), "good/template.yaml": SAM.format(handler="app.nope"), "good/src/app.py": "def lambda_handler(event, context):\n    return 1\n"})
    report = check_json(tmp_path, "--ignore", OPERATIONS)
    rules = sorted((f["path"], f["rule"]) for f in report["findings"])
    assert ("bad/template.yaml", "LL001") in rules and ("good/template.yaml", "LL002") in rules
    ll001 = next(f for f in report["findings"] if f["rule"] == "LL001")
    assert "internal error" in ll001["message"] and "simulated loader bug" in ll001["message"]


def test_a_crashing_concern_reader_loses_only_that_concern(tmp_path, monkeypatch):
    # the callers reader fails on one template: that template's functions are still checked
    # (LL002 on its handler), the other template is untouched, and the crash is one LL001
    import lambdalint.formats.cloudformation.callers as cfn_callers

    real = cfn_callers.read

    def explode(t):
        if t.path.startswith("bad/"):
            raise ValueError("simulated reader bug")
        return real(t)

    monkeypatch.setattr(cfn_callers, "read", explode)
    code = "def lambda_handler(event, context):\n    return 1\n"
    write_files(tmp_path, {"bad/template.yaml": SAM.format(handler="app.nope"), "bad/src/app.py": code, "good/template.yaml": SAM.format(handler="app.nope"), "good/src/app.py": code})
    report = check_json(tmp_path, "--ignore", OPERATIONS)
    rules = sorted((f["path"], f["rule"]) for f in report["findings"])
    assert ("bad/template.yaml", "LL001") in rules and ("bad/template.yaml", "LL002") in rules and ("good/template.yaml", "LL002") in rules
    ll001 = next(f for f in report["findings"] if f["rule"] == "LL001")
    assert "simulated reader bug" in ll001["message"] and "its callers are left out" in ll001["message"]


def test_a_crashing_rule_is_reported_and_fails_the_run(tmp_path, monkeypatch):
    import dataclasses

    import lambdalint.rules.builtin as builtin

    def boom(ctx):
        raise RuntimeError("simulated rule bug")
        yield

    broken = [dataclasses.replace(r, check=boom) if r.id == "LL302" else r for r in builtin.RULES]
    monkeypatch.setattr(builtin, "RULES", broken)
    write_files(tmp_path, {"app.py": HANDLER})
    code, out = run_cli(["check", ".", "--quiet", "--select", "ALL"], cwd=tmp_path)
    assert code == 2
    assert "rule LL302 failed with an internal error (RuntimeError: simulated rule bug)" in out
    assert "app.py:5:12: LL101" in out  # the other rules still report


def test_missing_path_is_a_usage_error(tmp_path):
    code, out = run_cli(["check", "does-not-exist"], cwd=tmp_path)
    assert code == 2 and "does not exist" in out


def test_per_file_ignores_accept_prefixes_names_and_all(tmp_path):
    write_files(tmp_path, {"src/app.py": HANDLER, "tools/app.py": HANDLER, "ops/app.py": HANDLER})
    (tmp_path / ".lambdalint.toml").write_text('[per-file-ignores]\n"src/*" = ["LL1"]\n"tools/*" = ["client-in-handler"]\n"ops/*" = ["ALL"]\n')
    assert check_json(tmp_path)["findings"] == []


def test_precommit_from_a_subdirectory_keeps_the_context(tmp_path):
    write_files(tmp_path, {"svc/template.yaml": SAM.format(handler="app.lambda_handler"), "svc/src/app.py": "import uuid\n\nID = uuid.uuid4()\n\n\ndef lambda_handler(event, context):\n    return ID\n"})
    (tmp_path / ".git").mkdir()
    for cwd, arg in ((tmp_path, "svc/src/app.py"), (tmp_path / "svc" / "src", "app.py")):
        code, out = run_cli(["check", arg, "--format", "json", "--fail-on", "never"], cwd=cwd)
        report = json.loads(out)
        assert [(f["path"], f["line"], f["rule"], f["level"]) for f in report["findings"]] == [("svc/src/app.py", 3, "LL110", "error")], cwd


def test_handler_in_a_package_init(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM.format(handler="orders.lambda_handler"), "src/orders/__init__.py": HANDLER})
    report = check_json(tmp_path, "--ignore", OPERATIONS)
    assert [(f["path"], f["line"], f["rule"]) for f in report["findings"]] == [("src/orders/__init__.py", 5, "LL101")]


def test_columns_count_characters_not_bytes(tmp_path):
    write_files(tmp_path, {"app.py": 'import boto3\n\n\ndef lambda_handler(event, context):\n    s = "😀😀"; c = boto3.client("s3")\n    return s, c\n'})
    (finding,) = check_json(tmp_path)["findings"]
    assert (finding["line"], finding["column"], finding["end_column"]) == (5, 19, 37)


def test_files_checked_counts_only_files_of_ours(tmp_path):
    write_files(tmp_path, {"app.py": HANDLER, "package.json": '{"name": "x"}', "report.json": "[]", "config.yaml": "a: 1\n"})
    code, out = run_cli(["check", "."], cwd=tmp_path)
    assert out.splitlines()[-2].endswith("in 1 file checked.")
