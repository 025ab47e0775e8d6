"""The one module that calls tree-sitter.

tree-sitter's Python API changed shape at 0.22, 0.23, 0.25 and 0.26 (how a Language is
built, how a Parser gets it, where captures live). Every other module goes through the
functions here and touches only ``Node`` attributes that have been stable across those
releases (``type``, ``children``, ``named_children``, ``child_by_field_name``,
``start_point``, ``end_point``, ``start_byte``, ``end_byte``, ``is_named``, ``is_missing``,
``has_error``, ``parent``).

Grammars are imported on first use of their language, so a run with no Terraform, JavaScript
or Java files never imports tree-sitter at all. Parsers and compiled queries are cached per
process: compiling a query costs far more than running it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Iterator

__all__ = [
    "LANGUAGES",
    "SyntaxProblem",
    "captures",
    "language",
    "matches",
    "node_text",
    "parse",
    "query",
    "syntax_problems",
]

# language name -> (grammar module, function returning the language pointer)
LANGUAGES: dict[str, tuple[str, str]] = {
    "hcl": ("tree_sitter_hcl", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "java": ("tree_sitter_java", "language"),
}

_languages: dict[str, Any] = {}
_parsers: dict[str, Any] = {}
_queries: dict[tuple[str, str], Any] = {}


def language(name: str) -> Any:
    """The tree-sitter ``Language`` for ``name`` (one of ``LANGUAGES``), built once."""
    found = _languages.get(name)
    if found is None:
        import tree_sitter

        module_name, attribute = LANGUAGES[name]
        pointer = getattr(importlib.import_module(module_name), attribute)()
        found = _languages[name] = tree_sitter.Language(pointer)
    return found


def _parser(name: str) -> Any:
    found = _parsers.get(name)
    if found is None:
        import tree_sitter

        try:
            found = tree_sitter.Parser(language(name))
        except TypeError:  # before 0.22 the language was set afterwards
            found = tree_sitter.Parser()
            found.set_language(language(name))
        _parsers[name] = found
    return found


def parse(name: str, source: bytes) -> Any:
    """Parse ``source`` as language ``name``; returns the tree (never raises on bad syntax)."""
    return _parser(name).parse(source)


def query(name: str, pattern: str) -> Any:
    """A compiled query for ``pattern`` in language ``name``, compiled once per process."""
    key = (name, pattern)
    found = _queries.get(key)
    if found is None:
        import tree_sitter

        lang = language(name)
        try:
            found = tree_sitter.Query(lang, pattern)
        except TypeError:  # before 0.25 queries were made by the language
            found = lang.query(pattern)
        _queries[key] = found
    return found


def _cursor(compiled: Any) -> Any:
    import tree_sitter

    cursor_type = getattr(tree_sitter, "QueryCursor", None)
    return cursor_type(compiled) if cursor_type is not None else compiled


def matches(compiled: Any, node: Any) -> list[dict[str, list[Any]]]:
    """Every match of ``compiled`` under ``node``, in document order: capture name -> nodes."""
    out: list[dict[str, list[Any]]] = []
    for _, captured in _cursor(compiled).matches(node):
        out.append({name: nodes if isinstance(nodes, list) else [nodes] for name, nodes in captured.items()})
    return out


def captures(compiled: Any, node: Any) -> list[tuple[str, Any]]:
    """Every capture of ``compiled`` under ``node`` as (name, node), ordered by position."""
    raw = _cursor(compiled).captures(node)
    pairs: list[tuple[str, Any]] = []
    if isinstance(raw, dict):  # 0.23 and later: name -> nodes
        for name, nodes in raw.items():
            pairs.extend((name, found) for found in nodes)
    else:  # before 0.23: a list of (node, name)
        pairs.extend((name, found) for found, name in raw)
    pairs.sort(key=lambda pair: (pair[1].start_byte, -pair[1].end_byte, pair[0]))
    return pairs


def node_text(node: Any, source: bytes) -> str:
    """The source text a node spans, decoded as UTF-8 (undecodable bytes replaced)."""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


@dataclass(frozen=True)
class SyntaxProblem:
    """A place tree-sitter could not parse: 1-based line, 1-based column (in characters)."""

    line: int
    column: int
    missing: str | None  # the token tree-sitter inserted to recover, for a MISSING node

    def describe(self) -> str:
        if self.missing:
            return f"expected {self.missing!r}"
        return "unexpected input"


def _walk_problems(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing or current.type == "ERROR":
            yield current
            continue
        if current.has_error:
            stack.extend(reversed(current.children))


def syntax_problems(tree: Any, source: bytes) -> list[SyntaxProblem]:
    """The ERROR and MISSING nodes of ``tree``, first in the file first."""
    problems = []
    for bad in _walk_problems(tree.root_node):
        row, byte_column = bad.start_point
        line_start = source.rfind(b"\n", 0, bad.start_byte) + 1
        column = len(source[line_start : line_start + byte_column].decode("utf-8", "replace")) + 1
        problems.append(SyntaxProblem(row + 1, column, bad.type if bad.is_missing else None))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems
