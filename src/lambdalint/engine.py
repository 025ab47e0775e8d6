"""The pipeline: discover -> parse -> build project -> run rules -> suppress. Data flows one way.

Parsing (the expensive part: reading, ``ast``/YAML/HCL, per-module facts) runs in worker
processes with ``--jobs``; everything after it runs in this process on small picklable facts, so
results do not depend on the number of workers. Output order is fixed by sorting. A large sweep
is checked unit by unit (see ``units``) so memory does not grow with the number of files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings, selection
from .coverage import Coverage
from .discover import SourceFile, discover, scan_root
from .documents.parse import Parsed
from .findings import Finding, Notice, ParseFailure
from .rules.base import RuleContext


@dataclass
class Result:
    root: Path
    findings: list[Finding]
    notices: list[Notice]
    files: list[SourceFile]
    rules: dict  # id -> Rule (all known rules)
    enabled: set[str] = field(default_factory=set)
    suppressed: list[Finding] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)
    coverage: Coverage | None = None  # functions found and linked, templates, roots, skipped files
    # set when a baseline was applied: (findings it matched, baseline entries now fixed)
    baseline: tuple[int, int] | None = None
    roots: list[str] = field(default_factory=list)  # the paths as given, for per-root statistics
    # the JSON ``functions`` array (report.functions records) and the configuration fingerprint
    # that merge compares
    functions: list[dict] = field(default_factory=list)
    settings: Settings | None = None
    strict_suppressions: bool = False
    fingerprint_base: str = ""  # the scan root's folder inside the repository (findings.fingerprint)
    fixes: dict = field(default_factory=dict)  # Finding -> fix.model.Fix | Declined, for JSON/SARIF


def parse_all(files: list[SourceFile], jobs: int, extra_roots: frozenset = frozenset(), package_names: frozenset = frozenset(), progress=None) -> list[Parsed]:
    """Parse every file (in ``jobs`` worker processes when there are enough). ``extra_roots``: the
    packages of config extra-clients / extra-connections, which the code analysis must not skip;
    ``package_names``: module and directory names of the scanned tree (analysis.package).
    ``progress.advance(done, total)``, when given, is called as files complete."""
    from .workers import ParsePool

    with ParsePool(jobs, extra_roots, package_names, progress) as pool:
        pool.expect(len(files))
        return pool.parse(files)


def _package_names(files) -> frozenset:
    from .analysis.package import package_names

    return package_names(f.rel for f in files)


def extra_roots(settings: Settings) -> frozenset:
    return frozenset(name.split(".")[0] for name in settings.extra_clients + settings.extra_connections)


def _data_reader(root: Path):
    """``${file(...)}`` sources of a service file: read as data from inside the scan root only."""
    from .documents.serverless import load_data_file

    real_root = os.path.realpath(root)

    def read(rel: str):
        path = os.path.realpath(os.path.join(root, rel))
        if not path.startswith(real_root + os.sep) or not os.path.isfile(path):
            return None
        return load_data_file(path)

    return read


def build_project(parsed: list[Parsed], root: Path, settings: Settings):
    from .documents.python import PythonDocument
    from .documents.serverless import ServerlessDocument
    from .documents.templates import TemplateDocument
    from .documents.terraform import TerraformDocument
    from .project.model import Project

    project = Project(root_dir=str(root))
    project.files = {p.source.rel for p in parsed}
    dirs: set[str] = set()
    for rel in project.files:
        parts = rel.split("/")
        for i in range(len(parts)):
            dirs.add("/".join(parts[:i]) or ".")

    def exists(rel: str) -> bool:
        rel = rel.rstrip("/") or "."
        return rel in dirs or rel in project.files or os.path.exists(os.path.join(root, rel))

    template_docs = [p.document for p in parsed if isinstance(p.document, TemplateDocument)]
    service_docs = [p.document for p in parsed if isinstance(p.document, ServerlessDocument)]
    terraform_docs = [p.document for p in parsed if isinstance(p.document, TerraformDocument)]
    for p in parsed:
        if isinstance(p.document, PythonDocument):
            project.python_modules[p.document.path] = p.document
    # A loader bug on one document must not lose the rest of the run: that document becomes an
    # LL001 "internal error" finding and its functions are left out.
    def guarded(path: str, load, default=()):
        try:
            return load()
        except Exception as exc:  # noqa: BLE001 - reported, never swallowed
            project.load_failures.append(ParseFailure(path, 1, 1, f"internal error while reading this file ({type(exc).__name__}: {exc})"))
            return default

    # each document is wrapped once (cloudformation.Template / terraform.Root, with their
    # resolution caches) and read into records by its format's readers, then linked
    documents: list = []
    if template_docs:
        from .formats.cloudformation import records as template_records
        from .documents.cdk_assembly import in_assembly
        from .formats.cloudformation.resolve import Template

        templates = [t for t in (guarded(doc.path, lambda doc=doc: Template(doc), None) for doc in template_docs) if t is not None]
        documents += [template_records.read(t, exists) for t in templates if not in_assembly(t.path)]
        synthesized = [t for t in templates if in_assembly(t.path)]
        if synthesized:  # CDK stack templates: CloudFormation, with code mapped back to its source
            from .formats.cdk import records as cdk_records
            from .formats.cdk.assets import SourceIndex

            sources = SourceIndex(str(root), project.files)
            documents += [r for r in (guarded(t.path, lambda t=t: cdk_records.read(t, exists, sources), None) for t in synthesized) if r is not None]
    if service_docs:
        from .formats.serverless import records as service_records
        from .formats.serverless.resolve import Service

        read_data = _data_reader(root)
        services = [s for s in (guarded(doc.path, lambda doc=doc: Service(doc, read_data), None) for doc in service_docs) if s is not None]
        documents += [r for r in (guarded(s.path, lambda s=s: service_records.read(s, exists), None) for s in services) if r is not None]
    if terraform_docs:
        from .formats.terraform import records as root_records
        from .formats.terraform.modules import plain_roots, roots

        # a failure while following local modules loses the modules, never the roots themselves
        tf_roots = guarded(terraform_docs[0].path, lambda: roots(terraform_docs), None)
        documents += [root_records.read(tf_root, exists) for tf_root in (tf_roots if tf_roots is not None else plain_roots(terraform_docs))]
    if documents:
        from .project.build import link_documents

        for records in documents:
            for concern, exc in records.failed:
                project.load_failures.append(ParseFailure(records.path, 1, 1, f"internal error while reading this file ({type(exc).__name__}: {exc}; its {concern} are left out)"))
        guarded(documents[0].path, lambda: link_documents(project, documents))
    from .link.code import code_targets, link

    link(project)
    project.code_targets = code_targets(project, settings.handler_names)
    js_java = [p.document for p in parsed if p.source.kind in ("javascript", "java") and p.document is not None]
    if js_java:
        from .link.scripts import link_code

        guarded(js_java[0].path, lambda: link_code(project, js_java, settings.handler_names))
    from .analysis.scope import cpu_evidence

    for target in project.code_targets:
        if target.functions:
            evidence = cpu_evidence(target)
            for function in target.functions:
                function.cpu_evidence = evidence
    return project


def _repository_root(start: Path) -> Path:
    """The enclosing repository (nearest directory with .git), else ``start`` itself."""
    for directory in [start, *start.parents]:
        if (directory / ".git").exists():
            return directory
    return start


def fingerprint_base(root: Path) -> str:
    """``root``'s folder inside its repository (nearest .git, else the folder of the project's
    lambdalint configuration), so a finding's fingerprint is the same from wherever it runs."""
    top = _repository_root(root)
    if not (top / ".git").exists():
        from .config import ConfigError, find_config

        try:
            config = find_config(root)
        except ConfigError:
            config = None
        top = config.parent if config is not None else root
    try:
        rel = root.relative_to(top).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def _discover_with_context(paths: list[str], root: Path, settings: Settings, jobs: int):
    """pre-commit mode: only some files were named, but the templates that configure a changed
    handler (and the handler a changed template points to) live elsewhere in the repository.
    Parse every template/Terraform file of the repository plus the named files, then the handler
    modules of the functions the named files declare."""
    from .discover import PYTHON

    excluded = settings.is_excluded if settings.exclude else None
    named, notices = discover(paths, root, excluded)
    names = {f.rel for f in named}
    repo = _repository_root(Path(os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])))
    everything, _ = discover([str(repo)], root, excluded)
    by_rel = {f.rel: f for f in everything}
    by_rel.update({f.rel: f for f in named})
    first = [f for f in by_rel.values() if f.rel in names or (f.kind != PYTHON and _may_configure(f, named))]
    # a Terraform root is read whole: its variables and locals live in sibling files; so are the
    # local modules it calls and the roots that call a named module
    roots = _module_folders({os.path.dirname(f.rel) for f in first if f.kind == "terraform"}, by_rel.values())
    first += [f for f in by_rel.values() if f.kind == "terraform" and os.path.dirname(f.rel) in roots and f not in first]
    # so is a Java source root: a handler's service classes and superclasses live beside it
    java_roots = {_java_source_root(f.rel) for f in named if f.kind == "java"}
    first += [f for f in by_rel.values() if f.kind == "java" and _java_source_root(f.rel) in java_roots and f not in first]
    modules = _package_names(by_rel.values())
    parsed = parse_all(sorted(first), jobs, extra_roots(settings), modules)
    project = build_project(parsed, root, settings)
    wanted = {
        fn.handler_module
        for fn in project.functions
        if fn.handler_module and fn.location.path in names and fn.handler_module in by_rel and fn.handler_module not in names
    }
    wanted |= _unlinked_handler_files(project, names, by_rel) - names
    if wanted:
        parsed += parse_all(sorted(by_rel[rel] for rel in wanted), jobs, extra_roots(settings), modules)
    parsed += _imported_modules(parsed, by_rel, project, jobs, settings, modules)
    return named, notices, parsed, set(by_rel), names


