"""Link Node.js and Java functions to the code that implements them.

Node.js: ``Handler: src/app.lambdaHandler`` with ``CodeUri: fn/`` is the export
``lambdaHandler`` of ``fn/src/app.{ts,mts,cts,js,mjs,cjs}`` (TypeScript first: with esbuild the
``.ts`` file is the source). Java: ``com.example.App::handleRequest`` (method defaults to
``handleRequest``) is a class of the Java source roots below ``CodeUri``. Spring Cloud Function's
``FunctionInvoker`` runs the project's ``Function``/``Consumer``/``Supplier`` implementations.
Modules and classes no configuration names are handlers by convention (``ScriptFacts.
handler_candidates``, ``JavaFacts.handler_candidates``) unless they sit in a linked code directory.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass, field

from ..project.model import Function, Project

SCRIPT_EXTENSIONS = (".ts", ".mts", ".cts", ".js", ".mjs", ".cjs")
BUILD_OUTPUT = frozenset({"dist", "build", "out", ".build", "bundle", "target", ".aws-sam", "cdk.out"})
SPRING_ADAPTERS = frozenset({"FunctionInvoker", "SpringBootRequestHandler", "SpringBootStreamHandler", "SpringBootApiGatewayRequestHandler"})


@dataclass
class ScriptTarget:
    """One exported handler of one JavaScript/TypeScript module, with the functions that run it."""

    module: object  # documents.javascript.ScriptDocument
    export: str
    roots: list[str]  # the routines the export runs
    functions: list[Function] = field(default_factory=list)
    linked: bool = False


@dataclass
class JavaTarget:
    """One handler method of one Java class, with the functions that run it."""

    program: object  # analysis.java.JavaProgram
    class_name: str  # qualified
    method: str
    path: str  # the file that declares the class
    functions: list[Function] = field(default_factory=list)
    linked: bool = False

    @property
    def snapstart(self) -> bool:
        return any(f.snapstart.known and f.snapstart.value == "PublishedVersions" for f in self.functions)


def _split_node_handler(handler: str) -> tuple[str, str] | None:
    """``src/app.lambdaHandler`` -> ("src/app", "lambdaHandler"): the module is everything up to
    the first dot after the last slash, as the Node.js runtime splits it."""
    directory, _, base = handler.rpartition("/")
    if "." not in base:
        return None
    module, _, export = base.partition(".")
    return (f"{directory}/{module}" if directory else module), export.split(".")[0]


def node_module_candidates(function: Function) -> tuple[list[str], str] | None:
    """(candidate module paths, export name) for a Node.js function, or None when unknowable."""
    if not (function.handler.is_set and function.code_dir.is_set and isinstance(function.handler.value, str)):
        return None
    split = _split_node_handler(function.handler.value)
    if split is None:
        return None
    module, export = split
    code_dir = function.code_dir.value
    base = posixpath.normpath(posixpath.join(code_dir, module)) if code_dir not in ("", ".") else posixpath.normpath(module)
    return [base + ext for ext in SCRIPT_EXTENSIONS], export


def java_handler(function: Function) -> tuple[str, str] | None:
    """(class, method) of a Java function's handler."""
    handler = function.handler.value if function.handler.is_set else None
    if not isinstance(handler, str) or not handler.strip():
        return None
    class_name, _, method = handler.strip().partition("::")
    return class_name, method or "handleRequest"


def _under(path: str, directory: str) -> bool:
    directory = directory.strip("/")
    return directory in ("", ".") or path == directory or path.startswith(directory + "/")


def java_programs_for(function: Function, project: Project) -> list:
    if not function.code_dir.is_set:
        return []
    code_dir = posixpath.normpath(function.code_dir.value)
    return [p for p in project.java_programs if _under(p.root, code_dir)]


