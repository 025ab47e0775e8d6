"""What every format's Application Auto Scaling reader shares: splitting a Lambda ResourceId
(``function:NAME:QUALIFIER``) that a format's ``SymbolicParts`` has turned into literal text
and tokens, without knowing what the tokens stand for."""

from __future__ import annotations

from typing import Any

from .values import UNKNOWN_PART


def split_resource_id(parts: list) -> tuple[Any, Any] | None:
    """(function part, qualifier part) of a ResourceId given as literal strings and tokens; each
    part is a literal str ("" when empty), a token, or UNKNOWN_PART. None when the value is no
    Lambda ResourceId."""
    segments: list[list] = [[]]
    for part in parts:
        if isinstance(part, str):
            pieces = part.split(":")
            segments[-1].append(pieces[0])
            for piece in pieces[1:]:
                segments.append([piece])
        else:
            segments[-1].append(part)

    def one(segment: list) -> Any:
        segment = [p for p in segment if p != ""]
        if not segment:
            return ""
        if any(p == UNKNOWN_PART for p in segment):
            return UNKNOWN_PART
        if all(isinstance(p, str) for p in segment):
            return "".join(segment)
        if len(segment) == 1:
            return segment[0]
        return UNKNOWN_PART  # a token glued to text, e.g. ${Fn}-blue

    values = [one(s) for s in segments]
    if len(values) == 3 and values[0] == "function":
        return values[1], values[2]
    if any(v == UNKNOWN_PART for v in values) and values[0] in ("function", UNKNOWN_PART):
        return UNKNOWN_PART, UNKNOWN_PART  # shape unclear: may be any function and qualifier
    return None