def _imported_modules(parsed: list[Parsed], by_rel: dict, project, jobs: int, settings: Settings, names: frozenset) -> list[Parsed]:
    """pre-commit mode: the package modules the parsed Python and JavaScript/TypeScript modules
    import, transitively, so that handler scope follows calls into them; only those are read,
    not the whole tree."""
    from .analysis.package import imported_files
    from .documents.javascript import ScriptDocument
    from .documents.python import PythonDocument

    code_dirs = [f.code_dir.value for f in project.functions if f.code_dir.is_set and isinstance(f.code_dir.value, str)]
    available = {rel for rel in by_rel if rel.endswith(".py")}
    done = {p.source.rel for p in parsed}
    documents = [p.document for p in parsed if isinstance(p.document, PythonDocument)]
    out: list[Parsed] = []
    documents += [p.document for p in parsed if isinstance(p.document, ScriptDocument)]
    while documents:
        wanted = sorted((imported_files([d for d in documents if isinstance(d, PythonDocument)], available, code_dirs, project.root_dir) | _script_imports(documents, by_rel)) - done)
        if not wanted:
            break
        done.update(wanted)
        batch = parse_all([by_rel[rel] for rel in wanted], jobs, extra_roots(settings), names)
        out += batch
        documents = [p.document for p in batch if isinstance(p.document, (PythonDocument, ScriptDocument))]
    return out


