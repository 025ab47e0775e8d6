"""Terraform (.tf) parsing on top of python-hcl2 8.x.

We drive python-hcl2's Lark grammar ourselves so the compiled parser can be cached in the
user's cache directory (python-hcl2 caches inside site-packages, which is often read-only,
and then pays seconds per run). Structure and positions come from its query API; values are
converted from its rule tree into plain Python values plus ``Expr``/``HclTemplateString``.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import Any

from lambdalint.documents.nodes import Attribute, Block, Expr, HclTemplateString, LoadError, ObjectValue

__all__ = ["parse_terraform"]


def _hcl2_version() -> str:
    try:
        from importlib.metadata import version

        return version("python-hcl2")
    except Exception:
        import hcl2

        return str(getattr(hcl2, "__version__", "unknown"))


def _lark_version() -> str:
    import lark

    return str(getattr(lark, "__version__", "unknown"))


# --------------------------------------------------------------------------- parser + cache


def _cache_dir() -> Path | None:
    env = os.environ.get("LAMBDALINT_CACHE_DIR")
    if env:
        return Path(env)
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
            return Path(base, "lambdalint", "cache")
        xdg = os.environ.get("XDG_CACHE_HOME")
        # The XDG spec says relative values are to be ignored.
        if xdg and os.path.isabs(xdg):
            return Path(xdg, "lambdalint")
        return Path.home() / ".cache" / "lambdalint"
    except (RuntimeError, KeyError, OSError):  # no resolvable home directory
        return None


def _cache_file() -> Path | None:
    directory = _cache_dir()
    if directory is None:
        return None
    # Lark's cache key also covers the Python minor version; putting it in the name stops two
    # interpreters sharing one cache directory from overwriting each other's file on every run.
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return directory / f"hcl2-{_hcl2_version()}-lark-{_lark_version()}-{py}.bin"


def _build_lark(cache: str | bool):
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    # Same arguments as hcl2.parser.parser(), except where the cache lives.
    return Lark.open(
        "hcl2.lark",
        parser="lalr",
        rel_to=hcl2.parser.__file__,
        propagate_positions=True,
        postlex=PostLexer(),
        cache=cache,
    )


@functools.lru_cache(maxsize=1)
def _parser():
    path = _cache_file()
    if path is None:
        return _build_lark(False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return _build_lark(False)
    # Lark hashes the cache path into the key, so it must get the final path (a write-then-rename
    # would never match). Lark ignores write errors (unwritable dir -> no file, still works) and
    # rebuilds if the file is stale or half-written by a concurrent run.
    return _build_lark(str(path))


# --------------------------------------------------------------------------- positions


def _span(view: Any) -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column) of a query-API view, 1-based, end exclusive.

    python-hcl2 8.x keeps positions only on the private ``LarkRule._meta`` (a lark ``Meta``);
    this is the single place that touches it, so an upgrade that moves it fails here, loudly.
    """
    try:
        meta = view.raw._meta
        return int(meta.line), int(meta.column), int(meta.end_line), int(meta.end_column)
    except AttributeError as exc:
        raise RuntimeError(
            f"python-hcl2 {_hcl2_version()} no longer exposes source positions at "
            f"view.raw._meta.line/column/end_line/end_column; lambdalint.documents.hcl._span "
            f"needs updating ({exc})"
        ) from exc


# --------------------------------------------------------------------------- values

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _decode_escapes(text: str) -> str:
    def repl(m: re.Match) -> str:
        hexdigits = m.group(1) or m.group(2)
        if hexdigits:
            code = int(hexdigits, 16)
            if code <= 0x10FFFF and not 0xD800 <= code < 0xE000:
                return chr(code)
            return m.group(0)
        return _SIMPLE_ESCAPES.get(m.group(3), m.group(0))  # unknown escapes stay verbatim

    return _ESCAPE.sub(repl, text) if "\\" in text else text


def _unwrap(text: str) -> str:
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text


def _number(text: str) -> int | float | None:
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


