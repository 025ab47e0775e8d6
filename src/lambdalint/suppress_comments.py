"""Inline suppression comments: ``# lambdalint: ignore[LL101, client-in-handler] -- reason``.

On a line (or alone on the line before the flagged one) it silences those rules there; a bare
``# lambdalint: ignore`` silences every rule. Only real comments count: a marker inside a
Python string or docstring is text, not a suppression. Python comments are found with the
tokenizer; Terraform's with a small lexer (``#``, ``//`` and ``/* */``, outside strings and
heredocs); YAML's by line (a ``#`` starts a comment there); JavaScript, TypeScript and Java
write the same comment after ``//``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"#\s*lambdalint:\s*ignore(?:\[(?P<ids>[^\]]*)\])?(?:\s*--\s*(?P<reason>.*?))?\s*$")
# the text of one comment, after its opening marker (#, // or /*)
_BODY = re.compile(r"(?:^|#)\s*lambdalint:\s*ignore(?:\[(?P<ids>[^\]]*)\])?(?:\s*--\s*(?P<reason>.*?))?\s*$")
# JavaScript, TypeScript and Java: the same marker after //
_SLASH_COMMENT = re.compile(r"//\s*lambdalint:\s*ignore(?:\[(?P<ids>[^\]]*)\])?(?:\s*--\s*(?P<reason>.*?))?\s*$")


@dataclass(frozen=True)
class InlineSuppression:
    line: int
    codes: tuple[str, ...]  # IDs or names as written; empty = every rule (bare ignore)
    reason: str = ""
    own_line: bool = False  # the comment is alone on its line: it covers the next line too


def _suppression(match: re.Match, number: int, own_line: bool) -> InlineSuppression:
    ids = match.group("ids")
    codes = tuple(c.strip() for c in ids.split(",") if c.strip()) if ids is not None else ()
    return InlineSuppression(number, codes, (match.group("reason") or "").strip(), own_line)


def scan(text: str, comment: re.Pattern = _COMMENT) -> tuple[InlineSuppression, ...]:
    """YAML (and any ``#``-comment text): a marker after a ``#`` on a line."""
    if "lambdalint:" not in text:
        return ()
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "lambdalint:" not in line:
            continue
        match = comment.search(line)
        if match:
            out.append(_suppression(match, number, line[: match.start()].strip() == ""))
    return tuple(out)


def scan_slashes(text: str) -> tuple[InlineSuppression, ...]:
    """JavaScript, TypeScript and Java: a marker after ``//`` on a line."""
    return scan(text, _SLASH_COMMENT)


def scan_python(text: str) -> tuple[InlineSuppression, ...]:
    """Python: only comment tokens, so docstrings and strings that mention the syntax are not
    suppressions (nor reported unused)."""
    if "lambdalint:" not in text:
        return ()
    import io
    import tokenize

    out = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT or "lambdalint:" not in token.string:
                continue
            match = _BODY.search(token.string[1:])
            if match:
                out.append(_suppression(match, token.start[0], token.line[: token.start[1]].strip() == ""))
    except (tokenize.TokenError, SyntaxError):
        return scan(text)  # the parser accepted it; never lose suppressions to a tokenizer quirk
    return tuple(out)


def scan_hcl(text: str) -> tuple[InlineSuppression, ...]:
    """Terraform: ``#``, ``//`` and ``/* */`` comments outside strings and heredocs."""
    if "lambdalint:" not in text:
        return ()
    out = []
    for number, column, body in hcl_comments(text):
        if "lambdalint:" not in body:
            continue
        match = _BODY.search(body)
        if match:
            line_start = text.rfind("\n", 0, column) + 1
            out.append(_suppression(match, number, text[line_start:column].strip() == ""))
    return tuple(out)


_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n")


def hcl_comments(text: str):
    """(line, offset, text after the marker) of each comment in HCL source. Strings may hold
    ``${ ... }`` interpolations with strings of their own, so string state is a stack."""
    i, n, line = 0, len(text), 1
    stack: list[str] = []  # "string" | "interp" (braces inside an interpolation count as "{")
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
            continue
        if stack and stack[-1] == "string":
            if c == "\\":
                i += 2
                continue
            if c == '"':
                stack.pop()
            elif text.startswith("${", i) or text.startswith("%{", i):
                stack.append("interp")
                i += 2
                continue
            i += 1
            continue
        # code, or inside an interpolation
        if c == '"':
            stack.append("string")
        elif c == "{" and stack:
            stack.append("{")
        elif c == "}" and stack:
            stack.pop()
        elif c == "#" or text.startswith("//", i):
            start = i + (1 if c == "#" else 2)
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield line, i, text[start:end].rstrip("\r")
            i = end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end
            first = text[i + 2 : end].split("\n", 1)[0]
            yield line, i, first
            line += text.count("\n", i, end)
            i = end + 2
            continue
        elif text.startswith("<<", i) and not stack:
            heredoc = _HEREDOC.match(text, i)
            if heredoc:
                # skip to the closing marker alone on its line
                closing = re.compile(r"^[ \t]*" + re.escape(heredoc.group(1)) + r"[ \t]*$", re.M)
                found = closing.search(text, heredoc.end())
                end = found.end() if found else n
                line += text.count("\n", i, end)
                i = end
                continue
        i += 1