def _script_imports(documents: list, by_rel: dict) -> set[str]:
    """The local modules (``./lib/clients``) the JavaScript/TypeScript documents load, as files
    of the repository, resolved as the runtime does (extension, then ``/index``)."""
    import posixpath

    from .documents.javascript import ScriptDocument
    from .link.scripts import SCRIPT_EXTENSIONS

    out: set[str] = set()
    for doc in documents:
        if not isinstance(doc, ScriptDocument):
            continue
        for specifier in doc.facts.relative_imports:
            base = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), specifier))
            stem = next((base[: -len(ext)] for ext in SCRIPT_EXTENSIONS if base.endswith(ext)), base)
            candidates = [base] + [stem + ext for ext in SCRIPT_EXTENSIONS] + [f"{base}/index{ext}" for ext in SCRIPT_EXTENSIONS]
            found = next((c for c in candidates if c in by_rel), None)
            if found is not None:
                out.add(found)
    return out


def _unlinked_handler_files(project, names: set[str], by_rel: dict) -> set[str]:
    """pre-commit mode: the Node.js module and the Java source root of each function a named
    file declares. Their handlers are linked only once their code is parsed, so they have no
    handler_module yet (Python's is known from the template alone)."""
    from .discover import JAVA
    from .link.scripts import java_handler, node_module_candidates

    out: set[str] = set()
    for fn in project.functions:
        if fn.location.path not in names or fn.handler_module:
            continue
        if fn.is_node:
            found = node_module_candidates(fn)
            out.update(c for c in (found[0] if found else ()) if c in by_rel)
        elif fn.is_java and fn.code_dir.is_set:
            handler = java_handler(fn)
            code_dir = os.path.normpath(fn.code_dir.value).strip("/")
            suffix = "/" + handler[0].replace(".", "/") + ".java" if handler else None
            classes = [
                f.rel
                for f in by_rel.values()
                if suffix and f.kind == JAVA and ("/" + f.rel).endswith(suffix) and (code_dir in ("", ".") or f.rel.startswith(code_dir + "/"))
            ]
            # the whole source root: the handler's services and superclasses live beside it
            roots = {_java_source_root(rel) for rel in classes}
            out.update(f.rel for f in by_rel.values() if f.kind == JAVA and _java_source_root(f.rel) in roots)
    return out


