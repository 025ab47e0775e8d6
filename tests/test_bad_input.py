"""Bad input never crashes the run and never loses results: one LL001 (or notice) per bad file,
with a reason and a line, and every other file is still checked."""

from __future__ import annotations

import os

import pytest

from .conftest import check_json, run_cli, write_files

GOOD_HANDLER = "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
SAM_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'


def ll001(report):
    return {f["path"]: f for f in report["findings"] if f["rule"] == "LL001"}


def test_acceptance_directory(tmp_path):
    write_files(
        tmp_path,
        {
            "malformed/template.yaml": SAM_HEAD + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: [unclosed\n",
            "dupes/template.yaml": SAM_HEAD + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      MemorySize: 512\n      MemorySize: 1024\n",
            "syntax/app.py": "def lambda_handler(event, context)\n    return 1\n",
            "tf/main.tf": 'resource "aws_lambda_function" "f" {\n  memory_size = 128\n  handler = \n}\n',
            "binary/template.yaml": b"\x00\x01\x02\xffGIF89a\x00\x00" * 20,
            "good/app.py": GOOD_HANDLER,
        },
    )
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    assert code == 1
    import json

    report = json.loads(out)
    failures = ll001(report)
    assert set(failures) == {"malformed/template.yaml", "dupes/template.yaml", "syntax/app.py", "tf/main.tf", "binary/template.yaml"}
    assert failures["dupes/template.yaml"]["line"] == 8 and "duplicate key" in failures["dupes/template.yaml"]["message"]
    assert failures["syntax/app.py"]["line"] == 1 and "syntax" in failures["syntax/app.py"]["message"].lower()
    assert failures["tf/main.tf"]["line"] == 3  # `handler = ` has no value
    assert failures["tf/main.tf"]["message"].count("Terraform syntax error") == 1
    assert "binary" in failures["binary/template.yaml"]["message"]
    assert failures["malformed/template.yaml"]["line"] == 6  # the unclosed flow sequence of line 6 runs into the end of the file (its last line)
    # the valid handler is still checked
    assert any(f["rule"] == "LL101" and f["path"] == "good/app.py" for f in report["findings"])
    # text output has no traceback
    code, text = run_cli(["check", "."], cwd=tmp_path)
    assert "Traceback" not in text and code == 1


def test_null_resources_is_ll001_and_null_optional_sections_are_empty(tmp_path):
    write_files(
        tmp_path,
        {
            "a/template.yaml": SAM_HEAD + "Parameters:\nResources:\n",
            "b/template.yaml": SAM_HEAD + "Parameters:\nGlobals:\nConditions:\nOutputs:\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      InlineCode: x\n      Handler: index.handler\n      Runtime: python3.12\n",
        },
    )
    report = check_json(tmp_path)
    failures = ll001(report)
    assert set(failures) == {"a/template.yaml"}
    assert "null" in failures["a/template.yaml"]["message"] and failures["a/template.yaml"]["line"] == 4
    assert any(f["rule"] == "LL302" and f["path"] == "b/template.yaml" for f in report["findings"])


def test_newer_python_syntax_is_a_notice_not_ll001(tmp_path):
    # PEP 701 nested quotes: valid from Python 3.12
    source = 'import boto3\n\ndef lambda_handler(event, context):\n    name = event["name"]\n    return f"{event["greeting"]} {name}"\n'
    write_files(tmp_path, {"app.py": source})
    report = check_json(tmp_path)
    import sys

    if sys.version_info >= (3, 12):
        assert not ll001(report)
        return
    assert not ll001(report)
    notice = report["notices"][0]
    assert notice["path"] == "app.py" and "3.12" in notice["message"]


@pytest.mark.parametrize(
    "files,path,line",
    [
        ({"template.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)) + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"}, "template.yaml", 5),
        ({"template.yaml": "Resources: " + "[" * 50000 + "\n"}, "template.yaml", 1),
        ({"template.json": '{"Resources": ' + '{"a": ' * 50000 + "1" + "}" * 50001}, "template.json", 1),
        ({"app.py": "x = " + "(" * 50000 + "1" + ")" * 50000 + "\ndef lambda_handler(event, context):\n    pass\n"}, "app.py", 1),
        ({"template.yaml": "\udcff".encode("utf-8", "surrogateescape") if False else b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: caf\xe9\n"}, "template.yaml", 6),
        ({"app.py": b"# -*- coding: latin-1 -*-\ndef handler(event, context):\n    return 'caf\xe9'\n\xff\xfe"}, None, None),
    ],
    ids=["alias-bomb", "deep-yaml", "deep-json", "deep-python", "latin1-template", "latin1-python-with-cookie"],
)
def test_hostile_files_give_ll001_and_the_rest_is_checked(tmp_path, files, path, line):
    write_files(tmp_path, {**files, "other/app.py": GOOD_HANDLER})
    report = check_json(tmp_path)
    failures = ll001(report)
    if path is None:
        assert not failures
    else:
        assert set(failures) == {path}
        assert failures[path]["line"] == line
    assert any(f["rule"] == "LL101" and f["path"] == "other/app.py" for f in report["findings"])


def test_symlink_loop_and_broken_symlink(tmp_path):
    write_files(tmp_path, {"svc/app.py": GOOD_HANDLER})
    os.symlink(tmp_path / "svc", tmp_path / "svc" / "loop")
    os.symlink(tmp_path / "missing.py", tmp_path / "svc" / "dangling.py")
    report = check_json(tmp_path)
    assert [f["path"] for f in report["findings"] if f["rule"] == "LL101"] == ["svc/app.py"]
    messages = " ".join(n["message"] for n in report["notices"])
    assert "symlink loop" in messages and "broken symlink" in messages


def test_huge_file_is_skipped_with_a_notice(tmp_path):
    write_files(tmp_path, {"big.py": "x = 1\n" * 600_000, "app.py": GOOD_HANDLER})
    report = check_json(tmp_path)
    assert any(n["path"] == "big.py" and "size limit" in n["message"] for n in report["notices"])
    assert any(f["rule"] == "LL101" for f in report["findings"])


def test_yaml_that_is_not_a_template_is_ignored(tmp_path):
    write_files(
        tmp_path,
        {
            ".github/workflows/ci.yml": "on: push\njobs: {build: {runs-on: ubuntu-latest}}\n",
            "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
            "k8s.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
            "broken-config.yaml": "key: [unclosed\n",
        },
    )
    report = check_json(tmp_path)
    assert report["findings"] == []