def _string(node) -> str | HclTemplateString | Expr:
    from hcl2.rules.strings import InterpolationRule

    parts = [p.content for p in node.string_parts]
    if len(parts) == 1 and isinstance(parts[0], InterpolationRule):
        # "${x}" alone is x itself in Terraform (it keeps x's type), so it is an expression.
        return Expr(_unwrap(str(parts[0].serialize())))
    out = []
    for part in parts:
        name = part.lark_name()
        text = str(part.serialize())
        if name == "STRING_CHARS":
            out.append(_decode_escapes(text))
        elif name in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
            out.append(text[1:])  # $${ -> ${ and %%{ -> %{
        else:  # interpolation or %{...} directive
            return HclTemplateString(str(node.serialize())[1:-1])
    return "".join(out)


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


def _heredoc(node, trim: bool) -> str:
    # Raw token is "<<MARK\n...\n  MARK\n"; the value is the lines in between, each
    # newline-terminated as in Terraform. "<<-" also strips the common leading spaces.
    lines = str(node.heredoc.serialize()).split("\n")[1:-2]
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    if trim:
        indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
        return _make_heredoc("".join(line + "\n" for line in lines), cut)
    return _make_heredoc("".join(line + "\n" for line in lines), 0)


def _key(elem) -> str:
    from hcl2.rules.containers import ObjectElemKeyRule
    from hcl2.rules.strings import StringRule

    key = elem.key
    if isinstance(key, ObjectElemKeyRule) and isinstance(key.value, StringRule):
        value = _string(key.value)
        if isinstance(value, Expr):
            return "${" + value.text + "}"
        return value.text if isinstance(value, HclTemplateString) else value
    # identifiers/numbers serialize bare; computed keys such as (var.k) come back as "${(var.k)}"
    return str(key.serialize())


def _value(node) -> Any:
    from hcl2.rules.containers import ObjectRule, TupleRule
    from hcl2.rules.expressions import ExprTermRule
    from hcl2.rules.functions import FunctionCallRule
    from hcl2.rules.strings import HeredocTemplateRule, HeredocTrimTemplateRule, StringRule

    while isinstance(node, ExprTermRule) and not node.parentheses:
        node = node.expression
    if isinstance(node, StringRule):
        return _string(node)
    if isinstance(node, HeredocTrimTemplateRule):
        return _heredoc(node, trim=True)
    if isinstance(node, HeredocTemplateRule):
        return _heredoc(node, trim=False)
    if isinstance(node, TupleRule):
        return [_value(e) for e in node.elements]
    if isinstance(node, ObjectRule):
        out = ObjectValue()
        for e in node.elements:
            key = _key(e)
            out[key] = _value(e.expression)
            meta = getattr(e, "_meta", None)
            if meta is not None and getattr(meta, "line", None) is not None:
                out.positions[key] = (int(meta.line), int(meta.column))
        return out
    if isinstance(node, FunctionCallRule) and [str(i.serialize()) for i in node.identifiers] == ["jsonencode"]:
        args = node.arguments
        expr = Expr(_unwrap(str(node.serialize())))
        expr.call_args = [_value(a) for a in args.arguments] if args is not None else []
        return expr
    # Everything else: python-hcl2 gives numbers/bools/None as Python values and any other
    # expression as "${<normalised source>}".
    result = node.serialize()
    if result is None or isinstance(result, (bool, int, float)):
        return result
    text = _unwrap(str(result))
    number = _number(text)  # 1e3 and -1e3 come back as "${1e3}"
    return number if number is not None else Expr(text)


# --------------------------------------------------------------------------- structure


def _end(line: int, end_line: int, end_column: int, lines: list[str]) -> tuple[int, int]:
    # A heredoc token swallows the newline after its closing marker, so the attribute seems
    # to end at column 1 of the next line; move the end back to the marker line.
    if end_column == 1 and end_line > line and end_line - 2 < len(lines):
        end_line -= 1
        end_column = len(lines[end_line - 1].rstrip("\r")) + 1
    return end_line, end_column


