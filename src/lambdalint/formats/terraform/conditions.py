"""Terraform's simple expressions over known values: ``var.enabled ? 1 : 0``,
``local.create && var.create_function && !var.create_layer``, ``var.pc > -1``.

``count = var.enabled ? 1 : 0`` is how modules switch resources on and off; with the variable's
default known we can tell whether the resource exists. Anything we cannot read (a function call,
an attribute of another resource) is unresolved, and an unresolved operand only decides the
result when the other operand does not (``false && anything`` is false).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

UNRESOLVED = object()

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?\d+(?:\.\d+)?)
      | (?P<str>"(?:[^"\\$%]|\\.)*")
      | (?P<op>&&|\|\||==|!=|>=|<=|[!?:()<>])
      | (?P<name>[A-Za-z_][A-Za-z0-9_.-]*)
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> list[tuple[str, Any]] | None:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return None  # something we do not read (calls, indexes, arithmetic)
        pos = m.end()
        if m.group("num") is not None:
            n = m.group("num")
            out.append(("lit", float(n) if "." in n else int(n)))
        elif m.group("str") is not None:
            out.append(("lit", json.loads(m.group("str"))))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            name = m.group("name")
            out.append(("lit", name == "true") if name in ("true", "false") else ("lit", None) if name == "null" else ("name", name))
    return out


def is_operator_expression(text: str) -> bool:
    """Worth evaluating here: a conditional, a logical or a comparison."""
    return bool(re.search(r"\?|&&|\|\||==|!=|>|<|^\s*!", text))


def evaluate(text: str, lookup: Callable[[str], Any]) -> Any:
    """The value of ``text``, or UNRESOLVED. ``lookup(name)`` resolves ``var.x`` / ``local.x``."""
    tokens = _tokens(text)
    if not tokens:
        return UNRESOLVED
    parser = _Parser(tokens, lookup)
    try:
        value = parser.conditional()
    except _Unreadable:
        return UNRESOLVED
    return value if parser.pos == len(tokens) else UNRESOLVED


class _Unreadable(Exception):
    pass


def _truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


class _Parser:
    """Precedence as in Terraform: ?: < || < && < == != < > >= < <= < unary !."""

    def __init__(self, tokens, lookup):
        self.tokens, self.lookup, self.pos = tokens, lookup, 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, op: str) -> bool:
        if self.peek() == ("op", op):
            self.pos += 1
            return True
        return False

    def conditional(self) -> Any:
        cond = self.logical_or()
        if not self.take("?"):
            return cond
        yes = self.conditional()
        if not self.take(":"):
            raise _Unreadable
        no = self.conditional()
        truth = _truth(cond)
        return UNRESOLVED if truth is None else (yes if truth else no)

    def logical_or(self) -> Any:
        left = self.logical_and()
        while self.take("||"):
            right = self.logical_and()
            a, b = _truth(left), _truth(right)
            left = True if (a is True or b is True) else False if (a is False and b is False) else UNRESOLVED
        return left

    def logical_and(self) -> Any:
        left = self.equality()
        while self.take("&&"):
            right = self.equality()
            a, b = _truth(left), _truth(right)
            left = False if (a is False or b is False) else True if (a is True and b is True) else UNRESOLVED
        return left

    def equality(self) -> Any:
        left = self.comparison()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.tokens[self.pos][1]
            self.pos += 1
            right = self.comparison()
            if left is UNRESOLVED or right is UNRESOLVED or isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
                left = UNRESOLVED
            else:
                left = (left == right) == (op == "==")
        return left

    def comparison(self) -> Any:
        left = self.unary()
        while self.peek() in (("op", ">"), ("op", "<"), ("op", ">="), ("op", "<=")):
            op = self.tokens[self.pos][1]
            self.pos += 1
            right = self.unary()
            a, b = _number(left) if left is not UNRESOLVED else None, _number(right) if right is not UNRESOLVED else None
            if a is None or b is None:
                left = UNRESOLVED
            else:
                left = {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]
        return left

    def unary(self) -> Any:
        if self.take("!"):
            truth = _truth(self.unary())
            return UNRESOLVED if truth is None else not truth
        return self.atom()

    def atom(self) -> Any:
        token = self.peek()
        if token is None:
            raise _Unreadable
        if token == ("op", "("):
            self.pos += 1
            value = self.conditional()
            if not self.take(")"):
                raise _Unreadable
            return value
        self.pos += 1
        kind, value = token
        if kind == "lit":
            return value
        if kind == "name":
            return self.lookup(value)
        raise _Unreadable
