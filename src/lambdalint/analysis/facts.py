"""One pass over a module's ``ast``: the facts every code rule needs.

The pass records, per function, the calls it makes to other functions of the same module and
the "interesting" calls it makes (SDK clients, connections, config fetches, unique values,
CPU-heavy work), each marked *cached* when it sits behind a lazy-init guard. Module level is
recorded the same way (init scope). Rules then walk the call graph from a handler: the handler
scope is everything reachable, and nothing here needs the AST again, so facts are small and
picklable (parsing runs in worker processes).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field

from . import catalog

ROUTE_METHODS = frozenset(
    {"get", "post", "put", "delete", "patch", "head", "options", "route", "resolver", "field", "api"}
)
CACHE_DECORATORS = frozenset(
    {"functools.lru_cache", "functools.cache", "functools.cached_property", "cachetools.cached", "cachetools.func.ttl_cache", "cachetools.func.lru_cache"}
)
# calls that keep a function for later (atexit/signal/SnapStart hooks) or run it once per
# argument set (memoizers): a local function handed to them does not run on every invocation
RUN_LATER_OR_ONCE = frozenset({"lru_cache", "cache", "cached", "ttl_cache", "once", "memoize", "register", "register_after_restore", "register_before_snapshot", "signal"})
# crhelper (custom resources): functions decorated @helper.create etc. run when the handler
# calls helper(event, context), i.e. on the invocations of that request type
CRHELPER_EVENTS = frozenset({"create", "update", "delete", "poll_create", "poll_update", "poll_delete"})
AFTER_RESTORE = frozenset({"snapshot_restore_py.register_after_restore"})
BEFORE_SNAPSHOT = frozenset({"snapshot_restore_py.register_before_snapshot"})


@dataclass(frozen=True)
class Call:
    """An interesting call: ``qualname`` after alias resolution, where it is, whether it is cached."""

    qualname: str
    line: int
    column: int
    end_line: int
    end_column: int
    cached: bool = False
    # first string argument, e.g. the service name of boto3.client("ssm")
    first_arg: str | None = None
    # for config fetches: the receiver's service name when known
    service: str | None = None
    # the module-level name the result is stored in (for init-scope values: LL110/LL111)
    stored_as: str | None = None
    # the service or region comes from a variable (boto3.client(svc, region_name=event["region"])):
    # one module-level client will not do, a cache keyed by them will
    varying: bool = False


@dataclass
class FunctionFacts:
    qualname: str  # "handler", "Repo.fetch", "handler.inner"
    line: int
    column: int
    params: tuple[str, ...]  # positional parameters
    is_async: bool = False
    takes_varargs: bool = False  # has *args
    cached_factory: bool = False  # lru_cache / cache: runs once per argument set
    is_route: bool = False  # registered on a Powertools resolver or crhelper: runs per invocation
    top_level: bool = False
    calls: list[tuple[str, int]] = field(default_factory=list)  # (callee qualname, line)
    # the calls above made behind a lazy-init guard (`if _c is None: _c = make_client()`):
    # what the callee builds is built once, so handler scope does not enter through them
    guarded_calls: set[tuple[str, int]] = field(default_factory=set)
    uses: list[Call] = field(default_factory=list)  # interesting calls made here
    global_assigns: set[str] = field(default_factory=set)  # module-level names this function rebinds
    # calls that may lead into other modules of the code package, or to inherited methods:
    # ``qualname`` is the target as written after import resolution (".utils.make", "class:Repo",
    # "self.create", "local:get_session().client"); package.py resolves them across modules
    package_calls: list[Call] = field(default_factory=list)
    returns: tuple[str, str | None] | None = None  # (type of the returned value, its AWS service)
    framework_route: str = ""  # "chalice" | "asgi" | "wsgi": a web framework route, run per request
    is_property: bool = False  # @property: runs on every read of the attribute


@dataclass
class ModuleFacts:
    path: str
    functions: dict[str, FunctionFacts] = field(default_factory=dict)
    init_uses: list[Call] = field(default_factory=list)  # interesting calls at module level / class bodies
    init_calls: list[tuple[str, int]] = field(default_factory=list)  # local functions called at import
    imports: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    imported_modules: set[str] = field(default_factory=set)  # top-level package names imported
    import_lines: dict[str, int] = field(default_factory=dict)  # top-level package -> first import line
    after_restore_hooks: set[str] = field(default_factory=set)  # functions registered after restore
    top_level_names: set[str] = field(default_factory=set)  # every name bound at module level
    star_import: bool = False  # `from x import *`: any name may exist
    init_package_calls: list[Call] = field(default_factory=list)  # package calls made at import
    init_imports: tuple[str, ...] = ()  # qualified names imported at module level (".x" = relative)
    class_bases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> bases as resolved
    object_types: dict[str, str] = field(default_factory=dict)  # module-level object -> its type, for package classes
    entry_objects: dict[str, str] = field(default_factory=dict)  # module-level app/adapter -> "chalice" | "asgi" | "wsgi"
    adapters: frozenset = frozenset()  # web frameworks this module hands Lambda events to ("asgi", "wsgi")
    # dict literals of classes or functions, indexed and called (`PROVIDERS[kind](event)`):
    # "PROVIDERS" / "Base:provider_map" -> the values as package names ("def:A", "local:f", ".x.B")
    registries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    attr_types: dict[str, str] = field(default_factory=dict)  # "Repo.s3" -> type of `self.s3 = S3(...)` (package or catalogued types)

    def handler_candidates(self, extra_names: tuple[str, ...] = ()) -> list[str]:
        """Top-level functions that look like Lambda entry points by convention."""
        out = []
        for fn in self.functions.values():
            if not fn.top_level:
                continue
            name = fn.qualname
            if name.startswith("test_"):
                continue  # pytest functions named test_*_handler are tests, not entry points
            if len(fn.params) < 2 and not fn.takes_varargs:
                continue  # Lambda calls handler(event, context): `route_handler(request)` is something else
            if (
                name in ("handler", "lambda_handler", "main_handler")
                or name.endswith("_handler")
                or name in extra_names
                or fn.params == ("event", "context")
            ):
                out.append(name)
        # a Chalice app, or a web app wrapped for Lambda (`handler = Mangum(app)`), is the entry point
        out.extend(name for name in self.entry_objects if name not in self.functions)
        return sorted(out)

    def entry_kinds(self, handler: str) -> frozenset:
        """The web frameworks whose routes run when ``handler`` is invoked."""
        kind = self.entry_objects.get(handler)
        return self.adapters | {kind} if kind else self.adapters

    def roots(self, handler: str) -> list[str]:
        """The functions that run first on an invocation of ``handler``: the handler itself and
        the routes it dispatches to (Powertools resolvers, crhelper, web framework routes)."""
        kinds = self.entry_kinds(handler)
        routes = sorted(q for q, f in self.functions.items() if (f.is_route or f.framework_route in kinds) and q != handler)
        return ([handler] if handler in self.functions else []) + routes

    def handler_scope(self, handler: str) -> dict[str, tuple[str, ...]]:
        """Every function that runs on each invocation of ``handler``, with the call chain to it.

        Route functions registered on a Powertools resolver are entry points too. Cached
        factories are not entered: what they build is built once.
        """
        roots = self.roots(handler)
        chains: dict[str, tuple[str, ...]] = {}
        queue: list[tuple[str, tuple[str, ...]]] = []
        for root in roots:
            if root in self.functions and root not in chains:
                chains[root] = (root,)
                queue.append((root, (root,)))
        while queue:
            name, chain = queue.pop(0)
            caller = self.functions[name]
            for callee, line in caller.calls:
                fn = self.functions.get(callee)
                if fn is None or callee in chains or fn.cached_factory or (callee, line) in caller.guarded_calls:
                    continue
                chains[callee] = chain + (callee,)
                queue.append((callee, chain + (callee,)))
        return chains


def _environment_read(node: ast.AST) -> bool:
    """``os.environ["X"]``, ``os.environ.get("X")``, ``os.getenv("X")``: fixed for the life of an
    execution environment, so a region read this way does not vary between invocations."""
    if isinstance(node, ast.Subscript):
        return _dotted(node.value) == "os.environ" and isinstance(node.slice, ast.Constant)
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return _dotted(node.func) in ("os.getenv", "os.environ.get")
    return False


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Collector:
    """Walks one module. Kept as a small explicit walker rather than ast.NodeVisitor so the
    scope (module / class / function) and the guard state travel with each statement list."""

    def __init__(self, path: str, tree: ast.Module):
        self.facts = ModuleFacts(path=path)
        self.tree = tree
        self.module_names: set[str] = set()  # names assigned at module level
        self.module_types: dict[str, str] = {}  # module-level name -> "qual()" or "class:Name"
        self.classes: dict[str, ast.ClassDef] = {}
        self.local_functions: set[str] = set()

    lines: list[str] = []
    scopes: dict = {}  # id(function node) -> _Scope, from the pre-pass

    def column(self, line: int, byte_offset: int) -> int:
        """1-based column in code points: ast counts UTF-8 bytes, SARIF and editors count characters."""
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():
                return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore")) + 1
        return byte_offset + 1

    # ---------------------------------------------------------------- names
    def resolve(self, node: ast.AST, types: dict[str, str]) -> str | None:
        """Qualified name of an expression used as a call target, following imports and simple
        local assignments (``s = boto3.Session(); s.client`` -> ``boto3.Session().client``)."""
        suffix = ""
        while True:
            kind = type(node)
            if kind is ast.Attribute:
                suffix = "." + node.attr + suffix
                node = node.value
            elif kind is ast.Call:
                suffix = "()" + suffix
                node = node.func
            elif kind is ast.Name:
                name = node.id
                base = types.get(name) or self.facts.imports.get(name) or self.module_types.get(name)
                if base is None and name in self.classes and suffix:
                    base = "def:" + name  # `Provider.get(...)`: a class method of this module
                elif base is None and name in self.local_functions and suffix.startswith("()."):
                    base = "local:" + name  # `session().client(...)`: on what a local function returns
                return base + suffix if base else None
            else:
                return None

    def record_import(self, node: ast.Import | ast.ImportFrom) -> None:
        facts = self.facts
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                facts.imported_modules.add(top)
                facts.import_lines.setdefault(top, node.lineno)
                if alias.asname:
                    facts.imports[alias.asname] = alias.name
                else:
                    facts.imports[top] = top
        elif node.level:
            # `from . import x` -> ".x", `from ..a import b` -> "..a.b": package.py resolves these
            base = "." * node.level + (node.module + "." if node.module else "")
            for alias in node.names:
                if alias.name != "*":
                    facts.imports[alias.asname or alias.name] = base + alias.name
                else:
                    facts.star_import = True
        elif node.module:
            top = node.module.split(".")[0]
            facts.imported_modules.add(top)
            facts.import_lines.setdefault(top, node.lineno)
            for alias in node.names:
                if alias.name != "*":
                    facts.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                else:
                    facts.star_import = True

    # ---------------------------------------------------------------- module
    def run(self) -> ModuleFacts:
        body = self.tree.body
        # Top-level functions, classes and module-level names first, then imports and the
        # types of module-level objects, so that calls resolve regardless of definition order.
        module_names = self.module_names
        for stmt in body:
            kind = type(stmt)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self.local_functions.add(stmt.name)
                module_names.add(stmt.name)
            elif kind is ast.ClassDef:
                self.classes[stmt.name] = stmt
                module_names.add(stmt.name)
            elif kind is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name:
                module_names.add(stmt.targets[0].id)
            elif kind is not ast.Expr:
                module_names.update(_assigned_names(stmt))
        prepass = _Prepass()
        prepass.module(self.tree)
        for node in prepass.imports:  # module level and class bodies, before anything is resolved
            self.record_import(node)
        self.facts.init_imports = tuple(name for node in prepass.imports for name in _imported_names(node))
        for stmt in _init_statements(body):
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                kind = self.value_type(stmt.value, {})
                if kind:
                    self.module_types[stmt.targets[0].id] = kind
        self.package_facts()
        if self.lines:
            self.relevant_words, self.needles = self.words_that_matter()
        # Methods are always entered (`self.x` edges); other functions only when they mention a
        # relevant word (`import` and `global` included: they bind names).
        known = len(prepass.imports)
        prepass.functions(lambda node, in_class: in_class or self.may_matter(node))
        for node in prepass.imports[known:]:  # imports inside functions
            self.record_import(node)
        if self.relevant_words is not None and len(prepass.imports) > known:
            self.relevant_words, self.needles = self.words_that_matter()
        self.scopes = prepass.scopes
        self._all_defs = prepass.defs
        self._services = _client_services(prepass.assignments, self)
        self.facts.top_level_names = set(self.module_names)
        # Pass 2: module-level statements are init scope; functions are recorded separately.
        self.walk_block(body, scope=None, types={}, cached=False, prefix="", class_name=None)
        return self.facts

    extra_roots: frozenset = frozenset()  # top-level packages of config extra-clients / extra-connections
    package_names: frozenset = frozenset()  # names of the scanned tree's modules and directories

    def is_package_name(self, qualified: str) -> bool:
        """Whether an imported or inferred name may denote code of the scanned package (a relative
        import, a module or directory name of the tree, a local function or class)."""
        if qualified.startswith((".", "class:", "def:", "local:", "registry:")):
            return True
        root = qualified.split(".", 1)[0]
        return root in self.package_names and root not in NOT_PACKAGE

    def package_facts(self) -> None:
        """Class bases, module-level objects of package types and web entry points: what other
        modules need to follow calls into this one."""
        facts = self.facts
        for name, node in self.classes.items():
            bases = []
            for base in node.bases:
                if isinstance(base, ast.Name) and base.id in self.classes:
                    bases.append("def:" + base.id)
                else:
                    q = self.resolve(base, {})
                    if q:
                        bases.append(q)
            facts.class_bases[name] = tuple(bases)
        for name, kind in self.module_types.items():
            if self.is_package_name(kind):
                facts.object_types[name] = kind
            entry = _ENTRY_TYPES.get(kind)
            if entry:
                facts.entry_objects[name] = entry
        facts.adapters = frozenset(_ADAPTER_MODULES[m] for m in facts.imported_modules if m in _ADAPTER_MODULES)
        for owner, statements in [("", self.tree.body)] + [(name + ":", node.body) for name, node in self.classes.items()]:
            for stmt in statements:
                if type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name and type(stmt.value) is ast.Dict:
                    refs = [self.callable_ref(v) for v in stmt.value.values]
                    if refs and all(refs):
                        facts.registries[owner + stmt.targets[0].id] = tuple(refs)

    def callable_ref(self, node: ast.AST) -> str | None:
        """A package class or function named in a registry, as package.py evaluates it."""
        if type(node) is ast.Name:
            if node.id in self.classes:
                return "def:" + node.id
            if node.id in self.local_functions:
                return "local:" + node.id
        q = self.resolve(node, {}) if type(node) in (ast.Name, ast.Attribute) else None
        return q if q and self.is_package_name(q) else None

    def words_that_matter(self) -> tuple[frozenset, tuple[str, ...]]:
        """What a function body must mention for a call in it to be worth recording:
        words (names bound to catalogued packages or to objects on the way to a catalogued call,
        module-level instances of local classes, local functions and classes, the catalogued
        method names, ``def``/``class``/``import``/``global``) and needles (``time.time``,
        ``os.urandom``: in everyday modules only the catalogued member calls matter)."""
        extra = self.extra_roots
        words = set(_BASE_WORDS) | self.local_functions | set(self.classes)
        needles: set[str] = set()
        for local, qualified in self.facts.imports.items():
            if (extra and qualified.split(".")[0] in extra) or self.is_package_name(qualified):
                words.add(local)
                continue
            hit = _IMPORT_WORDS.get((local, qualified))
            if hit is None:
                if len(_IMPORT_WORDS) > 50_000:  # a sweep over many repositories: stay bounded
                    _IMPORT_WORDS.clear()
                hit = _IMPORT_WORDS[local, qualified] = _import_words(local, qualified)
            if hit[0]:
                words.add(local)
            needles.update(hit[1])
        for name, kind in self.module_types.items():
            hit = _TYPE_MATTERS.get(kind)
            if hit is None:
                if len(_TYPE_MATTERS) > 50_000:
                    _TYPE_MATTERS.clear()
                hit = _TYPE_MATTERS[kind] = _type_matters(kind)
            if hit or (extra and kind.split(".")[0] in extra) or self.is_package_name(kind):
                words.add(name)
        return frozenset(words), tuple(sorted(needles))

    def value_type(self, value: ast.AST, types: dict[str, str]) -> str | None:
        if isinstance(value, ast.Call):
            if isinstance(value.func, ast.Name) and value.func.id in self.classes:
                return f"class:{value.func.id}"
            if isinstance(value.func, ast.Name) and value.func.id in self.local_functions and value.func.id not in types:
                return f"local:{value.func.id}()"
            if type(value.func) is ast.Subscript:
                key = self.registry_key(value.func.value, None)
                return f"registry:{key}()" if key and key.split(":")[0] not in ("self", "cls") else None
            q = self.resolve(value.func, types)
            return q + "()" if q else None
        if isinstance(value, ast.Name):
            return types.get(value.id) or self.module_types.get(value.id)  # an alias keeps the type: s3 = S3_CLIENT
        return None

    # ---------------------------------------------------------------- statements
    def walk_block(self, stmts, scope: FunctionFacts | None, types: dict[str, str], cached: bool, prefix: str, class_name: str | None, local_names: frozenset = frozenset(), globals_: frozenset = frozenset()):
        guarded = cached
        for stmt in stmts:
            kind = type(stmt)
            if kind in _NOTHING_TO_CALL:
                continue
            if kind in _SIMPLE_STATEMENTS:
                self.simple_statement(stmt, kind, scope, types, guarded, local_names, globals_)
                continue
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.function(stmt, prefix, class_name)
                continue
            if isinstance(stmt, ast.ClassDef):
                # class bodies run at import (or when the enclosing function runs)
                self.walk_block(stmt.body, scope, dict(types), guarded, prefix + stmt.name + ".", stmt.name, local_names, globals_)
                continue
            if scope is None and isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
                continue  # script entry point, not Lambda init
            if isinstance(stmt, ast.If):
                check = self.cache_check(stmt.test, scope, local_names, globals_)
                self.expr(stmt.test, scope, types, guarded, local_names, globals_)
                self.walk_block(stmt.body, scope, types, guarded or check == "missing", prefix, class_name, local_names, globals_)
                self.walk_block(stmt.orelse, scope, types, guarded or check == "present", prefix, class_name, local_names, globals_)
                # `if _client: return _client` / `if k in cache: return cache[k]`: what follows
                # only runs when the cache is empty.
                if check == "present" and stmt.body and isinstance(stmt.body[-1], (ast.Return, ast.Raise)):
                    guarded = True
                if check == "missing" and stmt.orelse and isinstance(stmt.orelse[-1], (ast.Return, ast.Raise)):
                    guarded = True
                continue
            if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                self.walk_block(stmt.body, scope, types, guarded, prefix, class_name, local_names, globals_)
                for handler in stmt.handlers:
                    lookup_miss = handler.type is not None and _dotted(handler.type) in ("KeyError", "AttributeError", "NameError")
                    self.walk_block(handler.body, scope, types, guarded or lookup_miss, prefix, class_name, local_names, globals_)
                self.walk_block(stmt.orelse, scope, types, guarded, prefix, class_name, local_names, globals_)
                self.walk_block(stmt.finalbody, scope, types, guarded, prefix, class_name, local_names, globals_)
                continue
            if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
                self.expr(getattr(stmt, "iter", None) or stmt.test, scope, types, guarded, local_names, globals_)
                self.walk_block(stmt.body, scope, types, guarded, prefix, class_name, local_names, globals_)
                self.walk_block(stmt.orelse, scope, types, guarded, prefix, class_name, local_names, globals_)
                continue
            if isinstance(stmt, (ast.With, ast.AsyncWith)):
                for item in stmt.items:
                    self.expr(item.context_expr, scope, types, guarded, local_names, globals_)
                    self.context_manager(item.context_expr, isinstance(stmt, ast.AsyncWith), scope, types, guarded)
                    if isinstance(item.optional_vars, ast.Name):
                        kind = self.value_type(item.context_expr, types)
                        if kind:
                            types[item.optional_vars.id] = kind
                self.walk_block(stmt.body, scope, types, guarded, prefix, class_name, local_names, globals_)
                continue
            if type(stmt).__name__ == "Match":
                self.expr(stmt.subject, scope, types, guarded, local_names, globals_)
                for case in stmt.cases:
                    self.walk_block(case.body, scope, types, guarded, prefix, class_name, local_names, globals_)
                continue
            self.simple_statement(stmt, kind, scope, types, guarded, local_names, globals_)

    def simple_statement(self, stmt, kind, scope, types, guarded, local_names, globals_) -> None:
        stored = None
        if kind is ast.Return and scope is not None and scope.returns is None and stmt.value is not None:
            value = stmt.value
            returned = self.value_type(value, types)
            if returned is None and type(value) is ast.Name:
                returned = types.get(value.id) or self.module_types.get(value.id)
            if returned is None and type(value) is ast.Subscript:  # `return HANDLERS[name]`
                key = self.registry_key(value.value, scope)
                returned = "registry:" + key if key else None
            if returned is None and type(value) is ast.Call and type(value.func) is ast.Subscript:  # `return cls.providers[name](...)`
                key = self.registry_key(value.func.value, scope)
                returned = "registry:" + key + "()" if key else None
            if returned:
                scope.returns = (returned, self.receiver_service(value, types))
        if (kind is ast.Assign or kind is ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if kind is ast.Assign else [stmt.target]
            if scope is not None and "." in scope.qualname:  # `self.store = Store(...)` in a method
                for t in targets:
                    if type(t) is ast.Attribute and type(t.value) is ast.Name and t.value.id == "self":
                        attr_kind = self.value_type(stmt.value, types)
                        if attr_kind and (self.is_package_name(attr_kind) or attr_kind.split(".", 1)[0] in _CATALOG_ROOTS):
                            self.facts.attr_types.setdefault(scope.qualname.split(".")[0] + "." + t.attr, attr_kind)
            names = [t.id for t in targets if type(t) is ast.Name]
            if names:
                value_kind = self.value_type(stmt.value, types)
                for n in names:
                    if value_kind:
                        types[n] = value_kind
                    elif n in types:
                        del types[n]
                if scope is None or names[0] in globals_:
                    stored = names[0]
        self.walk_expr(stmt, scope, types, guarded, local_names, globals_, stored)

    # ---------------------------------------------------------------- guards
    def cache_check(self, test: ast.AST, scope: FunctionFacts | None, local_names: frozenset, globals_: frozenset) -> str | None:
        """Classify an ``if`` test over a cache: "missing" when the body runs only while the cache
        is empty (``x is None``, ``not x``, ``x.closed``, ``k not in cache``), "present" for the
        opposite, None when it is no cache check."""
        if scope is None:
            return None
        if isinstance(test, ast.BoolOp):
            kinds = {self.cache_check(v, scope, local_names, globals_) for v in test.values}
            if isinstance(test.op, ast.Or) and "missing" in kinds:
                return "missing"
            if isinstance(test.op, ast.And) and "present" in kinds:
                return "present"
            return None
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.cache_check_subject(test.operand, local_names, globals_)
            if inner:
                return "missing"
            flipped = self.cache_check(test.operand, scope, local_names, globals_)
            return {"missing": "present", "present": "missing"}.get(flipped or "")
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, right = test.ops[0], test.comparators[0]
            is_none = isinstance(right, ast.Constant) and right.value is None
            if is_none and self.cache_check_subject(test.left, local_names, globals_):
                if isinstance(op, (ast.Is, ast.Eq)):
                    return "missing"
                if isinstance(op, (ast.IsNot, ast.NotEq)):
                    return "present"
            if isinstance(op, (ast.NotIn, ast.In)) and self.cache_check_subject(right, local_names, globals_):
                return "missing" if isinstance(op, ast.NotIn) else "present"
            return None
        if isinstance(test, ast.Attribute) and test.attr in ("closed", "is_closed"):
            if self.cache_check_subject(test.value, local_names, globals_):
                return "missing"
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr":
            if test.args and self.cache_check_subject(test.args[0], local_names, globals_, allow_self=True):
                return "present"
        if self.cache_check_subject(test, local_names, globals_):
            return "present"
        return None

    def cache_check_subject(self, node: ast.AST, local_names: frozenset, globals_: frozenset, allow_self: bool = False) -> bool:
        """Whether ``node`` names state that outlives one invocation: a module-level or global
        name, an attribute (``self._client``, ``cls._pool``, ``Config.client``), an entry of
        such a container, or a local read from one (``c = _clients.get(name)``)."""
        if isinstance(node, ast.Name):
            if node.id in globals_:
                return True
            if node.id in local_names:
                return node.id in self._cache_locals
            return node.id in self.module_names
        if isinstance(node, ast.Attribute):
            if node.attr in ("closed", "is_closed"):
                return self.cache_check_subject(node.value, local_names, globals_)
            return True
        if isinstance(node, ast.Subscript):
            return self.cache_check_subject(node.value, local_names, globals_)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            return self.cache_check_subject(node.func.value, local_names, globals_)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            return bool(node.args)
        if allow_self and isinstance(node, ast.Name):
            return True
        return False

    _cache_locals: set[str] = set()

    # ---------------------------------------------------------------- expressions
    def expr(self, node: ast.AST, scope: FunctionFacts | None, types: dict[str, str], cached: bool, local_names: frozenset, globals_: frozenset) -> None:
        """Walk an expression that heads a compound statement (``if`` test, ``for`` iterable...)."""
        if node is not None:
            self.walk_expr(node, scope, types, cached, local_names, globals_)

    def walk_expr(self, node: ast.AST, scope: FunctionFacts | None, types: dict[str, str], cached: bool, local_names: frozenset, globals_: frozenset, stored: str | None = None) -> None:
        # `_c = _c or boto3.client()` and `cache.get(k) or cache.setdefault(k, make())`: the
        # right side runs only when the cached value is missing.
        stack: list[tuple[ast.AST, bool]] = [(node, cached)]
        push, pop, walkable, children = stack.append, stack.pop, _WALKABLE, _CHILD_FIELDS
        BoolOp, IfExp, Call, Or = ast.BoolOp, ast.IfExp, ast.Call, ast.Or
        while stack:
            current, is_cached = pop()
            kind = type(current)
            if kind is Call:
                self.call(current, scope, types, is_cached, stored)
            elif scope is not None:
                if kind is BoolOp and type(current.op) is Or:
                    first = current.values[0]
                    guard = self.cache_check_subject(first, local_names, globals_)
                    push((first, is_cached))
                    for v in current.values[1:]:
                        push((v, is_cached or guard))
                    continue
                if kind is IfExp:
                    check = self.cache_check(current.test, scope, local_names, globals_)
                    push((current.test, is_cached))
                    push((current.body, is_cached or check == "missing"))
                    push((current.orelse, is_cached or check == "present"))
                    continue
            # nested definitions are analysed on their own and a lambda runs later, if at all:
            # neither is in `walkable`
            for field_name in children[kind]:
                value = getattr(current, field_name, None)
                if type(value) is list:
                    for item in value:
                        if type(item) in walkable:
                            push((item, is_cached))
                elif type(value) in walkable:
                    push((value, is_cached))

    def call(self, node: ast.Call, scope: FunctionFacts | None, types: dict[str, str], cached: bool, stored: str | None) -> None:
        func = node.func
        # local function and method calls: edges of the call graph
        callee = self.local_callee(func, scope, types)
        if callee:
            if scope is None:
                self.facts.init_calls.append((callee, node.lineno))
            else:
                scope.calls.append((callee, node.lineno))
                if cached:
                    scope.guarded_calls.add((callee, node.lineno))
        # a local function handed to another call runs as part of it (executor.submit(fn, x),
        # loop.run_in_executor(None, fn), map(fn, xs), Thread(target=fn)); memoizers are the
        # exception: what they wrap runs once
        handed = [a for a in node.args if isinstance(a, ast.Name)] + [k.value for k in node.keywords if k.arg == "target" and isinstance(k.value, ast.Name)]
        if handed and scope is not None and (_dotted(func) or "").rsplit(".", 1)[-1] not in RUN_LATER_OR_ONCE:
            for arg in handed:
                passed = self.local_callee(arg, scope, types)
                if passed and not passed.endswith(".__init__"):
                    scope.calls.append((passed, node.lineno))
                    if cached:
                        scope.guarded_calls.add((passed, node.lineno))
            # a function of another package module handed over (executor.submit(aws.check, x))
            for arg in [a for a in node.args if isinstance(a, ast.Attribute)] + [a for a in handed if self.local_callee(a, scope, types) is None]:
                target = self.resolve(arg, types)
                if target and self.is_package_name(target) and target not in self.classes:
                    self.record_package_call(node, target, scope, cached or scope.cached_factory, None)
        qual = self.resolve(func, types)
        package_call = self.package_call(func, qual, scope, callee)
        if package_call:
            first = _const_str(node.args[0]) if node.args else None
            self.record_package_call(node, package_call, scope, cached or (scope is not None and scope.cached_factory), first)
        if qual in AFTER_RESTORE or qual in BEFORE_SNAPSHOT:
            target = node.args[0] if node.args else None
            name = _dotted(target) if target is not None else None
            if qual in AFTER_RESTORE and name:
                self.facts.after_restore_hooks.add(name)
        if not qual:
            return
        if not (catalog.use_matters(qual) or qual.split(".", 1)[0] in self.extra_roots or (stored and scope is not None)):
            return  # no rule reads it (a global stored behind a guard is kept for LL111)
        # receiver service for config fetches: boto3.client("ssm").get_parameter
        service = None
        if isinstance(func, ast.Attribute):
            service = self.receiver_service(func.value, types)
        first = _const_str(node.args[0]) if node.args else None
        varying = bool(node.args) and first is None
        for kw in node.keywords:
            if kw.arg == "service_name":
                first = _const_str(kw.value)
                varying = first is None
            elif kw.arg == "region_name" and not isinstance(kw.value, ast.Constant) and not _environment_read(kw.value):
                varying = True
        use = Call(
            qualname=qual,
            line=node.lineno,
            column=self.column(node.lineno, node.col_offset),
            end_line=node.end_lineno or node.lineno,
            end_column=self.column(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset),
            cached=cached or (scope is not None and scope.cached_factory),
            first_arg=first,
            service=service,
            stored_as=stored,
            varying=varying,
        )
        if scope is None:
            self.facts.init_uses.append(use)
        else:
            scope.uses.append(use)

    def package_call(self, func: ast.AST, qual: str | None, scope: FunctionFacts | None, callee: str | None) -> str | None:
        """The target of a call that may lead into package code that this module alone cannot
        follow: another module's function or class, an inherited method, a method a subclass may
        override (``self.create()`` in a base class), a local function's result."""
        kind = type(func)
        if kind is ast.Attribute and type(func.value) is ast.Name and func.value.id in ("self", "cls"):
            # recorded even when this class defines it: a subclass instance dispatches to its override
            return "self." + func.attr if scope is not None and "." in scope.qualname else None
        if kind is ast.Attribute and type(func.value) is ast.Attribute and type(func.value.value) is ast.Name and func.value.value.id == "self":
            # `self.ssm.get_parameter()`: reading `ssm` runs it when it is a property
            # or, when `self.ssm` holds a package object, calling its method
            return f"prop:{func.value.attr}.{func.attr}" if scope is not None and "." in scope.qualname else None
        if callee:
            return None
        if kind is ast.Name and func.id in self.classes:
            return "def:" + func.id  # a local class without its own __init__: maybe inherited
        if kind is ast.Subscript:  # `PROVIDERS[kind](event)`, `cls.provider_map[name](...)`
            key = self.registry_key(func.value, scope)
            return "registry:" + key if key else None
        if qual and self.is_package_name(qual):
            return qual
        return None

    def context_manager(self, expr: ast.AST, is_async: bool, scope: FunctionFacts | None, types: dict[str, str], guarded: bool) -> None:
        """`with Database() as db:` runs the package class's ``__enter__`` (where connections
        are often opened): record it as a call made at the ``with``."""
        if type(expr) is not ast.Call:
            return
        kind = self.value_type(expr, types)
        if kind and self.is_package_name(kind) and (kind.endswith("()") or kind.startswith("class:")):
            self.record_package_call(expr, kind + (".__aenter__" if is_async else ".__enter__"), scope, guarded or (scope is not None and scope.cached_factory), None)

    def registry_key(self, holder: ast.AST, scope: FunctionFacts | None) -> str | None:
        """The registry a subscripted callee reads: "PROVIDERS", or "Base:provider_map" for a
        class attribute (through ``self``/``cls`` inside the class)."""
        if type(holder) is ast.Name:
            return holder.id
        if type(holder) is ast.Attribute and type(holder.value) is ast.Name:
            owner = holder.value.id
            if owner in ("self", "cls") and scope is not None and "." in scope.qualname:
                owner = scope.qualname.split(".")[0]
            return owner + ":" + holder.attr
        return None

    def record_package_call(self, node: ast.Call, target: str, scope: FunctionFacts | None, cached: bool, first: str | None) -> None:
        func = node.func
        call = Call(
            qualname=target,
            line=node.lineno,
            column=self.column(node.lineno, node.col_offset),
            end_line=node.end_lineno or node.lineno,
            end_column=self.column(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset),
            cached=cached,
            first_arg=first,
            # `self.ssm.get_parameter()`: the service of a client kept on self, for LL103
            service=self.receiver_service(func.value, {}) if type(func) is ast.Attribute else None,
            varying=bool(node.args) and first is None,
        )
        (self.facts.init_package_calls if scope is None else scope.package_calls).append(call)

    def receiver_service(self, node: ast.AST, types: dict[str, str]) -> str | None:
        """The AWS service of a client expression, e.g. ``ssm`` for ``boto3.client("ssm")`` or for
        a name assigned from it."""
        if isinstance(node, ast.Call):
            q = self.resolve(node.func, types)
            if q in catalog.CLIENTS and node.args:
                return _const_str(node.args[0])
            return None
        if isinstance(node, ast.Name):
            return self._services.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            return self._services.get("self." + node.attr)
        return None

    _services: dict[str, str] = {}

    def local_callee(self, func: ast.AST, scope: FunctionFacts | None, types: dict[str, str]) -> str | None:
        if isinstance(func, ast.Name):
            name = func.id
            if scope is not None:
                nested = f"{scope.qualname}.{name}"
                if nested in self._all_defs:
                    return nested
            if name in self.classes:
                return f"{name}.__init__" if f"{name}.__init__" in self._all_defs else None
            if name in self.local_functions:
                return name
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            if owner in ("self", "cls") and scope is not None and "." in scope.qualname:
                cls = scope.qualname.split(".")[0]
                candidate = f"{cls}.{func.attr}"
                return candidate if candidate in self._all_defs else None
            kind = types.get(owner) or self.module_types.get(owner)
            if kind and kind.startswith("class:"):
                candidate = f"{kind[6:]}.{func.attr}"
                return candidate if candidate in self._all_defs else None
            if owner in self.classes:
                candidate = f"{owner}.{func.attr}"
                return candidate if candidate in self._all_defs else None
        return None

    _all_defs: set[str] = set()

    # ---------------------------------------------------------------- functions
    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, prefix: str, class_name: str | None) -> None:
        qualname = prefix + node.name
        decorators = [self.resolve(d.func if isinstance(d, ast.Call) else d, {}) or "" for d in node.decorator_list]
        fn = FunctionFacts(
            qualname=qualname,
            line=node.lineno,
            column=self.column(node.lineno, node.col_offset),
            params=tuple(a.arg for a in node.args.posonlyargs + node.args.args),
            is_async=isinstance(node, ast.AsyncFunctionDef),
            takes_varargs=node.args.vararg is not None,
            cached_factory=any(d in CACHE_DECORATORS for d in decorators),
            is_route=any(self.is_route_decorator(d) for d in node.decorator_list),
            framework_route=next(filter(None, (self.web_route(d) for d in node.decorator_list)), ""),
            is_property=any(type(d) is ast.Name and d.id == "property" for d in node.decorator_list),
            top_level=not prefix,
        )
        self.facts.functions[qualname] = fn
        if any(d in AFTER_RESTORE for d in decorators):
            self.facts.after_restore_hooks.add(qualname)
        scope = self.scopes.get(id(node))
        if scope is None:
            return  # set aside by the pre-pass: nothing in the body can reach a catalogued call or another function
        globals_ = frozenset(scope.globals)
        fn.global_assigns = scope.assigned & globals_
        args = node.args
        params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        params.update(a.arg for a in (args.vararg, args.kwarg) if a)
        local_names = frozenset(params | scope.assigned - globals_)
        # locals read out of a long-lived cache (`c = _clients.get(k)`) are cache subjects too
        saved = self._cache_locals
        self._cache_locals = set()
        for target, base in scope.lookups:
            if self.cache_check_subject(base, frozenset(local_names - {target}), globals_):
                self._cache_locals.add(target)
        types: dict[str, str] = {}
        if class_name in self.classes and fn.params[:1] == ("self",) and prefix == class_name + ".":
            types["self"] = "class:" + class_name  # `self.session.client(...)`: through the class's attributes
        self.walk_block(node.body, fn, types, False, qualname + ".", class_name, local_names, globals_)
        self._cache_locals = saved

    # words whose presence in a function body means the body must be walked; None = walk all
    relevant_words: frozenset | None = None
    needles: tuple[str, ...] = ()  # dotted member calls (`time.time`) that count too

    def may_matter(self, node: ast.AST) -> bool:
        """Whether a (non-method) function body mentions any name through which a call could
        resolve to the catalogue or to another function of the module. Most helpers (parsing,
        formatting, validation) mention none, and walking them was most of the analysis time.
        The test is on raw source words, so a mention in a comment or string only costs time."""
        words = self.relevant_words
        if words is None or not node.body:
            return True
        body = "\n".join(self.lines[node.body[0].lineno - 1 : node.end_lineno])
        return not words.isdisjoint(_WORD.findall(body)) or any(needle in body for needle in self.needles)

    def web_route(self, dec: ast.AST) -> str:
        """"chalice" / "asgi" / "wsgi" when ``dec`` registers a route or event handler on a web
        framework app (``@app.route("/")``, ``@app.on_s3_event(...)``, ``@router.get("/")``)."""
        func = dec.func if isinstance(dec, ast.Call) else dec
        if not isinstance(func, ast.Attribute):
            return ""
        owner = self.resolve(func.value, {})
        if not owner or not owner.endswith("()"):
            return ""
        framework = _WEB_APPS.get(owner)
        if framework and func.attr in _WEB_ROUTE_METHODS[framework]:
            return framework
        return ""

    def is_route_decorator(self, dec: ast.AST) -> bool:
        if isinstance(dec, ast.Attribute) and dec.attr in CRHELPER_EVENTS:
            owner = self.resolve(dec.value, {})
            return bool(owner) and owner.startswith("crhelper.") and owner.endswith("CfnResource()")
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
            return False
        if dec.func.attr not in ROUTE_METHODS:
            return False
        owner = self.resolve(dec.func.value, {})
        return bool(owner) and "aws_lambda_powertools" in owner and (owner.endswith("Resolver()") or owner.endswith("Router()") or "Resolver" in owner)


