"""The code package: every parsed module of the scan, with imports resolved between them, so
that handler scope follows calls into helper modules, wrappers, classes and their bases.

Per-module facts (facts.py) record the calls a module cannot follow alone as written
(``.utils.make_client``, ``class:Provider``, ``self.create``, ``local:get_session().client``).
Here each is evaluated against the package: modules are found from the importing module's
code directory, its enclosing directories and Lambda layer directories (any ``*/python``);
re-exports through ``__init__.py``, module-level instances, class bases (method lookup in base
order) and the types functions return are followed, each step memoised and depth-bounded.
A call that ends outside the package is a catalogue name again (``boto3.Session().client``
on the session a package function returns), so the rules read it like any other call.

The walk from a handler is a reachability fixed point over (module, function, receiver class)
nodes, bounded per handler; nothing here parses or imports scanned code.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from ..findings import Location
from .facts import Call, FunctionFacts

MAX_DEPTH = 12  # import re-exports / return types followed before giving up
MAX_NODES = 5000  # functions reached from one handler before the walk stops
MAX_NESTING = 60  # nested evaluations (re-exports, base classes) before a name counts as unknown
# third-party base classes whose inherited entry method dispatches to the subclass's callbacks
DISPATCH_BASES = {
    "cfn_resource_provider.ResourceProvider": ("handle", ("create", "update", "delete")),
    "cfn_resource_provider.resource_provider.ResourceProvider": ("handle", ("create", "update", "delete")),
}
_TOKEN = re.compile(r"\(\)|[^.()]+")
_NAME = re.compile(r"\w*")
_REGISTRY = re.compile(r"[\w:]*")


def package_names(rels) -> frozenset:
    """Module and directory names of the Python files in ``rels``: only imports of these can
    lead into scanned code."""
    names: set[str] = set()
    for rel in rels:
        if not rel.endswith(".py"):
            continue
        parts = rel[:-3].split("/")
        names.update(p for p in parts if p and p != "__init__")
    return frozenset(names)


@dataclass(frozen=True)
class Reached:
    """A function that runs on each invocation of a handler, and how it is reached."""

    path: str  # module of the function
    function: FunctionFacts
    chain: tuple[str, ...]  # handler -> ... -> function (qualnames)
    exit: Location | None  # the call in the handler's module that leads out of it, if any
    extra_uses: tuple[Call, ...] = ()  # catalogued calls found only through the package (a returned session's .client)
    entries: tuple = ()  # every Entry: one per call site that leads here


@dataclass(frozen=True)
class Entry:
    """One way into a function: the chain from the handler, the call in the handler's module
    that leaves it (None while still inside), and the call that enters the function
    ((Location, text), None for a root)."""

    chain: tuple[str, ...]
    exit: Location | None
    call: tuple | None


class Package:
    """The modules of one scan, linked: name resolution, class lookups and handler scope, each
    memoised for the run (every LL1xx rule and every handler share them)."""

    def __init__(self, modules: dict, code_dirs=(), root_dir: str = ""):
        self.modules = modules  # path -> PythonDocument
        self.root_dir = root_dir  # the scan root on disk, to recognise vendored dependencies
        self._site: dict[str, bool] = {}
        self.dirs: set[str] = set()
        for path in modules:
            parent = posixpath.dirname(path)
            while parent:
                self.dirs.add(parent)
                parent = posixpath.dirname(parent)
        self.code_dirs = sorted({d.rstrip("/") for d in code_dirs if d not in ("", ".")}, key=lambda d: (-d.count("/"), d))
        # Lambda layers put <layer>/python on sys.path (SAM builds a `layers/` source directory
        # into it); searched after the module's own directories, so a layer only supplies what
        # the function's code does not have
        self.layer_roots = sorted(d for d in self.dirs if _is_layer_root(posixpath.basename(d)))
        self._roots: dict[str, tuple[str, ...]] = {}
        self._values: dict[tuple[str, str], tuple] = {}
        self._mro: dict[tuple[str, str], tuple] = {}
        self._reached: dict[tuple[str, str], list] = {}
        self._nesting = 0  # evaluations in progress: long chains of modules or bases stop here

    # ------------------------------------------------------------------ modules
    def roots(self, path: str) -> tuple[str, ...]:
        """Where absolute imports of the module at ``path`` are looked up, first match wins."""
        here = posixpath.dirname(path)
        found = self._roots.get(here)
        if found is None:
            out = [d for d in self.code_dirs if here == d or here.startswith(d + "/")]
            step = here
            while True:
                out.append(step)
                if not step:
                    break
                step = posixpath.dirname(step)
            out.extend(self.layer_roots)
            found = self._roots[here] = tuple(dict.fromkeys(out))
        return found

    def vendored(self, directory: str) -> bool:
        """Whether ``directory`` holds installed distributions (``pip install -t``: a sibling
        ``*.dist-info``): modules found there are third-party code, not the package's own."""
        found = self._site.get(directory)
        if found is None:
            import os

            try:
                entries = os.listdir(os.path.join(self.root_dir, directory)) if self.root_dir else []
            except OSError:
                entries = []
            found = self._site[directory] = any(e.endswith((".dist-info", ".egg-info")) for e in entries)
        return found

    def module_at(self, base: str, namespace: bool = True) -> tuple | None:
        """The module or package directory at ``base`` (a path without extension)."""
        if base + ".py" in self.modules:
            return ("module", base + ".py")
        if base + "/__init__.py" in self.modules:
            return ("module", base + "/__init__.py")
        if namespace and base in self.dirs:
            return ("module", base)  # a namespace package
        return None

    def find_module(self, path: str, name: str) -> tuple[tuple | None, str]:
        """(module, root) for an absolute import of ``name`` from the module at ``path``. As
        Python does, a module or regular package anywhere on the path wins over a directory
        without ``__init__.py`` (a namespace package) found earlier."""
        roots = self.roots(path)
        for namespace in (False, True):
            for root in roots:
                value = self.module_at(posixpath.join(root, name) if root else name, namespace)
                if value:
                    return value, root
        return None, ""

    # ------------------------------------------------------------------ values
    def evaluate(self, path: str, qual: str, depth: int = 0) -> tuple | None:
        """What ``qual`` (as written in the module at ``path``) denotes: ("module", path),
        ("function", path, qualname), ("class", path, name), ("instance", path, name),
        ("external", dotted name, service) or None when unknown."""
        key = (path, qual)
        if key in self._values:
            return self._values[key]
        if depth > MAX_DEPTH or self._nesting > MAX_NESTING:
            return None  # too far: unknown (not memoised: a shallower route may resolve it)
        self._values[key] = None  # a cycle of re-exports denotes nothing
        self._nesting += 1
        try:
            value = self._evaluate(path, qual, depth)
        finally:
            self._nesting -= 1
        self._values[key] = value
        return value

    def _evaluate(self, path: str, qual: str, depth: int) -> tuple | None:
        facts = self._facts(path)
        if qual.startswith("registry:"):
            key = _REGISTRY.match(qual, 9).group()
            return ("registry", path, key, qual[9 + len(key) :]) if key in facts.registries else None
        if qual.startswith(("class:", "def:", "local:")):
            prefix, _, rest = qual.partition(":")
            name = _NAME.match(rest).group()
            tokens = _TOKEN.findall(rest[len(name) :])
            if prefix == "local":
                value = ("function", path, name, None) if name in facts.functions else None
            elif name not in facts.class_bases:
                value = None
            else:  # "class:C" is an instance of C (facts.py types), "def:C" the class itself
                value = ("instance" if prefix == "class" else "class", path, name)
        elif qual.startswith("."):
            level = len(qual) - len(qual.lstrip("."))
            base = posixpath.dirname(path)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            value = ("module", base + "/__init__.py" if base + "/__init__.py" in self.modules else base)
            tokens = _TOKEN.findall(qual[level:])
        else:
            tokens = _TOKEN.findall(qual)
            if not tokens:
                return None
            value, root = self.find_module(path, tokens[0])
            if value is None or self.vendored(root):
                return ("external", qual, None)
            tokens = tokens[1:]
        for token in tokens:
            if value is None:
                return None
            value = self._call(value, depth) if token == "()" else self._attribute(value, token, depth)
        return value

    def _facts(self, path: str):
        doc = self.modules.get(path)
        return doc.facts if doc is not None else _EMPTY

    def _attribute(self, value: tuple, name: str, depth: int) -> tuple | None:
        kind = value[0]
        if kind == "registry":
            return value[:3] + (f"{value[3]}.{name}",)
        if kind == "external":
            return ("external", f"{value[1]}.{name}", value[2])
        if kind == "module":
            path = value[1]
            if not path.endswith(".py") or path.endswith("/__init__.py") or path == "__init__.py":
                directory = posixpath.dirname(path) if path.endswith(".py") else path
                sub = self.module_at(posixpath.join(directory, name) if directory else name)
                if sub:
                    return sub
            if not path.endswith(".py"):
                return None
            facts = self._facts(path)
            fn = facts.functions.get(name)
            if fn is not None and fn.top_level:
                return ("function", path, name, None)
            if name in facts.class_bases:
                return ("class", path, name)
            kind_of = facts.object_types.get(name)
            if kind_of:
                return self.evaluate(path, kind_of, depth + 1)
            imported = facts.imports.get(name)
            if imported:
                return self.evaluate(path, imported, depth + 1)
            return None
        if kind in ("class", "instance"):
            found = self.method(value[1], value[2], name)
            if found:  # the receiver is the instance's class: `self.x()` in the method dispatches on it
                return ("function", found[0], found[1], (value[1], value[2]))
            if kind == "instance":  # an attribute set in a method: `self.session = boto3.Session()`
                for cpath, cname in self.mro(value[1], value[2])[0]:
                    attr_kind = self._facts(cpath).attr_types.get(f"{cname}.{name}")
                    if attr_kind:
                        return self.evaluate(cpath, attr_kind, depth + 1)
            external = self.mro(value[1], value[2])[1]
            if kind == "instance" and any(DISPATCH_BASES.get(base, ("",))[0] == name for base in external):
                return ("dispatch", value[1], value[2], name)
            if kind == "instance" and external:  # inherited from a third-party base
                return ("external", f"{external[0]}().{name}", None)
            return None
        return None

    def _call(self, value: tuple, depth: int) -> tuple | None:
        kind = value[0]
        if kind == "registry":
            return value[:3] + (value[3] + "()",)
        if kind == "external":
            return ("external", value[1] + "()", None)
        if kind == "class":
            return ("instance", value[1], value[2])
        if kind == "function":
            fn = self._facts(value[1]).functions.get(value[2])
            if fn is None or fn.returns is None:
                return None
            returned, service = fn.returns
            result = self.evaluate(value[1], returned, depth + 1)
            if result is not None and result[0] == "external" and returned.endswith("()"):
                return ("external", result[1], service)  # the value itself, not a call of it
            return result
        return None

    # ------------------------------------------------------------------ classes
    def mro(self, path: str, name: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
        """(package classes in method lookup order, third-party bases) of a class."""
        key = (path, name)
        if key in self._mro:
            return self._mro[key]
        if self._nesting > MAX_NESTING:
            return (((path, name),), ())
        self._mro[key] = (((path, name),), ())
        classes: list[tuple[str, str]] = [(path, name)]
        external: list[str] = []
        self._nesting += 1
        try:
            for base in self._facts(path).class_bases.get(name, ()):
                value = self.evaluate(path, base)
                if value is None:
                    continue
                if value[0] == "class":
                    inner, outer = self.mro(value[1], value[2])
                    classes.extend(c for c in inner if c not in classes)
                    external.extend(e for e in outer if e not in external)
                elif value[0] == "external":
                    external.append(value[1])
        finally:
            self._nesting -= 1
        result = (tuple(classes), tuple(external))
        self._mro[key] = result
        return result

    def method(self, path: str, cls: str, name: str) -> tuple[str, str] | None:
        for cpath, cname in self.mro(path, cls)[0]:
            qualname = f"{cname}.{name}"
            if qualname in self._facts(cpath).functions:
                return cpath, qualname
        return None

    def dispatch(self, path: str, cls: str, name: str) -> list[tuple[str, str]]:
        """Methods that run when ``name`` is called on an instance of the class: its definition,
        or the callbacks a known third-party base dispatches to."""
        found = self.method(path, cls, name)
        if found:
            return [found]
        out = []
        for base in self.mro(path, cls)[1]:
            entry = DISPATCH_BASES.get(base)
            if entry and entry[0] == name:
                out.extend(m for m in (self.method(path, cls, cb) for cb in entry[1]) if m)
        return out

    # ------------------------------------------------------------------ handler scope
    def targets(self, path: str, fn: FunctionFacts, receiver: tuple | None, call: Call) -> list[tuple]:
        """Where a package call leads: ("function", path, qualname, receiver) or ("use", Call)."""
        qual = call.qualname
        if qual.startswith("prop:"):
            owner = receiver or _own_class(self._facts(path), fn.qualname, path)
            if owner is None:
                return []
            attr, _, method = qual[5:].partition(".")
            found = self.method(owner[0], owner[1], attr)
            if found and self._facts(found[0]).functions[found[1]].is_property:
                return [("function", found[0], found[1], owner)]
            for cpath, cname in self.mro(owner[0], owner[1])[0]:  # `self.store = Store()` in __init__
                kind = self._facts(cpath).attr_types.get(f"{cname}.{attr}")
                if kind:
                    value = self.evaluate(cpath, f"{kind}.{method}")
                    return self._targets_of(value, qual, call) if value is not None else []
            return []
        if qual.startswith("self."):
            owner = receiver or _own_class(self._facts(path), fn.qualname, path)
            if owner is None:
                return []
            return [("function", p, q, owner) for p, q in self.dispatch(owner[0], owner[1], qual[5:])]
        value = self.evaluate(path, qual)
        return self._targets_of(value, qual, call) if value is not None else []

    def _targets_of(self, value: tuple, qual: str, call: Call, depth: int = 0) -> list[tuple]:
        kind = value[0]
        if kind == "registry":  # any of the registry's values, with what is done to it
            _, rpath, key, rest = value
            out = []
            for ref in self._facts(rpath).registries.get(key, ()):
                each = self.evaluate(rpath, ref + rest)
                if each is not None and depth < MAX_DEPTH:
                    out.extend(self._targets_of(each, qual, call, depth + 1))
            return out
        if kind == "dispatch":
            return [("function", p, q, (value[1], value[2])) for p, q in self.dispatch(value[1], value[2], value[3])]
        if kind == "function":
            return [("function", value[1], value[2], value[3] or _own_class(self._facts(value[1]), value[2], value[1]))]
        if kind == "class":
            init = self.method(value[1], value[2], "__init__")
            return [("function", init[0], init[1], (value[1], value[2]))] if init else []
        if kind == "instance":  # calling an instance: its __call__
            found = self.method(value[1], value[2], "__call__")
            return [("function", found[0], found[1], (value[1], value[2]))] if found else []
        if kind == "external" and value[1] != qual:
            return [("use", replace(call, qualname=value[1], service=value[2] or call.service, cached=False))]
        return []

    def reach(self, path: str, handler: str) -> list[Reached]:
        """Every function that runs on each invocation of ``handler`` in the module at ``path``,
        across the package, first reached first (breadth-first, so chains are shortest).
        Computed once per handler: every LL1xx rule reads it."""
        key = (path, handler)
        found = self._reached.get(key)
        if found is None:
            found = self._reached[key] = self._reach(path, handler)
        return found

    def reach_sorted(self, path: str, handler: str) -> list[Reached]:
        """``reach`` in report order: the handler's module by line, then the other modules."""
        key = ("sorted", path, handler)
        found = self._reached.get(key)
        if found is None:
            found = self._reached[key] = sorted(self.reach(path, handler), key=lambda r: (r.path != path, r.path, r.function.line, r.function.qualname, len(r.chain)))
        return found

    def _reach(self, path: str, handler: str) -> list[Reached]:
        facts = self._facts(path)
        queue: list[tuple] = []
        kinds = facts.entry_kinds(handler)
        roots = [(path, q) for q in facts.roots(handler)]
        if kinds:  # web routes registered in other modules of the package (below the handler's directory)
            base = posixpath.dirname(path)
            for other in sorted(self.modules):
                if other != path and (not base or other.startswith(base + "/")):
                    roots.extend((other, q) for q, f in sorted(self._facts(other).functions.items()) if f.framework_route in kinds)
        # per node: how it is reached, one entry per call site that leads to it (chain, exit, call)
        entries: dict[tuple, list[Entry]] = {}
        extras: dict[tuple, tuple[Call, ...]] = {}
        for rpath, q in roots:
            node = (rpath, q, _own_class(self._facts(rpath), q, rpath))
            if node not in entries:
                entries[node] = [Entry((q,), None, None)]
                queue.append(node)
        index = 0
        while index < len(queue) and len(entries) < MAX_NODES:
            node = queue[index]
            index += 1
            npath, qualname, receiver = node
            first = entries[node][0]
            nfacts = self._facts(npath)
            fn = nfacts.functions[qualname]
            extra: list[Call] = []
            edges: list[tuple] = []
            for callee, line in fn.calls:
                target = nfacts.functions.get(callee)
                if target is None or target.cached_factory or (callee, line) in fn.guarded_calls:
                    continue
                own = _own_class(nfacts, callee, npath)
                site = (Location(npath, line, 1), callee.rpartition(".")[2] + "(...)")
                edges.append(((npath, callee, receiver if own == _own_class(nfacts, qualname, npath) and receiver else own), site))
            for call in fn.package_calls:
                if call.cached:
                    continue
                for target in self.targets(npath, fn, receiver, call):
                    if target[0] == "use":
                        extra.append(target[1])
                        continue
                    _, tpath, tq, trecv = target
                    tfn = self._facts(tpath).functions.get(tq)
                    if tfn is None or tfn.cached_factory:
                        continue
                    site = (Location(npath, call.line, call.column, call.end_line, call.end_column), _call_text(call))
                    edges.append(((tpath, tq, trecv), site))
            extras[node] = tuple(extra)
            for target, site in edges:
                leaves = first.exit is None and npath == path and target[0] != path
                entry = Entry(first.chain + (target[1],), site[0] if leaves else first.exit, site)
                known = entries.get(target)
                if known is None:
                    entries[target] = [entry]
                    queue.append(target)
                elif all(e.call is None or e.call[0] != site[0] for e in known):
                    known.append(entry)
        out = []
        for node in queue[:index]:
            first = entries[node][0]
            fn = self._facts(node[0]).functions[node[1]]
            out.append(Reached(node[0], fn, first.chain, first.exit, extras.get(node, ()), tuple(entries[node])))
        return out

    def init_modules(self, path: str) -> list[tuple[str, str]]:
        """Package modules the module at ``path`` imports at module level, transitively:
        their module-level code runs during init too. (module path, imported-as name)."""
        out: list[tuple[str, str]] = []
        seen = {path}
        queue = [path]
        while queue:
            current = queue.pop(0)
            for name in self._facts(current).init_imports:
                value = self.evaluate(current, name)
                if value is None and "." in name.lstrip("."):
                    # `from .cache import CACHE` with CACHE a plain object: the module still runs
                    value = self.evaluate(current, name.rsplit(".", 1)[0])
                if value is None or value[0] == "external":
                    continue
                module = value[1]  # a module, or the module that defines the function/class
                if not module.endswith(".py") or module in seen:
                    continue
                seen.add(module)
                out.append((module, name))
                queue.append(module)
        return out


def _is_layer_root(name: str) -> bool:
    name = name.lower()
    return name == "python" or name in ("layer", "layers") or name.endswith(("-layer", "_layer"))


def _call_text(call: Call) -> str:
    name = _TOKEN.findall(call.qualname.partition(":")[2] or call.qualname)
    name = [t for t in name if t != "()"]
    shown = name[-1] if name else call.qualname
    return f'{shown}("{call.first_arg}")' if call.first_arg else f"{shown}(...)"


def _own_class(facts, qualname: str, path: str) -> tuple[str, str] | None:
    """(path, class) when ``qualname`` is a method of a class of that module."""
    cls, dot, _ = qualname.rpartition(".")
    return (path, cls) if dot and cls in facts.class_bases else None


class _Empty:
    functions: dict = {}
    class_bases: dict = {}
    object_types: dict = {}
    registries: dict = {}
    attr_types: dict = {}
    imports: dict = {}
    init_imports: tuple = ()


_EMPTY = _Empty()


def imported_files(documents, available: set[str], code_dirs=(), root_dir: str = "") -> set[str]:
    """The files of ``available`` that the modules in ``documents`` import (module files and
    the ``__init__.py`` of packages on the way): what a one-file run must read to follow calls.
    The standard library, catalogued packages and vendored dependencies are not read."""
    from .facts import NOT_PACKAGE

    files = Package(dict.fromkeys(available), code_dirs, root_dir)
    out: set[str] = set()
    for doc in documents:
        for qual in sorted(set(doc.facts.imports.values()) | set(doc.facts.init_imports)):
            names = [t for t in _TOKEN.findall(qual.lstrip(".")) if t != "()"]
            if not names or (not qual.startswith(".") and names[0] in NOT_PACKAGE):
                continue
            if qual.startswith("."):
                level = len(qual) - len(qual.lstrip("."))
                base = posixpath.dirname(doc.path)
                for _ in range(level - 1):
                    base = posixpath.dirname(base)
                bases = [base]
            else:
                module, found_at = files.find_module(doc.path, names[0])
                bases = [found_at] if module else []
            for base in bases:
                if not qual.startswith(".") and files.vendored(base):
                    continue
                found = False
                for name in names:
                    base = posixpath.join(base, name) if base else name
                    value = files.module_at(base)
                    if value is None:
                        break
                    found = True
                    if value[1].endswith(".py"):
                        out.add(value[1])
                if found:
                    break
    return out
