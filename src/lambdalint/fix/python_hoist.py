"""LL101 / LL102 fixes: build a client or connection once per execution environment.

The finding's call is located with libcst (exact positions, comments kept). When every input to
the call is fixed for the life of the environment (literals, module-level names nobody rebinds,
``os.environ`` / ``os.getenv``, a botocore ``Config`` of those), the call moves to module level:

- SDK clients, resources, sessions and pool-managing clients become a module constant placed
  after the imports (an existing identical module-level client is reused), and the call site
  uses the constant;
- connections that go stale (psycopg2, PyMySQL, mysql-connector) get a lazy-init getter with a
  reconnect guard, and the call site calls the getter.

Only the call expression is replaced, so ``s3 = boto3.client("s3")`` becomes ``s3 = S3_CLIENT``:
the smallest edit that keeps every later use of the local name working.
"""

from __future__ import annotations

import re

import libcst as cst  # this module loads only when fixing (fix.registry imports it on demand)
from dataclasses import dataclass

from .model import SAFE, UNSAFE, Declined, Edit, Fix

# Connection libraries whose objects must be checked before reuse: (guard on the global, noun).
# The guard reopens a connection the handler (or the server) closed.
STALE_GUARDS = {
    "psycopg2.connect": "{name} is None or {name}.closed",
    "psycopg.connect": "{name} is None or {name}.closed",
    "psycopg.Connection.connect": "{name} is None or {name}.closed",
    "aurora_dsql_psycopg2.connect": "{name} is None or {name}.closed",
    "aurora_dsql_psycopg.connect": "{name} is None or {name}.closed",
    "pymysql.connect": "{name} is None or not {name}.open",
    "pymysql.Connect": "{name} is None or not {name}.open",
    "pymysql.connections.Connection": "{name} is None or not {name}.open",
    "MySQLdb.connect": "{name} is None or not {name}.open",
    "mysql.connector.connect": "{name} is None or not {name}.is_connected()",
}
# Clients that manage their own pool and reconnect by themselves: a module constant is enough.
# (constant name, applicability, why unsafe)
POOLED = {
    "redis.Redis": ("REDIS_CLIENT", SAFE),
    "redis.StrictRedis": ("REDIS_CLIENT", SAFE),
    "redis.client.Redis": ("REDIS_CLIENT", SAFE),
    "redis.from_url": ("REDIS_CLIENT", SAFE),
    "redis.Redis.from_url": ("REDIS_CLIENT", SAFE),
    "redis.StrictRedis.from_url": ("REDIS_CLIENT", SAFE),
    "redis.ConnectionPool": ("REDIS_POOL", SAFE),
    "pymongo.MongoClient": ("MONGO_CLIENT", SAFE),
    "sqlalchemy.create_engine": ("DB_ENGINE", SAFE),
    "urllib3.PoolManager": ("HTTP_POOL", SAFE),
    "elasticsearch.Elasticsearch": ("SEARCH_CLIENT", SAFE),
    "opensearchpy.OpenSearch": ("SEARCH_CLIENT", SAFE),
    # sessions keep cookies: sharing one across invocations can carry one caller's cookies into
    # the next request
    "requests.Session": ("HTTP_SESSION", UNSAFE),
    "requests.session": ("HTTP_SESSION", UNSAFE),
    "requests.sessions.Session": ("HTTP_SESSION", UNSAFE),
    "httpx.Client": ("HTTP_CLIENT", UNSAFE),
}
# Names an argument may call and still be fixed for the environment's life.
CONSTANT_CALLS = frozenset(
    {"os.getenv", "os.environ.get", "botocore.config.Config", "botocore.client.Config", "str", "int", "float", "bool", "dict", "tuple", "list"}
)
ASYNC_ROOTS = ("aioboto3", "aiobotocore", "aiohttp", "httpx.AsyncClient", "asyncpg", "redis.asyncio", "motor", "sqlalchemy.ext.asyncio")
CLOSERS = frozenset({"close", "disconnect", "shutdown", "__exit__", "aclose"})


def fix_client(finding, text: str):
    return _hoist(finding, text, "client")


def fix_connection(finding, text: str):
    return _hoist(finding, text, "connection")


@dataclass
class _Module:
    text: str
    tree: object  # libcst.Module
    positions: dict
    scopes: dict
    qualnames: dict  # Call.func node -> set of qualified names
    parents: dict
    line_starts: list[int]
    newline: str

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column

    def code(self, node) -> str:
        return self.tree.code_for_node(node)


