"""One pass over a JavaScript/TypeScript module's syntax tree: the facts the code rules need.

Module level is init scope. Every named function, arrow function bound to a name, and class
method is a routine; anonymous functions inside a routine (callbacks, promise chains) count as
part of it. The exports say which routines a configured handler (``index.handler``) names,
looking through wrappers such as ``middy(handler).use(...)``. Calls are resolved through
``require``/``import`` to ``module:path`` targets that analysis/catalog_js.py classifies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import catalog_js
from .codefacts import CONFIG_FETCH, Routine, Use, point

FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration", "function_expression", "function", "generator_function", "arrow_function"})
CLASSES = frozenset({"class_declaration", "class", "abstract_class_declaration"})
FIELDS = frozenset({"field_definition", "public_field_definition"})
# wrappers whose function argument runs once (or once per argument set): lodash/underscore,
# memoizee, p-memoize, mem, once
MEMOIZERS = frozenset({"once", "memoize", "memoizee", "pMemoize", "mem", "memoizeOne", "onetime"})
# exported names that look like Lambda entry points when no template names the handler
HANDLER_NAMES = frozenset({"handler", "lambdaHandler", "lambda_handler", "main"})
# a call into a local module: "import:<specifier>:<exported name or Class.method>", resolved
# against the other module's facts when the project is linked (analysis/js_java_scope.py)
IMPORTED = "import:"


def imported_call(module: str, name: str) -> str:
    return f"{IMPORTED}{module}:{name}"


@dataclass
class ScriptFacts:
    path: str
    routines: dict[str, Routine] = field(default_factory=dict)
    init_uses: list[Use] = field(default_factory=list)
    exports: dict[str, list[str]] = field(default_factory=dict)  # exported name -> routines it runs
    # first `require("aws-sdk")` / `import ... from "aws-sdk"`: (line, column, end line, end column)
    sdk_v2_import: tuple[int, int, int, int] | None = None
    bundles_sdk_v2: bool = False  # the file is a bundle with aws-sdk's own code inside
    database_evidence: bool = False  # uses a relational database driver
    relative_imports: list[str] = field(default_factory=list)  # "./lib/db": local modules it loads
    # exports built in ways the walk cannot list (`export * from`, `module.exports = require(...)`)
    opaque_exports: bool = False
    assigned_exports: set[str] = field(default_factory=set)  # every `exports.x = ...`, wherever it is
    # routine ("" = init scope) -> classes it instantiates outside a lazy-init guard, as call
    # targets ("Repo.constructor", "import:./repo:Repo.constructor"): an object built per call
    constructs: dict[str, list[str]] = field(default_factory=dict)
    # (routine, callee) -> where the routine first calls it and how the call reads: findings in
    # other modules are reported at the handler module's call that leads there
    call_sites: dict[tuple[str, str], tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)
    call_sites_all: dict[tuple[str, str], list[tuple[tuple[int, int, int, int], str]]] = field(default_factory=dict)  # every call

    def handler_candidates(self, extra_names: tuple[str, ...] = ()) -> list[str]:
        """Exports that look like Lambda entry points by name and parameters (`(event, context)`)."""
        out = []
        for name, roots in self.exports.items():
            if not (name in HANDLER_NAMES or name.endswith("Handler") or name in extra_names):
                continue
            routine = self.routines.get(roots[0]) if roots else None
            if routine and routine.params and ("event" in routine.params[0].lower() or routine.params[1:2] in (("context",), ("ctx",), ("_context",))):
                out.append(name)
        return sorted(out)


def collect(path: str, tree, source: bytes) -> ScriptFacts:
    return _Walker(path, source).run(tree.root_node)


def _text(node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _unwrap(node):
    while node is not None and node.type in ("parenthesized_expression", "await_expression", "non_null_expression", "as_expression", "satisfies_expression", "type_assertion"):
        node = node.named_children[0] if node.named_children else None
    return node


def _string_value(node, source: bytes) -> str | None:
    if node is not None and node.type == "string":
        return _text(node, source)[1:-1]
    if node is not None and node.type == "template_string" and node.named_child_count == 0:
        return _text(node, source)[1:-1]
    return None


@dataclass
class _Scope:
    routine: Routine | None  # None: init scope
    cls: str | None = None  # enclosing class, for `this.x()`
    guarded: bool = False
    types: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name -> ("class", C) | ("sdk", service)
    instance: bool = False  # the guard is on `this` only: it caches per object


class _Walker:
    def __init__(self, path: str, source: bytes):
        self.source = source
        self.facts = ScriptFacts(path)
        self.imports: dict[str, tuple[str, str]] = {}  # local name -> (module, path)
        self.long_lived: set[str] = set()  # module-level variables
        self.classes: set[str] = set()
        self.functions: dict[str, list[str]] = {}  # module-level name -> routines it runs
        self.types: dict[str, tuple[str, str]] = {}  # module-level variable -> ("class", C) | ("sdk", service)
        self.names: dict[int, str] = {}  # start byte of a function literal -> the routine name it gets
        self.wrappers: list[tuple[str, object]] = []  # (name, call): `const handler = middy(base)`
        self.memoized: set[str] = set()  # module-level functions wrapped in once()/memoize(): not per invocation
        # names bound to this module's own exports (`const utils = module.exports`): a call
        # `utils.f()` runs the module's exported `f`, like `exports.f()` does
        self.own_exports: set[str] = {"exports", "module.exports"}
        self.varying_locals: dict[int, set[str]] = {}  # id(routine) -> locals computed from its parameters
        self.field_types: dict[tuple[str, str], tuple[str, str]] = {}  # (class, field) -> type, from `this.f = new X()`
        self.site = None  # the call or `new` expression being walked, for call_sites

    # ------------------------------------------------------------ module
    def run(self, root) -> ScriptFacts:
        statements = [self._declaration(s) for s in root.named_children]
        for stmt in statements:
            self._prepass(stmt)
        for local, call in self.wrappers:
            self.functions[local] = self._wrapped(call)
        for stmt in root.named_children:
            self._exports(stmt)
        init = _Scope(None)
        for stmt in root.named_children:
            self.statement(stmt, init)
        text = self.source
        self.facts.bundles_sdk_v2 = b"node_modules/aws-sdk/" in text or b"aws-sdk/lib/core" in text
        return self.facts

    @staticmethod
    def _declaration(stmt):
        if stmt.type == "export_statement":
            inner = stmt.child_by_field_name("declaration")
            if inner is not None:
                return inner
        return stmt

    def _prepass(self, stmt) -> None:
        """Imports, module-level names, functions and classes, before any body is walked."""
        kind = stmt.type
        source = self.source
        if kind == "import_statement":
            self._import(stmt)
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = stmt.child_by_field_name("name")
            if name is not None:
                self.functions[_text(name, source)] = [_text(name, source)]
        elif kind in CLASSES:
            name = stmt.child_by_field_name("name")
            if name is not None:
                self.classes.add(_text(name, source))
        elif kind in ("lexical_declaration", "variable_declaration"):
            for declarator in stmt.named_children:
                if declarator.type != "variable_declarator":
                    continue
                name = declarator.child_by_field_name("name")
                value = _unwrap(declarator.child_by_field_name("value"))
                module = self._required_module(value)
                if module is not None:
                    self._bind_require(name, module)
                    continue  # the walk notes the module when it meets the require call
                if name is None or name.type != "identifier":
                    if name is not None:
                        self.long_lived.update(_text(n, source) for n in _pattern_names(name))
                    continue
                local = _text(name, source)
                if value is not None and _text(value, source).replace(" ", "") in ("module.exports", "exports"):
                    self.own_exports.add(local)
                    continue
                if value is not None and value.type in FUNCTIONS:
                    self.functions[local] = [local]
                    self.names[value.start_byte] = local
                    continue
                self.long_lived.add(local)
                if value is not None and value.type == "new_expression":
                    kind_of = self._new_type(value)
                    if kind_of:
                        self.types[local] = kind_of
                if value is not None and value.type == "call_expression":
                    inline = self._inline_functions(value)
                    callee = value.child_by_field_name("function")
                    if inline and callee is not None and _text(callee, source).rsplit(".", 1)[-1] in MEMOIZERS:
                        self.memoized.add(local)  # `const getClient = once(() => new S3Client())`
                        self._name_literals(inline, local)
                    elif inline:
                        self.functions[local] = self._name_literals(inline, local)
                    else:
                        self.wrappers.append((local, value))

    def _import(self, stmt) -> None:
        source = self.source
        module = _string_value(stmt.child_by_field_name("source"), source)
        if module is None:
            # TypeScript `import AWS = require("aws-sdk")`
            for child in stmt.named_children:
                if child.type == "import_require_clause":
                    name = child.named_children[0] if child.named_children else None
                    mod = _string_value(child.child_by_field_name("source"), source)
                    if name is not None and mod is not None:
                        self.imports[_text(name, source)] = (mod, "")
                        self._note_module(mod, stmt)
            return
        type_only = _text(stmt, source).startswith(("import type ", "import type{"))
        if not type_only:
            self._note_module(module, stmt)
        for clause in stmt.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":  # default import
                    self.imports[_text(part, source)] = (module, "")
                elif part.type == "namespace_import":
                    for ident in part.named_children:
                        self.imports[_text(ident, source)] = (module, "")
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        if name is not None:
                            imported = _text(name, source)
                            self.imports[_text(alias, source)] = (module, "" if imported == "default" else imported)

    def _note_module(self, module: str, node) -> None:
        if module.startswith(".") and module not in self.facts.relative_imports:
            self.facts.relative_imports.append(module)
        if catalog_js.is_sdk_v2(module) and self.facts.sdk_v2_import is None:
            self.facts.sdk_v2_import = point(node, self.source)
        if module in catalog_js.DATABASE_MODULES:
            self.facts.database_evidence = True

    def _required_module(self, value) -> str | None:
        """``require("m")``, or a wrapper around it (``AWSXRay.captureAWS(require("aws-sdk"))``)."""
        value = _unwrap(value)
        if value is None or value.type != "call_expression":
            return None
        callee = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if callee is not None and callee.type == "identifier" and _text(callee, self.source) == "require":
            first = args.named_children[0] if args is not None and args.named_children else None
            return _string_value(first, self.source)
        if args is not None and len(args.named_children) == 1:
            return self._required_module(args.named_children[0])
        return None

    def _bind_require(self, name, module: str) -> None:
        source = self.source
        if name is None:
            return
        if name.type == "identifier":
            self.imports[_text(name, source)] = (module, "")
        elif name.type == "object_pattern":
            for prop in name.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    self.imports[_text(prop, source)] = (module, _text(prop, source))
                elif prop.type == "pair_pattern":
                    key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                    if key is not None and value is not None and value.type == "identifier":
                        self.imports[_text(value, source)] = (module, _text(key, source))

    # ------------------------------------------------------------ exports
    def _exports(self, stmt) -> None:
        source = self.source
        exports = self.facts.exports
        if stmt.type == "export_statement":
            declaration = stmt.child_by_field_name("declaration")
            if declaration is not None:
                if declaration.type in ("function_declaration", "generator_function_declaration"):
                    name = _text(declaration.child_by_field_name("name"), source)
                    exports[name] = [name]
                    if any(c.type == "default" for c in stmt.children):
                        exports["default"] = [name]  # export default function helper() {}
                elif declaration.type in ("lexical_declaration", "variable_declaration"):
                    for declarator in declaration.named_children:
                        name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
                        if name is not None and name.type == "identifier":
                            exports[_text(name, source)] = self.functions.get(_text(name, source), [])
                elif declaration.type in CLASSES:
                    name = declaration.child_by_field_name("name")
                    if name is not None:
                        exports[_text(name, source)] = []
                return
            if stmt.child_by_field_name("source") is not None and not any(c.type == "export_clause" for c in stmt.named_children):
                self.facts.opaque_exports = True  # export * from "./x"
            value = stmt.child_by_field_name("value")
            if value is not None:  # export default <expression>
                exports["default"] = self._export_value(value, "default")
                return
            for clause in stmt.named_children:
                if clause.type == "export_clause":
                    for spec in clause.named_children:
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias") or name
                        if name is not None:
                            exports[_text(alias, source)] = self.functions.get(_text(name, source), [])
            return
        if stmt.type == "export_assignment" or (stmt.type == "expression_statement" and b"(exports" in self.source[stmt.start_byte : stmt.end_byte].replace(b"module.exports", b"exports")):
            self.facts.opaque_exports = True  # `export = x`, `Object.assign(module.exports, ...)`
        if stmt.type != "expression_statement" or not stmt.named_children:
            return
        assignment = stmt.named_children[0]
        if assignment.type != "assignment_expression":
            return
        left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        target = _text(left, source).replace(" ", "") if left is not None else ""
        if target in ("module.exports", "exports") and right is not None and right.type == "object":
            for prop in right.named_children:
                if prop.type == "shorthand_property_identifier":
                    name = _text(prop, source)
                    exports[name] = self.functions.get(name, [])
                elif prop.type == "pair":
                    key, value = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                    if key is not None and value is not None:
                        name = _text(key, source).strip("'\"")
                        exports[name] = self._export_value(value, name)
                elif prop.type == "method_definition":
                    name = _text(prop.child_by_field_name("name"), source)
                    exports[name] = self._name_literals([prop], name)
        elif target.startswith(("exports.", "module.exports.")) and target.count(".") == (1 if target.startswith("exports.") else 2):
            name = target.rsplit(".", 1)[1]
            if right is not None:
                exports[name] = self._export_value(right, name)
        elif target in ("module.exports", "exports") or target.startswith(("exports[", "module.exports[")):
            self.facts.opaque_exports = True

    def _export_value(self, value, name: str) -> list[str]:
        """The routines an exported value runs: a function (named after the export), a module-level
        function, or the functions handed to a wrapper (`middy(fn)`, `Sentry.wrapHandler(fn)`)."""
        value = _unwrap(value)
        if value is None:
            return []
        if value.type in FUNCTIONS:
            return self._name_literals([value], name)
        if value.type == "identifier":
            return self.functions.get(_text(value, self.source), [])
        if value.type == "call_expression":
            inline = self._inline_functions(value)
            return self._name_literals(inline, name) if inline else self._wrapped(value)
        return []

    def _name_literals(self, literals, name: str) -> list[str]:
        out = []
        for i, literal in enumerate(literals):
            qualname = self.names.setdefault(literal.start_byte, name if i == 0 else f"{name}#{i + 1}")
            out.append(qualname)
        return out

    def _wrapped(self, call) -> list[str]:
        out: list[str] = []
        while call is not None and call.type == "call_expression":
            args = call.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else ():
                arg = _unwrap(arg)
                if arg is not None and arg.type == "identifier":
                    out.extend(self.functions.get(_text(arg, self.source), []))
                elif arg is not None and arg.type == "call_expression":
                    out.extend(self._wrapped(arg))
            callee = call.child_by_field_name("function")
            call = callee.child_by_field_name("object") if callee is not None and callee.type == "member_expression" else None
        return out

    def _inline_functions(self, call) -> list:
        """Function literals handed to a wrapper call chain (`middy(async (event) => {...}).use(x)`)."""
        found = []
        while call is not None and call.type == "call_expression":
            args = call.child_by_field_name("arguments")
            for arg in args.named_children if args is not None else ():
                arg = _unwrap(arg)
                if arg is not None and arg.type in FUNCTIONS:
                    found.append(arg)
                elif arg is not None and arg.type == "call_expression":
                    found.extend(self._inline_functions(arg))
            callee = call.child_by_field_name("function")
            call = callee.child_by_field_name("object") if callee is not None and callee.type == "member_expression" else None
        return found

    # ------------------------------------------------------------ routines
    def new_routine(self, qualname: str, node, params_node=None) -> Routine:
        line, column, _, _ = point(node, self.source)
        existing = self.facts.routines.get(qualname)
        if existing is not None:
            return existing
        routine = Routine(qualname, line, column, self._params(params_node))
        self.facts.routines[qualname] = routine
        return routine

    def _params(self, params) -> tuple[str, ...]:
        if params is None:
            return ()
        if params.type == "identifier":
            return (_text(params, self.source),)
        out = []
        for p in params.named_children:
            target = p.child_by_field_name("pattern") if p.type in ("required_parameter", "optional_parameter") else p
            out.append(_text(target, self.source) if target is not None else "")
        return tuple(out)

    def function_body(self, qualname: str, fn, cls: str | None = None) -> None:
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        routine = self.new_routine(qualname, fn, params)
        body = fn.child_by_field_name("body")
        if body is not None:
            self.statement(body, _Scope(routine, cls))

    # ------------------------------------------------------------ statements
    def statement(self, node, scope: _Scope) -> None:
        kind = node.type
        source = self.source
        if kind in ("statement_block", "program", "class_body"):
            self.block(node.named_children, scope)
            return
        if kind == "export_statement":
            for child in node.named_children:
                self.statement(child, scope)
            return
        if kind in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if scope.routine is None and name is not None:
                self.function_body(_text(name, source), node)
            else:
                self.expression(node.child_by_field_name("body"), scope)
            return
        if kind in CLASSES:
            self.class_body(node, scope)
            return
        if kind in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                if declarator.type == "variable_declarator":
                    self.declarator(declarator, scope)
            return
        if kind == "if_statement":
            condition = node.child_by_field_name("condition")
            self.expression(condition, scope)
            guard = self.is_missing_test(condition, scope)
            consequence = node.child_by_field_name("consequence")
            if consequence is not None:
                self.statement(consequence, self._guarded(scope, condition) if guard else scope)
            alternative = node.child_by_field_name("alternative")
            if alternative is not None:
                self.statement(alternative, scope)
            return
        if kind in ("import_statement", "comment", "empty_statement", "debugger_statement"):
            return
        self.expression(node, scope)

    def block(self, statements, scope: _Scope) -> None:
        for stmt in statements:
            self.statement(stmt, scope)
            # `if (client) return client;`: what follows runs only while the cache is empty
            if stmt.type == "if_statement" and not scope.guarded and self._returns(stmt.child_by_field_name("consequence")):
                condition = stmt.child_by_field_name("condition")
                if self.is_present_test(condition, scope):
                    scope = self._guarded(scope, condition)

    @staticmethod
    def _returns(node) -> bool:
        if node is None:
            return False
        if node.type in ("return_statement", "throw_statement"):
            return True
        return node.type == "statement_block" and node.named_child_count > 0 and node.named_children[-1].type in ("return_statement", "throw_statement")

    def declarator(self, declarator, scope: _Scope) -> None:
        name = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if value is None:
            return
        source = self.source
        bare = _unwrap(value)
        if scope.routine is not None and name is not None and name.type == "identifier" and bare is not None and bare.type == "new_expression":
            kind_of = self._new_type(bare)
            if kind_of:
                scope.types[_text(name, source)] = kind_of
        stored = _text(name, source) if scope.routine is None and name is not None and name.type == "identifier" else None
        if scope.routine is not None and name is not None and _mentions(value, self._varying_names(scope.routine), source):
            # `const region = arn.split(":")[3]`: the local varies with the invocation's input too
            self.varying_locals.setdefault(id(scope.routine), set()).update(_text(n, source) for n in _pattern_names(name))
        self.expression(value, scope, stored)

    def _field_type(self, node, scope: _Scope) -> tuple[str, str] | None:
        """The class of `this.f` when the class sets `this.f = new C()` (or `f = new C()`)."""
        if node is None or node.type != "member_expression" or not scope.cls:
            return None
        inner = _unwrap(node.child_by_field_name("object"))
        prop = node.child_by_field_name("property")
        if inner is None or inner.type != "this" or prop is None:
            return None
        known = self.field_types.get((scope.cls, _text(prop, self.source)))
        return known if known is not None and known[0] in ("class", "imported-class") else None

    def _note_field_types(self, cls: str, body) -> None:
        """(class, field) -> type for each `this.f = new C()` and `f = new C()` in the class body,
        before its methods are walked (a method may come before the constructor)."""
        stack = list(body.named_children)
        while stack:
            node = stack.pop()
            if node.type in CLASSES:
                continue  # another class's `this`
            left = value = None
            if node.type == "assignment_expression":
                left, value = node.child_by_field_name("left"), node.child_by_field_name("right")
                obj = _unwrap(left.child_by_field_name("object")) if left is not None and left.type == "member_expression" else None
                left = left.child_by_field_name("property") if obj is not None and obj.type == "this" else None
            elif node.type in FIELDS:
                left, value = node.child_by_field_name("property") or node.child_by_field_name("name"), node.child_by_field_name("value")
            value = _unwrap(value)
            if left is not None and value is not None and value.type == "new_expression":
                kind_of = self._new_type(value)
                if kind_of:
                    self.field_types[cls, _text(left, self.source)] = kind_of
            stack.extend(node.named_children)

    def _varying_names(self, routine: Routine) -> set[str]:
        return set(routine.params) | self.varying_locals.get(id(routine), set())

    def class_body(self, node, scope: _Scope) -> None:
        source = self.source
        name_node = node.child_by_field_name("name")
        cls = _text(name_node, source) if name_node is not None else f"<class@{node.start_point[0] + 1}>"
        body = node.child_by_field_name("body")
        if body is None:
            return
        self._note_field_types(cls, body)
        constructor = None
        for member in body.named_children:
            if member.type == "method_definition":
                method = member.child_by_field_name("name")
                if method is None:
                    continue
                qualname = f"{cls}.{_text(method, source)}"
                self.function_body(qualname, member, cls)
            elif member.type in FIELDS:
                value = member.child_by_field_name("value")
                if value is None:
                    continue
                if any(c.type == "static" for c in member.children):
                    self.expression(value, _Scope(None, cls))  # runs when the class is defined
                else:
                    if constructor is None:
                        constructor = self.new_routine(f"{cls}.constructor", member)
                    self.expression(value, _Scope(constructor, cls))
            elif member.type == "class_static_block":
                self.statement(member.child_by_field_name("body") or member, _Scope(None, cls))

    # ------------------------------------------------------------ expressions
    def expression(self, node, scope: _Scope, stored: str | None = None) -> None:
        if node is None:
            return
        stack = [(node, scope)]
        while stack:
            current, sc = stack.pop()
            kind = current.type
            if kind in FUNCTIONS or kind == "method_definition":
                body = current.child_by_field_name("body")
                if sc.routine is not None:
                    if body is not None:
                        stack.append((body, sc))  # callbacks run as part of the routine
                else:
                    name = self.names.get(current.start_byte) or f"<anonymous@{current.start_point[0] + 1}>"
                    self.function_body(name, current, sc.cls)
                continue
            if kind in CLASSES:
                self.class_body(current, sc)
                continue
            if kind in ("statement_block", "if_statement", "lexical_declaration", "variable_declaration"):
                self.statement(current, sc)
                continue
            if kind == "call_expression":
                self.site = current
                self.call(current, sc, stored)
                self.site = None
            elif kind == "new_expression":
                self.site = current
                self.new(current, sc, stored)
                self.site = None
            elif kind == "augmented_assignment_expression":
                operator = current.child_by_field_name("operator")
                op = _text(operator, self.source) if operator is not None else ""
                left = current.child_by_field_name("left")
                if op in ("??=", "||=") and self.is_long_lived(left, sc):
                    right = current.child_by_field_name("right")
                    if right is not None:
                        stack.append((right, self._guarded(sc, left)))
                    continue
            elif kind == "binary_expression":
                operator = current.child_by_field_name("operator")
                if operator is not None and _text(operator, self.source) in ("||", "??") and self.is_long_lived(current.child_by_field_name("left"), sc):
                    stack.append((current.child_by_field_name("left"), sc))
                    stack.append((current.child_by_field_name("right"), self._guarded(sc, current.child_by_field_name("left"))))
                    continue
            elif kind == "assignment_expression":
                left = current.child_by_field_name("left")
                target = _text(left, self.source).replace(" ", "") if left is not None else ""
                if target.startswith(("exports.", "module.exports.")):
                    # also inside `if` blocks or functions: LL002 must not call such an export missing
                    self.facts.assigned_exports.add(target.split(".")[-1])
                if sc.routine is not None and left is not None and self.is_long_lived(left, sc):
                    sc.routine.assigns.add(_text(left, self.source))
            for child in reversed(current.named_children):
                stack.append((child, sc))

    def resolve(self, node, scope: _Scope) -> tuple[str, str] | None:
        """(module, path) of an imported name or member chain, else None."""
        parts = []
        while node is not None and node.type == "member_expression":
            prop = node.child_by_field_name("property")
            parts.append(_text(prop, self.source) if prop is not None else "")
            node = node.child_by_field_name("object")
        node = _unwrap(node)
        if node is None:
            return None
        if node.type == "call_expression":
            module = self._required_module(node)
            if module is None:
                return None
            base = (module, "")
        elif node.type == "identifier":
            base = self.imports.get(_text(node, self.source))
            if base is None:
                return None
        else:
            return None
        path = ".".join([base[1]] + list(reversed(parts)) if base[1] else list(reversed(parts)))
        return base[0], path

    def _new_type(self, new) -> tuple[str, str] | None:
        constructor = new.child_by_field_name("constructor")
        if constructor is not None and constructor.type == "identifier" and _text(constructor, self.source) in self.classes:
            return ("class", _text(constructor, self.source))
        target = self.resolve(constructor, _Scope(None))
        if target:
            service = catalog_js.client_service(*target)
            if service:
                return ("sdk", service)
            if target[0].startswith(".") and target[1] and "." not in target[1]:
                return ("imported-class", imported_call(target[0], target[1]))
        return None

    def new(self, node, scope: _Scope, stored: str | None) -> None:
        constructor = node.child_by_field_name("constructor")
        source = self.source
        if constructor is None:
            return
        if constructor.type == "identifier" and _text(constructor, source) in self.classes:
            self.edge(scope, f"{_text(constructor, source)}.constructor")
            self.construct(scope, f"{_text(constructor, source)}.constructor")
            return
        target = self.resolve(constructor, scope)
        if target is None:
            return
        if target[0].startswith(".") and target[1] and "." not in target[1]:
            self.edge(scope, imported_call(target[0], f"{target[1]}.constructor"))
            self.construct(scope, imported_call(target[0], f"{target[1]}.constructor"))
            return
        kind = catalog_js.classify(target[0], target[1], "new")
        if kind:
            self.use(kind, f"new {_text(constructor, source)}()", node, scope, stored)

    def call(self, node, scope: _Scope, stored: str | None) -> None:
        source = self.source
        callee = _unwrap(node.child_by_field_name("function"))
        if callee is None:
            return
        args = node.child_by_field_name("arguments")
        for arg in args.named_children if args is not None else ():
            if arg.type == "identifier" and _text(arg, source) in self.functions:
                for routine in self.functions[_text(arg, source)]:
                    self.edge(scope, routine)  # a function handed over is called by the receiver
            elif arg.type == "identifier" and self.imports.get(_text(arg, source), ("", ""))[0].startswith("."):
                module, path = self.imports[_text(arg, source)]
                self.edge(scope, imported_call(module, path or "default"))
        if callee.type == "identifier":
            name = _text(callee, source)
            if name == "require":
                first = args.named_children[0] if args is not None and args.named_children else None
                module = _string_value(first, source)
                if module is not None:
                    self._note_module(module, node)
                return
            if name in self.functions:
                for routine in self.functions[name]:
                    self.edge(scope, routine)
                return
            target = self.imports.get(name)
            if target and target[0].startswith("."):
                self.edge(scope, imported_call(target[0], target[1] or "default"))
                return
            if target:
                kind = catalog_js.classify(target[0], target[1], "call")
                if kind:
                    self.use(kind, f"{name}()", node, scope, stored)
            return
        if callee.type != "member_expression":
            return
        obj = _unwrap(callee.child_by_field_name("object"))
        prop = callee.child_by_field_name("property")
        method = _text(prop, source) if prop is not None else ""
        if obj is not None and obj.type == "this" and scope.cls:
            self.edge(scope, f"{scope.cls}.{method}")
            return
        field_type = self._field_type(obj, scope)
        if field_type is not None:
            self.edge(scope, f"{field_type[1]}.{method}")  # `this.clients.getSqs()`, `this.clients = new Clients()`
            return
        if obj is not None and _text(obj, source).replace(" ", "") in self.own_exports and method in self.facts.exports:
            for routine in self.facts.exports[method]:
                self.edge(scope, routine)  # `exports.f()`, `utils.f()` with `utils = module.exports`
            return
        if obj is not None and obj.type == "identifier":
            name = _text(obj, source)
            if name in self.classes:
                self.edge(scope, f"{name}.{method}")
                return
            known = scope.types.get(name) or self.types.get(name)
            if known and known[0] == "class":
                self.edge(scope, f"{known[1]}.{method}")
                return
            if known and known[0] == "imported-class":
                self.edge(scope, f"{known[1]}.{method}")
                return
            if known and known[0] == "sdk" and catalog_js.config_method(known[1], method):
                self.use(CONFIG_FETCH, f"{name}.{method}()", node, scope, stored)
                return
        target = self.resolve(callee, scope)
        if target and target[0].startswith("."):
            if target[1] and target[1].count(".") <= 1:  # `lib.getClient()`, `Repo.create()`
                self.edge(scope, imported_call(target[0], target[1]))
            return
        if target:
            kind = catalog_js.classify(target[0], target[1], "call")
            if kind and target[1] in catalog_js.DOCUMENT_CLIENT_FACTORIES:
                # wrapping an existing client is cheap; only a client built in the argument costs
                first = _unwrap(args.named_children[0]) if args is not None and args.named_children else None
                kind = kind if first is not None and first.type == "new_expression" else None
            if kind:
                self.use(kind, f"{_text(callee, source)}()", node, scope, stored)

    def edge(self, scope: _Scope, callee: str) -> None:
        if scope.routine is not None and callee != scope.routine.qualname and callee not in scope.routine.calls:
            scope.routine.calls.append(callee)
        if scope.routine is not None and self.site is not None:
            site = self.site
            shown = _text(site.child_by_field_name("function") or site.child_by_field_name("constructor") or site, self.source)
            shown = ("new " if site.type == "new_expression" else "") + " ".join(shown.split())[:60] + "()"
            where = (point(site, self.source), shown)
            self.facts.call_sites.setdefault((scope.routine.qualname, callee), where)
            every = self.facts.call_sites_all.setdefault((scope.routine.qualname, callee), [])
            if where not in every:
                every.append(where)

    def use(self, kind: str, name: str, node, scope: _Scope, stored: str | None) -> None:
        line, column, end_line, end_column = point(node, self.source)
        uses = scope.routine.uses if scope.routine is not None else self.facts.init_uses
        if uses and uses[-1].kind == kind and (uses[-1].line, uses[-1].column) <= (line, column) and (end_line, end_column) <= (uses[-1].end_line, uses[-1].end_column):
            return  # `DynamoDBDocumentClient.from(new DynamoDBClient())`: one construction, one finding
        args = node.child_by_field_name("arguments")
        varying = bool(args is not None and scope.routine is not None and _mentions(args, self._varying_names(scope.routine), self.source))
        uses.append(Use(kind, name, line, column, end_line, end_column, cached=scope.guarded, stored_as=stored, varying=varying, instance_guard=scope.guarded and scope.instance, returned=_is_returned(node)))

    def construct(self, scope: _Scope, target: str) -> None:
        """Note an object built outside any lazy-init guard (at init, any object is built once)."""
        if scope.routine is None or not scope.guarded:
            key = scope.routine.qualname if scope.routine is not None else ""
            built = self.facts.constructs.setdefault(key, [])
            if target not in built:
                built.append(target)

    # ------------------------------------------------------------ lazy-init guards
    def _guarded(self, scope: _Scope, test) -> _Scope:
        """``scope`` behind the lazy-init guard ``test``; a guard inside another keeps the outer
        one's reach (a module-level cache wins over a per-object one)."""
        instance = scope.instance if scope.guarded else self._on_instance_only(test)
        return _Scope(scope.routine, scope.cls, True, scope.types, instance)

    def _on_instance_only(self, test) -> bool:
        """Whether the long-lived things ``test`` looks at are all fields of `this`."""
        stack, on_this = [test], False
        while stack:
            node = stack.pop()
            if node is None:
                continue
            if node.type == "this":
                on_this = True
            elif node.type == "identifier":
                name = _text(node, self.source)
                if name in self.long_lived or name in self.classes or name == "globalThis":
                    return False
            stack.extend(node.named_children)
        return on_this

    def is_long_lived(self, node, scope: _Scope) -> bool:
        """A module-level variable, a member of one (`cache[k]`, `cache.s3`), or `this.x` /
        `Class.x`: something that outlives one invocation."""
        node = _unwrap(node)
        while node is not None and node.type in ("member_expression", "subscript_expression"):
            node = _unwrap(node.child_by_field_name("object"))
        if node is None:
            return False
        if node.type == "this":
            return True
        if node.type == "identifier":
            name = _text(node, self.source)
            return (name in self.long_lived and name not in scope.types) or name in self.classes or name == "globalThis"
        return False

    def is_missing_test(self, condition, scope: _Scope) -> bool:
        """`!client`, `client == null`, `client === undefined`, `typeof client === "undefined"`,
        `!cache.has(k)`, `!(k in cache)`, `!cache[k]`, possibly combined with `||` / `&&`."""
        node = _unwrap(condition)
        if node is None:
            return False
        source = self.source
        if node.type == "unary_expression":
            operator = _text(node.child_by_field_name("operator"), source) if node.child_by_field_name("operator") else ""
            argument = _unwrap(node.child_by_field_name("argument"))
            if operator == "!" and argument is not None:
                if argument.type == "call_expression":
                    callee = argument.child_by_field_name("function")
                    return callee is not None and callee.type == "member_expression" and self.is_long_lived(callee.child_by_field_name("object"), scope)
                if argument.type == "binary_expression" and _text(argument.child_by_field_name("operator"), source) == "in":
                    return self.is_long_lived(argument.child_by_field_name("right"), scope)
                return self.is_long_lived(argument, scope)
            return False
        if node.type == "binary_expression":
            operator = _text(node.child_by_field_name("operator"), source)
            left, right = _unwrap(node.child_by_field_name("left")), _unwrap(node.child_by_field_name("right"))
            if operator in ("||", "&&"):
                return self.is_missing_test(left, scope) or self.is_missing_test(right, scope)
            if operator in ("==", "===") and left is not None and right is not None:
                for subject, other in ((left, right), (right, left)):
                    empty = other.type in ("null", "undefined") or _text(other, source) in ("undefined", "null", "'undefined'", '"undefined"')
                    if subject.type == "unary_expression" and _text(subject, source).startswith("typeof"):
                        subject = subject.child_by_field_name("argument")
                    if empty and self.is_long_lived(subject, scope):
                        return True
        return False

    def is_present_test(self, condition, scope: _Scope) -> bool:
        """`if (client)` / `if (cache.has(k))` / `if (client !== undefined)` before a `return`."""
        node = _unwrap(condition)
        if node is None:
            return False
        if self.is_long_lived(node, scope):
            return True
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            return callee is not None and callee.type == "member_expression" and self.is_long_lived(callee.child_by_field_name("object"), scope)
        if node.type == "binary_expression":
            operator = _text(node.child_by_field_name("operator"), self.source)
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if operator == "&&":
                return self.is_present_test(left, scope) or self.is_present_test(right, scope)
            if operator in ("!=", "!=="):
                return self.is_long_lived(left, scope) or self.is_long_lived(right, scope)
        return False


def _is_returned(node) -> bool:
    """Whether the value of ``node`` is what its function returns (`return new S3Client()`, or an
    arrow function's expression body): the function is a factory."""
    child, parent = node, node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "await_expression", "as_expression", "satisfies_expression", "non_null_expression"):
        child, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "return_statement":
        return True
    body = parent.child_by_field_name("body") if parent.type == "arrow_function" else None
    return body is not None and body.start_byte == child.start_byte and body.end_byte == child.end_byte


def _mentions(node, names: set[str], source: bytes) -> bool:
    """Whether an identifier in ``node`` is one of ``names`` (the handler's `event`, say)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier") and _text(current, source) in names:
            return True
        stack.extend(current.named_children)
    return False


def _pattern_names(node):
    if node.type in ("identifier", "shorthand_property_identifier_pattern"):
        yield node
        return
    for child in node.named_children:
        if child.type == "pair_pattern":
            value = child.child_by_field_name("value")
            if value is not None:
                yield from _pattern_names(value)
        else:
            yield from _pattern_names(child)
