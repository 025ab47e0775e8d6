"""Reading a file's text without ever raising: binary files and bad encodings become failures."""

from __future__ import annotations

import io

from ..findings import ParseFailure


def read_bytes(path: str, rel: str) -> tuple[bytes | None, ParseFailure | None]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as exc:
        return None, ParseFailure(rel, 1, 1, f"cannot read file: {exc.strerror or exc}")


def binary_failure(data: bytes, rel: str) -> ParseFailure | None:
    if b"\x00" in data[:8192]:
        return ParseFailure(rel, 1, 1, "binary file (contains NUL bytes), not text")
    return None


def decode(data: bytes, rel: str, encoding: str = "utf-8") -> tuple[str | None, ParseFailure | None]:
    """Decode, reporting the line and column of the first undecodable byte."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        before = data[:start]
        line = before.count(b"\n") + 1
        column = start - (before.rfind(b"\n") + 1) + 1
        return None, ParseFailure(rel, line, column, f"not valid {encoding} text: {exc.reason if hasattr(exc, 'reason') else exc}")


def read_text(path: str, rel: str) -> tuple[str | None, ParseFailure | None]:
    """A UTF-8 source file's text, or why it cannot be read (unreadable, binary, undecodable)."""
    data, failure = read_bytes(path, rel)
    if failure:
        return None, failure
    failure = binary_failure(data, rel)
    if failure:
        return None, failure
    return decode(data, rel)


def syntax_failure(tree, source: bytes, rel: str, language: str) -> ParseFailure | None:
    """The first place tree-sitter had to recover from, as a parse failure (None when clean)."""
    if not tree.root_node.has_error:
        return None
    from .treesitter import syntax_problems

    problems = syntax_problems(tree, source)
    if not problems:
        return None
    first = problems[0]
    return ParseFailure(rel, first.line, first.column, f"{language} syntax error: {first.describe()}")


def python_encoding(data: bytes) -> str:
    """The PEP 263 encoding of Python source (utf-8 unless a coding cookie says otherwise)."""
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return "utf-8"
    return "utf-8" if encoding == "utf-8-sig" else encoding
