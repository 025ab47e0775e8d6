"""Link each function's ``Handler`` to the Python module and function that implement it."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..documents.cdk_assembly import in_assembly
from ..documents.python import PythonDocument
from ..project.model import Function, Project


@dataclass
class CodeTarget:
    """One handler function in one module, with the functions (config) that run it."""

    module: PythonDocument
    handler: str
    functions: list[Function] = field(default_factory=list)
    linked: bool = False  # found through a template / Terraform, not by naming convention
    package: object = None  # analysis.package.Package: the scan's modules, for calls across them

    @property
    def snapstart(self) -> bool:
        return any(f.snapstart.known and f.snapstart.value == "PublishedVersions" for f in self.functions)


def handler_module_path(function: Function) -> tuple[str, str] | None:
    """(module path, function name) for a Python function's handler, or None when unknowable."""
    if not (function.handler.is_set and function.code_dir.is_set):
        return None
    handler = function.handler.value
    if not isinstance(handler, str) or "." not in handler:
        return None
    module, _, attr = handler.rpartition(".")
    # the Python runtime accepts both dots and slashes between package parts
    module_file = module.replace(".", "/") + ".py"
    code_dir = function.code_dir.value
    return (posixpath.normpath(posixpath.join(code_dir, module_file)) if code_dir not in ("", ".") else module_file), attr


def link(project: Project) -> None:
    for function in project.functions:
        if not function.is_python:
            continue
        target = handler_module_path(function)
        if target is None:
            continue
        module, attr = target
        package = module[: -len(".py")] + "/__init__.py"  # `Handler: pkg.handler` may name a package
        if module not in project.files and (package in project.files or project.exists_on_disk(package)):
            module = package
        function.handler_module, function.handler_function = module, attr


def code_targets(project: Project, extra_handler_names: tuple[str, ...] = ()) -> list[CodeTarget]:
    """Every handler to analyse: linked ones first, convention ones for standalone modules."""
    targets: dict[tuple[str, str], CodeTarget] = {}
    code_dirs = sorted({f.code_dir.value for f in project.functions if f.code_dir.is_set and f.is_python})
    for function in project.functions:
        module = project.python_modules.get(function.handler_module or "")
        if module is None or (function.handler_function not in module.facts.functions and function.handler_function not in module.facts.entry_objects):
            continue
        key = (module.path, function.handler_function)
        target = targets.setdefault(key, CodeTarget(module, function.handler_function, linked=True))
        target.functions.append(function)
    linked_modules = {k[0] for k in targets}
    for path in sorted(project.python_modules):
        if path in linked_modules:
            continue
        if in_assembly(path):
            continue  # a copy in cdk.out: its function links it, or its source is checked instead
        # a module inside a linked function's code directory is a helper, not an entry point
        if any(d in (".", "") or path.startswith(d.rstrip("/") + "/") for d in code_dirs):
            continue
        module = project.python_modules[path]
        for name in module.facts.handler_candidates(extra_handler_names):
            targets[(path, name)] = CodeTarget(module, name)
    from ..analysis.package import Package

    package = Package(project.python_modules, code_dirs, project.root_dir)
    for target in targets.values():
        target.package = package
    return [targets[k] for k in sorted(targets)]
