"""Shared helpers: run the real engine on files written to a temporary directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.cli import _cli


# Operational rules that fire on almost every function (no alarms, no reservation, no
# tracing); tests about the pipeline itself switch them off to keep expectations readable.
OPERATIONS = "LL401,LL402,LL405"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_cli(args: list[str], cwd: Path | None = None):
    """Invoke the CLI in-process; returns (exit code, stdout)."""
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(_cli(), args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.output


def check_json(root: Path, *extra: str) -> dict:
    """Every rule runs (as in an audit sweep) unless the test selects its own."""
    select = () if any(a == "--select" or a.startswith("--select=") for a in extra) else ("--select", "ALL")
    code, out = run_cli(["check", ".", "--format", "json", "--fail-on", "never", *select, *extra], cwd=root)
    assert code == 0, out
    return json.loads(out)


@pytest.fixture
def project(tmp_path):
    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path, files)

    return make
