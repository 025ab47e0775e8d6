"""IAM policy documents as plain values, whatever format wrote them: a parsed mapping (a
template's ``PolicyDocument``, HCL ``jsonencode({...})``) or JSON text (a heredoc, a YAML block
scalar, a quoted string), turned into :class:`~lambdalint.records.security.Statement`s located
at their ``Action`` keys."""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from ..findings import Location
from ..records.security import Statement


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements_from_document(doc: Any, policy: str, locate: Callable[[Any, int], Location]) -> list[Statement]:
    """Statements of a policy document given as plain values (dicts/lists/scalars, or HCL values).

    ``locate(statement, index)`` gives the location of one statement's Action.
    """
    if not isinstance(doc, dict):
        return []
    raw = doc.get("Statement")
    out = []
    for index, st in enumerate(as_list(raw)):
        if not isinstance(st, dict):
            continue
        out.append(statement(st, policy, locate(st, index)))
    return out


def literals(value: Any) -> tuple[str, ...]:
    return tuple(v for v in as_list(value) if type(v) is str and "${" not in v)


def statement(st: dict, policy: str, location: Location) -> Statement:
    effect = st.get("Effect")
    return Statement(
        effect=effect if type(effect) is str else None,
        actions=literals(st.get("Action")),
        resources=literals(st.get("Resource")),
        conditional=st.get("Condition") is not None,
        location=location,
        policy=policy,
        not_action="NotAction" in st,
        not_resource="NotResource" in st,
    )


def json_string_statements(text: str, policy: str, place: Callable[[int, int], Location]) -> list[Statement]:
    """Statements of a JSON policy written as a string (heredoc, block scalar or quoted). Each
    statement is located at its ``"Action"`` key: ``place(line, column)`` maps a 0-based line and
    column inside the string's text to a location in the file."""
    try:
        doc = json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return []
    keys = []
    for line_no, line in enumerate(text.split("\n")):
        keys += [(line_no, m.start()) for m in re.finditer(r'(?<![A-Za-z])"Action"\s*:', line)]
    counter = iter(keys)

    def locate(st: Any, index: int) -> Location:
        if isinstance(st, dict) and "Action" in st:
            offset = next(counter, None)
            if offset is not None:
                return place(*offset)
        return place(0, -1)

    return statements_from_document(doc, policy, locate)


def escaped_length(text: str, quote: str) -> int:
    """Length of ``text`` written inside ``quote`` quotes (YAML/JSON/HCL double quotes, YAML single)."""
    if quote == "'":
        return len(text) + text.count("'")
    return len(text) + text.count("\\") + text.count('"') + text.count("\t") + text.count("\r")

