"""No import cycle among lambdalint's modules, counting imports inside functions too: a cycle
hidden behind a function-level import is still two modules that cannot be understood (or
loaded) one without the other."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import lambdalint

PACKAGE = Path(lambdalint.__file__).resolve().parent


def module_names() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The lambdalint modules ``name`` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `from .x import name`: the module is x
                target = target.rpartition(".")[0]
            # a package's own __init__ is loaded by its submodules anyway: not an edge
            if target and target != name and not name.startswith(target + "."):
                found.add(target)
    return found


@lru_cache(maxsize=1)  # tests/test_layering.py reads the same graph: parse the package once
def import_graph() -> dict[str, frozenset[str]]:
    """Every lambdalint module -> the lambdalint modules it imports anywhere."""
    modules = module_names()
    return {name: frozenset(imports_of(name, path, modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_no_import_cycle_in_lambdalint():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_function_level_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_function_level_imports_are_edges(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from .other import thing\n    import lambdalint.x\n")
    modules = {"lambdalint.p.m": path, "lambdalint.p.other": path, "lambdalint.x": path}
    assert imports_of("lambdalint.p.m", path, modules) == {"lambdalint.p.other", "lambdalint.x"}
