"""The cfn-lint bridge (lambdalint.integrations.cfnlint), run through the real cfn-lint.

cfn-lint runs as a subprocess, loading the bridge as a module with ``--append-rules``, on
tests/fixtures/cfnlint/template.yaml (provisioned concurrency on $LATEST -> LL201, a function
without MemorySize -> LL302); its matches must sit where lambdalint reports the findings.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lambdalint.documents.cfn_yaml import load_template

from .conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "cfnlint"
TEMPLATE = FIXTURE / "template.yaml"
BRIDGE = "lambdalint.integrations.cfnlint"

HAVE_CFNLINT = importlib.util.find_spec("cfnlint") is not None
needs_cfnlint = pytest.mark.skipif(not HAVE_CFNLINT, reason="cfn-lint is not installed (pip install 'lambdalint[cfn-lint]')")


def cfn_lint(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The cfn-lint console script installed next to this interpreter (else its runner via -c)."""
    script = Path(sys.executable).with_name("cfn-lint")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())"]
    return subprocess.run([*command, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300)


def cfn_lint_json(template: Path, *extra: str, cwd: Path = ROOT) -> tuple[int, list[dict]]:
    proc = cfn_lint(str(template.relative_to(cwd) if template.is_relative_to(cwd) else template), "--append-rules", BRIDGE, "--format", "json", *extra, cwd=cwd)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def lambdalint_findings(directory: Path, cwd: Path = ROOT) -> list[dict]:
    code, out = run_cli(["check", str(directory.relative_to(cwd)), "--format", "json", "--fail-on", "never", "--select", "ALL"], cwd=cwd)
    assert code == 0, out
    return json.loads(out)["findings"]


def key_line(template: Path, path: list) -> int:
    """The line of the key at the end of ``path``, by lambdalint's own located loader."""
    node = load_template(template.read_text(encoding="utf-8"))
    for part in path:
        node = node.value[part]
    return node.key_line if isinstance(path[-1], str) else node.line


# --------------------------------------------------------------------------- through the real cfn-lint


@needs_cfnlint
def test_matches_at_lambdalint_lines():
    code, matches = cfn_lint_json(TEMPLATE, "--include-checks", "I")
    ours = [m for m in matches if m["Rule"]["Id"][1] == "9"]
    got = sorted((m["Message"].split("]", 1)[0].lstrip("[").split()[0], m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"], m["Location"]["Start"]["ColumnNumber"]) for m in ours)

    findings = [f for f in lambdalint_findings(FIXTURE) if f["path"] == "tests/fixtures/cfnlint/template.yaml"]
    want = sorted((f["rule"], {"error": "E", "warning": "W", "note": "I"}[f["level"]] + "9" + f["rule"][2:], f["line"], f["column"]) for f in findings)
    assert {w[0] for w in want} == {"LL201", "LL302"}
    assert got == want
    assert code != 0  # cfn-lint's exit code reports the error

    by_id = {m["Rule"]["Id"]: m for m in ours}
    pc, memory = by_id["E9201"], by_id["I9302"]
    assert pc["Level"] == "Error" and memory["Level"] == "Informational"
    assert pc["Message"].startswith("[LL201 pc-on-latest] provisioned concurrency 5 on OrdersFunction targets $LATEST")
    assert memory["Message"].startswith("[LL302 default-memory] MemorySize is not set on ReportsFunction")
    assert pc["Filename"] == "tests/fixtures/cfnlint/template.yaml"
    # the path is the deepest one whose key is on the finding's line
    assert pc["Location"]["Path"] == ["Resources", "OrdersFunction", "Properties", "ProvisionedConcurrencyConfig"]
    assert memory["Location"]["Path"] == ["Resources", "ReportsFunction"]
    for m in (pc, memory):
        assert key_line(TEMPLATE, m["Location"]["Path"]) == m["Location"]["Start"]["LineNumber"]
    assert pc["Rule"]["Source"].endswith("/rules/LL201-pc-on-latest.md")


@needs_cfnlint
def test_default_severities_and_ignore_checks():
    # cfn-lint shows informational (I) rules only with --include-checks I
    _, matches = cfn_lint_json(TEMPLATE)
    assert {m["Rule"]["Id"] for m in matches if m["Rule"]["Id"][1] == "9"} == {"E9201"}
    code, matches = cfn_lint_json(TEMPLATE, "--ignore-checks", "E9201")
    assert not [m for m in matches if m["Rule"]["Id"][1] == "9"]


@needs_cfnlint
def test_text_output_and_list_rules():
    proc = cfn_lint(str(TEMPLATE.relative_to(ROOT)), f"--append-rules={BRIDGE}", "--include-checks", "I")
    assert "E9201 [LL201 pc-on-latest]" in proc.stdout
    assert "tests/fixtures/cfnlint/template.yaml:13:7" in proc.stdout
    assert "tests/fixtures/cfnlint/template.yaml:16:3" in proc.stdout
    listed = cfn_lint("--list-rules", "--append-rules", BRIDGE).stdout
    assert "E9201: lambdalint LL201 pc-on-latest" in listed
    assert "I9302: lambdalint LL302 default-memory" in listed
    assert "lambdalint LL101" not in listed  # handler-code rules report in Python files, not templates


@needs_cfnlint
def test_suppressions_config_and_other_cwd(tmp_path):
    """A copy outside the working directory; lambdalint's inline suppressions and config apply;
    .cfnlintrc can name the bridge."""
    app = tmp_path / "app"
    shutil.copytree(FIXTURE, app)
    text = TEMPLATE.read_text(encoding="utf-8")
    text = text.replace("      ProvisionedConcurrencyConfig:\n", "      ProvisionedConcurrencyConfig:  # lambdalint: ignore[LL201] -- alias added by the pipeline\n")
    (app / "template.yaml").write_text(text, encoding="utf-8")
    (app / ".lambdalint.toml").write_text('ignore = ["LL302"]\n', encoding="utf-8")
    (app / ".cfnlintrc").write_text(f"templates:\n  - template.yaml\nappend_rules:\n  - {BRIDGE}\ninclude_checks:\n  - I\n", encoding="utf-8")
    proc = cfn_lint("--format", "json", cwd=app)
    assert not [m for m in json.loads(proc.stdout) if m["Rule"]["Id"][1] == "9"], proc.stdout
    (app / ".lambdalint.toml").unlink()
    proc = cfn_lint("--format", "json", cwd=app)
    ids = [m["Rule"]["Id"] for m in json.loads(proc.stdout) if m["Rule"]["Id"][1] == "9"]
    assert ids == ["I9302"]
    # run from elsewhere, with an absolute template path
    code, matches = cfn_lint_json(app / "template.yaml", "--include-checks", "I", cwd=ROOT)
    assert [m["Rule"]["Id"] for m in matches if m["Rule"]["Id"][1] == "9"] == ["I9302"]


@needs_cfnlint
def test_handler_not_found_and_cfnlint_metadata_ignore(tmp_path):
    """LL002 sees the handler code next to the template; cfn-lint's resource Metadata
    ignore_checks silences a bridged rule (the match path starts Resources/<name>)."""
    app = tmp_path / "app"
    shutil.copytree(FIXTURE, app)
    text = TEMPLATE.read_text(encoding="utf-8").replace("app.handler", "app.missing", 1)
    text = text.replace("  OrdersFunction:\n", "  OrdersFunction:\n    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [E9201]\n")
    (app / "template.yaml").write_text(text, encoding="utf-8")
    _, matches = cfn_lint_json(app / "template.yaml", cwd=tmp_path)
    ours = [m for m in matches if m["Rule"]["Id"][1] == "9"]
    assert [m["Rule"]["Id"] for m in ours] == ["E9002"]
    assert ours[0]["Location"]["Start"]["LineNumber"] == 14
    assert ours[0]["Location"]["Path"] == ["Resources", "OrdersFunction", "Properties", "Handler"]


@needs_cfnlint
def test_bad_lambdalint_config_is_one_rule_error(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(FIXTURE, app)
    (app / ".lambdalint.toml").write_text("no-such-key = 1\n", encoding="utf-8")
    _, matches = cfn_lint_json(app / "template.yaml", cwd=tmp_path)
    errors = [m for m in matches if m["Rule"]["Id"] == "E0002"]
    assert len(errors) == 1 and "lambdalint: ConfigError" in errors[0]["Message"] and "no-such-key" in errors[0]["Message"]
    assert not [m for m in matches if m["Rule"]["Id"][1] == "9"]


@needs_cfnlint
def test_template_on_stdin_is_not_an_error():
    proc = cfn_lint("--append-rules", BRIDGE, "--format", "json", "-", stdin=TEMPLATE.read_text(encoding="utf-8"))
    matches = json.loads(proc.stdout) if proc.stdout.strip() else []
    assert not [m for m in matches if m["Rule"]["Id"][1] == "9" or m["Rule"]["Id"] == "E0002"], proc.stdout + proc.stderr


# --------------------------------------------------------------------------- the module itself


@needs_cfnlint
def test_ids_and_paths():
    from lambdalint.integrations.cfnlint import BRIDGED, cfnlint_id, template_path
    from lambdalint.rules.registry import load_rules

    assert cfnlint_id("LL201", "error") == "E9201"
    assert cfnlint_id("LL212", "warning") == "W9212"
    assert cfnlint_id("LL302", "note") == "I9302"
    assert cfnlint_id("LL001", "error") is None  # cfn-lint reports parse errors itself
    assert cfnlint_id("LL101", "warning") is None  # handler code
    assert cfnlint_id("ACME42", "error") is None
    rules = load_rules()
    assert BRIDGED["LL201"] == "E9201" and BRIDGED["LL302"] == "I9302"
    assert all(cfnlint_id(r, rules[r].level) == BRIDGED[r] for r in BRIDGED)
    assert len(set(BRIDGED.values())) == len(BRIDGED)

    tree = load_template(TEMPLATE.read_text(encoding="utf-8"))
    assert template_path(tree, 13, 7) == ["Resources", "OrdersFunction", "Properties", "ProvisionedConcurrencyConfig"]
    assert template_path(tree, 14) == ["Resources", "OrdersFunction", "Properties", "ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"]
    assert template_path(tree, 16, 3) == ["Resources", "ReportsFunction"]
    assert template_path(tree, 15) == ["Resources", "OrdersFunction", "Properties", "ReservedConcurrentExecutions"]
    blank = load_template("Resources:\n  A:\n    Type: AWS::X::Y\n\n  B:\n    Type: AWS::X::Y\n")
    assert template_path(blank, 4) == ["Resources"]  # a blank line: the deepest enclosing node
    seq = load_template("Resources:\n  A:\n    Type: AWS::X::Y\n    DependsOn:\n      - B\n      - C\n")
    assert template_path(seq, 6) == ["Resources", "A", "DependsOn", 1]


def test_lambdalint_never_imports_cfnlint():
    code = (
        "import sys, os\n"
        "import lambdalint.cli, lambdalint.engine, lambdalint.integrations\n"
        "from lambdalint.cli import main\n"
        f"os.chdir({str(ROOT)!r})\n"
        "for fmt in ('text', 'json', 'sarif', 'github'):\n"
        "    try:\n"
        "        main(['check', 'tests/fixtures/cfnlint', '--format', fmt, '--output', os.devnull])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "bad = sorted(m for m in sys.modules if m == 'cfnlint' or m.startswith('cfnlint.') or m == 'lambdalint.integrations.cfnlint')\n"
        "print(bad)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