def init_functions(facts: ModuleFacts) -> set[str]:
    """Functions that run while the module is imported (called from module level, transitively)."""
    seen: set[str] = set()
    queue = [c for c, _ in facts.init_calls if c in facts.functions]
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        queue.extend(c for c, _ in facts.functions[name].calls if c in facts.functions and c not in seen)
    return seen


def _init_statements(body: list) -> list:
    """Module-level statements in source order, including those inside module-level ``try`` /
    ``if`` / ``with`` / loops (``try: s3 = boto3.client("s3") except ...`` is common), but not
    function or class bodies, nor an ``if __name__ == "__main__"`` block."""
    out = []
    for stmt in body:
        kind = type(stmt)
        if kind in _COMPOUND_AT_INIT:
            if kind is ast.If and _is_main_guard(stmt.test):
                continue
            out.append(stmt)
            for field_name in _STATEMENT_FIELDS[kind]:
                for child in getattr(stmt, field_name):
                    out.extend(_init_statements(child.body) if type(child) is ast.ExceptHandler else _init_statements([child]))
        else:
            out.append(stmt)
    return out


def _is_main_guard(test: ast.AST) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and _const_str(test.comparators[0]) == "__main__"
    )


def _assigned_names(stmt: ast.AST) -> list[str]:
    out: list[str] = []
    if isinstance(stmt, ast.Assign):
        for t in stmt.targets:
            out.extend(_target_names(t))
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        out.extend(_target_names(stmt.target))
    elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        out.append(stmt.name)
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        out.extend((a.asname or a.name.split(".")[0]) for a in stmt.names)
    elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
        for child in ast.iter_child_nodes(stmt):
            if isinstance(child, ast.stmt):
                out.extend(_assigned_names(child))
        for h in getattr(stmt, "handlers", []):
            for child in h.body:
                out.extend(_assigned_names(child))
    return out


