"""The set-up the README promises works from this repository as it is (issue 12, item 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .conftest import run_cli, write_files

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_license_file_matches_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "Apache-2.0"$', pyproject, re.M)
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text


def test_install_commands_use_this_repository_not_an_unpublished_package():
    commands = "\n".join(line.split("  #")[0] for b in blocks("sh") for line in b.splitlines())  # comments may name the future
    assert "pip install -q ." in commands or "pip install /path/to/lambdalint" in README
    assert not re.search(r"pip install (-q )?['\"]?lambdalint\b", commands), "lambdalint is not on PyPI yet"
    assert "git clone https://github.com/lambdalint" not in commands


def test_precommit_local_hook_matches_the_published_hook():
    local = next(yaml.safe_load(b) for b in blocks("yaml") if "repo: local" in b)
    hook = local["repos"][0]["hooks"][0]
    published = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert hook["id"] == published["id"] and hook["entry"] == published["entry"]
    assert hook["types_or"] == published["types_or"]
    assert "pre-commit try-repo /path/to/lambdalint lambdalint" in README


def test_action_snippet_uses_the_action_by_path_and_leaves_fail_on_to_the_config():
    workflow = next(yaml.safe_load(b) for b in blocks("yaml") if "upload-sarif" in b)
    steps = workflow["jobs"]["lambdalint"]["steps"]
    ours = next(s for s in steps if s.get("uses", "").startswith("./"))
    checkout = next(s for s in steps if s.get("with", {}).get("path"))
    assert ours["uses"] == "./" + checkout["with"]["path"]
    assert "fail-on" not in ours["with"]
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(ours["with"]) <= set(action["inputs"])


def test_metadata_ignore_for_json_templates_works_as_documented(tmp_path):
    snippet = next(b for b in blocks("json") if '"lambdalint"' in b)
    resource = json.loads("{" + snippet + "}")
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31", "Resources": resource}
    props = template["Resources"]["ReportsFunction"]["Properties"]
    props.update({"InlineCode": "def handler(event, context): return 1", "Handler": "index.handler", "Runtime": "python3.12", "MemorySize": 512})
    write_files(tmp_path, {"template.json": json.dumps(template, indent=2)})
    code, out = run_cli(["check", ".", "--format", "json"], cwd=tmp_path)
    report = json.loads(out)
    assert code == 0 and report["findings"] == []
    assert [f["rule"] for f in report["suppressed"]] == ["LL503"]
