"""Java sources: parsed with tree-sitter into per-file facts (joined per source root later)."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.java import JavaFacts
from ..findings import ParseFailure
from ..suppress_comments import InlineSuppression, scan_slashes
from .source import read_text, syntax_failure


@dataclass
class JavaDocument:
    path: str
    facts: JavaFacts
    suppressions: tuple[InlineSuppression, ...]
    line_count: int

    @property
    def source_root(self) -> str:
        """The directory its package starts in: ``fn/src/main/java`` for
        ``fn/src/main/java/com/example/App.java`` in package ``com.example``."""
        directory = self.path.rsplit("/", 1)[0] if "/" in self.path else ""
        package = self.facts.package.replace(".", "/")
        if package and (directory == package or directory.endswith("/" + package)):
            return directory[: -len(package)].rstrip("/")
        return directory


def parse_java(path: str, rel: str) -> tuple[JavaDocument | None, ParseFailure | None]:
    text, failure = read_text(path, rel)
    if failure:
        return None, failure
    return parse_java_text(text, rel)


def parse_java_text(text: str, rel: str) -> tuple[JavaDocument | None, ParseFailure | None]:
    from ..analysis.java import collect
    from . import treesitter

    source = text.encode("utf-8")
    tree = treesitter.parse("java", source)
    try:
        facts = collect(rel, tree, source)
    except RecursionError:
        return None, ParseFailure(rel, 1, 1, "Java source is nested too deeply to analyse")
    return JavaDocument(rel, facts, scan_slashes(text), text.count("\n") + 1), syntax_failure(tree, source, rel, "Java")
