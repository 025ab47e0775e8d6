"""The one parser for Lambda function ARNs, names and qualifiers written as text, and for the
service an ARN belongs to. Every loader that meets such text asks here.

``arn:aws:lambda:us-east-1:123456789012:function:orders:live``, ``123456789012:function:orders``
and ``orders`` all name the function ``orders``; the first with the qualifier ``live``.
"""

from __future__ import annotations

import re
from typing import Any

from ..findings import Location
from ..project.model import Qualifier

_FUNCTION = re.compile(r"^(?:arn:[^:]*:lambda:[^:]*:[^:]*:function:|[0-9]{12}:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$")
_SERVICE = re.compile(r"arn:[^:]*:([a-z0-9-]+):")
_QUALIFIER = re.compile(r":([A-Za-z0-9_$-]+)")
_PSEUDO = re.compile(r"\$\{AWS::[A-Za-z]+\}")
LATEST = "$LATEST"


def function_and_qualifier(text: Any) -> tuple[str, str | None] | None:
    """(function name, qualifier or None) for a name, partial ARN or ARN; None for other text."""
    if not isinstance(text, str):
        return None
    m = _FUNCTION.match(text.strip())
    return (m.group(1), m.group(2)) if m else None


def function_part(text: str) -> str:
    """The function a name, ARN or ``NAME:QUALIFIER`` (a CloudWatch ``Resource`` dimension) names;
    other text up to its first colon (compared with physical names, it matches none)."""
    parsed = function_and_qualifier(text)
    return parsed[0] if parsed else text.split(":", 1)[0]


def qualifier(text: str, location: Location) -> Qualifier:
    """The qualifier a literal names: ``$LATEST``, a version number (``3``) or an alias name."""
    text = text.strip()
    if text == LATEST:
        return Qualifier.latest(location)
    if text.isdigit():
        return Qualifier.version(location, number=text)
    return Qualifier.alias(location, name=text)


def invoked_qualifier(text: str, location: Location) -> Qualifier | None:
    """What a caller invoking ``FUNCTION:text`` invokes; None for ``$LATEST`` (the same as the
    unqualified function)."""
    q = qualifier(text, location)
    return None if q.is_latest else q


def service(text: Any) -> str | None:
    """``sqs`` for ``arn:aws:sqs:...``; None when ``text`` is no ARN."""
    if not isinstance(text, str):
        return None
    m = _SERVICE.match(text)
    return m.group(1) if m else None


def leading_qualifier(text: str) -> str | None:
    """The qualifier at the start of what follows a function ARN (``:live/invocations`` -> ``live``)."""
    m = _QUALIFIER.match(text)
    return m.group(1) if m else None


def without_pseudo_parameters(template: str) -> str | None:
    """A ``!Sub`` template whose only variables are pseudo parameters (``${AWS::Region}``), with
    each replaced by ``x`` (they never decide which function or service is meant); None when
    another variable remains."""
    text = _PSEUDO.sub("x", template)
    return None if "${" in text else text
