"""JavaScript and TypeScript sources: parsed with tree-sitter into script facts."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.javascript import ScriptFacts
from ..findings import ParseFailure
from ..suppress_comments import InlineSuppression, scan_slashes
from .source import read_text, syntax_failure

# file suffix -> tree-sitter language
GRAMMARS = {".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript", ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx"}


@dataclass
class ScriptDocument:
    path: str
    facts: ScriptFacts
    suppressions: tuple[InlineSuppression, ...]
    line_count: int
    language: str  # javascript | typescript | tsx


def grammar_for(rel: str) -> str:
    suffix = rel[rel.rfind(".") :].lower()
    return GRAMMARS.get(suffix, "javascript")


def parse_script(path: str, rel: str) -> tuple[ScriptDocument | None, ParseFailure | None]:
    """The document, and the first syntax error if tree-sitter had to recover from one (the
    facts of the rest of the file are still used)."""
    text, failure = read_text(path, rel)
    if failure:
        return None, failure
    return parse_script_text(text, rel)


def parse_script_text(text: str, rel: str) -> tuple[ScriptDocument | None, ParseFailure | None]:
    from ..analysis.javascript import collect
    from . import treesitter

    language = grammar_for(rel)
    source = text.encode("utf-8")
    tree = treesitter.parse(language, source)
    try:
        facts = collect(rel, tree, source)
    except RecursionError:
        return None, ParseFailure(rel, 1, 1, "JavaScript/TypeScript source is nested too deeply to analyse")
    failure = syntax_failure(tree, source, rel, "JavaScript" if language == "javascript" else "TypeScript")
    return ScriptDocument(rel, facts, scan_slashes(text), text.count("\n") + 1, language), failure
