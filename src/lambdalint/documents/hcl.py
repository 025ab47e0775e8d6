"""Terraform (.tf) parsing on tree-sitter-hcl.

tree-sitter gives a concrete syntax tree with byte positions; this module turns it into the
located ``Block``/``Attribute`` nodes the project layer reads. Values become plain Python
values, ``Expr`` (an expression kept as text) or ``HclTemplateString``. Expression text is
written in one canonical spelling (single spaces around operators, ``f(a, b)``, ``{k = v}``,
no comments or line breaks) so the project layer's reference patterns see the same text
however the file was formatted. Every tree-sitter call goes through ``documents.treesitter``.
"""

from __future__ import annotations

import re
from typing import Any

from lambdalint.documents.nodes import Attribute, Block, Expr, HclTemplateString, LoadError, ObjectValue

__all__ = ["parse_terraform", "Heredoc", "TOP_LEVEL_ATTRIBUTES"]

TOP_LEVEL_ATTRIBUTES = "__attributes__"


class Heredoc(str):
    """A heredoc's value; ``indent`` is how many leading spaces ``<<-`` removed from each line
    (so a position inside the value can be mapped back to its column in the file)."""

    indent = 0

    def __reduce__(self):
        return (_make_heredoc, (str(self), self.indent))


def _make_heredoc(text: str, indent: int) -> "Heredoc":
    value = Heredoc(text)
    value.indent = indent
    return value


# --------------------------------------------------------------------------- literals

_NUMBER = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?")
# one pass for the escapes of a quoted string: backslash escapes, and $${ / %%{ (literal ${ / %{)
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _decode(text: str) -> str:
    def repl(m: re.Match) -> str:
        whole = m.group(0)
        if whole == "$${":
            return "${"
        if whole == "%%{":
            return "%{"
        hexdigits = m.group(1) or m.group(2)
        if hexdigits:
            code = int(hexdigits, 16)
            if code <= 0x10FFFF and not 0xD800 <= code < 0xE000:
                return chr(code)
            return whole
        return _SIMPLE_ESCAPES.get(m.group(3), whole)  # unknown escapes stay verbatim

    if "\\" in text or "$${" in text or "%%{" in text:
        return _ESCAPE.sub(repl, text)
    return text


def _number(text: str) -> int | float | None:
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


