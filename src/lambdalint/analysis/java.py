"""Java handler code: one pass per file (in the workers), then one program per source root.

Per file, every class records its fields and their declared types, its routines (methods, plus
``<init>`` for field initialisers, initialiser blocks and constructors together, and
``<clinit>`` for static ones), the calls each routine makes (``Type.method``, resolved across
files later), the interesting calls (SDK clients, connections, config fetches, unique values)
and every store into a field with what the stored value is made of.

``JavaProgram`` joins the files of one source root: it resolves calls through the class index
and superclasses, finds which methods return a unique value (through helpers), and answers the
two questions the rules ask: what runs on each invocation of a handler method, and what runs
while its class is initialised before the SnapStart snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import catalog_java as cat
from .codefacts import CLIENT, CONFIG_FETCH, CONNECTION, UNIQUE, Routine, Use, point, reachable

TYPE_DECLARATIONS = frozenset({"class_declaration", "interface_declaration", "enum_declaration", "record_declaration"})
HANDLER_INTERFACES = {"RequestHandler": "handleRequest", "RequestStreamHandler": "handleRequest", "Function": "apply", "Consumer": "accept", "Supplier": "get"}
CRAC_RESOURCE = "Resource"
# methods whose function argument runs once per key or once at all
LAZY_METHODS = frozenset({"computeIfAbsent", "memoize", "memoizeWithExpiration", "lazy"})


@dataclass(frozen=True)
class FieldStore:
    """A value stored into a field: what it is made of, for LL110/LL111."""

    field: str  # "com.example.App.rng"
    field_type: str  # as declared, without type arguments: "Random"
    routine: str  # where the store happens: "com.example.App.<init>"
    line: int
    column: int
    end_line: int
    end_column: int
    unique: tuple[str, ...] = ()  # unique sources inside the value: "UUID.randomUUID()"
    helpers: tuple[str, ...] = ()  # methods the value calls (unresolved "Type.method")
    secure: bool = False  # the value is a SecureRandom
    text: str = ""  # the value as written, shortened, for messages


@dataclass
class JavaClass:
    fqn: str
    name: str
    line: int
    column: int
    kind: str  # class | interface | enum | record
    abstract: bool = False
    superclass: str | None = None  # qualified as far as the imports tell
    interfaces: tuple[str, ...] = ()  # simple names
    fields: dict[str, str] = field(default_factory=dict)  # name -> declared type (simple, no type arguments)
    field_types_qualified: dict[str, str] = field(default_factory=dict)  # name -> qualified as far as imports tell
    methods: dict[str, tuple[tuple[str, ...], bool]] = field(default_factory=dict)  # name -> (parameter types, public)
    stores: list[FieldStore] = field(default_factory=list)
    returns: dict[str, tuple[bool, tuple[str, ...]]] = field(default_factory=dict)  # routine -> (returns a unique value, helper calls)


@dataclass
class JavaFacts:
    path: str
    package: str = ""
    classes: list[JavaClass] = field(default_factory=list)
    routines: dict[str, Routine] = field(default_factory=dict)
    uses_crac: bool = False
    database_evidence: bool = False
    # (routine, callee as written) -> where the routine first calls it and how the call reads:
    # findings in other classes' files are reported at the handler file's call leading there
    call_sites: dict[tuple[str, str], tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)

    def handler_candidates(self) -> list[tuple[str, str]]:
        """(class, method) pairs that look like Lambda entry points without configuration:
        classes implementing RequestHandler/RequestStreamHandler or a java.util.function
        interface (Spring Cloud Function), and public methods taking a Lambda ``Context`` last."""
        out = []
        for cls in self.classes:
            if cls.kind != "class" or cls.abstract:
                continue
            for interface in cls.interfaces:
                method = HANDLER_INTERFACES.get(interface)
                if method and method in cls.methods:
                    out.append((cls.fqn, method))
                    break
            else:
                for method, (types, public) in sorted(cls.methods.items()):
                    if public and types and types[-1] == "Context" and len(types) >= 2:
                        out.append((cls.fqn, method))
                        break
        return out


def collect(path: str, tree, source: bytes) -> JavaFacts:
    return _Walker(path, source).run(tree.root_node)


def _text(node, source: bytes) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _type_name(node, source: bytes) -> str:
    """``Map<String, Foo>`` -> ``Map``; ``java.util.Random`` stays qualified; arrays keep ``[]``."""
    if node is None:
        return ""
    if node.type == "generic_type":
        for child in node.named_children:
            if child.type in ("type_identifier", "scoped_type_identifier"):
                return _text(child, source)
    return _text(node, source)


def _unwrap(node):
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


@dataclass
class _Scope:
    routine: Routine
    cls: JavaClass
    locals: dict[str, str]
    guarded: bool = False


class _Walker:
    def __init__(self, path: str, source: bytes):
        self.source = source
        self.facts = JavaFacts(path)
        self.imports: dict[str, str] = {}  # simple name -> qualified
        self.wildcards: list[str] = []
        self.local_types: dict[str, str] = {}  # types declared in this file: simple -> qualified

    def run(self, root) -> JavaFacts:
        source = self.source
        for node in root.named_children:
            if node.type == "package_declaration":
                for child in node.named_children:
                    if child.type in ("scoped_identifier", "identifier"):
                        self.facts.package = _text(child, source)
            elif node.type == "import_declaration":
                names = [c for c in node.named_children if c.type in ("scoped_identifier", "identifier")]
                if not names:
                    continue
                qualified = _text(names[0], source)
                if qualified.startswith("org.crac"):
                    self.facts.uses_crac = True
                if qualified.startswith(("java.sql", "com.zaxxer.hikari")):
                    self.facts.database_evidence = True
                if any(c.type == "asterisk" for c in node.named_children):
                    self.wildcards.append(qualified)
                elif not any(c.type == "static" for c in node.children):
                    self.imports[qualified.rsplit(".", 1)[-1]] = qualified
        types = [n for n in root.named_children if n.type in TYPE_DECLARATIONS]
        for node in types:
            self._declare(node, self.facts.package)
        for node in types:
            self.type_declaration(node, self.facts.package)
        return self.facts

    def _declare(self, node, outer: str) -> None:
        name = node.child_by_field_name("name")
        if name is None:
            return
        simple = _text(name, self.source)
        fqn = f"{outer}.{simple}" if outer else simple
        self.local_types.setdefault(simple, fqn)
        body = node.child_by_field_name("body")
        for member in _members(body):
            if member.type in TYPE_DECLARATIONS:
                self._declare(member, fqn)

    def qualify(self, simple: str) -> str:
        """The qualified name of a type as written, as far as this file can tell."""
        simple = simple.split("<")[0].strip()
        if "." in simple and simple.split(".")[0][:1].islower():
            return simple  # already qualified
        head = simple.split(".")[0]
        if head in self.local_types:
            return self.local_types[head] + simple[len(head) :]
        if head in self.imports:
            return self.imports[head] + simple[len(head) :]
        if head in _JAVA_LANG:
            return simple
        if self.facts.package and not self.wildcards:
            return f"{self.facts.package}.{simple}"
        return simple

    # ------------------------------------------------------------ declarations
    def type_declaration(self, node, outer: str) -> None:
        source = self.source
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = _text(name_node, source)
        fqn = f"{outer}.{name}" if outer else name
        line, column, _, _ = point(name_node, source)
        modifiers = next((c for c in node.children if c.type == "modifiers"), None)
        cls = JavaClass(fqn, name, line, column, node.type.split("_")[0], abstract=modifiers is not None and "abstract" in _text(modifiers, source).split())
        superclass = node.child_by_field_name("superclass")
        if superclass is not None and superclass.named_children:
            cls.superclass = self.qualify(_type_name(superclass.named_children[0], source))
        interfaces = node.child_by_field_name("interfaces")
        if interfaces is not None:
            found = []
            for type_list in interfaces.named_children:
                for t in type_list.named_children:
                    found.append(_type_name(t, source).rsplit(".", 1)[-1])
            cls.interfaces = tuple(found)
        self.facts.classes.append(cls)
        body = node.child_by_field_name("body")
        members = list(_members(body))
        if node.type == "record_declaration":
            params = node.child_by_field_name("parameters")
            for p in params.named_children if params is not None else ():
                p_name, p_type = p.child_by_field_name("name"), p.child_by_field_name("type")
                if p_name is not None:
                    cls.fields[_text(p_name, source)] = _type_name(p_type, source)
        for member in members:  # fields and method signatures first: bodies refer to them in any order
            if member.type == "field_declaration":
                declared = _type_name(member.child_by_field_name("type"), source)
                for declarator in member.children_by_field_name("declarator"):
                    field_name = declarator.child_by_field_name("name")
                    if field_name is not None:
                        cls.fields[_text(field_name, source)] = declared
                        cls.field_types_qualified[_text(field_name, source)] = self.qualify(declared)
            elif member.type == "method_declaration":
                method = member.child_by_field_name("name")
                mods = next((c for c in member.children if c.type == "modifiers"), None)
                public = mods is not None and "public" in _text(mods, source).split()
                cls.methods[_text(method, source)] = (self._param_types(member), public or cls.kind == "interface")
        for member in members:
            kind = member.type
            if kind == "field_declaration":
                mods = next((c for c in member.children if c.type == "modifiers"), None)
                static = mods is not None and "static" in _text(mods, source).split()
                routine = self.routine(cls, "<clinit>" if static else "<init>", member)
                scope = _Scope(routine, cls, {})
                for declarator in member.children_by_field_name("declarator"):
                    field_name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                    if field_name is not None and value is not None:
                        self.store(f"{fqn}.{_text(field_name, source)}", cls.fields.get(_text(field_name, source), ""), declarator, value, scope)
                        self.expression(value, scope, f"{fqn}.{_text(field_name, source)}")
            elif kind == "static_initializer":
                self.statements(member.named_children, _Scope(self.routine(cls, "<clinit>", member), cls, {}))
            elif kind == "block":
                self.statements(member.named_children, _Scope(self.routine(cls, "<init>", member), cls, {}))
            elif kind in ("constructor_declaration", "compact_constructor_declaration", "method_declaration"):
                name_of = "<init>" if kind != "method_declaration" else _text(member.child_by_field_name("name"), source)
                routine = self.routine(cls, name_of, member)
                if kind == "method_declaration" and not routine.params:
                    routine.params = self._param_types(member)
                body = member.child_by_field_name("body")
                if body is not None:
                    self.statements(body.named_children, _Scope(routine, cls, self._params(member)))
            elif kind in TYPE_DECLARATIONS:
                self.type_declaration(member, fqn)

    def routine(self, cls: JavaClass, name: str, node) -> Routine:
        qualname = f"{cls.fqn}.{name}"
        found = self.facts.routines.get(qualname)
        if found is None:
            line, column, _, _ = point(node.child_by_field_name("name") or node, self.source)
            found = self.facts.routines[qualname] = Routine(qualname, line, column)
        return found

    def _params(self, member) -> dict[str, str]:
        params = member.child_by_field_name("parameters")
        out = {}
        for p in params.named_children if params is not None else ():
            name, declared = p.child_by_field_name("name"), p.child_by_field_name("type")
            if name is not None:
                out[_text(name, self.source)] = _type_name(declared, self.source)
        return out

    def _param_types(self, member) -> tuple[str, ...]:
        return tuple(t.rsplit(".", 1)[-1] for t in self._params(member).values())

    # ------------------------------------------------------------ statements
    def statements(self, nodes, scope: _Scope) -> None:
        for node in nodes:
            self.statement(node, scope)
            # `if (client != null) return client;`: what follows runs only while the field is empty
            if node.type == "if_statement" and not scope.guarded and _returns(node.child_by_field_name("consequence")):
                if self._field_test(node.child_by_field_name("condition"), scope, ("!=",)):
                    scope = _Scope(scope.routine, scope.cls, scope.locals, True)

    def statement(self, node, scope: _Scope) -> None:
        kind = node.type
        if kind == "block":
            self.statements(node.named_children, scope)
        elif kind == "local_variable_declaration":
            declared = _type_name(node.child_by_field_name("type"), self.source)
            for declarator in node.children_by_field_name("declarator"):
                name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if name is not None:
                    scope.locals[_text(name, self.source)] = declared
                if value is not None:
                    self.expression(value, scope, None)
        elif kind == "if_statement":
            condition = node.child_by_field_name("condition")
            self.expression(condition, scope, None)
            guard = self._field_test(condition, scope, ("==",))
            consequence = node.child_by_field_name("consequence")
            if consequence is not None:
                self.statement(consequence, _Scope(scope.routine, scope.cls, scope.locals, scope.guarded or guard))
            alternative = node.child_by_field_name("alternative")
            if alternative is not None:
                self.statement(alternative, scope)
        elif kind == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is not None:
                unique, helpers, _ = self.value_parts(value, scope)
                direct, known = scope.cls.returns.get(scope.routine.qualname, (False, ()))
                scope.cls.returns[scope.routine.qualname] = (direct or bool(unique), known + tuple(helpers))
                self.expression(value, scope, None)
        elif kind in TYPE_DECLARATIONS:
            self.type_declaration(node, scope.cls.fqn)
        elif kind in ("line_comment", "block_comment"):
            return
        else:
            self.expression(node, scope, None)

    def _field_test(self, condition, scope: _Scope, operators: tuple[str, ...]) -> bool:
        """`field == null` (or `null == field`, `this.field`, `Holder.field`), possibly inside `||`/`&&`."""
        node = _unwrap(condition)
        if node is None or node.type != "binary_expression":
            return False
        operator = _text(node.child_by_field_name("operator"), self.source)
        left, right = _unwrap(node.child_by_field_name("left")), _unwrap(node.child_by_field_name("right"))
        if operator in ("||", "&&"):
            return self._field_test(left, scope, operators) or self._field_test(right, scope, operators)
        if operator not in operators or left is None or right is None:
            return False
        for subject, other in ((left, right), (right, left)):
            if other.type == "null_literal" and self.field_of(subject, scope):
                return True
        return False

    def field_of(self, node, scope: _Scope) -> str | None:
        """The qualified field a name or `this.x` / `Type.x` refers to, when it is one of the class's."""
        node = _unwrap(node)
        if node is None:
            return None
        source = self.source
        if node.type == "identifier":
            name = _text(node, source)
            if name in scope.cls.fields and name not in scope.locals:
                return f"{scope.cls.fqn}.{name}"
            return None
        if node.type == "field_access":
            obj, name = node.child_by_field_name("object"), node.child_by_field_name("field")
            if obj is not None and name is not None and (obj.type == "this" or _text(obj, source) == scope.cls.name) and _text(name, source) in scope.cls.fields:
                return f"{scope.cls.fqn}.{_text(name, source)}"
        return None

    # ------------------------------------------------------------ expressions
    def expression(self, node, scope: _Scope, stored: str | None) -> None:
        if node is None:
            return
        stack = [(node, scope)]
        while stack:
            current, scope = stack.pop()
            kind = current.type
            if kind == "method_invocation":
                self.invocation(current, scope, stored)
                if _text(current.child_by_field_name("name"), self.source) in LAZY_METHODS and not scope.guarded:
                    # `CLIENTS.computeIfAbsent(region, r -> S3Client.builder()...build())`: built once per key
                    guarded = _Scope(scope.routine, scope.cls, scope.locals, True)
                    stack.extend((child, guarded) for child in reversed(current.named_children))
                    continue
            elif kind == "object_creation_expression":
                self.creation(current, scope, stored)
            elif kind == "assignment_expression":
                target = self.field_of(current.child_by_field_name("left"), scope)
                right = current.child_by_field_name("right")
                if target is not None and right is not None:
                    scope.routine.assigns.add(target)
                    self.store(target, scope.cls.fields.get(target.rsplit(".", 1)[1], ""), current, right, scope)
                    self.expression(right, scope, target)
                    continue
            elif kind in ("block", "if_statement", "local_variable_declaration", "return_statement"):
                self.statement(current, scope)
                continue
            elif kind in TYPE_DECLARATIONS:
                self.type_declaration(current, scope.cls.fqn)
                continue
            stack.extend((child, scope) for child in reversed(current.named_children))

    def chain(self, node) -> tuple[object, tuple[str, ...]]:
        """The root of a call chain and the method names along it: ``S3Client.builder().build()``
        -> (identifier S3Client, ("builder", "build")); a constructor root adds "new"."""
        names = []
        while node is not None and node.type == "method_invocation":
            name = node.child_by_field_name("name")
            names.append(_text(name, self.source) if name is not None else "")
            node = _unwrap(node.child_by_field_name("object"))
        if node is not None and node.type == "object_creation_expression":
            names.append("new")
        return node, tuple(reversed(names))

    def type_of(self, node, scope: _Scope) -> str | None:
        """Declared type of a local, parameter or field the node names; a capitalised unknown
        name is taken as a type (a static call)."""
        node = _unwrap(node)
        if node is None:
            return None
        source = self.source
        if node.type == "identifier":
            name = _text(node, source)
            if name in scope.locals:
                return scope.locals[name]
            if name in scope.cls.fields:
                return scope.cls.fields[name]
            return None
        if node.type == "field_access":
            obj, name = node.child_by_field_name("object"), node.child_by_field_name("field")
            if obj is not None and obj.type == "this" and name is not None:
                return scope.cls.fields.get(_text(name, source))
        return None

    def _static_type(self, node, scope: _Scope) -> str | None:
        node = _unwrap(node)
        if node is None or node.type not in ("identifier", "scoped_identifier", "field_access"):
            return None
        text = _text(node, self.source)
        last = text.rsplit(".", 1)[-1]
        if node.type == "identifier" and (text in scope.locals or text in scope.cls.fields):
            return None
        return text if last[:1].isupper() else None

    def invocation(self, node, scope: _Scope, stored: str | None) -> None:
        source = self.source
        name = _text(node.child_by_field_name("name"), source)
        obj = _unwrap(node.child_by_field_name("object"))
        # call edges
        if obj is None or obj.type == "this":
            self.edge(scope, f"{scope.cls.fqn}.{name}", node)
        elif obj.type == "super" and scope.cls.superclass:
            self.edge(scope, f"{scope.cls.superclass}.{name}", node)
        else:
            declared = self.type_of(obj, scope) or self._static_type(obj, scope)
            if declared:
                self.edge(scope, f"{self.qualify(declared)}.{name}", node)
        # interesting calls
        unique = self.unique_call(node, scope)
        if unique:
            self.use(UNIQUE, unique, node, scope, stored)
            return
        root, methods = self.chain(node)
        if root is not None and methods:
            root_type = None
            if root.type == "object_creation_expression":
                root_type = _type_name(root.child_by_field_name("type"), source)
            else:
                root_type = self._static_type(root, scope)
            if root_type:
                kind = cat.classify(root_type.rsplit(".", 1)[-1] if not root_type.endswith(".Builder") else root_type, self.qualify(root_type), methods, self._awssdk_wildcard())
                if kind:
                    self.use(kind, self._display(root_type, methods), node, scope, stored)
                    return
        receiver_type = self.type_of(obj, scope) if obj is not None else None
        if obj is not None and obj.type not in ("this", "super") and cat.config_fetch(receiver_type.rsplit(".", 1)[-1] if receiver_type else None, name):
            if receiver_type or self._static_type(obj, scope) is None:
                self.use(CONFIG_FETCH, f"{_text(obj, source)}.{name}()", node, scope, stored)

    def unique_call(self, node, scope: _Scope) -> str | None:
        """``UUID.randomUUID()``, ``rng.nextInt()`` on a Random, ``clock.instant()``..."""
        source = self.source
        name = _text(node.child_by_field_name("name"), source)
        obj = _unwrap(node.child_by_field_name("object"))
        if obj is None:
            return None
        static = self._static_type(obj, scope)
        if static:
            simple = static.rsplit(".", 1)[-1]
            if (simple, name) in cat.UNIQUE_CALLS or (simple, "") in cat.UNIQUE_CALLS:
                return f"{simple}.{name}()"
            return None
        declared = self.type_of(obj, scope)
        if declared:
            simple = declared.rsplit(".", 1)[-1]
            if simple in cat.DRAW_TYPES and name.startswith(cat.DRAW_PREFIXES):
                return f"{_text(obj, source)}.{name}()"
            if simple in cat.CLOCK_TYPES and name in cat.CLOCK_METHODS:
                return f"{_text(obj, source)}.{name}()"
        return None

    def _awssdk_wildcard(self) -> bool:
        return any(w.startswith(cat.AWS_SDK_V2_PACKAGE) for w in self.wildcards)

    @staticmethod
    def _display(root: str, methods: tuple[str, ...]) -> str:
        if methods[0] == "new":
            return f"new {root}()" + ("" if len(methods) == 1 else f"...{methods[-1]}()")
        if len(methods) == 1:
            return f"{root}.{methods[0]}()"
        return f"{root}.{methods[0]}()...{methods[-1]}()" if len(methods) > 2 else f"{root}.{methods[0]}().{methods[1]}()"

    def creation(self, node, scope: _Scope, stored: str | None) -> None:
        source = self.source
        declared = _type_name(node.child_by_field_name("type"), source)
        self.edge(scope, f"{self.qualify(declared)}.<init>", node)
        args = node.child_by_field_name("arguments")
        simple = declared.rsplit(".", 1)[-1]
        if simple in cat.UNIQUE_CONSTRUCTORS and (simple != "Date" or (args is not None and args.named_child_count == 0)):
            self.use(UNIQUE, f"new {simple}()", node, scope, stored)
            return
        kind = cat.classify(declared if declared.endswith(".Builder") else simple, self.qualify(declared), ("new",), self._awssdk_wildcard())
        if kind:
            self.use(kind, f"new {declared}()", node, scope, stored)

    def edge(self, scope: _Scope, callee: str, node=None) -> None:
        if callee != scope.routine.qualname and callee not in scope.routine.calls:
            scope.routine.calls.append(callee)
        if node is not None and (scope.routine.qualname, callee) not in self.facts.call_sites:
            shown = " ".join(_text(node, self.source).split("(", 1)[0].split())[:60] + "()"
            self.facts.call_sites[scope.routine.qualname, callee] = (point(node, self.source), shown)

    def use(self, kind: str, name: str, node, scope: _Scope, stored: str | None) -> None:
        line, column, end_line, end_column = point(node, self.source)
        uses = scope.routine.uses
        for previous in uses[-3:]:
            if (previous.line, previous.column) <= (line, column) and (end_line, end_column) <= (previous.end_line, previous.end_column) and previous.kind in (CLIENT, CONNECTION) and kind in (CLIENT, CONNECTION):
                return  # `S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build()`: one finding
        uses.append(Use(kind, name, line, column, end_line, end_column, cached=scope.guarded, stored_as=stored))

    # ------------------------------------------------------------ field stores
    def store(self, target: str, declared: str, node, value, scope: _Scope) -> None:
        unique, helpers, secure = self.value_parts(value, scope)
        line, column, end_line, end_column = point(node, self.source)
        text = " ".join(_text(value, self.source).split())
        scope.cls.stores.append(
            FieldStore(target, declared, scope.routine.qualname, line, column, end_line, end_column, tuple(unique), tuple(helpers), secure, text[:60] + ("…" if len(text) > 60 else ""))
        )

    def value_parts(self, value, scope: _Scope) -> tuple[list[str], list[str], bool]:
        """(unique sources, helper calls, whether the value is a SecureRandom) of an expression."""
        unique: list[str] = []
        helpers: list[str] = []
        stack = [value]
        source = self.source
        while stack:
            node = stack.pop()
            if node.type == "method_invocation":
                found = self.unique_call(node, scope)
                if found:
                    unique.append(found)
                obj = _unwrap(node.child_by_field_name("object"))
                name = _text(node.child_by_field_name("name"), source)
                if obj is None or obj.type == "this":
                    helpers.append(f"{scope.cls.fqn}.{name}")
                else:
                    declared = self.type_of(obj, scope) or self._static_type(obj, scope)
                    if declared:
                        helpers.append(f"{self.qualify(declared)}.{name}")
            elif node.type == "object_creation_expression":
                simple = _type_name(node.child_by_field_name("type"), source).rsplit(".", 1)[-1]
                args = node.child_by_field_name("arguments")
                if simple in cat.UNIQUE_CONSTRUCTORS and (simple != "Date" or (args is not None and args.named_child_count == 0)):
                    unique.append(f"new {simple}()")
            elif node.type in ("lambda_expression", "class_body"):
                continue  # code stored for later is not a value made now
            stack.extend(node.named_children)
        return unique, helpers, self.is_secure(value, scope)

    def is_secure(self, value, scope: _Scope) -> bool:
        value = _unwrap(value)
        if value is None:
            return False
        source = self.source
        if value.type == "cast_expression":
            return self.is_secure(value.child_by_field_name("value"), scope)
        if value.type == "object_creation_expression":
            return _type_name(value.child_by_field_name("type"), source).rsplit(".", 1)[-1] in cat.SECURE_TYPES
        if value.type == "method_invocation":
            obj = value.child_by_field_name("object")
            return obj is not None and _text(obj, source) == "SecureRandom" and _text(value.child_by_field_name("name"), source).startswith("getInstance")
        declared = self.type_of(value, scope)
        return declared is not None and declared.rsplit(".", 1)[-1] in cat.SECURE_TYPES


