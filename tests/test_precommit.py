"""The real pre-commit runs our hook (pre-commit try-repo) on a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import write_files

REPO = Path(__file__).resolve().parent.parent
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
      MemorySize: 1024
"""
BAD = "import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
GOOD = "import boto3\n\ns3 = boto3.client('s3')\n\n\ndef lambda_handler(event, context):\n    return s3.list_buckets()\n"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(app: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "lambdalint", "--verbose", "--files", *files],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_a_bad_handler_and_passes_a_clean_one(tmp_path, precommit_home):
    app = write_files(tmp_path / "app", {"template.yaml": SAM, "src/app.py": BAD})
    git(app, "init", "-q")
    git(app, "add", ".")
    bad = try_repo(app, precommit_home, "src/app.py")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "src/app.py:5:12: LL101 [warning]" in bad.stdout
    (app / "src" / "app.py").write_text(GOOD)
    git(app, "add", ".")
    good = try_repo(app, precommit_home, "src/app.py")
    assert good.returncode == 0, good.stdout + good.stderr
    # a changed template alone is checked against the handler it points to
    (app / "template.yaml").write_text(SAM.replace("app.lambda_handler", "app.handler"))
    git(app, "add", ".")
    broken = try_repo(app, precommit_home, "template.yaml")
    assert broken.returncode == 1 and "template.yaml:8:7: LL002 [error]" in broken.stdout, broken.stdout


def test_hook_honours_exclude_for_the_files_it_is_given(tmp_path, precommit_home):
    app = write_files(tmp_path / "app", {"template.yaml": SAM, "src/app.py": GOOD, "legacy/app.py": BAD, ".lambdalint.toml": 'exclude = ["legacy/*"]\n'})
    git(app, "init", "-q")
    git(app, "add", ".")
    run = try_repo(app, precommit_home, "legacy/app.py", "src/app.py")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "legacy/app.py" not in run.stdout
