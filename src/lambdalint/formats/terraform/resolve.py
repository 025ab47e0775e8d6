"""Values of a Terraform root: what an expression stands for, as far as it can be known without
running Terraform.

Each directory of ``.tf`` files is one root (Terraform's own unit). Within it ``var.x`` (defaults,
``terraform.tfvars``, ``*.auto.tfvars``), ``local.x``, ``path.module``, simple conditions on known
values and references between resources are resolved; everything else is unknown.
:class:`Root` holds the lookups; loaders and linkers read Terraform only through it.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Union

from ...documents.nodes import Attribute, Block, Expr, HclTemplateString
from ...documents.terraform import TerraformDocument
from ...findings import Location
from ...project.model import Setting, absent, present, unknown
from ..values import MAX_TEXT, UNKNOWN_PART, Literal, Unknown, to_int
from .conditions import UNRESOLVED, evaluate, is_operator_expression

_INTERP = re.compile(r"\$\{([^}]*)\}")
_UNRESOLVED = UNRESOLVED


@dataclass(frozen=True)
class Reference:
    """``aws_sqs_queue.dlq.arn`` / ``module.orders.lambda_function_arn``: another block of the
    same root, certainly set but known only after apply."""

    type: str  # resource type, "data.<type>" is not produced; "module" for a module output
    name: str
    attribute: str
    location: Location
    source: str = ""  # the expression as written, for messages

    @property
    def address(self) -> str:
        """``aws_lambda_function.orders`` / ``module.orders``: the block it points at."""
        return f"{self.type}.{self.name}"

    def __str__(self) -> str:  # a piece of a list or map shown in a report: the expression
        return self.source


Value = Union[Literal, Reference, Unknown]


class Root:
    """All blocks of one Terraform root, indexed for resolution.

    A local module called by a root is read as one more ``Root`` per call (a *module instance*,
    see modules.py): ``dir`` is the module's folder (paths in it are relative to it), its
    variables take the ``inputs`` the call passes (resolved in the caller), ``module_path`` is
    its address (``module.api.``, ``module.api.module.fn.``), every address it gives is prefixed
    with it, and ``document`` (``root#module.api``) tells its records from those of the caller.
    ``calls`` are the module blocks that lead to it, outermost first, as (file, block)."""

    def __init__(
        self,
        directory: str,
        docs: list[TerraformDocument],
        inputs: dict[str, Any] | None = None,
        module_path: str = "",
        document: str | None = None,
        calls: tuple = (),
        conditional: bool = False,
        base: str | None = None,
    ):
        self.dir = directory
        # relative paths in arguments are relative to the root Terraform runs in, also inside a
        # module (which is why modules write "${path.module}/src")
        self.base = base if base is not None else directory
        self.module_path = module_path
        self.document = document if document is not None else directory
        self.calls = calls
        # the module call has a count / for_each that cannot be resolved: everything it makes
        # may not exist
        self.conditional = conditional
        self.instances: list[Root] = []  # the local module instances it calls (modules.py)
        # folders of the scan holding a copy of terraform-aws-modules/lambda (modules.py): a local
        # call to one is read from its inputs, like the registry source, not followed
        self.lambda_module_dirs: frozenset[str] = frozenset()
        self.alias_module_dirs: frozenset[str] = frozenset()  # the same for its //modules/alias
        # input name -> (calling Root, file, the module block's argument): where a value passed
        # in is written, for facts reported at the caller's line (an environment variable)
        self.passed: dict[str, tuple[Root, str, Attribute]] = {}
        self.blocks: list[tuple[str, Block]] = []  # (file path, block)
        self.variables: dict[str, Any] = {}
        self.locals: dict[str, Any] = {}
        self.resources: dict[tuple[str, str], tuple[str, Block]] = {}
        self.data: dict[tuple[str, str], tuple[str, Block]] = {}
        tfvars: dict[str, Any] = {}
        # terraform.tfvars first, then *.auto.tfvars in lexical order: later files win, as in Terraform
        docs = sorted(docs, key=lambda d: (d.path.endswith((".auto.tfvars", ".auto.tfvars.json")), d.path))
        for doc in docs:
            is_vars = doc.path.endswith((".tfvars", ".tfvars.json"))
            if is_vars and inputs is not None:
                continue  # a module's variables come from its call, never from its own tfvars
            for block in doc.blocks:
                if is_vars or block.type == "__attributes__":
                    continue
                self.blocks.append((doc.path, block))
                if block.type == "variable" and block.labels:
                    default = block.attr("default")
                    self.variables[block.labels[0]] = default.value if default is not None else _UNRESOLVED
                elif block.type == "locals":
                    for name, attr in block.attributes.items():
                        self.locals[name] = attr.value
                elif block.type == "resource" and len(block.labels) == 2:
                    self.resources[(block.labels[0], block.labels[1])] = (doc.path, block)
                elif block.type == "data" and len(block.labels) == 2:
                    self.data[(block.labels[0], block.labels[1])] = (doc.path, block)
            if is_vars:
                for block in doc.blocks:
                    if block.type == "__attributes__":
                        for name, attr in block.attributes.items():
                            tfvars[name] = attr.value
        self.variables.update(tfvars)
        if inputs is not None:
            for name in self.variables:
                if name in inputs and not (inputs[name] is None and self._not_nullable(name, docs)):
                    self.variables[name] = inputs[name]
        # "var.x" / "local.x" -> resolved value; names being resolved right now (cycles such as
        # locals { a = local.b, b = local.a } end as unresolved, shared values resolve once)
        self._cache: dict[str, Any] = {}
        self._resolving: set[str] = set()
        # (each.key, each.value) while the inputs of one for_each module call are resolved
        self.each: tuple[str, Any] | None = None
        # a resource, data source or module whose count is 0 or whose for_each is empty creates
        # nothing: it is no function, alias, provisioned-concurrency config, caller or alarm
        # (an unresolvable count / for_each keeps it)
        dropped = {id(b) for _, b in self.blocks if b.type in ("resource", "data", "module") and self.creates_nothing(b)}
        if dropped:
            self.blocks = [(p, b) for p, b in self.blocks if id(b) not in dropped]
            self.resources = {k: v for k, v in self.resources.items() if id(v[1]) not in dropped}
            self.data = {k: v for k, v in self.data.items() if id(v[1]) not in dropped}

    @staticmethod
    def _not_nullable(name: str, docs: list[TerraformDocument]) -> bool:
        """``nullable = false``: passing null gives the variable its default (Terraform 1.1+)."""
        for doc in docs:
            for block in doc.blocks:
                if block.type == "variable" and block.labels[:1] == [name]:
                    attr = block.attr("nullable")
                    return attr is not None and attr.value is False
        return False

    def address(self, path: str, key: str) -> str:
        """``main.tf#aws_lambda_function.orders``; in a module instance the key carries its module
        address (``modules/fn/main.tf#module.api.aws_lambda_function.this``), so two calls of one
        module give two addresses."""
        return f"{path}#{self.module_path}{key}"

    def may_not_exist(self, block: Block) -> bool:
        """``count`` / ``for_each`` that cannot be resolved: the block may or may not create anything
        (what it configures is never a reason to warn)."""
        if self.conditional:
            return True
        count = block.attr("count")
        if count is not None and to_int(self.resolve(count.value)) is None:
            return True
        for_each = block.attr("for_each")
        return for_each is not None and not isinstance(self.resolve(for_each.value), (dict, list))

    def creates_nothing(self, block: Block) -> bool:
        """``count = 0`` (literal or resolved) or ``for_each`` over an empty map, set or list."""
        count = block.attr("count")
        if count is not None:
            value = self.resolve(count.value)
            if isinstance(value, str):
                value = value.strip()
            if not isinstance(value, bool) and value in (0, "0"):
                return True
        for_each = block.attr("for_each")
        if for_each is not None:
            value = for_each.value
            if isinstance(value, Expr):
                m = re.fullmatch(r"(?:toset|tomap|tolist)\(\s*(\[\s*\]|\{\s*\})\s*\)", value.text.strip())
                if m:
                    return True
            value = self.resolve(value)
            if isinstance(value, (dict, list)) and not value:
                return True
        return False

    # -------------------------------------------------------------- resolution
    def resolve(self, value: Any, depth: int = 0) -> Any:
        """A literal for ``value``, or _UNRESOLVED."""
        if depth > 12:
            return _UNRESOLVED
        if isinstance(value, Expr):
            return self.resolve_expr(value.text.strip(), depth)
        if isinstance(value, HclTemplateString):
            failed = False

            def sub(match: re.Match) -> str:
                nonlocal failed
                if failed:
                    return ""
                v = self.resolve_expr(match.group(1).strip(), depth + 1)
                if v is _UNRESOLVED or isinstance(v, (dict, list)) or len(str(v)) > MAX_TEXT:
                    failed = True
                    return ""
                return str(v).lower() if isinstance(v, bool) else str(v)

            out = _INTERP.sub(sub, value.text)
            # interpolations that multiply text (a hostile chain of locals) are not a real value
            return _UNRESOLVED if failed or "%{" in out or len(out) > MAX_TEXT else out
        if isinstance(value, list):
            items = [self.resolve(v, depth + 1) for v in value]
            return items
        if isinstance(value, dict):
            return {k: self.resolve(v, depth + 1) for k, v in value.items()}
        return value

    def resolve_expr(self, text: str, depth: int) -> Any:
        if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
            text = text[2:-1].strip()
        if re.fullmatch(r"var\.[A-Za-z0-9_-]+", text):
            return self._named(text, self.variables.get(text[4:], _UNRESOLVED), depth)
        if re.fullmatch(r"local\.[A-Za-z0-9_-]+", text):
            name = text[6:]
            return self._named(text, self.locals[name], depth) if name in self.locals else _UNRESOLVED
        if text in ("path.module", "path.root", "path.cwd"):
            # paths are joined to the root's directory where they are used
            if text == "path.module" and self.dir != self.base:
                return posixpath.relpath(self.dir or ".", self.base or ".")
            return "."
        if self.each is not None and text.startswith("each."):
            return self._each_value(text)
        if is_operator_expression(text):  # var.enabled ? 1 : 0, local.a && !var.b, var.pc > -1
            return evaluate(text, lambda name: self.resolve_expr(name, depth + 1) if name.startswith(("var.", "local.", "each.")) else _UNRESOLVED)
        return _UNRESOLVED

    def _each_value(self, text: str) -> Any:
        """``each.key``, ``each.value``, ``each.value.x`` / ``each.value["x"]`` of the current
        for_each element."""
        key, value = self.each
        if text == "each.key":
            return key
        if text == "each.value":
            return value
        m = re.fullmatch(r'each\.value(?:\.([A-Za-z0-9_-]+)|\["([^"]+)"\])', text)
        if m and isinstance(value, dict):
            return value.get(m.group(1) or m.group(2), _UNRESOLVED)
        return _UNRESOLVED

    def _named(self, key: str, value: Any, depth: int) -> Any:
        if key in self._cache:
            return self._cache[key]
        if key in self._resolving or len(self._resolving) > 64:
            return _UNRESOLVED  # defined in terms of itself (or an absurdly long chain)
        self._resolving.add(key)
        try:
            # a named value resolves the same wherever it is used: its own depth starts afresh
            result = self.resolve(value, 0)
        finally:
            self._resolving.discard(key)
        self._cache[key] = result
        return result

    def reference(self, value: Any) -> tuple[str, str, str] | None:
        """(type, name, attribute) for a reference like ``aws_lambda_function.orders.arn``."""
        if not isinstance(value, (Expr, HclTemplateString)):
            return None
        text = value.text.strip()
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1].strip()
        # the count idiom: join("", aws_lambda_function.x[*].arn), one(x[*].arn), element(x[*].arn, 0)
        m = re.fullmatch(r'(?:join\(\s*""\s*,\s*\[?|one\(\s*|element\(\s*)([^(),\[\]]+\[(?:\*|0)\]\.[A-Za-z0-9_]+)\s*\]?\s*(?:,\s*0\s*)?\)', text)
        if m:
            text = m.group(1).strip()
        m = re.fullmatch(r"([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_]+)", text)
        if m:
            return m.group(1), m.group(2), m.group(3)
        m = re.fullmatch(r"module\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)", text)
        if m:
            return "module", m.group(1), m.group(2)
        return None

    def value(self, raw: Any, location: Location) -> Value:
        """What ``raw`` (an attribute's value) stands for: a :class:`Literal` (inside a list or map,
        pieces nothing resolves stay :class:`Reference` / :class:`Unknown`), a :class:`Reference`
        to another block of this root, or :class:`Unknown`."""
        return self._typed(raw, self.resolve(raw), location)

    def _typed(self, raw: Any, resolved: Any, location: Location) -> Any:
        if resolved is _UNRESOLVED:
            ref = self.reference(raw)
            if ref is not None:
                return Reference(*ref, location, source_text(raw))
            return Unknown(source_text(raw), location)
        if isinstance(resolved, list):
            # pieces keep their own expression when written in place, else the path to them
            raws = raw if isinstance(raw, list) and len(raw) == len(resolved) else [_Path(f"{source_text(raw)}[{i}]") for i in range(len(resolved))]
            return Literal([_piece(self._typed(r, v, location)) for r, v in zip(raws, resolved)], location)
        if isinstance(resolved, dict):
            raws = raw if isinstance(raw, dict) else {k: _Path(f"{source_text(raw)}.{k}") for k in resolved}
            return Literal({k: _piece(self._typed(raws.get(k), v, location)) for k, v in resolved.items()}, location)
        return Literal(resolved, location)

    def literal(self, raw: Any) -> Any:
        """The plain value when ``raw`` resolves entirely (no unknown piece inside), else None."""
        value = self.resolve(raw)
        return None if _contains_unresolved(value, maps=True) else value

    def flag(self, value: Any) -> bool | None:
        """A bool input as Terraform converts it (``"true"``/``"false"`` strings too), else None."""
        return to_bool(self.resolve(value))

    def setting(self, path: str, attr: Attribute | None, default: Any, fallback: Location, as_int: bool = False, as_bool: bool = False) -> Setting:
        if attr is None:
            return absent(default, fallback)
        location = Location(path, attr.line, attr.column, attr.end_line, attr.end_column)
        value = self.resolve(attr.value)
        if value is None:
            return absent(default, location)  # null is Terraform's "not set": the provider default
        if value is _UNRESOLVED or _contains_unresolved(value):
            if isinstance(value, dict):
                return present({k: v for k, v in value.items()}, location)
            return unknown(location, source_text(attr.value))
        if as_int:
            converted = to_int(value)
            if converted is None:
                return unknown(location, repr(value))
            value = converted
        if as_bool:
            converted = to_bool(value)
            if converted is None:
                return unknown(location, repr(value))
            value = converted
        return present(value, location)


def _piece(value: Value) -> Any:
    """A resolved piece of a list or map: plain when literal, else the typed value."""
    return value.value if isinstance(value, Literal) else value


def to_bool(value: Any) -> bool | None:
    """Terraform converts the strings "true" and "false" to bools; anything else is no bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in ("true", "false"):
        return value.strip() == "true"
    return None


def _contains_unresolved(value: Any, maps: bool = False) -> bool:
    if value is _UNRESOLVED:
        return True
    if isinstance(value, list):
        return any(_contains_unresolved(v, maps) for v in value)
    if maps and isinstance(value, dict):
        return any(_contains_unresolved(v, maps) for v in value.values())
    return False


@dataclass(frozen=True)
class _Path:
    """Where a piece of a named list or map sits (``local.xs[1]``), for messages."""

    text: str


def source_text(value: Any) -> str:
    """An expression as written (for messages)."""
    if isinstance(value, _Path):
        return value.text
    return value.text if isinstance(value, (Expr, HclTemplateString)) else repr(value)


def group_roots(docs: list[TerraformDocument]) -> list[Root]:
    by_dir: dict[str, list[TerraformDocument]] = defaultdict(list)
    for doc in docs:
        by_dir[posixpath.dirname(doc.path)].append(doc)
    return [Root(d, by_dir[d]) for d in sorted(by_dir)]


class SymbolicParts:
    """An ARN-like Terraform value as a list of literal text pieces and symbolic tokens, so that a
    consumer can split it on ``:`` / ``/`` without knowing the values references stand for:
    ``"function:${aws_lambda_function.f.function_name}:live"`` becomes
    ``["function:", <token for the reference>, ":live"]``. A reference becomes what
    :meth:`token` makes of it (UNKNOWN_PART unless a subclass knows it), any other expression its
    literal text when it resolves, else UNKNOWN_PART. The Terraform twin of
    ``formats.cloudformation.resolve.SymbolicParts``."""

    max_depth = 8  # aliases whose function_name refer to each other end here

    def __init__(self, root: Root):
        self.root = root

    def parts(self, value: Any, depth: int = 0) -> list:
        if depth > self.max_depth:
            return [UNKNOWN_PART]
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, HclTemplateString):
            if "%{" in value.text:
                return [UNKNOWN_PART]
            out: list = []
            pos = 0
            for m in _INTERP.finditer(value.text):
                out.append(value.text[pos:m.start()])
                pos = m.end()
                out.append(self.expr(m.group(1).strip(), depth))
            out.append(value.text[pos:])
            return out
        if isinstance(value, Expr):
            return [self.expr(value.text.strip(), depth)]
        return [UNKNOWN_PART]

    def expr(self, text: str, depth: int = 0) -> Any:
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1].strip()
        ref = self.root.reference(Expr(text))
        if ref is not None:
            return self.token(Reference(*ref, Location(self.root.dir, 0, 0), text), depth)
        value = self.root.resolve_expr(text, 0)
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else UNKNOWN_PART

    def token(self, ref: Reference, depth: int) -> Any:
        """What a reference inside the value stands for; subclasses name the ones they know."""
        return UNKNOWN_PART