def _members(body):
    if body is None:
        return
    for member in body.named_children:
        if member.type == "enum_body_declarations":
            yield from member.named_children
        else:
            yield member


def _returns(node) -> bool:
    if node is None:
        return False
    if node.type in ("return_statement", "throw_statement"):
        return True
    return node.type == "block" and node.named_child_count > 0 and node.named_children[-1].type in ("return_statement", "throw_statement")


_JAVA_LANG = frozenset({"String", "Object", "Math", "StrictMath", "System", "Integer", "Long", "Double", "Boolean", "Thread", "Runtime", "Class", "StringBuilder", "Exception", "RuntimeException"})


class JavaProgram:
    """The Java files of one source root, joined: classes by name, calls resolved."""

    def __init__(self, root: str, files: list[JavaFacts]):
        self.root = root
        self.files = files
        self.classes: dict[str, JavaClass] = {}
        self.class_file: dict[str, str] = {}
        by_simple: dict[str, list[str]] = {}
        raw: dict[str, Routine] = {}
        for facts in files:
            for cls in facts.classes:
                self.classes.setdefault(cls.fqn, cls)
                self.class_file.setdefault(cls.fqn, facts.path)
                by_simple.setdefault(cls.name, []).append(cls.fqn)
            for qualname, routine in facts.routines.items():
                raw.setdefault(qualname, routine)
        self._by_simple = {k: v[0] for k, v in by_simple.items() if len(v) == 1}
        self._implementations: dict[str, list[JavaClass]] = {}
        for fqn in sorted(self.classes):
            cls = self.classes[fqn]
            if cls.kind == "class":
                for interface in cls.interfaces:
                    self._implementations.setdefault(interface, []).append(cls)
        self._raw = raw
        raw_sites = {key: site for facts in files for key, site in facts.call_sites.items()}
        self.routines: dict[str, Routine] = {}
        # (routine, resolved callee) -> (line, column, end line, end column), how the call reads
        self.call_sites: dict[tuple[str, str], tuple[tuple[int, int, int, int], str]] = {}
        for qualname, routine in raw.items():
            calls = []
            for callee in routine.calls:
                resolved = self.resolve(callee)
                if resolved and resolved not in calls:
                    calls.append(resolved)
                if resolved and (qualname, callee) in raw_sites:
                    self.call_sites.setdefault((qualname, resolved), raw_sites[qualname, callee])
            self.routines[qualname] = Routine(routine.qualname, routine.line, routine.column, routine.params, calls, routine.uses, routine.assigns)
        self.unique_returning = self._unique_returning()

    def find_class(self, name: str | None) -> JavaClass | None:
        if not name:
            return None
        found = self.classes.get(name)
        if found is None:
            fqn = self._by_simple.get(name.rsplit(".", 1)[-1])
            found = self.classes.get(fqn) if fqn else None
        return found

    def resolve(self, call: str) -> str | None:
        """``Type.method`` -> the routine that runs, looking up superclasses; a call on an
        interface with exactly one implementation in the program goes to that implementation;
        None outside the program."""
        owner, _, method = call.rpartition(".")
        cls = self.find_class(owner)
        if cls is not None and cls.kind == "interface" and method not in ("<init>", "<clinit>"):
            implementations = self._implementations.get(cls.name, [])
            if len(implementations) == 1:
                cls = implementations[0]
        seen = set()
        while cls is not None and cls.fqn not in seen:
            seen.add(cls.fqn)
            qualname = f"{cls.fqn}.{method}"
            if qualname in self._raw:
                return qualname
            if method in ("<init>", "<clinit>"):
                return None
            cls = self.find_class(cls.superclass)
        return None

    def superclasses(self, cls: JavaClass) -> list[JavaClass]:
        out, seen = [], {cls.fqn}
        parent = self.find_class(cls.superclass)
        while parent is not None and parent.fqn not in seen:
            out.append(parent)
            seen.add(parent.fqn)
            parent = self.find_class(parent.superclass)
        return out

    def _unique_returning(self) -> set[str]:
        direct = {}
        for cls in self.classes.values():
            for routine, (is_unique, helpers) in cls.returns.items():
                direct[routine] = (is_unique, [h for h in (self.resolve(c) for c in helpers) if h])
        found = {r for r, (is_unique, _) in direct.items() if is_unique}
        changed = True
        while changed:
            changed = False
            for routine, (_, helpers) in direct.items():
                if routine not in found and any(h in found for h in helpers):
                    found.add(routine)
                    changed = True
        return found

    def handler_scope(self, roots: list[str]) -> dict[str, tuple[str, ...]]:
        return reachable(self.routines, roots)

    def resources(self) -> list[JavaClass]:
        """Classes implementing ``org.crac.Resource`` (their hooks run around the snapshot)."""
        return [c for c in self.classes.values() if CRAC_RESOURCE in c.interfaces and self.uses_crac(c)]

    def uses_crac(self, cls: JavaClass) -> bool:
        path = self.class_file.get(cls.fqn)
        return any(f.path == path and f.uses_crac for f in self.files)

    def init_scope(self, handler_class: str) -> dict[str, tuple[str, ...]]:
        """Routines that run before the snapshot for a handler class: its static and instance
        initialisers and constructors, those of its superclasses and of the classes of its fields
        (dependency injection builds them at init), what they call, and ``beforeCheckpoint``."""
        roots: list[str] = []
        seen: set[str] = set()

        def add(cls: JavaClass | None) -> None:
            if cls is None or cls.fqn in seen:
                return
            seen.add(cls.fqn)
            roots.extend(q for q in (f"{cls.fqn}.<clinit>", f"{cls.fqn}.<init>") if q in self.routines)
            for parent in self.superclasses(cls):
                add(parent)
            for declared in cls.field_types_qualified.values():
                add(self.find_class(declared))

        add(self.find_class(handler_class))
        for resource in self.resources():
            if f"{resource.fqn}.beforeCheckpoint" in self.routines:
                roots.append(f"{resource.fqn}.beforeCheckpoint")
        while True:
            chains = reachable(self.routines, roots)
            before = len(seen)
            for qualname in list(chains):
                owner, _, method = qualname.rpartition(".")
                if method == "<init>":
                    add(self.classes.get(owner))
            if len(seen) == before:
                return chains

    def restored_fields(self) -> set[str]:
        """Fields (re)assigned by ``afterRestore`` hooks and what they call."""
        roots = [f"{r.fqn}.afterRestore" for r in self.resources() if f"{r.fqn}.afterRestore" in self.routines]
        out: set[str] = set()
        for qualname in reachable(self.routines, roots):
            out |= self.routines[qualname].assigns
        return out

    def stores(self):
        for fqn in sorted(self.classes):
            cls = self.classes[fqn]
            for store in cls.stores:
                yield self.class_file[fqn], cls, store
