"""Values of a SAM / CloudFormation template: what an expression stands for, as far as it can be
known without deploying.

A value is a :class:`Literal` (text, number, list or map the template fixes, through parameter
defaults, mappings, ``Fn::Sub``, ``Fn::Join`` and ``Fn::If`` on a condition the defaults decide), a :class:`Reference` to a resource of
the template (``!Ref X`` / ``!GetAtt X.Attr``), or :class:`Unknown` (anything else: a parameter
without default, a pseudo parameter, an import, a condition). Each carries the location of the
expression it came from. :class:`Template` holds the lookups resolution needs; loaders and linkers
read templates only through it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any, Union

from ...documents.nodes import Node
from ...documents.templates import TemplateDocument
from ...findings import Location
from ...project.model import Function, Qualifier, Setting, absent, present, unknown
from ..values import MAX_TEXT, UNKNOWN_PART, Literal, Unknown, to_int

SAM_FUNCTION = "AWS::Serverless::Function"
CFN_FUNCTION = "AWS::Lambda::Function"
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


@dataclass(frozen=True)
class Reference:
    """``!Ref X`` or ``!GetAtt X.Attr`` to a resource of the same template."""

    target: str  # the resource's logical ID
    attribute: str | None  # None for Ref
    location: Location
    source: str = ""  # how it is written, for messages ("Ref X", "Fn::GetAtt")

    def __str__(self) -> str:  # a piece of a map shown in a report: the expression
        return self.source


Value = Union[Literal, Reference, Unknown]


class Template:
    """A parsed template plus the lookups resolution needs."""

    def __init__(self, doc: TemplateDocument):
        self.doc = doc
        self.path = doc.path
        self.dir = posixpath.dirname(doc.path)
        self.resources = doc.resources
        self.parameters = doc.section("Parameters")
        self.mappings = doc.section("Mappings")
        self.globals = doc.section("Globals").get("Function")
        self.conditions = doc.section("Conditions")
        # parameter name -> resolved default; names being resolved right now (cycles through
        # Fn::Sub / Ref defaults must end, and shared defaults must not be resolved again and again)
        self._params: dict[str, Value] = {}
        self._resolving: set[str] = set()
        self._deciding: set[str] = set()  # conditions being evaluated (a cycle is unknown)

    def loc(self, node: Node, as_property: bool = True) -> Location:
        if as_property and node.key_line:
            return Location(self.path, node.key_line, node.key_column)
        return Location(self.path, node.line, node.column, node.end_line, node.end_column)

    def resource_type(self, logical_id: str) -> str | None:
        types = self.__dict__.get("_types")
        if types is None:  # asked for every resource by every pass: index once
            types = self._types = {}
            for name, node in self.resources.items():
                t = node.get("Type") if node.is_map else None
                types[name] = t.value if t is not None and isinstance(t.value, str) else None
        return types.get(logical_id)

    def properties(self, logical_id: str) -> Node | None:
        """The resource's ``Properties`` node (possibly an intrinsic such as ``!If``)."""
        return prop(self.resources.get(logical_id), "Properties")

    def function_prop(self, logical_id: str, key: str) -> Node | None:
        """A function property: its own, or for a SAM function the ``Globals.Function`` default
        (a property set in Globals is located in Globals: that is where a user fixes it)."""
        own = prop(self.properties(logical_id), key)
        if own is not None or self.resource_type(logical_id) != SAM_FUNCTION:
            return own
        return prop(self.globals, key)

    def sam_alias(self, fn: Function) -> Qualifier | None:
        """The alias a SAM function's ``AutoPublishAlias`` publishes (None: none or not SAM)."""
        if fn.kind != "sam":
            return None
        alias = self.function_prop(fn.name, "AutoPublishAlias")
        if alias is None:
            return None
        setting = self.setting(alias, None, fn.location)
        return Qualifier.named_alias(setting, "AutoPublishAlias")

    # -------------------------------------------------------------- resolution
    def value(self, node: Node | None, depth: int = 0) -> Value | None:
        """What ``node`` stands for (None when there is no node)."""
        if node is None:
            return None
        where = self.loc(node)
        value = node.value
        if depth > 10:
            return Unknown("too deep", where)
        if not isinstance(value, dict):
            if isinstance(value, list):
                out = []
                for item in value:
                    v = self.value(item, depth + 1)
                    if not isinstance(v, Literal):
                        return Unknown("list with unresolved items", where)
                    out.append(v.value)
                return Literal(out, where)
            return Literal(value, where)
        if len(value) != 1:
            return Literal({k: _inner(self.value(item, depth + 1)) for k, item in value.items()}, where)
        (fn, arg), = value.items()
        if fn == "Ref":
            return self._ref(arg.value, where)
        if fn == "Fn::GetAtt":
            ref = self.reference(node)
            if ref is not None and self.resource_type(ref.target) is not None:
                return ref
            return Unknown(fn, where)
        if fn == "Fn::FindInMap" and isinstance(arg.value, list) and len(arg.value) >= 3:
            keys = []
            for item in arg.value[:3]:
                v = self.value(item, depth + 1)
                if not isinstance(v, Literal) or not isinstance(v.value, str):
                    return Unknown("Fn::FindInMap with unresolved keys", where)
                keys.append(v.value)
            m = self.mappings.get(keys[0])
            node2 = m.get(keys[1]) if m is not None else None
            node3 = node2.get(keys[2]) if node2 is not None else None
            if node3 is None:
                return Unknown("Fn::FindInMap", where)
            return self.value(node3, depth + 1)
        if fn == "Fn::Sub":
            return self._sub(arg, where, depth)
        if fn == "Fn::If" and isinstance(arg.value, list) and len(arg.value) == 3 and isinstance(arg.value[0].value, str):
            holds = self.condition(arg.value[0].value)
            branch = arg.value[1] if holds else arg.value[2]
            # a branch that removes the property (!Ref AWS::NoValue) cannot be a value: unknown
            if holds is not None and not (branch.is_map and getattr(branch.value.get("Ref"), "value", None) == "AWS::NoValue"):
                return self.value(branch, depth + 1)
            return Unknown(fn, where)
        if fn == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2:
            sep = self.value(arg.value[0], depth + 1)
            parts = self.value(arg.value[1], depth + 1)
            if isinstance(sep, Literal) and isinstance(parts, Literal) and isinstance(parts.value, list) and all(isinstance(p, (str, int)) for p in parts.value):
                if sum(len(str(p)) for p in parts.value) + len(str(sep.value)) * len(parts.value) <= MAX_TEXT:
                    return Literal(str(sep.value).join(str(p) for p in parts.value), where)
            return Unknown("Fn::Join", where)
        if fn.startswith("Fn::") or fn == "Condition":
            return Unknown(fn, where)
        return Literal({fn: _inner(self.value(arg, depth + 1))}, where)

    def condition(self, name: str) -> bool | None:
        """Whether the template's condition ``name`` holds with the parameters' defaults (None:
        it depends on something only known at deploy time, or it does not exist)."""
        node = self.conditions.get(name)
        if node is None or name in self._deciding or len(self._deciding) > 64:
            return None
        self._deciding.add(name)
        try:
            return self._holds(node, 0)
        finally:
            self._deciding.discard(name)

    def _holds(self, node: Node, depth: int) -> bool | None:
        if depth > 10 or not node.is_map or len(node.value) != 1:
            return None
        (fn, arg), = node.value.items()
        if fn == "Condition":
            return self.condition(arg.value) if isinstance(arg.value, str) else None
        items = arg.value if isinstance(arg.value, list) else None
        if items is None:
            return None
        if fn == "Fn::Equals" and len(items) == 2:
            a, b = self.value(items[0], depth + 1), self.value(items[1], depth + 1)
            if isinstance(a, Literal) and isinstance(b, Literal) and _scalar(a.value) and _scalar(b.value):
                return _text(a.value) == _text(b.value)  # CloudFormation compares the text
            return None
        if fn == "Fn::Not" and len(items) == 1:
            inner = self._holds(items[0], depth + 1)
            return None if inner is None else not inner
        if fn in ("Fn::And", "Fn::Or") and items:
            results = [self._holds(item, depth + 1) for item in items]
            decisive = fn == "Fn::Or"  # one True decides an Or, one False an And
            if decisive in results:
                return decisive
            return None if None in results else not decisive
        return None

    def parameter(self, name: str, where: Location) -> Value:
        """What ``!Ref name`` stands for: a parameter's default, a resource, or unknown."""
        return self._ref(name, where)

    def _ref(self, name: Any, where: Location) -> Value:
        param = self.parameters.get(name) if isinstance(name, str) else None
        if param is not None and param.is_map and param.get("Default") is not None:
            if name in self._params:
                return self._params[name]
            if name in self._resolving or len(self._resolving) > 64:
                return Unknown(f"Ref {name} (refers to itself)", where)
            self._resolving.add(name)
            try:
                result = self.value(param.get("Default"))  # the same wherever it is used
            finally:
                self._resolving.discard(name)
            self._params[name] = result
            return result
        if isinstance(name, str) and self.resource_type(name) is not None:
            return Reference(name, None, where, f"Ref {name}")
        return Unknown(f"Ref {name}", where)

    def _sub(self, arg: Node, where: Location, depth: int) -> Value:
        template, variables = sub_arguments(arg)
        if not isinstance(template, str):
            return Unknown("Fn::Sub", where)
        failed = False

        def sub(match: re.Match) -> str:
            nonlocal failed
            name = match.group(1).strip()
            if name in variables:
                v = self.value(variables[name], depth + 1)
            else:
                v = self._ref(name, where) if "." not in name else Unknown(name, where)
            if failed or not isinstance(v, Literal) or isinstance(v.value, (dict, list)) or len(str(v.value)) > MAX_TEXT:
                failed = True
                return ""
            return str(v.value)

        result = _SUB_VAR.sub(sub, template)
        if failed or len(result) > MAX_TEXT:  # substitutions that multiply text: not a real value
            return Unknown("Fn::Sub", where)
        return Literal(result.replace("${!", "${"), where)

    def literal(self, node: Node | None) -> Any:
        """The literal ``node`` stands for, or None when it has none (or there is no node)."""
        v = self.value(node)
        return v.value if isinstance(v, Literal) else None

    def setting(self, node: Node | None, default: Any, fallback: Location, as_int: bool = False) -> Setting:
        if node is None:
            return absent(default, fallback)
        v = self.value(node)
        location = self.loc(node)
        if not isinstance(v, Literal):
            return unknown(location, v.source)
        value = v.value
        if as_int:
            converted = to_int(value)
            if converted is None:
                return unknown(location, repr(value))
            value = converted
        return present(value, location)

    def reference(self, node: Node | None) -> Reference | None:
        """``!Ref X`` / ``!GetAtt X.Attr`` / ``!Sub ${X}`` / ``!Sub ${X.Attr}`` as written (X need
        not be a resource: callers ask ``resource_type``)."""
        if node is None or not node.is_map or len(node.value) != 1:
            return None
        (fn, arg), = node.value.items()
        where = self.loc(node)
        if fn == "Ref" and isinstance(arg.value, str):
            return Reference(arg.value, None, where, f"Ref {arg.value}")
        if fn == "Fn::GetAtt" and isinstance(arg.value, list) and len(arg.value) == 2:
            a, b = arg.value[0].value, arg.value[1].value
            if isinstance(a, str) and isinstance(b, str):
                return Reference(a, b, where, fn)
        if fn == "Fn::Sub" and isinstance(arg.value, str):
            m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z]+))?\}", arg.value.strip())
            if m:
                return Reference(m.group(1), m.group(2), where, fn)
        return None


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _text(value: Any) -> str:
    """A scalar as CloudFormation writes it (YAML's true is "true")."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _inner(v: Value) -> Any:
    """A piece of a map: the literal itself, or the typed value that says why it is not one."""
    return v.value if isinstance(v, Literal) else v


class SymbolicParts:
    """A value split into literal text and tokens for what cannot be resolved to text: ``("fn",
    logical_id)`` for a function's Ref, ``("version", logical_id)`` for a Version's ``.Version``,
    UNKNOWN_PART for anything else unresolvable. ``!Sub "function:${Fn}:live"`` becomes
    ``["function:", ("fn", "Fn"), ":live"]``. Subclasses add tokens (formats/cloudformation/api.py)."""

    def __init__(self, t: Template):
        self.t = t

    def parts(self, node: Node | None, depth: int = 0) -> list:
        t = self.t
        if node is None or depth > 10:
            return [UNKNOWN_PART]
        value = node.value
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, dict) or len(value) != 1:
            return [UNKNOWN_PART]
        (fn, arg), = value.items()
        if fn == "Ref" and isinstance(arg.value, str):
            return [self.ref(arg.value)]
        if fn == "Fn::GetAtt":
            items = arg.value
            if isinstance(items, str) and "." in items:
                a, b = items.split(".", 1)
            elif isinstance(items, list) and len(items) == 2 and isinstance(items[0].value, str) and isinstance(items[1].value, str):
                a, b = items[0].value, items[1].value
            else:
                return [UNKNOWN_PART]
            return [self.getatt(a, b)]
        if fn == "Fn::Sub":
            template, variables = sub_arguments(arg)
            if not isinstance(template, str):
                return [UNKNOWN_PART]
            out: list = []
            pos = 0
            for m in re.finditer(r"\$\{([^}]*)\}", template):
                out.append(template[pos:m.start()])
                pos = m.end()
                name = m.group(1).strip()
                if name.startswith("!"):
                    out.append("${" + name[1:] + "}")
                elif name in variables:
                    out.extend(self.parts(variables[name], depth + 1))
                elif "." in name:
                    out.append(self.getatt(*name.split(".", 1)))
                else:
                    out.append(self.ref(name))
            out.append(template[pos:])
            return out
        if fn == "Fn::Join" and isinstance(arg.value, list) and len(arg.value) == 2:
            sep = t.value(arg.value[0])
            items = arg.value[1].value
            if not isinstance(sep, Literal) or not isinstance(sep.value, str) or not isinstance(items, list):
                return [UNKNOWN_PART]
            out = []
            for i, item in enumerate(items):
                if i:
                    out.append(sep.value)
                out.extend(self.parts(item, depth + 1))
            return out
        if fn == "Fn::Select":
            function = self._name_from_arn(arg)
            if function is not None:
                return [function]
        resolved = t.value(node)
        if isinstance(resolved, Literal) and isinstance(resolved.value, (str, int)):
            return [str(resolved.value)]
        return [UNKNOWN_PART]

    def _name_from_arn(self, arg: Node) -> Any:
        """``Fn::Select [6, Fn::Split [":", ARN]]`` on the ARN of a function, or of its alias or
        version (``arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]``): that function, as
        ``("fn", logical_id)``. AWS CDK writes a scaling target's ResourceId this way."""
        t = self.t
        items = arg.value
        if not (isinstance(items, list) and len(items) == 2 and items[0].value in (6, "6")):
            return None
        split = items[1].get("Fn::Split") if items[1].is_map else None
        if split is None or not isinstance(split.value, list) or len(split.value) != 2 or split.value[0].value != ":":
            return None
        source = split.value[1]
        ref = source.get("Ref") if source.is_map else None
        getatt = source.get("Fn::GetAtt") if source.is_map else None
        if ref is not None and isinstance(ref.value, str):
            rtype = t.resource_type(ref.value)
            if rtype in (SAM_FUNCTION, CFN_FUNCTION):
                return ("fn", ref.value)
            if rtype in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                target = prop(t.properties(ref.value), "FunctionName")
                target_ref = target.get("Ref") if target is not None and target.is_map else None
                if target_ref is not None and t.resource_type(target_ref.value) in (SAM_FUNCTION, CFN_FUNCTION):
                    return ("fn", target_ref.value)
        elif getatt is not None:
            names = getatt.value.split(".", 1) if isinstance(getatt.value, str) else [n.value for n in getatt.value] if isinstance(getatt.value, list) else []
            if len(names) == 2 and names[1] == "Arn" and t.resource_type(names[0]) in (SAM_FUNCTION, CFN_FUNCTION):
                return ("fn", names[0])
        return None

    def ref(self, name: str) -> Any:
        t = self.t
        rtype = t.resource_type(name)
        if rtype in (SAM_FUNCTION, CFN_FUNCTION):
            return ("fn", name)
        if rtype is not None or name.startswith("AWS::"):
            return UNKNOWN_PART  # another resource's Ref (an alias's Ref is its ARN), or a pseudo parameter
        value = t.parameter(name, Location(t.path, 0, 0))
        return str(value.value) if isinstance(value, Literal) and isinstance(value.value, (str, int)) else UNKNOWN_PART

    def getatt(self, logical_id: str, attribute: str) -> Any:
        rtype = self.t.resource_type(logical_id)
        if rtype == "AWS::Lambda::Version" and attribute == "Version":
            return ("version", logical_id)
        return UNKNOWN_PART


def sub_arguments(arg: Node) -> tuple[Any, dict]:
    """``Fn::Sub``'s (template, variables): ``!Sub "text"`` or ``!Sub ["text", {Var: value}]``."""
    template, variables = arg.value, {}
    if isinstance(template, list) and template:
        variables = template[1].value if len(template) > 1 and isinstance(template[1].value, dict) else {}
        template = template[0].value
    return template, variables


def is_intrinsic(node: Node | None) -> bool:
    """``!If``, ``!Ref``, ``!FindInMap``...: a value only known at deploy time (a whole
    ``Properties`` written so is unknown, not empty)."""
    return node is not None and node.is_map and len(node.value) == 1 and next(iter(node.value)).startswith(("Fn::", "Ref", "Condition"))


def prop(node: Node | None, key: str) -> Node | None:
    """``node[key]`` when ``node`` is a mapping, else None."""
    return node.get(key) if node is not None else None
