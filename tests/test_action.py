"""The GitHub Action (action.yml): its structure, and its bash steps run as written.

Each ``shell: bash`` step's ``run:`` script is executed the way the runner does it
(``bash --noprofile --norc -eo pipefail <file>``) with its ``env:`` mapping filled in:
``${{ inputs.X }}`` becomes a test value (the input's default unless the test sets it) and
``${{ github.action_path }}`` the repository root.

The install step is run with a ``python`` shim first on PATH that records ``python -m pip ...``
instead of installing: a real ``pip install <repo>`` into a fresh venv needs hatchling from the
package index (build isolation), which is neither offline nor fast, and ``--no-build-isolation``
fails in a fresh venv that has no hatchling. What the step would install is asserted from the
recorded arguments; the check steps then run the test's own lambdalint (a shim for
``sys.executable -m lambdalint``), for real.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")

EXPR = re.compile(r"^\$\{\{\s*(inputs\.[A-Za-z0-9_-]+|github\.action_path)\s*\}\}$")
HANDLER = 'import boto3\n\n\ndef lambda_handler(event, context):\n    return boto3.client("s3").list_buckets()\n'


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def bash_step(action: dict, step_id: str) -> dict:
    for step in action["runs"]["steps"]:
        if step.get("id") == step_id:
            assert step.get("shell") == "bash"
            return step
    raise AssertionError(f"no step with id {step_id!r}")


def fill_env(action: dict, step: dict, inputs: dict[str, str]) -> dict[str, str]:
    """The step's env: with every expression replaced as the runner would."""
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"not inputs of the action: {unknown}"
    values.update(inputs)
    env = {}
    for key, expr in (step.get("env") or {}).items():
        m = EXPR.match(str(expr))
        assert m, f"{key}: env values must be a single ${{{{ inputs.X }}}} or github.action_path expression, got {expr!r}"
        ref = m.group(1)
        env[key] = str(ROOT) if ref == "github.action_path" else str(values[ref.split(".", 1)[1]])
    return env