def _target_names(t: ast.AST) -> list[str]:
    if isinstance(t, ast.Name):
        return [t.id]
    if isinstance(t, (ast.Tuple, ast.List)):
        return [n for e in t.elts for n in _target_names(e)]
    if isinstance(t, ast.Starred):
        return _target_names(t.value)
    return []


def collect_facts(path: str, tree: ast.Module, text: str = "", extra_roots: frozenset = frozenset(), package_names: frozenset = frozenset()) -> ModuleFacts:
    """Facts of one module. ``text`` is its source (without it every function body is walked);
    ``extra_roots`` are the packages of config ``extra-clients`` / ``extra-connections``;
    ``package_names`` the module and directory names of the scanned tree (imports of them may
    lead into other modules of a code package)."""
    collector = _Collector(path, tree)
    # numbered as the tokenizer numbers lines (str.splitlines also breaks at form feeds and more)
    if text:
        collector.lines = text.split("\n") if "\r" not in text else _LINE_BREAK.split(text)
    collector.extra_roots = frozenset(extra_roots)
    collector.package_names = frozenset(package_names)
    return collector.run()


@dataclass
class _Scope:
    """What one function binds, found in the single pre-pass."""

    globals: set[str] = field(default_factory=set)  # names declared `global`
    assigned: set[str] = field(default_factory=set)  # names bound in its body (not in nested defs)
    lookups: list[tuple[str, ast.AST]] = field(default_factory=list)  # `x = c.get(k)` / `x = c[k]`: (x, c)