def _load(text: str) -> _Module:
    from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, QualifiedNameProvider, ScopeProvider

    tree = cst.parse_module(text)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    resolved = wrapper.resolve_many([PositionProvider, ScopeProvider, ParentNodeProvider, QualifiedNameProvider])
    qualnames = {}
    raw = resolved[QualifiedNameProvider]
    for node, value in raw.items():
        if isinstance(node, cst.Call):
            names = value() if callable(value) else value
            qualnames[node] = {q.name for q in names}
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    newline = "\r\n" if "\r\n" in text else "\n"
    return _Module(text, tree, resolved[PositionProvider], resolved[ScopeProvider], qualnames, resolved[ParentNodeProvider], starts, newline)


def _hoist(finding, text: str, kind: str):
    module = _load(text)
    loc = finding.location
    call = next(
        (n for n, r in module.positions.items() if isinstance(n, cst.Call) and r.start.line == loc.line and r.start.column == loc.column - 1),
        None,
    )
    if call is None:
        return Declined("the call could not be located in the source")
    qualname = _qualname(module, call)
    if any(qualname.startswith(root) for root in ASYNC_ROOTS):
        return Declined("async clients belong to one event loop, so they cannot be created at import; use a lazy-init global")
    parent = module.parents.get(call)
    if isinstance(parent, cst.WithItem) or isinstance(parent, cst.Await):
        return Declined("it is used as a context manager (`with`), which closes it at the end of the block, so it cannot be shared")
    function = _enclosing_function(module, call)
    if function is None:
        return Declined("the call is not inside a function")
    imported_here = _imported_in_function(module, call)
    if imported_here:
        return Declined(f"`{imported_here}` is imported inside the function; import it at module level and the {kind} can move there too")
    if kind == "connection" and qualname not in STALE_GUARDS and qualname not in POOLED:
        return Declined(f"no fix is known for `{qualname or module.code(call.func)}`; open it in a lazy-init global")
    aliases: dict = {}
    problem = _varying_part(module, call, aliases)
    if problem:
        return Declined(
            f"`{problem}` is a parameter, a local or per-invocation value, so the {kind} cannot be built once; "
            f"keep {kind}s in a module-level dict keyed by that value"
        )
    moved = _substituted(call, aliases)
    if kind == "connection" and qualname in STALE_GUARDS:
        return _lazy_connection(module, call, moved, qualname, finding)
    local = _bound_local(module, call)
    if local and _closed_later(module, function, local):
        return Declined(f"`{local}` is closed in the function, so a shared {kind} would be unusable on the next invocation")
    if kind == "connection":
        base, applicability = POOLED[qualname]
    else:
        # the SDK's own constructors are safe to share; a wrapper in another module of the package
        # (the construction is a related location elsewhere) runs the project's own code once at
        # import instead of per call, and may keep state: that needs a review
        wrapper = any(r.location.path != finding.location.path for r in finding.related)
        base, applicability = _client_name(module, call), UNSAFE if wrapper else SAFE
    return _constant(module, call, moved, base, applicability, finding)


# ------------------------------------------------------------------ analysis


def _qualname(module: _Module, call) -> str:
    names = sorted(module.qualnames.get(call, ()))
    names = [n for n in names if not n.startswith(".")]
    return names[0] if names else ""


def _enclosing_function(module: _Module, node):
    while node is not None:
        node = module.parents.get(node)
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            return node
    return None


def _imported_in_function(module: _Module, call) -> str | None:
    """The callee's root name when a local import binds it (``import boto3`` in the handler)."""
    root = call.func
    while isinstance(root, (cst.Attribute, cst.Call)):
        root = root.value if isinstance(root, cst.Attribute) else root.func
    if not isinstance(root, cst.Name) or module.scopes.get(root) is None:
        return None
    for assignment in module.scopes[root][root.value]:
        if not isinstance(assignment.scope, cst.metadata.GlobalScope) and isinstance(getattr(assignment, "node", None), (cst.Import, cst.ImportFrom)):
            return root.value
    return None


def _global_names(module: _Module) -> set[str]:
    """Module-level names some function rebinds with ``global``: not constants."""
    out: set[str] = set()

    class Globals(cst.CSTVisitor):
        def visit_Global(self, node):
            out.update(n.name.value for n in node.names)

    module.tree.visit(Globals())
    return out


