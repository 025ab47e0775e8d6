"""Python handler sources: parsed with the standard library's ``ast`` into module facts."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

from ..analysis.facts import ModuleFacts, collect_facts
from ..findings import Notice, ParseFailure
from ..suppress_comments import InlineSuppression, scan_python
from .source import binary_failure, decode, python_encoding, read_bytes


@dataclass
class PythonDocument:
    path: str
    facts: ModuleFacts
    suppressions: tuple[InlineSuppression, ...]
    line_count: int


def parse_python(path: str, rel: str, extra_roots: frozenset = frozenset(), package_names: frozenset = frozenset()) -> tuple[PythonDocument | None, ParseFailure | None, list[Notice]]:
    data, failure = read_bytes(path, rel)
    if failure:
        return None, failure, []
    failure = binary_failure(data, rel)
    if failure:
        return None, failure, []
    text, failure = decode(data, rel, python_encoding(data))
    if failure:
        return None, failure, []
    return parse_python_text(text, rel, extra_roots, package_names)


def parse_python_text(text: str, rel: str, extra_roots: frozenset = frozenset(), package_names: frozenset = frozenset()) -> tuple[PythonDocument | None, ParseFailure | None, list[Notice]]:
    try:
        tree = ast.parse(text, filename=rel)
    except SyntaxError as exc:
        newer = None if "too many nested" in (exc.msg or "") else _needs_newer_python(text)
        if newer:
            return None, None, [Notice(rel, exc.lineno or 1, newer, "warning")]
        reason = exc.msg or "invalid syntax"
        return None, ParseFailure(rel, exc.lineno or 1, (exc.offset or 1), f"Python syntax error: {reason}"), []
    except (RecursionError, MemoryError):
        return None, ParseFailure(rel, 1, 1, "Python source is nested too deeply to parse"), []
    except ValueError as exc:  # e.g. NUL bytes that slipped past the binary check
        return None, ParseFailure(rel, 1, 1, f"Python source cannot be parsed: {exc}"), []
    try:
        facts = collect_facts(rel, tree, text, extra_roots, package_names)
    except RecursionError:
        return None, ParseFailure(rel, 1, 1, "Python source is nested too deeply to analyse"), []
    return PythonDocument(rel, facts, scan_python(text), text.count("\n") + 1), None, []


def _needs_newer_python(text: str) -> str | None:
    """When ``ast`` rejects a file, ask libcst's parser (it knows newer grammars than the running
    interpreter): if it accepts the file, the code is valid for a newer Python, not broken.
    libcst is imported only here, on this rare path."""
    if sys.version_info >= (3, 14) or _bracket_depth(text) > 100:
        return None  # libcst's native parser overflows its stack on pathological nesting
    try:
        import libcst
    except ImportError:
        return None
    try:
        libcst.parse_module(text)
    except Exception:
        return None
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    needed = "3.12" if sys.version_info < (3, 12) else ("3.13" if sys.version_info < (3, 13) else "3.14")
    return (
        f"not analysed: valid Python for a newer interpreter (libcst parses it) that Python {running} cannot parse; "
        f"run lambdalint on Python {needed} or newer to analyse this file"
    )


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in ")]}":
            depth -= 1
    return deepest
