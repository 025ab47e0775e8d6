"""Defects a new user hit on a first run (issue 12): each test failed before its fix."""

from __future__ import annotations

import json

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