def write_exe(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def shims(tmp_path) -> Path:
    """``lambdalint`` = this test's lambdalint; ``python`` = this interpreter, except that
    ``python -m pip ...`` only records its arguments (see the module docstring)."""
    bin_dir = tmp_path / "shims"
    bin_dir.mkdir()
    write_exe(bin_dir / "lambdalint", f'#!/bin/sh\nexec "{sys.executable}" -m lambdalint "$@"\n')
    write_exe(
        bin_dir / "python",
        f'#!/bin/sh\nif [ "$1" = "-m" ] && [ "$2" = "pip" ]; then\n'
        f'  shift 2\n  for a in "$@"; do printf "%s\\n" "$a"; done > "{tmp_path}/pip-args"\n  exit 0\nfi\n'
        f'exec "{sys.executable}" "$@"\n',
    )
    return bin_dir


def run_step(action: dict, step_id: str, inputs: dict[str, str], cwd: Path, shims: Path, tmp_path: Path):
    step = bash_step(action, step_id)
    script = tmp_path / f"{step_id}.sh"
    script.write_text(step["run"], encoding="utf-8")
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LAMBDALINT_"))}
    env.update(fill_env(action, step, inputs))
    env["PATH"] = os.pathsep.join([str(shims), env.get("PATH", "")])
    env["GITHUB_OUTPUT"] = str(output)
    env["RUNNER_TEMP"] = str(tmp_path)
    # how the runner runs `shell: bash`
    proc = subprocess.run([BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    return proc, output.read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    """A project with one known warning: LL101 (an SDK client built per invocation)."""
    root = tmp_path / "repo"
    (root / "my functions").mkdir(parents=True)
    (root / "my functions" / "app.py").write_text(HANDLER, encoding="utf-8")
    return root


# --------------------------------------------------------------------------- structure


def test_structure(action):
    assert action["name"] and action["description"]
    inputs = action["inputs"]
    expected = {"paths": ".", "args": "", "sarif-file": "lambdalint.sarif", "fail-on": "", "baseline": "", "python-version": "3.12", "version": ""}
    assert {k: v.get("default") for k, v in inputs.items()} == expected
    assert all(v.get("description") for v in inputs.values())
    assert action["outputs"]["sarif-file"]["value"] == "${{ steps.check.outputs.sarif-file }}"
    runs = action["runs"]
    assert runs["using"] == "composite"
    steps = runs["steps"]
    assert steps[0]["uses"] == "actions/setup-python@v5"
    assert steps[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    assert [s.get("id") for s in steps[1:]] == ["install", "check"]
    for step in steps[1:]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], "inputs must reach the script through env:, not be inlined (script injection)"
        fill_env(action, step, {})  # every env value is a plain input / action_path expression


def test_all_inputs_are_used(action):
    used = {m.group(1).split(".", 1)[1] for s in action["runs"]["steps"] for v in {**(s.get("env") or {}), **(s.get("with") or {})}.values() if (m := EXPR.match(str(v))) and m.group(1).startswith("inputs.")}
    assert used == set(action["inputs"])


# --------------------------------------------------------------------------- install step


@pytest.mark.parametrize(
    "version,spec",
    [("", str(ROOT)), ("1.2.3", "lambdalint==1.2.3"), ("~=0.2", "lambdalint~=0.2"), ("latest", "lambdalint")],
)
def test_install_step(action, shims, tmp_path, version, spec):
    proc, _ = run_step(action, "install", {"version": version}, tmp_path, shims, tmp_path)
    assert proc.returncode == 0, proc.stderr
    args = (tmp_path / "pip-args").read_text(encoding="utf-8").splitlines()
    assert args[0] == "install" and args[-1] == spec
    assert "lambdalint " in proc.stdout  # `lambdalint --version` ran


def test_install_step_does_not_execute_the_version_input(action, shims, tmp_path):
    proc, _ = run_step(action, "install", {"version": '$(touch pwned); echo "x'}, tmp_path, shims, tmp_path)
    assert not (tmp_path / "pwned").exists()
    assert proc.returncode == 0
    assert (tmp_path / "pip-args").read_text(encoding="utf-8").splitlines()[-1] == 'lambdalint$(touchpwned);echo"x'


# --------------------------------------------------------------------------- check step (real lambdalint)


def test_check_step_writes_sarif_and_fails_on_warning(action, project, shims, tmp_path):
    inputs = {"paths": '"my functions"', "sarif-file": "reports/lambdalint.sarif", "fail-on": "warning"}
    proc, outputs = run_step(action, "check", inputs, project, shims, tmp_path)
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads((project / "reports" / "lambdalint.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["LL101"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] in ("my%20functions/app.py", "my functions/app.py")
    assert "::warning file=my functions/app.py,line=5," in proc.stdout
    assert "sarif-file=reports/lambdalint.sarif" in outputs.splitlines()


def test_check_step_passes_with_fail_on_never(action, project, shims, tmp_path):
    proc, _ = run_step(action, "check", {"paths": "'my functions'", "fail-on": "never"}, project, shims, tmp_path)
    assert proc.returncode == 0, proc.stderr
    sarif = json.loads((project / "lambdalint.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"]
    assert "::warning " in proc.stdout  # still annotated


def test_check_step_args_and_default_paths(action, project, shims, tmp_path):
    # default paths "."; args are split shell-style; the action's --format/--fail-on win
    proc, _ = run_step(action, "check", {"args": "--ignore 'client-in-handler' --format text"}, project, shims, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sarif = json.loads((project / "lambdalint.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []
    assert "::warning" not in proc.stdout


def test_check_step_usage_error_fails(action, project, shims, tmp_path):
    proc, _ = run_step(action, "check", {"args": "--select NOPE999"}, project, shims, tmp_path)
    assert proc.returncode == 2
    assert "could not write the SARIF report" in proc.stdout


def test_check_step_bad_quoting_fails(action, project, shims, tmp_path):
    proc, _ = run_step(action, "check", {"paths": "'unterminated"}, project, shims, tmp_path)
    assert proc.returncode == 2
    assert "cannot parse the paths input" in proc.stdout


def test_check_step_inputs_are_not_executed(action, project, shims, tmp_path):
    proc, _ = run_step(action, "check", {"paths": "$(touch pwned) `touch pwned2`", "fail-on": "never"}, project, shims, tmp_path)
    assert not (project / "pwned").exists() and not (project / "pwned2").exists()
    # taken literally: a path that does not exist, which is a usage error (exit 2)
    assert proc.returncode == 2, proc.stderr
    assert "Path '$(touch' does not exist" in proc.stdout + proc.stderr


@pytest.mark.parametrize("baseline", ["", "lambdalint-baseline.json"])
def test_check_step_baseline_only_when_set(action, project, tmp_path, baseline):
    """--baseline is passed only when the input is set (a recording lambdalint: the option may be newer than the CLI)."""
    rec = tmp_path / "rec"
    rec.mkdir()
    write_exe(rec / "lambdalint", f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{tmp_path}/calls"\necho ---- >> "{tmp_path}/calls"\n')
    write_exe(rec / "python", f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    proc, _ = run_step(action, "check", {"baseline": baseline}, project, rec, tmp_path)
    assert proc.returncode == 0, proc.stderr
    calls = [c.strip().splitlines() for c in (tmp_path / "calls").read_text(encoding="utf-8").split("----") if c.strip()]
    assert len(calls) == 2
    assert calls[0][:1] == ["check"] and "sarif" in calls[0] and calls[0][-2:] == ["--", "."]
    assert "github" in calls[1] and "--fail-on" not in calls[1]  # unset: the project's config decides
    for call in calls:
        if baseline:
            assert call[call.index("--baseline") + 1] == baseline
        else:
            assert "--baseline" not in call


def test_check_step_with_a_real_baseline(action, project, shims, tmp_path):
    """With the known finding recorded in a baseline, the annotation run passes at fail-on: warning."""
    baseline = subprocess.run([sys.executable, "-m", "lambdalint", "baseline", ".", "-o", "base.json"], cwd=project, capture_output=True, text=True, timeout=120)
    if baseline.returncode == 2 and "No such command" in baseline.stderr:
        pytest.skip("this lambdalint has no baseline command")
    assert baseline.returncode == 0, baseline.stderr
    proc, _ = run_step(action, "check", {"baseline": "base.json", "fail-on": "warning"}, project, shims, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "::warning file=my functions/app.py" not in proc.stdout
    assert json.loads((project / "lambdalint.sarif").read_text(encoding="utf-8"))["runs"]


@pytest.mark.parametrize("fail_on,code", [("", 0), ("warning", 1)])
def test_check_step_leaves_fail_on_to_the_project_config_unless_set(action, project, shims, tmp_path, fail_on, code):
    """The project says fail-on = "error"; its one finding is a warning. An unset input must not
    override that (it used to pass --fail-on warning always); a set input does."""
    (project / "pyproject.toml").write_text('[tool.lambdalint]\nfail-on = "error"\n', encoding="utf-8")
    proc, _ = run_step(action, "check", {"fail-on": fail_on}, project, shims, tmp_path)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "::warning file=my functions/app.py" in proc.stdout