def _may_configure(source, named) -> bool:
    """Whether a template/Terraform file can matter to the named files, by cheap tests of place
    and text: parsing every template of a large repository on each commit is what makes a
    hook slow.
    A function's Handler always spells its module (`app.lambda_handler`), and a named
    template or .tf file needs its whole Terraform root. A handler whose Handler comes from
    a variable loses its context (fewer findings, never a wrong one)."""
    directory = os.path.dirname(source.rel)
    if any(f.kind != "python" and os.path.dirname(f.rel) == directory for f in named):
        return True
    from .documents.cdk_assembly import in_assembly

    if in_assembly(source.rel):
        # a synthesized stack names its code by asset hash, never by source path: it may
        # configure any handler of its CDK app (the folder that holds cdk.out), or one whose
        # file an asset holds a copy of (fromAsset('../services/orders'))
        app = source.rel.split("cdk.out/", 1)[0]
        code = [f for f in named if f.kind in ("python", "javascript", "java")]
        return any(f.rel.startswith(app) for f in code) or (bool(code) and _asset_holds(source, code))
    try:
        with open(source.path, "rb") as handle:
            text = handle.read()
    except OSError:
        return True  # let the parser report it
    # code lives below its template, or beside it (infra/main.tf with ../src): the template's
    # parent directory must contain the handler; or anywhere a climbing path of the template
    # leads (a module's "${path.module}/../../../src/orders")
    climbs = b"../" in text or b"..\\" in text
    for f in named:
        outer = os.path.dirname(directory)
        if f.kind in ("python", "javascript", "java") and (not outer or f.rel.startswith(outer + "/") or climbs):
            stem = os.path.splitext(os.path.basename(f.rel))[0]
            if stem == "__init__":
                stem = os.path.basename(os.path.dirname(f.rel))
            # the code location names the first directory on the way to the handler
            steps = [p for p in os.path.relpath(os.path.dirname(f.rel) or ".", directory or ".").split(os.sep) if p not in ("..", ".")]
            if stem.encode() in text and (not steps or steps[0].encode() in text):
                return True
    return False


def _asset_holds(template, files) -> bool:
    """Whether a code asset of a synthesized stack holds a file at the end of one of ``files``'
    paths (``asset.<hash>/app.py`` for ``services/orders/app.py``)."""
    from .documents.cdk_assembly import asset_paths

    folder = os.path.dirname(template.path)
    for asset in asset_paths(template.path):
        for f in files:
            parts = f.rel.split("/")
            if any(os.path.isfile(os.path.join(folder, asset, *parts[i:])) for i in range(len(parts))):
                return True
    return False