def _attribute(view, lines: list[str]) -> Attribute:
    line, column, end_line, end_column = _span(view)
    end_line, end_column = _end(line, end_line, end_column, lines)
    return Attribute(view.name, _value(view.raw.expression), line, column, end_line, end_column)


def _block(view, lines: list[str]) -> Block:
    line, column, end_line, _ = _span(view)
    block = Block(view.block_type, list(view.name_labels), line, column, end_line)
    for attr in view.attributes():
        block.attributes[attr.name] = _attribute(attr, lines)
    block.blocks = [_block(child, lines) for child in view.blocks()]
    return block


_TERMINALS = {
    "RBRACE": "'}'",
    "LBRACE": "'{'",
    "RSQB": "']'",
    "RPAR": "')'",
    "DBLQUOTE": "'\"'",
    "EQ": "'='",
    "COMMA": "','",
    "$END": "end of file",
}


def _describe(token) -> str:
    if token is None or getattr(token, "type", None) == "$END":
        return "end of file"
    text = str(token)
    first = text.strip().split("\n", 1)[0]
    if not first:
        return "end of line"
    return repr(first[:30])


def _syntax_error(exc, text: str) -> LoadError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        reason = f"unexpected character {exc.char!r}"
    elif isinstance(exc, UnexpectedToken):
        reason = f"unexpected {_describe(exc.token)}"
        expected = sorted(exc.expected or ())
        if expected and all(t in _TERMINALS for t in expected):
            reason += ", expected " + " or ".join(_TERMINALS[t] for t in expected)
    else:  # UnexpectedEOF
        reason = "unexpected end of file"
    last_line = text.count("\n") + 1
    line = getattr(exc, "line", -1)
    column = getattr(exc, "column", -1)
    if not isinstance(line, int) or line < 1 or line > last_line:
        line = last_line
        column = len(text.rsplit("\n", 1)[-1]) + 1
    if not isinstance(column, int) or column < 1:
        column = 1
    return LoadError(f"Terraform syntax error: {reason}", line, column)


def _transform_error(exc) -> LoadError:
    # Lark wraps errors raised while transforming the tree; report the original one, at the
    # rule it came from when lark recorded a position.
    orig = getattr(exc, "orig_exc", exc)
    if isinstance(orig, RecursionError):
        return LoadError("Terraform file is nested too deeply to analyse")
    meta = getattr(getattr(exc, "obj", None), "meta", None)
    line, column = getattr(meta, "line", 1), getattr(meta, "column", 1)
    return LoadError(f"cannot parse Terraform: {orig}", line, column)


TOP_LEVEL_ATTRIBUTES = "__attributes__"


def parse_terraform(text: str) -> list[Block]:
    """Top-level blocks of a .tf file. Raises only ``LoadError``."""
    try:
        from lark.exceptions import UnexpectedInput, VisitError
    except Exception as exc:  # pragma: no cover - broken install
        raise LoadError(f"cannot load the Terraform parser: {exc}") from None
    try:
        if text.startswith("\ufeff"):
            text = text[1:]
        import hcl2.api
        from hcl2.query.body import DocumentView

        # Trailing newline: the grammar needs one to end the last line (as in hcl2.api).
        tree = _parser().parse(text + "\n")
        doc = DocumentView(hcl2.api.transform(tree))
        lines = text.split("\n")
        blocks = [_block(view, lines) for view in doc.blocks()]
        # Top-level attributes only occur in .tfvars files: keep them on one pseudo block.
        attributes = {a.name: a for a in (_attribute(v, lines) for v in doc.attributes())}
        if attributes:
            blocks.append(Block(TOP_LEVEL_ATTRIBUTES, [], 1, 1, max(len(lines), 1), attributes=attributes))
        return blocks
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    except VisitError as exc:
        raise _transform_error(exc) from None
    except RecursionError:
        raise LoadError("Terraform file is nested too deeply to analyse") from None
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(f"cannot parse Terraform: {type(exc).__name__}: {exc}") from None