def link_code(project: Project, documents: list, extra_handler_names: tuple[str, ...] = ()) -> None:
    """Fill the project's script modules, Java programs and their handler targets."""
    from ..analysis.java import JavaProgram
    from ..documents.java import JavaDocument
    from ..documents.javascript import ScriptDocument

    java_by_root: dict[str, list] = {}
    for doc in documents:
        if isinstance(doc, ScriptDocument):
            project.script_modules[doc.path] = doc
        elif isinstance(doc, JavaDocument):
            java_by_root.setdefault(doc.source_root, []).append(doc.facts)
    project.java_programs = [JavaProgram(root, java_by_root[root]) for root in sorted(java_by_root)]
    script_targets: dict[tuple[str, str], ScriptTarget] = {}
    java_targets: dict[tuple[str, str, str], JavaTarget] = {}
    node_dirs: list[str] = []
    linked_programs: set[str] = set()
    for function in project.functions:
        if function.is_node and project.script_modules:
            found = node_module_candidates(function)
            if found is None:
                continue
            candidates, export = found
            node_dirs.append(function.code_dir.value)
            module = next((c for c in candidates if c in project.script_modules), None)
            function.handler_module = module or next((c for c in candidates if c in project.files), None)
            function.handler_function = export
            doc = project.script_modules.get(module or "")
            if doc is not None and export in doc.facts.exports:
                target = script_targets.setdefault((doc.path, export), ScriptTarget(doc, export, doc.facts.exports[export], linked=True))
                target.functions.append(function)
        elif function.is_java and project.java_programs:
            handler = java_handler(function)
            programs = java_programs_for(function, project)
            if handler is None or not programs:
                continue
            linked_programs.update(p.root for p in programs)
            class_name, method = handler
            for program in programs:
                cls = program.find_class(class_name) if "." in class_name else None
                if cls is not None and cls.fqn != class_name:
                    cls = None  # a class of that simple name in another package
                if cls is not None:
                    function.handler_module = program.class_file[cls.fqn]
                    function.handler_function = method
                    resolved = program.resolve(f"{cls.fqn}.{method}")
                    if resolved:
                        key = (program.root, cls.fqn, method)
                        target = java_targets.setdefault(key, JavaTarget(program, cls.fqn, method, program.class_file[cls.fqn], linked=True))
                        target.functions.append(function)
                        break
                if class_name.rsplit(".", 1)[-1] in SPRING_ADAPTERS or (cls is not None and program.resolve(f"{cls.fqn}.{method}") is None):
                    # Spring Cloud Function: the adapter runs the project's functional beans
                    for candidate in program.classes.values():
                        for interface in candidate.interfaces:
                            bean_method = {"Function": "apply", "Consumer": "accept", "Supplier": "get"}.get(interface)
                            if bean_method and f"{candidate.fqn}.{bean_method}" in program.routines:
                                key = (program.root, candidate.fqn, bean_method)
                                target = java_targets.setdefault(key, JavaTarget(program, candidate.fqn, bean_method, program.class_file[candidate.fqn], linked=True))
                                target.functions.append(function)
    # convention: handler-shaped code no configuration names
    for path in sorted(project.script_modules):
        if any(_under(path, d) for d in node_dirs):
            continue
        doc = project.script_modules[path]
        for export in doc.facts.handler_candidates(extra_handler_names):
            script_targets.setdefault((path, export), ScriptTarget(doc, export, doc.facts.exports[export]))
    for program in project.java_programs:
        if program.root in linked_programs:
            continue
        for facts in program.files:
            for class_name, method in facts.handler_candidates():
                java_targets.setdefault((program.root, class_name, method), JavaTarget(program, class_name, method, facts.path))
    project.script_targets = [script_targets[k] for k in sorted(script_targets)]
    project.java_targets = [java_targets[k] for k in sorted(java_targets)]