def _module_folders(folders: set[str], files) -> set[str]:
    """``folders`` of Terraform plus every folder linked to them by a local module call, either
    way (read from the text: the files are not parsed yet)."""
    import posixpath
    import re

    calls: dict[str, set[str]] = {}
    for f in files:
        if f.kind != "terraform":
            continue
        try:
            with open(f.path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            continue
        here = posixpath.dirname(f.rel)
        for m in re.finditer(r'"?source"?\s*[=:]\s*"(\.\.?(?:/[^"]*)?)"', text):
            target = posixpath.normpath(posixpath.join(here, m.group(1)))
            target = "" if target == "." else target
            calls.setdefault(here, set()).add(target)
            calls.setdefault(target, set()).add(here)
    out = set(folders)
    stack = list(folders)
    while stack:
        for linked in calls.get(stack.pop(), ()):
            if linked not in out:
                out.add(linked)
                stack.append(linked)
    return out


def _java_source_root(rel: str) -> str:
    """``fn/src/main/java/com/x/App.java`` -> ``fn/src/main/java``; else the file's directory."""
    if rel.startswith("src/main/java/"):
        return "src/main/java"
    head, marker, _ = rel.partition("/src/main/java/")
    return head + marker if marker else os.path.dirname(rel)


def run(paths: list[str], settings: Settings, rules: dict, enabled: set[str], jobs: int = 1, root: Path | None = None, context: bool = True, strict_suppressions: bool = False, progress=None) -> Result:
    """Check ``paths``. When every path is a file and ``context`` is on (pre-commit), the rest of
    the repository is read for context and only findings in the named files are reported."""
    import gc

    # The run allocates many small, long-lived, acyclic objects (located nodes, facts); the
    # cyclic collector would rescan them over and over for nothing (measured: half the time
    # of a template sweep). Worker processes forked from here inherit the setting.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(paths, settings, rules, enabled, jobs, root, context, strict_suppressions, progress)
    finally:
        if was_enabled:
            gc.enable()


def _run(paths, settings, rules, enabled, jobs, root, context, strict_suppressions, progress) -> Result:
    only: set[str] | None = None
    all_files: set[str] | None = None
    explicit_files = bool(paths) and all(os.path.isfile(p) for p in paths)
    if root is None:
        root = scan_root(paths)
        if context and explicit_files:
            # pre-commit may run from anywhere in the repository: report against its root.
            # Outside a repository the scan root stands (bin/template.yaml keeps its folder).
            repository = _repository_root(Path(os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in paths])))
            if (repository / ".git").exists():
                root = repository
    if settings.force_exclude and settings.exclude:
        # as ruff's --force-exclude: a hook names files one by one, and excluded ones stay out
        paths = [p for p in paths if not settings.is_excluded(_rel_arg(p, root) + ("/" if os.path.isdir(p) else ""))]
        explicit_files = explicit_files and bool(paths)
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    rule_errors: list[str] = []
    checked: set[str] = set()
    functions: list[dict] = []
    coverage = Coverage()
    found_anything = False

    def merge(unit: _Checked) -> None:
        nonlocal found_anything
        kept.extend(unit.kept)
        suppressed.extend(unit.suppressed)
        notices.extend(unit.notices)
        rule_errors.extend(e for e in unit.rule_errors if e not in rule_errors)
        checked.update(unit.checked)
        functions.extend(unit.functions)
        coverage.add(unit.coverage)
        found_anything = found_anything or unit.found_anything

    if context and explicit_files:
        files, notices, parsed, all_files, only = _discover_with_context(paths, root, settings, jobs)
        merge(_check(parsed, root, settings, rules, enabled, strict_suppressions, all_files))
    else:
        from .units import split_units
        from .workers import ParsePool

        files, notices = discover(paths, root, settings.is_excluded if settings.exclude else None)
        if progress:
            progress(f"lambdalint: checking {len(files)} files with {jobs} job(s)...")
        # One unit (a repository, or a directory no file of which points outside it) is
        # parsed, built, checked and dropped before the next: memory holds one unit's
        # documents, not the whole sweep's. Only the findings (and function records) are kept.
        with ParsePool(jobs, extra_roots(settings), _package_names(files), progress) as pool:
            pool.expect(len(files))
            for parsed in pool.parse_units(split_units(files)):
                merge(_check(parsed, root, settings, rules, enabled, strict_suppressions, None))
                del parsed
    # (when files were skipped, their own notices already say why nothing was found)
    if paths and not found_anything and only is None and not any(n.path for n in notices):
        from .coverage import NOTHING_FOUND

        notices.append(Notice("", 0, NOTHING_FOUND, "warning"))
    if only is not None:
        kept = [f for f in kept if f.location.path in only]
        suppressed = [f for f in suppressed if f.location.path in only]
        notices = [n for n in notices if n.path in only or not n.path]
    coverage.count_skipped(notices)
    from .report.functions import sort_key as function_sort_key

    return Result(
        root=root,
        findings=sorted(set(kept), key=Finding.sort_key),
        notices=sorted(set(notices)),
        files=[f for f in files if f.rel in checked],  # YAML/JSON that is no template is not "checked"
        rules=rules,
        enabled=enabled,
        suppressed=sorted(set(suppressed), key=Finding.sort_key),
        rule_errors=rule_errors,
        roots=[_rel_arg(p, root) for p in paths],
        functions=sorted(functions, key=function_sort_key),
        settings=settings,
        strict_suppressions=strict_suppressions,
        fingerprint_base=fingerprint_base(root),
        coverage=coverage,
    )