class _Prepass:
    """One walk over a module's statements (expressions are not entered: apart from the rare
    walrus, they bind nothing): per-function bindings, every import, every assignment of a call
    result, and the qualified name of every definition.

    It runs in two phases so that function bodies that cannot matter are never entered: first
    the module level and class bodies, with each function definition set aside; then, once the
    caller knows what the module imports, the functions it decides to keep."""

    def __init__(self) -> None:
        self.scopes: dict[int, _Scope] = {}
        self.imports: list[ast.AST] = []
        self.assignments: list[ast.AST] = []
        self.defs: set[str] = set()  # "handler", "Repo.get", "handler.inner"
        self.deferred: list[tuple[ast.AST, str, bool]] = []  # (function node, qualname prefix, defined in a class body)

    def module(self, tree: ast.Module) -> None:
        self._walk([(stmt, _Scope(), "", False) for stmt in tree.body], defer=True)

    def functions(self, keep) -> None:
        """Phase two: enter each set-aside function for which ``keep(node, in_class)`` is true."""
        for node, prefix, in_class in self.deferred:
            if keep(node, in_class):
                self._walk([(node, None, prefix, in_class)], defer=False)

    def _walk(self, stack: list, defer: bool) -> None:
        scopes, defs = self.scopes, self.defs
        while stack:
            node, scope, prefix, in_class = stack.pop()
            inner, inner_prefix, inner_class = scope, prefix, in_class
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                if scope is not None:
                    scope.assigned.add(node.name)
                if defer:
                    defs.add(prefix + node.name)
                    self.deferred.append((node, prefix, in_class))
                    continue
                defs.add(prefix + node.name)
                inner = scopes[id(node)] = _Scope()
                inner_prefix, inner_class = prefix + node.name + ".", False
            elif kind is ast.ClassDef:
                if scope is not None:
                    scope.assigned.add(node.name)
                inner = None  # class bodies bind class attributes, not the function's names
                inner_prefix, inner_class = prefix + node.name + ".", True
            elif kind is ast.Import or kind is ast.ImportFrom:
                self.imports.append(node)
            elif kind is ast.Global:
                if scope is not None:
                    scope.globals.update(node.names)
            elif kind is ast.Assign or kind is ast.AnnAssign or kind is ast.AugAssign:
                targets = node.targets if kind is ast.Assign else [node.target]
                if scope is not None:
                    for target in targets:
                        scope.assigned.update(_target_names(target))
                value = node.value
                if kind is not ast.AugAssign and isinstance(value, (ast.Call, ast.Name)):
                    self.assignments.append(node)
                if scope is not None and kind is ast.Assign and len(targets) == 1 and isinstance(targets[0], ast.Name):
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get":
                        scope.lookups.append((targets[0].id, value.func.value))
                    elif isinstance(value, ast.Subscript):
                        scope.lookups.append((targets[0].id, value.value))
            elif kind is ast.For or kind is ast.AsyncFor:
                if scope is not None:
                    scope.assigned.update(_target_names(node.target))
            elif kind is ast.With or kind is ast.AsyncWith:
                if scope is not None:
                    for item in node.items:
                        if item.optional_vars is not None:
                            scope.assigned.update(_target_names(item.optional_vars))
            elif kind is ast.ExceptHandler:
                if scope is not None and node.name:
                    scope.assigned.add(node.name)
            for field_name in _STATEMENT_FIELDS.get(kind, _STATEMENT_LISTS):
                children = getattr(node, field_name, None)
                if children:
                    stack.extend((child, inner, inner_prefix, inner_class) for child in children)


