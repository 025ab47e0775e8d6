"""The "Example" and "Use instead" code in a rule's docs, taken from its tested examples: the docs
show only code that test_rule_examples runs, without the test's ``# expect:`` comments.

A rule's DOCS holds a marker line where the code goes: ``<!-- example -->`` gets the must-fire
examples marked ``docs=True`` (the first must-fire example when none is), ``<!-- use-instead -->``
the must-not-fire examples chosen the same way."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

EXAMPLE_MARKER = "<!-- example -->"
USE_INSTEAD_MARKER = "<!-- use-instead -->"
EXPECT_COMMENT = re.compile(r"[ \t]*(?:#|//)[ \t]*expect:[ \t]*LL\d{3}(?:[ \t]*,[ \t]*LL\d{3})*")

LANGUAGES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".tf": "hcl",
    ".tfvars": "hcl",
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".java": "java",
    ".toml": "toml",
}


def unmarked(text: str) -> str:
    """``text`` without its ``# expect:`` / ``// expect:`` comments."""
    return EXPECT_COMMENT.sub("", text)


def for_docs(examples: tuple) -> list:
    """The examples marked ``docs=True``, or the first one."""
    chosen = [e for e in examples if e.docs]
    return chosen or list(examples[:1])


def render_example(example) -> str:
    """Every non-empty file of the example in a fenced block, named when there are several."""
    files = [(path, text) for path, text in example.files.items() if text.strip()]
    out = []
    for path, text in files:
        if len(files) > 1:
            out.append(f"`{path}`:")
        out.append(f"```{LANGUAGES.get(PurePosixPath(path).suffix, '')}\n{unmarked(text).rstrip()}\n```")
    return "\n".join(out)


def fill_examples(docs: str, must_fire: tuple, must_not_fire: tuple) -> str:
    """``docs`` with its marker lines replaced by the chosen examples."""
    for marker, examples in ((EXAMPLE_MARKER, must_fire), (USE_INSTEAD_MARKER, must_not_fire)):
        if marker in docs:
            code = "\n".join(render_example(e) for e in for_docs(examples))
            docs = docs.replace(marker, code)
    return docs