def _varying_part(module: _Module, call, aliases: dict | None = None) -> str | None:
    """The first part of the call (callee or argument) that is not fixed for the environment's
    life, as source text; None when everything is. A local assigned once, before the call, from
    a fixed value (``ssm = SSM_CLIENT``) is fixed too: it goes into ``aliases`` (Name -> value),
    to be replaced by its value when the code moves."""
    rebound = _global_names(module)
    aliases = {} if aliases is None else aliases
    call_start = module.positions[call].start

    def local_alias(name) -> bool:
        scope = module.scopes.get(name)
        if scope is None or isinstance(scope, cst.metadata.GlobalScope):
            return False
        assignments = list(scope[name.value])
        if len(assignments) != 1 or isinstance(assignments[0].scope, cst.metadata.GlobalScope):
            return False
        target = assignments[0].node
        holder = module.parents.get(module.parents.get(target))
        if not (isinstance(target, cst.Name) and isinstance(holder, cst.Assign) and len(holder.targets) == 1):
            return False
        if holder.targets[0].target is not target or (module.positions[holder].end.line, module.positions[holder].end.column) > (call_start.line, call_start.column):
            return False
        if not fixed(holder.value):
            return False
        aliases[name] = holder.value
        return True

    def module_level(name) -> bool:
        scope = module.scopes.get(name)
        if scope is None:
            return False
        assignments = list(scope[name.value])
        if not assignments or name.value in rebound:
            return False
        return all(isinstance(a.scope, cst.metadata.GlobalScope) and not isinstance(a, cst.metadata.BuiltinAssignment) for a in assignments)

    def fixed(node) -> bool:
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, cst.ConcatenatedString):
            return fixed(node.left) and fixed(node.right)
        if isinstance(node, cst.FormattedString):
            return all(fixed(p.expression) for p in node.parts if isinstance(p, cst.FormattedStringExpression))
        if isinstance(node, cst.Name):
            return node.value in ("True", "False", "None") or module_level(node) or local_alias(node)
        if isinstance(node, cst.Attribute):
            return fixed(node.value)
        if isinstance(node, cst.Subscript):
            return fixed(node.value) and all(
                isinstance(s.slice, cst.Index) and fixed(s.slice.value) for s in node.slice
            )
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            return all(fixed(e.value) for e in node.elements)
        if isinstance(node, cst.Dict):
            return all(isinstance(e, cst.DictElement) and fixed(e.key) and fixed(e.value) for e in node.elements)
        if isinstance(node, cst.BinaryOperation):
            return fixed(node.left) and fixed(node.right)
        if isinstance(node, cst.Call):
            name = _qualname(module, node)
            return (name in CONSTANT_CALLS or name.endswith(".Config")) and fixed(node.func) and all(fixed(a.value) for a in node.args)
        return False

    if not fixed(call.func):
        return module.code(call.func)
    for arg in call.args:
        if not fixed(arg.value):
            return module.code(arg.value)
    return None


def _bound_local(module: _Module, call) -> str | None:
    """``x`` when the call's result is assigned to a plain name: ``x = boto3.client(...)``."""
    parent = module.parents.get(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        return parent.targets[0].target.value
    if isinstance(parent, cst.AnnAssign) and isinstance(parent.target, cst.Name):
        return parent.target.value
    return None


def _closed_later(module: _Module, function, local: str) -> bool:
    """Whether the function closes ``local`` (``x.close()``, ``with x:``, ``closing(x)``)."""
    found = []

    class Closes(cst.CSTVisitor):
        def visit_Call(self, node):
            f = node.func
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and f.value.value == local and f.attr.value in CLOSERS:
                found.append(node)
            if isinstance(f, (cst.Name, cst.Attribute)) and module.code(f).endswith("closing"):
                if any(isinstance(a.value, cst.Name) and a.value.value == local for a in node.args):
                    found.append(node)

        def visit_WithItem(self, node):
            if isinstance(node.item, cst.Name) and node.item.value == local:
                found.append(node)

    function.visit(Closes())
    return bool(found)


def _client_name(module: _Module, call) -> str:
    func = call.func
    made = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    service = None
    for arg in call.args:
        if (arg.keyword is None and arg is call.args[0]) or (arg.keyword is not None and arg.keyword.value == "service_name"):
            if isinstance(arg.value, cst.SimpleString):
                service = arg.value.evaluated_value
    if made == "get_session":
        return "BOTOCORE_SESSION"
    if made[:1].isupper() and not made.lower().endswith(("session", "client", "resource")):
        # a project class that builds a client (S3Helper(logger)): name the constant after it
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", made).upper()
    if made.lower().endswith("session"):
        return "AWS_SESSION"
    noun = "RESOURCE" if made == "resource" else "CLIENT"
    if isinstance(service, str) and re.fullmatch(r"[A-Za-z0-9-]+", service):
        return f"{service.upper().replace('-', '_')}_{noun}"
    return f"AWS_{noun}"


# ------------------------------------------------------------------ edits


def _names_in_module(module: _Module) -> set[str]:
    names: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, node):
            names.add(node.value)

    module.tree.visit(Names())
    return names