def _import_words(local: str, qualified: str) -> tuple[bool, tuple[str, ...]]:
    """(whether the local name itself matters, needles) for ``local`` bound to ``qualified``."""
    root = qualified.split(".")[0]
    if root in catalog.PREFIX_ROOTS or qualified.startswith(catalog.DATABASE_PREFIXES):
        return True, ()  # any call under it matters (a database driver: LL401 evidence)
    word, needles = False, []
    for call in _EXACT_BY_ROOT.get(root, ()):
        if call == qualified:
            word = True
        elif call.startswith(qualified) and call[len(qualified)] in ".(":
            if root in catalog.MEMBER_ROOTS:
                needles.append(local + call[len(qualified) :])
            else:
                word = True
    return word, tuple(needles)


def _type_matters(kind: str) -> bool:
    """Whether calls on a module-level object of this type (``boto3.Session()``, ``class:Repo``) can matter."""
    root = kind.split(".")[0]
    # a database connection: any call on it is evidence for LL401
    return kind.startswith("class:") or root in catalog.PREFIX_ROOTS or kind.startswith(catalog.DATABASE_PREFIXES) or any(c.startswith(kind + ".") for c in _EXACT_BY_ROOT.get(root, ()))


def _imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = "." * node.level + (node.module + "." if node.module else "")
    return [base + alias.name for alias in node.names if alias.name != "*"] or [base.rstrip(".") or "."]