@dataclass
class _Checked:
    """What one checked unit leaves behind once its documents are dropped."""

    kept: list[Finding]
    suppressed: list[Finding]
    notices: list[Notice]
    rule_errors: list[str]
    checked: set[str]
    functions: list[dict]  # report.functions records, for the JSON/HTML reports
    coverage: Coverage
    found_anything: bool  # a function or a handler module


def _check(parsed: list[Parsed], root: Path, settings: Settings, rules: dict, enabled: set[str], strict_suppressions: bool, all_files: set[str] | None) -> _Checked:
    """Build the project of ``parsed``, run the rules on it and apply suppressions."""
    findings: list[Finding] = []
    notices: list[Notice] = []
    rule_errors: list[str] = []
    from .rules.ll001_parse_error import finding_for

    for p in parsed:
        notices.extend(p.notices)
        if p.failure is not None:
            findings.append(finding_for(p.failure))
    project = build_project(parsed, root, settings)
    findings.extend(finding_for(failure) for failure in project.load_failures)
    from .coverage import measure, unread_module_notices

    notices.extend(unread_module_notices(parsed))
    if all_files is not None:
        project.files |= all_files  # files that exist but were not parsed still count for LL002
    for rule_id in sorted(enabled):
        rule = rules[rule_id]
        if rule.check is None:
            continue
        options = {**rule.option_defaults(), **settings.rule_options.get(rule_id, {})}
        ctx = RuleContext(rule, project, options, settings, level=options.get("level", rule.level))
        try:
            findings.extend(rule.check(ctx))
        except Exception as exc:  # one broken rule must not lose the other rules' results
            rule_errors.append(f"{rule.id} {rule.name}: internal error {type(exc).__name__}: {exc}")
            notices.append(Notice("", 0, f"rule {rule.id} failed with an internal error ({type(exc).__name__}: {exc}); its findings are missing", "error"))
    findings = [f for f in findings if f.rule_id in enabled]
    terraform_docs = [p.document for p in parsed if p.source.kind == "terraform" and p.document is not None]
    if terraform_docs:
        from .formats.terraform.modules import call_sites, stop_notices, with_call_sites

        # a finding inside a local module names the module calls that reach it
        try:
            findings = with_call_sites(findings, call_sites(terraform_docs))
            notices.extend(stop_notices(terraform_docs))
        except Exception:  # noqa: BLE001 - build_project reported it (LL001) and read plain roots
            pass
    from .suppress import apply_suppressions, unused_suppressions

    documents = {p.source.rel: p.document for p in parsed if p.document is not None}
    kept, suppressed, used = apply_suppressions(findings, documents, settings, rules)
    if "LL003" in enabled:
        kept += unused_suppressions(documents, used, enabled, rules, strict_suppressions)
    checked = {p.source.rel for p in parsed if p.document is not None or p.failure is not None}
    from .report.functions import function_records

    return _Checked(
        kept,
        suppressed,
        notices,
        rule_errors,
        checked,
        function_records(project),
        measure(project, parsed),
        bool(project.functions or project.code_targets or project.script_targets or project.java_targets),
    )


def _rel_arg(path: str, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix() or "."
    except ValueError:
        return Path(os.path.abspath(path)).as_posix()


def select_rules(settings: Settings, rules: dict, select=(), ignore=(), extend=()) -> set[str]:
    """The rules to run. Also records on ``settings`` which of them the user named, since a rule
    that only runs as part of the default set may report less (RuleContext.selected)."""
    enabled, named = selection(settings, rules, select, ignore, extend)
    settings.explicit_rules = frozenset(named)
    return enabled