def _free_name(module: _Module, base: str) -> str:
    taken = _names_in_module(module)
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def _same_code(a: str, b: str) -> bool:
    import ast

    try:
        return ast.dump(ast.parse(a.strip(), mode="eval")) == ast.dump(ast.parse(b.strip(), mode="eval"))
    except SyntaxError:
        return False


def _existing_constant(module: _Module, call) -> str | None:
    """A module-level ``NAME = <the same call>`` nobody rebinds: reuse it instead of a second one."""
    wanted = module.code(call)
    rebound = _global_names(module)
    for stmt in module.tree.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                name = small.targets[0].target.value
                if name not in rebound and isinstance(small.value, cst.Call) and _same_code(module.code(small.value), wanted):
                    return name
    return None


def _anchor(module: _Module, call) -> tuple[int, bool]:
    """Where module-level code for ``call`` goes: the offset just after the last import, the last
    statement defining a name the call reads, and the last module-level client made before the
    first function; and whether that statement is an import (then a blank line separates)."""
    wanted: set[str] = set()

    class Reads(cst.CSTVisitor):
        def visit_Name(self, node):
            wanted.add(node.value)

        def visit_Attribute(self, node):
            node.value.visit(self)  # `x.client` reads x, not a name `client`
            return False

    call.visit(Reads())
    best = None
    best_is_import = False
    seen_def = False
    for stmt in module.tree.body:
        is_def = isinstance(stmt, (cst.FunctionDef, cst.ClassDef))
        seen_def = seen_def or is_def
        imports = _imports_in(stmt)
        binds = _binds(stmt) & wanted
        client = not seen_def and _assigns_client(stmt)
        if imports or binds or client:
            best = stmt
            best_is_import = bool(imports) and not client
    if best is None:
        return 0, False
    end = module.positions[best].end.line
    offset = module.line_starts[end] if end < len(module.line_starts) else len(module.text)
    return offset, best_is_import


def _imports_in(stmt) -> bool:
    if isinstance(stmt, cst.SimpleStatementLine):
        return any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)
    if isinstance(stmt, (cst.Try, cst.If)):
        return any(_imports_in(s) for s in stmt.body.body)
    return False


def _binds(stmt) -> set[str]:
    out: set[str] = set()
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return {stmt.name.value}
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                for t in small.targets:
                    out |= {n.value for n in _names(t.target)}
            elif isinstance(small, cst.AnnAssign):
                out |= {n.value for n in _names(small.target)}
            elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if alias.asname is not None:
                        out |= {n.value for n in _names(alias.asname.name)}
                    else:
                        root = alias.name
                        while isinstance(root, cst.Attribute):
                            root = root.value
                        out.add(root.value)
        return out
    if isinstance(stmt, (cst.Try, cst.If, cst.With, cst.For, cst.While)):
        for inner in stmt.body.body:
            out |= _binds(inner)
        if isinstance(stmt, cst.Try):
            for handler in stmt.handlers:
                for inner in handler.body.body:
                    out |= _binds(inner)
        if isinstance(stmt, cst.If) and stmt.orelse is not None:
            orelse = stmt.orelse
            out |= _binds(orelse) if isinstance(orelse, cst.If) else {n for s in orelse.body.body for n in _binds(s)}
    return out


def _names(node):
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for e in node.elements for n in _names(e.value)]
    return []


def _assigns_client(stmt) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call):
            func = small.value.func
            if isinstance(func, cst.Attribute) and func.attr.value in ("client", "resource", "Session", "create_client"):
                return True
    return False