# web frameworks that turn a Lambda event into a call of a route function
_WEB_APPS = {
    "chalice.Chalice()": "chalice",
    "chalice.app.Chalice()": "chalice",
    "chalice.Blueprint()": "chalice",
    "chalice.app.Blueprint()": "chalice",
    "fastapi.FastAPI()": "asgi",
    "fastapi.APIRouter()": "asgi",
    "fastapi.routing.APIRouter()": "asgi",
    "starlette.applications.Starlette()": "asgi",
    "flask.Flask()": "wsgi",
    "flask.Blueprint()": "wsgi",
}
_HTTP_METHODS = frozenset({"route", "get", "post", "put", "delete", "patch", "head", "options"})
_WEB_ROUTE_METHODS = {
    "chalice": _HTTP_METHODS
    | {
        "lambda_function", "on_s3_event", "on_sns_message", "on_sqs_message", "on_cw_event", "schedule",
        "on_dynamodb_record", "on_kinesis_record", "authorizer", "websocket_connect", "websocket_message", "websocket_disconnect",
    },
    "asgi": _HTTP_METHODS | {"api_route", "websocket"},
    "wsgi": _HTTP_METHODS,
}
# module-level objects that are the Lambda entry point of a web app
_ENTRY_TYPES = {
    "chalice.Chalice()": "chalice",
    "chalice.app.Chalice()": "chalice",
    "mangum.Mangum()": "asgi",
    "apig_wsgi.make_lambda_handler()": "wsgi",
}
# modules that hand Lambda events to a web app in a handler function
_ADAPTER_MODULES = {"mangum": "asgi", "serverless_wsgi": "wsgi", "awsgi": "wsgi", "aws_wsgi": "wsgi", "apig_wsgi": "wsgi"}
_CATALOG_ROOTS = frozenset(q.split(".")[0] for q in catalog.CLIENTS | catalog.CONNECTIONS)
# never package code, even when a file of the tree shares the name: the standard library and
# the catalogued packages
NOT_PACKAGE = frozenset(getattr(sys, "stdlib_module_names", ())) | {q.split(".")[0] for q in catalog.EXACT_CALLS} | catalog.PREFIX_ROOTS

