"""Inline suppression comments, read from raw text so every format (Python, YAML, HCL,
JavaScript/TypeScript, Java) shares them.

``# lambdalint: ignore[LL101, client-in-handler] -- reason`` on a line (or the line before the
flagged one) silences those rules there; a bare ``# lambdalint: ignore`` silences every rule.
In JavaScript, TypeScript and Java the comment starts with ``//`` instead of ``#``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"(?:#|//)\s*lambdalint:\s*ignore(?:\[(?P<ids>[^\]]*)\])?(?:\s*--\s*(?P<reason>.*?))?\s*$")


@dataclass(frozen=True)
class InlineSuppression:
    line: int
    codes: tuple[str, ...]  # IDs or names as written; empty = every rule (bare ignore)
    reason: str = ""
    own_line: bool = False  # the comment is alone on its line: it covers the next line too


def scan(text: str) -> tuple[InlineSuppression, ...]:
    if "lambdalint:" not in text:
        return ()
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "lambdalint:" not in line:
            continue
        match = _COMMENT.search(line)
        if not match:
            continue
        ids = match.group("ids")
        codes = tuple(c.strip() for c in ids.split(",") if c.strip()) if ids is not None else ()
        own_line = line[: match.start()].strip() == ""
        out.append(InlineSuppression(number, codes, (match.group("reason") or "").strip(), own_line))
    return tuple(out)