def _moved_code(module: _Module, call) -> str:
    """The call's source for module level. libcst renders continuation lines relative to the
    enclosing block, so the code reads right at column 0 and string literals stay byte-exact."""
    return module.code(call)


def _substituted(call, aliases: dict):
    """The call with each local alias replaced by its value (``ssm.get_parameter`` ->
    ``SSM_CLIENT.get_parameter`` after ``ssm = SSM_CLIENT``)."""
    if not aliases:
        return call

    class Inline(cst.CSTTransformer):
        def leave_Name(self, original, updated):
            if original in aliases:
                return _substituted(aliases[original], aliases).with_changes(lpar=(), rpar=())
            return updated

    return call.visit(Inline())


def _call_edit(module: _Module, call, replacement: str) -> Edit:
    r = module.positions[call]
    return Edit(module.offset(r.start.line, r.start.column), module.offset(r.end.line, r.end.column), replacement)


def _constant(module: _Module, call, moved, base: str, applicability: str, finding) -> Fix:
    existing = _existing_constant(module, moved)
    path = finding.location.path
    if existing:
        return Fix(path, (_call_edit(module, call, existing),), applicability, f"Use the module-level `{existing}` instead of building a new one per invocation")
    name = _free_name(module, base)
    offset, after_import = _anchor(module, moved)
    nl = module.newline
    statement = f"{name} = {_moved_code(module, moved)}{nl}"
    insert = Edit(offset, offset, (nl if after_import else "") + statement)
    return Fix(path, (insert, _call_edit(module, call, name)), applicability, f"Create `{name}` once at module level and reuse it across invocations")


CALL_PLACEHOLDER = "__lambdalint_call__"


def _insert_definitions(module: _Module, moved, block: str) -> Edit:
    """Insert ``block`` (module-level names and a getter function) where the moved call can see
    everything it reads; a function wants two blank lines after it, so add what the file lacks."""
    nl = module.newline
    offset, _ = _anchor(module, moved)
    following = module.text[offset:]
    blank = len(following) - len(following.lstrip("\r\n"))
    blank = following[:blank].count("\n") or following[:blank].count("\r")
    trailer = "" if not following.strip() else nl * max(0, 2 - blank)
    return Edit(offset, offset, block + trailer)


def _render_getter(module: _Module, source: str, moved) -> str:
    """A getter function written from ``source``, with the moved call in place of
    ``CALL_PLACEHOLDER``, rendered by the module itself (its indentation and newlines, the
    call's text unchanged)."""

    class PutCall(cst.CSTTransformer):
        def leave_Name(self, original, updated):
            return moved if original.value == CALL_PLACEHOLDER else updated

    return module.code(cst.parse_statement(source).visit(PutCall()))


def _lazy_connection(module: _Module, call, moved, qualname: str, finding) -> Fix:
    nl = module.newline
    getter_base = "get_db_connection"
    # reuse a getter made by an earlier fix for the same call
    wanted = module.code(moved)
    for stmt in module.tree.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value.startswith(getter_base) and wanted.strip() and _contains_call(module, stmt, wanted):
            return Fix(finding.location.path, (_call_edit(module, call, f"{stmt.name.value}()"),), UNSAFE, f"Reuse the connection from `{stmt.name.value}()`")
    getter = _free_name(module, getter_base)
    holder = _free_name(module, "_" + getter[len("get_") :])
    guard = STALE_GUARDS[qualname].format(name=holder)
    function = _render_getter(
        module,
        f"def {getter}():\n"
        f'    """Open the connection once per execution environment; reopen it when it was closed."""\n'
        f"    global {holder}\n"
        f"    if {guard}:\n"
        f"        {holder} = {CALL_PLACEHOLDER}\n"
        f"    return {holder}\n",
        moved,
    )
    insert = _insert_definitions(module, moved, f"{nl}{holder} = None{nl}{nl}{nl}{function}")
    return Fix(finding.location.path, (insert, _call_edit(module, call, f"{getter}()")), UNSAFE, f"Open the connection lazily in `{getter}()`, once per execution environment, with a reconnect guard")


def _contains_call(module: _Module, stmt, wanted: str) -> bool:
    hits = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node):
            if _same_code(module.code(node), wanted):
                hits.append(node)

    stmt.visit(Calls())
    return bool(hits)