# caches shared by the modules of one process: the same imports recur in every handler
_IMPORT_WORDS: dict[tuple[str, str], tuple[bool, tuple[str, ...]]] = {}
_TYPE_MATTERS: dict[str, bool] = {}
_BASE_WORDS = frozenset({"def", "class", "import", "global"} | catalog.FETCH_METHODS | catalog.REFRESH_METHODS)
_EXACT_BY_ROOT: dict[str, list[str]] = {}
for _call in sorted(catalog.EXACT_CALLS):
    _EXACT_BY_ROOT.setdefault(_call.split(".")[0], []).append(_call)
_WORD = re.compile(r"\w+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")
_NOTHING_TO_CALL = frozenset({ast.Pass, ast.Break, ast.Continue, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal})
_SIMPLE_STATEMENTS = frozenset({ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return, ast.Raise, ast.Assert, ast.Delete})
_NOT_NOW = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})
# nodes with nothing interesting below them
_LEAVES = (ast.Constant, ast.Name, ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


def _node_classes(base: type) -> set[type]:
    out = set()
    for cls in base.__subclasses__():
        out.add(cls)
        out |= _node_classes(cls)
    return out


# every concrete node class worth entering: one set lookup per child instead of two isinstance
_NODE_CLASSES = _node_classes(ast.AST)
_WALKABLE = frozenset(cls for cls in _NODE_CLASSES if not issubclass(cls, _LEAVES) and cls not in _NOT_NOW)
# per node class, the fields that can hold a node to enter (identifiers, operators, contexts and
# flags never do): the expression walk reads only these
_NEVER_NODES = frozenset({"id", "attr", "arg", "name", "names", "ctx", "op", "ops", "kind", "conversion", "type_comment", "level", "module", "asname", "is_async", "kwd_attrs", "rest", "simple"})
# per node class, which of _STATEMENT_LISTS it has (most statements have none)
_COMPOUND_AT_INIT = frozenset(cls for cls in (ast.If, ast.Try, getattr(ast, "TryStar", None), ast.With, ast.For, ast.While) if cls is not None)
_STATEMENT_FIELDS = {cls: tuple(f for f in _STATEMENT_LISTS if f in cls._fields) for cls in _NODE_CLASSES}
_CHILD_FIELDS = {cls: tuple(f for f in cls._fields if f not in _NEVER_NODES) for cls in _NODE_CLASSES}


def _client_services(assignments: list[ast.AST], collector: _Collector) -> dict[str, str]:
    """Names (and ``self.x`` attributes) bound to ``boto3.client("<service>")`` anywhere in the module."""
    services: dict[str, str] = {}
    aliases = [node for node in assignments if isinstance(node.value, ast.Name)]
    for node in assignments:
        if isinstance(node.value, ast.Name):
            continue
        q = collector.resolve(node.value.func, {})
        if q not in catalog.CLIENTS:
            continue
        svc = _const_str(node.value.args[0]) if node.value.args else None
        for kw in node.value.keywords:
            if kw.arg == "service_name":
                svc = _const_str(kw.value)
        if not svc:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            if isinstance(t, ast.Name):
                services[t.id] = svc
            elif isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in ("self", "cls"):
                services["self." + t.attr] = svc
    for node in aliases:  # ssm = SSM_CLIENT: the same client under a local name
        svc = services.get(node.value.id)
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            if svc and isinstance(t, ast.Name):
                services.setdefault(t.id, svc)
    return services
