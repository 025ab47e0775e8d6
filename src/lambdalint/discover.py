"""Walk the given paths and decide what kind of file each one is.

Classification is cheap (name, then a peek at the content) so the parse stage only ever sees
files that are ours: Python, JavaScript/TypeScript and Java sources, CloudFormation/SAM
templates, Terraform.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from .findings import Notice

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "__pycache__",
        ".terraform",
        ".aws-sam",
        ".serverless",
        ".esbuild",  # Serverless Framework plugin output: serverless-esbuild,
        ".build",  # serverless-plugin-typescript,
        ".webpack",  # serverless-webpack,
        ".requirements",  # serverless-python-requirements (packaged dependencies, not handler code)
        "site-packages",
        ".eggs",
        "build",
        "dist",
        "target",  # Maven and Gradle build output
        "__mocks__",
    }
)
MAX_FILE_BYTES = 2 * 1024 * 1024  # larger files are skipped with a notice: no handler or template is this big
PYTHON, TEMPLATE, TERRAFORM, JAVASCRIPT, JAVA = "python", "template", "terraform", "javascript", "java"
SERVERLESS = "serverless"  # a Serverless Framework service file (serverless.yml)
SERVERLESS_NAMES = ("serverless.yml", "serverless.yaml", "serverless.json")
# .jsx/.tsx are left out: they hold browser components, not Lambda handlers, and a large
# front end would only cost parse time
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
# declarations and minified or pre-built bundles: nobody edits them, they hold no handler source
NOT_SCRIPTS = (".d.ts", ".d.mts", ".d.cts", ".min.js", ".bundle.js")
TEMPLATE_NAME_PATTERNS = ("template.yaml", "template.yml", "template.json", "*.template", "*.template.yaml", "*.template.yml", "*.template.json", "*-template.yaml", "*-template.yml", "*-template.json", "*.cfn.yaml", "*.cfn.yml", "*.cfn.json", "cloudformation*.yaml", "cloudformation*.yml", "cloudformation*.json")
YAML_JSON_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# JSON files whose name says what they are (npm, TypeScript, CDK settings): never a template, even
# when one carries a stray "Transform" key (seen in public CDK samples)
NOT_TEMPLATES = frozenset({"package.json", "package-lock.json", "tsconfig.json", "jsconfig.json", "cdk.json", "cdk.context.json", "composer.json"})


# Inputs that declare Lambda functions in a form lambdalint does not read yet: each gets a notice
# (a silent skip would look like a clean bill of health).
UNREAD_DIRS: dict[str, str] = {}
# what `cdk synth` writes: read through its manifest.json (documents/cdk_assembly.py), never walked
CDK_OUT = "cdk.out"
# a service written as a program: reading it would mean running it
SERVERLESS_PROGRAMS = ("serverless.ts", "serverless.js", "serverless.cjs", "serverless.mjs")
JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2")


def unread_input(name: str) -> str | None:
    """Why a file of this name is recognised but not read, or None."""
    lower = name.lower()
    if lower in SERVERLESS_PROGRAMS:
        return "Serverless Framework configuration written as a program: not read (lambdalint never runs scanned code), so the functions it declares are not checked; write it as serverless.yml to have them checked"
    if lower.endswith(JINJA_SUFFIXES) and any(s in lower for s in (".yml.", ".yaml.", ".json.", ".tf.", "template")):
        return "Jinja template: not read, since its values exist only once rendered; check the rendered file"
    return None


@dataclass(frozen=True, order=True)
class SourceFile:
    rel: str  # POSIX path relative to the scan root: what reports show
    path: str  # absolute path on disk
    kind: str  # python | javascript | java | template | terraform
    # True when the name alone says "template": then an unparseable file is LL001 even if its
    # content does not look like one (e.g. a binary named template.yaml)
    named_template: bool = False


def scan_root(paths: list[str]) -> Path:
    """The directory report paths are relative to: the working directory when every path lies
    inside it (as ruff does, so paths match the repository's for code scanning), else the
    common parent of the given paths."""
    cwd = Path.cwd()
    absolute = [Path(os.path.abspath(p)) for p in paths]
    if all(p == cwd or cwd in p.parents for p in absolute):
        return cwd
    dirs = [p if p.is_dir() else p.parent for p in absolute]
    return Path(os.path.commonpath([str(d) for d in dirs])) if dirs else cwd


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def is_named_template(name: str) -> bool:
    lower = name.lower()
    return any(fnmatch.fnmatchcase(lower, pat) for pat in TEMPLATE_NAME_PATTERNS)


def classify(path: Path) -> tuple[str | None, bool]:
    name = path.name
    if name.endswith(".py"):
        return PYTHON, False
    if name.endswith(SCRIPT_SUFFIXES):
        return (None, False) if name.endswith(NOT_SCRIPTS) else (JAVASCRIPT, False)
    if name.endswith(".java"):
        return JAVA, False
    if name.endswith((".tf", ".tf.json")) or name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json")):
        return TERRAFORM, False  # the variable files Terraform loads by itself
    lower = name.lower()
    if lower in SERVERLESS_NAMES:
        return SERVERLESS, False
    if lower.endswith(".template") and "." in lower[: -len(".template")]:
        inner = lower[: -len(".template")].rsplit(".", 1)[1]
        if inner not in ("yaml", "yml", "json", "cfn"):
            return None, False  # App.sln.template, config.xml.template: templates of other files
    if lower.endswith(YAML_JSON_SUFFIXES) and lower not in NOT_TEMPLATES:
        return TEMPLATE, is_named_template(name)
    return None, False


def discover(paths: list[str], root: Path, excluded=None) -> tuple[list[SourceFile], list[Notice]]:
    """Every file of ours under ``paths``, sorted, plus notices for what was skipped.

    ``excluded`` is a predicate on the relative path (config ``exclude``). Symlinked
    directories are followed once: a link back into a directory already walked is a loop and is
    reported, not followed.
    """
    files: dict[str, SourceFile] = {}
    notices: list[Notice] = []
    seen_dirs: set[str] = set()

    def add_file(p: Path, explicit: bool, base: Path | None = None, assembly: bool = False) -> None:
        unread = unread_input(p.name)
        if unread is not None:
            rel = _rel(p, root)
            if explicit or excluded is None or not excluded(rel):
                notices.append(Notice(rel, 0, unread, "note"))
            return
        kind, named = classify(p)
        if assembly and kind == TEMPLATE:
            named = True  # the manifest says it is a stack template: a broken one is LL001
        if kind is None:
            if explicit:
                notices.append(Notice(_rel(p, root), 0, "not a Python, JavaScript/TypeScript, Java, template or Terraform file: skipped", "note"))
            return
        rel = _rel(p, root)
        if excluded is not None and not explicit and excluded(rel):
            return
        # judged below the directory the user named, so `lambdalint check tests/fixtures/app` still checks it
        if kind in (PYTHON, JAVASCRIPT, JAVA) and _is_test_path(_rel(p, base) if base else rel):
            return  # tests construct clients freely; they are not Lambda code
        try:
            size = p.stat().st_size
        except OSError as exc:
            notices.append(Notice(rel, 0, f"cannot read file: {exc.strerror or exc}", "warning"))
            return
        if size > MAX_FILE_BYTES:
            notices.append(Notice(rel, 0, f"skipped: {size // 1024} KiB is over the {MAX_FILE_BYTES // 1024} KiB size limit", "warning"))
            return
        files[rel] = SourceFile(rel, str(p), kind, named)

    def add_assembly(directory: Path) -> None:
        """A CDK cloud assembly: its stack templates and the handler code of its assets, never
        its other files (asset manifests, tree.json, installed dependencies)."""
        from .documents.cdk_assembly import is_assembly, read_assembly

        if not is_assembly(str(directory)):
            notices.append(Notice(_rel(directory, root), 0, "cdk.out without a manifest.json: not a CDK cloud assembly, skipped (run cdk synth)", "note"))
            return
        assembly = read_assembly(str(directory))
        for path, line, message in assembly.problems:
            notices.append(Notice(_rel(Path(path), root), line, message, "warning"))
        for path in assembly.templates + assembly.code:
            add_file(Path(path), explicit=False, base=directory, assembly=True)

    def walk(directory: Path) -> None:
        base = directory
        stack = [directory]
        while stack:
            current = stack.pop()
            try:
                real = os.path.realpath(current)
            except OSError:
                continue
            if real in seen_dirs:
                if current.is_symlink():
                    notices.append(Notice(_rel(current, root), 0, "symlink loop: directory already scanned, not followed", "note"))
                continue
            seen_dirs.add(real)
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except OSError as exc:
                notices.append(Notice(_rel(current, root), 0, f"cannot list directory: {exc.strerror or exc}", "warning"))
                continue
            for entry in entries:
                p = Path(entry.path)
                try:
                    is_dir = entry.is_dir()  # follows symlinks
                except OSError:
                    is_dir = False
                if is_dir:
                    if excluded is not None and excluded(_rel(p, root) + "/"):
                        continue
                    if entry.name == CDK_OUT:
                        add_assembly(p)
                        continue
                    if entry.name in UNREAD_DIRS:
                        notices.append(Notice(_rel(p, root), 0, UNREAD_DIRS[entry.name], "note"))
                        continue
                    if entry.name in SKIP_DIRS or (entry.name.startswith(".") and entry.name not in (".", "..")):
                        continue
                    stack.append(p)
                    continue
                if entry.is_symlink() and not p.exists():
                    notices.append(Notice(_rel(p, root), 0, "broken symlink: skipped", "note"))
                    continue
                add_file(p, explicit=False, base=base)

    for raw in paths:
        p = Path(os.path.abspath(raw))
        if p.is_dir() and p.name == CDK_OUT:
            add_assembly(p)
        elif p.is_dir():
            walk(p)
        elif p.is_file():
            add_file(p, explicit=True)
        else:
            notices.append(Notice(_rel(p, root), 0, "path does not exist", "error"))
    return sorted(files.values()), sorted(set(notices))


def _is_test_path(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    if ".test." in name or ".spec." in name or (name.endswith(".java") and name.endswith(("Test.java", "Tests.java", "IT.java"))):
        return True
    return any(part in ("tests", "test", "testing", "__tests__") for part in parts[:-1])