def handler_problem(function: Function, project: Project) -> str | None:
    """Why a Node.js or Java function's handler cannot be loaded, or None (also when unknowable)."""
    if function.is_node:
        found = node_module_candidates(function)
        if found is None:
            return None
        candidates, export = found
        module_dir = posixpath.dirname(candidates[0])
        code_dir = function.code_dir.value
        inside = posixpath.relpath(module_dir, posixpath.normpath(code_dir)) if code_dir not in ("", ".") else module_dir
        if any(part in BUILD_OUTPUT for part in inside.split("/")) or any(part in BUILD_OUTPUT for part in posixpath.normpath(code_dir).split("/")):
            return None  # built before deployment: not in the source tree
        present = [c for c in candidates if c in project.files or project.exists_on_disk(c)]
        if not present:
            if not os.path.isdir(os.path.join(project.root_dir, module_dir)):
                return None  # the code directory is not part of this tree
            stem = posixpath.basename(candidates[0])[: -len(SCRIPT_EXTENSIONS[0])]
            return f"points to module `{stem}` ({posixpath.dirname(candidates[0]) or '.'}/{stem}.js, .mjs, .cjs or .ts), which does not exist in the code directory `{code_dir}`: every cold start would fail with 'Runtime.ImportModuleError'"
        doc = next((project.script_modules[c] for c in present if c in project.script_modules), None)
        if doc is None or doc.facts.opaque_exports or export in doc.facts.exports or export in doc.facts.assigned_exports:
            return None
        known = sorted(doc.facts.exports)
        hint = f" (it exports {', '.join(known[:5])})" if known else " (it exports nothing)"
        return f"`{posixpath.basename(doc.path)}` has no export `{export}`{hint}: Lambda would fail every cold start with 'Runtime.HandlerNotFound'"
    if function.is_java:
        handler = java_handler(function)
        programs = java_programs_for(function, project)
        if handler is None or not programs:
            return None
        class_name, method = handler
        if class_name.rsplit(".", 1)[-1] in SPRING_ADAPTERS:
            return None
        package = class_name.rpartition(".")[0]
        for program in programs:
            cls = program.classes.get(class_name)
            if cls is None:
                continue
            if program.resolve(f"{cls.fqn}.{method}") is not None:
                return None
            parents = program.superclasses(cls)
            if (parents[-1] if parents else cls).superclass is not None:
                return None  # inherits from a class outside the project: the method may be there
            if any(HANDLER_INTERFACE in cls.interfaces for HANDLER_INTERFACE in ("RequestHandler", "RequestStreamHandler")) and method == "handleRequest":
                return None
            return f"class `{class_name}` has no method `{method}`: Lambda would fail every cold start with 'NoSuchMethodException'"
        # a library class (Spring, Quarkus, Micronaut adapters) is not ours to judge: only a class
        # in one of the project's own packages is missing for sure
        if package and any(c.fqn.rpartition(".")[0] == package for p in programs for c in p.classes.values()):
            return f"class `{class_name}` does not exist in the Java sources of `{function.code_dir.value}`: every cold start would fail with 'ClassNotFoundException'"
    return None


_DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "bundleDependencies", "bundledDependencies")


def lists_dependency(project: Project, start_dir: str, name: str) -> bool | None:
    """Whether a package.json from ``start_dir`` up to the scan root lists ``name``; None when one
    cannot be read (unknown is never a violation)."""
    directory = posixpath.normpath(start_dir or ".")
    while True:
        path = os.path.join(project.root_dir, directory, "package.json")
        if os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
            except (OSError, ValueError):
                return None
            if isinstance(data, dict):
                for key in _DEPENDENCY_KEYS:
                    deps = data.get(key)
                    if (isinstance(deps, dict) and name in deps) or (isinstance(deps, list) and name in deps):
                        return True
        if directory in ("", "."):
            return False
        directory = posixpath.dirname(directory) or "."


def runtime_major(runtime: str) -> int | None:
    """``nodejs18.x`` -> 18."""
    match = re.match(r"nodejs(\d+)", runtime or "")
    return int(match.group(1)) if match else None


def resolve_relative(project: Project, from_path: str, specifier: str) -> str | None:
    """``./lib/db`` imported by ``src/app.js`` -> ``src/lib/db.js`` (or .ts, or ``/index.js``)."""
    base = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), specifier))
    stem = base
    for ext in SCRIPT_EXTENSIONS:
        if base.endswith(ext):
            stem = base[: -len(ext)]
    for candidate in [base] + [stem + ext for ext in SCRIPT_EXTENSIONS] + [f"{base}/index{ext}" for ext in SCRIPT_EXTENSIONS]:
        if candidate in project.script_modules:
            return candidate
    return None