class _Source:
    """The file's bytes plus what is needed to turn tree-sitter byte positions into 1-based
    character positions."""

    __slots__ = ("data", "ascii", "line_starts")

    def __init__(self, data: bytes, ascii_only: bool):
        self.data = data
        self.ascii = ascii_only
        self.line_starts: list[int] | None = None

    def text(self, node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def column(self, row: int, byte_column: int) -> int:
        if self.ascii:
            return byte_column + 1
        if self.line_starts is None:
            starts = [0]
            find = self.data.find
            at = find(b"\n")
            while at >= 0:
                starts.append(at + 1)
                at = find(b"\n", at + 1)
            self.line_starts = starts
        start = self.line_starts[row]
        return len(self.data[start : start + byte_column].decode("utf-8", "replace")) + 1

    def start(self, node) -> tuple[int, int]:
        row, col = node.start_point
        return row + 1, self.column(row, col)

    def end(self, node) -> tuple[int, int]:
        row, col = node.end_point
        return row + 1, self.column(row, col)


def _parts(node) -> list:
    """Named children without comments (comments never change a value)."""
    return [c for c in node.named_children if c.type != "comment"]


# --------------------------------------------------------------------------- expression text


# A traversal written without spaces (var.x, aws_lambda_function.f[0].arn, var.l[*].id,
# local.m["k"]) is already in canonical form: no need to print it from the tree.
_TRAVERSAL = re.compile(r'[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\.\d+|\.\*|\[\*\]|\[\d+\]|\["[\w./:-]*"\])*')


def _text(node, src: _Source) -> str:
    """The canonical text of an expression node (see the module docstring)."""
    kind = node.type
    if kind == "expression":
        raw = src.text(node)
        if _TRAVERSAL.fullmatch(raw):
            return raw
    handler = _PRINTERS.get(kind)
    if handler is not None:
        return handler(node, src)
    if node.child_count == 0:
        return src.text(node)
    return "".join(_text(c, src) for c in node.children if c.type != "comment")


def _join(node, src: _Source) -> str:
    return "".join(_text(c, src) for c in node.children if c.type != "comment")


def _binary(node, src: _Source) -> str:
    out = []
    for child in node.children:
        if child.type == "comment":
            continue
        if not child.is_named and child.type not in ("(", ")"):
            out.append(f" {child.type} ")
        else:
            out.append(_text(child, src))
    return "".join(out)


def _unary(node, src: _Source) -> str:
    return _join(node, src)


def _tuple(node, src: _Source) -> str:
    return "[" + ", ".join(_text(e, src) for e in _parts(node) if e.type == "expression") + "]"


def _object(node, src: _Source) -> str:
    elems = []
    for elem in _parts(node):
        if elem.type == "object_elem":
            key, value = _key_and_value(elem)
            elems.append(f"{_text(key, src)} = {_text(value, src)}")
    return "{" + ", ".join(elems) + "}"


def _function_call(node, src: _Source) -> str:
    name = ""
    args: list[str] = []
    ellipsis = False
    for child in node.named_children:
        if child.type == "identifier":
            name = src.text(child)
        elif child.type == "function_arguments":
            for arg in child.named_children:
                if arg.type == "expression":
                    args.append(_text(arg, src))
                elif arg.type == "ellipsis":
                    ellipsis = True
    return f"{name}({', '.join(args)}{' ...' if ellipsis else ''})"


def _conditional(node, src: _Source) -> str:
    condition, if_true, if_false = [e for e in _parts(node) if e.type == "expression"]
    return f"{_text(condition, src)} ? {_text(if_true, src)} : {_text(if_false, src)}"


def _for_intro(node, src: _Source) -> str:
    names = [src.text(c) for c in node.named_children if c.type == "identifier"]
    (collection,) = [c for c in node.named_children if c.type == "expression"]
    return f"for {', '.join(names)} in {_text(collection, src)} :"


def _for_cond(node, src: _Source) -> str:
    (condition,) = [c for c in node.named_children if c.type == "expression"]
    return "if " + _text(condition, src)


def _for_tuple(node, src: _Source) -> str:
    pieces = [_text(c, src) for c in _parts(node) if c.type in ("for_intro", "expression", "for_cond")]
    return "[" + " ".join(pieces) + "]"


def _for_object(node, src: _Source) -> str:
    pieces: list[str] = []
    for child in _parts(node):
        if child.type == "ellipsis":
            pieces[-1] += "..."
        elif child.type in ("for_intro", "expression", "for_cond"):
            pieces.append(_text(child, src))
    intro, key, value, *rest = pieces
    return "{" + " ".join([intro, key, "=>", value, *rest]) + "}"


def _string_lit(node, src: _Source) -> str:
    return '"' + _literal_text(node, src) + '"'


def _quoted_template(node, src: _Source) -> str:
    return '"' + _template_body(node, src) + '"'


def _heredoc_text(node, src: _Source) -> str:
    # An expression containing a heredoc (rare: f(<<EOT ... EOT)) keeps it as one quoted line.
    return '"' + src.text(node).rstrip("\r\n") + '"'


def _template_body(node, src: _Source) -> str:
    out = []
    # tree-sitter leaves the spaces around a literal out of its template_literal nodes: the
    # text between two children is literal text too.
    at = None
    for child in node.children:
        kind = child.type
        if at is not None and child.start_byte > at and kind != "comment":
            out.append(_one_line(src.data[at : child.start_byte].decode("utf-8", "replace"), node, src))
        if kind in ("quoted_template_start", "quoted_template_end", "comment"):
            at = child.end_byte
            continue
        at = child.end_byte
        if kind == "template_literal":
            out.append(_one_line(src.text(child), node, src))
        elif kind == "template_interpolation":
            out.append(_interpolation(child, src))
        elif kind in ("template_directive", "template_if", "template_for"):
            out.append(_template_body(child, src))
        elif kind in _DIRECTIVE_PIECES:
            out.append(_directive(child, src))
    return "".join(out)


def _literal_text(node, src: _Source) -> str:
    """The raw text between the quotes of a string without interpolations."""
    inner = [c for c in node.children if c.type not in ("quoted_template_start", "quoted_template_end")]
    if node.child_count >= 2 and node.children[0].type == "quoted_template_start":
        text = src.data[node.children[0].end_byte : node.children[-1].start_byte].decode("utf-8", "replace")
    else:
        text = "".join(src.text(c) for c in inner)
    return _one_line(text, node, src)


def _one_line(text: str, node, src: _Source) -> str:
    # tree-sitter-hcl lets a quoted string run over several lines; Terraform does not (only
    # heredocs and the inside of ${...} may), and such a string is usually a missing quote.
    if "\n" in text:
        while node.parent is not None and node.type not in ("string_lit", "quoted_template"):
            node = node.parent
        line, column = src.start(node)
        raise LoadError("Terraform syntax error: a quoted string cannot span lines (missing closing quote?)", line, column)
    return text


_DIRECTIVE_PIECES = {"template_if_intro", "template_else_intro", "template_if_end", "template_for_start", "template_for_end"}


def _interpolation(node, src: _Source) -> str:
    out = ["${"]
    for child in node.children:
        if child.type == "strip_marker":
            out.append("~")
        elif child.type == "expression":
            out.append(_text(child, src))
    out.append("}")
    return "".join(out)


def _directive(node, src: _Source) -> str:
    """``%{ if x }``, ``%{ else }``, ``%{ endif }``, ``%{ for k, v in m }``, ``%{ endfor }``."""
    words: list[str] = []
    strip_open = strip_close = False
    seen_word = False
    for child in node.children:
        kind = child.type
        if kind in ("template_directive_start", "template_directive_end", "comment"):
            continue
        if kind == "strip_marker":
            if seen_word:
                strip_close = True
            else:
                strip_open = True
            continue
        seen_word = True
        if kind == ",":
            words[-1] += ","
        elif kind == "expression":
            words.append(_text(child, src))
        else:
            words.append(src.text(child))
    return "%{" + ("~" if strip_open else "") + " " + " ".join(words) + " " + ("~" if strip_close else "") + "}"


_PRINTERS = {
    "expression": _join,
    "operation": _join,
    "binary_operation": _binary,
    "unary_operation": _unary,
    "collection_value": _join,
    "literal_value": _join,
    "tuple": _tuple,
    "object": _object,
    "function_call": _function_call,
    "conditional": _conditional,
    "for_expr": _join,
    "for_tuple_expr": _for_tuple,
    "for_object_expr": _for_object,
    "for_intro": _for_intro,
    "for_cond": _for_cond,
    "string_lit": _string_lit,
    "template_expr": _join,
    "quoted_template": _quoted_template,
    "heredoc_template": _heredoc_text,
    "legacy_index": lambda node, src: src.text(node),
}


# --------------------------------------------------------------------------- values


def _key_and_value(elem) -> tuple[Any, Any]:
    key, value = [c for c in elem.named_children if c.type == "expression"]
    return key, value


def _only(node):
    """The single named child of an expression node, or None when it has more (a traversal
    such as ``var.a.b``) or is parenthesised."""
    parts = _parts(node)
    if len(parts) != 1 or node.children[0].type == "(":
        return None
    return parts[0]


def _value(node, src: _Source) -> Any:
    inner = _only(node)
    if inner is not None:
        kind = inner.type
        if kind == "literal_value":
            return _literal(inner, src)
        if kind == "collection_value":
            (collection,) = _parts(inner)
            if collection.type == "tuple":
                return [_value(e, src) for e in _parts(collection) if e.type == "expression"]
            return _object_value(collection, src)
        if kind == "template_expr":
            (template,) = _parts(inner)
            if template.type == "heredoc_template":
                return _heredoc(template, src)
            return _quoted_value(template, src)
        if kind == "function_call" and inner.named_children and src.text(inner.named_children[0]) == "jsonencode":
            expr = Expr(_text(inner, src))
            args = [a for c in inner.named_children if c.type == "function_arguments" for a in _parts(c)]
            expr.call_args = [_value(a, src) for a in args if a.type == "expression"]
            return expr
        if kind == "operation":
            number = _negative_number(inner, src)
            if number is not None:
                return number
    return Expr(_text(node, src))


def _literal(node, src: _Source) -> Any:
    (lit,) = node.named_children
    kind = lit.type
    if kind == "numeric_lit":
        text = src.text(lit)
        number = _number(text)
        return number if number is not None else Expr(text)
    if kind == "bool_lit":
        return src.text(lit) == "true"
    if kind == "null_lit":
        return None
    # string_lit: only literal text (tree-sitter makes a template_expr when there is ${ or %{)
    return _decode(_literal_text(lit, src))


def _negative_number(operation, src: _Source) -> int | float | None:
    """``-3`` is the number -3, not an expression (the grammar reads it as minus applied to 3)."""
    (unary,) = operation.named_children
    if unary.type != "unary_operation" or unary.children[0].type != "-":
        return None
    rest = [c for c in unary.children[1:] if c.type != "comment"]
    if len(rest) != 1 or rest[0].type != "literal_value" or rest[0].named_children[0].type != "numeric_lit":
        return None
    number = _number(src.text(rest[0]))
    return -number if number is not None else None


def _quoted_value(node, src: _Source) -> Any:
    parts = [c for c in node.named_children if c.type not in ("quoted_template_start", "quoted_template_end")]
    if len(parts) == 1 and parts[0].type == "template_interpolation":
        # "${x}" alone is x itself in Terraform (it keeps x's type), so it is an expression.
        expressions = [c for c in parts[0].named_children if c.type == "expression"]
        if len(expressions) == 1:
            return Expr(_text(expressions[0], src))
    if all(p.type == "template_literal" for p in parts):
        return _decode(_literal_text(node, src))
    return HclTemplateString(_template_body(node, src))


def _heredoc(node, src: _Source) -> str:
    # The value is the lines between the opening line and the closing marker's line, each
    # newline-terminated as in Terraform; "<<-" also strips the common leading spaces.
    markers = [c for c in node.named_children if c.type == "heredoc_identifier"]
    data = src.data
    begin = data.find(b"\n", markers[0].end_byte)
    begin = len(data) if begin < 0 else begin + 1
    end = data.rfind(b"\n", 0, markers[-1].start_byte) + 1 if len(markers) > 1 else begin
    body = data[begin:end].decode("utf-8", "replace") if end > begin else ""
    lines = body.split("\n")[:-1] if body else []
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    trim = node.named_children[0].type == "heredoc_start" and src.text(node.named_children[0]) == "<<-"
    cut = 0
    if trim:
        indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    return _make_heredoc("".join(line + "\n" for line in lines), cut)


def _object_value(node, src: _Source) -> ObjectValue:
    out = ObjectValue()
    for elem in _parts(node):
        if elem.type != "object_elem":
            continue
        key_node, value_node = _key_and_value(elem)
        key = _key(key_node, src)
        out[key] = _value(value_node, src)
        out.positions[key] = src.start(elem)
    return out


def _key(node, src: _Source) -> str:
    inner = _only(node)
    if inner is not None:
        if inner.type == "variable_expr":
            return src.text(inner)
        if inner.type == "literal_value" and inner.named_children[0].type == "string_lit":
            return _literal(inner, src)
        if inner.type == "template_expr":
            value = _quoted_value(_parts(inner)[0], src) if _parts(inner)[0].type == "quoted_template" else None
            if isinstance(value, Expr):
                return "${" + value.text + "}"
            if isinstance(value, HclTemplateString):
                return value.text
            if isinstance(value, str):
                return value
    text = _text(node, src)
    # a computed key such as (var.k) is kept in interpolation form: "${(var.k)}"
    return "${" + text + "}" if node.children and node.children[0].type == "(" else text


# --------------------------------------------------------------------------- structure


def _attribute(node, src: _Source) -> Attribute:
    name = ""
    expression = None
    for child in node.named_children:
        if child.type == "identifier":
            name = src.text(child)
        elif child.type == "expression":
            expression = child
    line, column = src.start(node)
    end_line, end_column = src.end(expression if expression is not None else node)
    value = _value(expression, src) if expression is not None else None
    return Attribute(name, value, line, column, end_line, end_column)


def _label(node, src: _Source) -> str:
    if node.type == "string_lit":
        return _decode(_literal_text(node, src))
    return src.text(node)


def _block(node, src: _Source) -> Block:
    named = node.named_children
    line, column = src.start(node)
    block = Block(src.text(named[0]), [], line, column, node.end_point[0] + 1)
    for child in named[1:]:
        kind = child.type
        if kind in ("string_lit", "identifier"):
            block.labels.append(_label(child, src))
        elif kind == "body":
            _fill(block, child, src)
    return block


def _fill(block: Block, body, src: _Source) -> None:
    for child in body.named_children:
        if child.type == "attribute":
            attribute = _attribute(child, src)
            block.attributes[attribute.name] = attribute
        elif child.type == "block":
            block.blocks.append(_block(child, src))


# --------------------------------------------------------------------------- errors


def _first_multiline_string(root, src: _Source):
    """The first quoted string whose literal text (not its ${...} parts) holds a line break."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("string_lit", "quoted_template") and node.start_point[0] != node.end_point[0]:
            at = node.start_byte
            for child in node.children:
                gap = src.data[at : child.start_byte]
                if b"\n" in gap or (child.type == "template_literal" and b"\n" in src.data[child.start_byte : child.end_byte]):
                    return node
                at = child.end_byte
        if node.type == "heredoc_template" or node.start_point[0] == node.end_point[0]:
            continue  # heredocs may hold line breaks; a one-line node holds no multi-line string
        stack.extend(reversed(node.children))
    return None


_CLOSERS = {"[": "]", "{": "}", "(": ")", "${": "}", "%{": "}", '"': '"'}


def _problem_nodes(node) -> list:
    """ERROR and MISSING nodes, outermost only, in document order."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing or current.type == "ERROR":
            found.append(current)
        elif current.has_error:
            stack.extend(reversed(current.children))
    return found


def _syntax_error(tree, src: _Source) -> LoadError:
    problems = _problem_nodes(tree.root_node)
    if not problems:
        return LoadError("Terraform syntax error", 1, 1)
    bad = problems[0]
    # A missing closing quote makes tree-sitter read on to the next quote, lines later, and
    # the error surfaces far away; the first string that runs over a line break is the place.
    broken = _first_multiline_string(tree.root_node, src)
    if broken is not None:
        line, column = src.start(broken)
        return LoadError("Terraform syntax error: unterminated string (missing closing quote?)", line, column)
    if bad.is_missing and bad.type == "quoted_template_end" and bad.parent is not None:
        line, column = src.start(bad.parent)
        return LoadError("Terraform syntax error: unterminated string (missing closing quote)", line, column)
    at = bad
    tail = src.data[bad.end_byte :]
    if bad.type == "ERROR" and bad.child_count > 1 and not tail.strip():
        # tree-sitter gave up on everything from here to the end of the file (often an
        # unclosed construct): the last piece it could not fit is the better place to point at.
        at = bad.children[-1]
        closer = _CLOSERS.get(src.text(at).strip())
        if closer:  # an opening bracket never closed: the file ended too soon
            lines = src.data.decode("utf-8", "replace").split("\n")
            return LoadError(f"Terraform syntax error: unexpected end of file, expected {closer!r}", len(lines), len(lines[-1]) + 1)
    line, column = src.start(at)
    rest = src.data[at.start_byte :].decode("utf-8", "replace")
    token = rest.split(None, 1)[0][:30] if rest.strip() else ""
    expected = bad.type if bad.is_missing and not bad.type.isidentifier() else None
    if not token:
        reason = "unexpected end of file" + (f", expected {expected!r}" if expected else "")
    else:
        reason = f"unexpected {token!r}"
    return LoadError(f"Terraform syntax error: {reason}", line, column)


# tree-sitter-hcl 1.2 rejects a number with an exponent but no fraction (1e3), which Terraform
# accepts. Such files are parsed again with those numbers overwritten by digits of the same
# length: positions stay put, and values are read from the original text.
_EXPONENT = re.compile(rb"(?<![\w.])\d+[eE][+-]?\d+(?![\w.])")


def _digits(match: re.Match) -> bytes:
    return b"1" * len(match.group(0))


def parse_terraform(text: str) -> list[Block]:
    """Top-level blocks of a .tf file. Raises only ``LoadError``."""
    try:
        from lambdalint.documents import treesitter
    except Exception as exc:  # pragma: no cover - broken install
        raise LoadError(f"cannot load the Terraform parser: {exc}") from None
    try:
        if text.startswith("\ufeff"):
            text = text[1:]
        data = text.encode("utf-8", "surrogatepass")
        tree = treesitter.parse("hcl", data)
        src = _Source(data, text.isascii())
        if tree.root_node.has_error and _EXPONENT.search(data):
            tree = treesitter.parse("hcl", _EXPONENT.sub(_digits, data))
        if tree.root_node.has_error:
            raise _syntax_error(tree, src)
        blocks: list[Block] = []
        top = Block(TOP_LEVEL_ATTRIBUTES, [], 1, 1, max(text.count("\n") + 1, 1))
        for body in tree.root_node.named_children:
            if body.type == "body":
                for child in body.named_children:
                    if child.type == "block":
                        blocks.append(_block(child, src))
                    elif child.type == "attribute":
                        attribute = _attribute(child, src)
                        top.attributes[attribute.name] = attribute
        # Top-level attributes only occur in .tfvars files: keep them on one pseudo block.
        if top.attributes:
            blocks.append(top)
        return blocks
    except LoadError:
        raise
    except RecursionError:
        raise LoadError("Terraform file is nested too deeply to analyse") from None
    except Exception as exc:
        raise LoadError(f"cannot parse Terraform: {type(exc).__name__}: {exc}") from None
