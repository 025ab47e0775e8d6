"""How Lambda is invoked by what, whatever format declares it: a service principal's invocation
type, the event source an ARN belongs to, the batch size a mapping gets by default."""

from __future__ import annotations

from typing import Any

from ..findings import Location
from ..project.model import Qualifier
from . import arn

ASYNC_PRINCIPALS = ("s3", "sns", "events", "logs", "iot", "ses", "scheduler")
SYNC_PRINCIPALS = ("apigateway", "elasticloadbalancing")

# ARN service -> event source kind
_ARN_SOURCE = {"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb", "kafka": "kafka", "mq": "mq", "rds": "docdb"}

# the batch size Lambda uses when none is written
DEFAULT_BATCH_SIZE = {"sqs": 10, "kinesis": 100, "dynamodb": 100, "kafka": 100, "mq": 100, "docdb": 100}

# API Gateway's integration timeouts when none is written
REST_DEFAULT_MS = 29_000  # REST and WebSocket APIs
HTTP_DEFAULT_MS = 30_000
PROXY_INTEGRATIONS = ("AWS", "AWS_PROXY")  # integration types that may invoke a function


def principal_invocation(principal: Any) -> str | None:
    """"async" / "sync" for a service principal (``s3.amazonaws.com``), None for others."""
    if not isinstance(principal, str) or "." not in principal:
        return None
    service = principal.split(".", 1)[0].lower()
    if service in ASYNC_PRINCIPALS:
        return "async"
    if service in SYNC_PRINCIPALS:
        return "sync"
    return None


def source_default(default: Any, source: str | None) -> Any:
    """A field's value when not written: ``default`` itself, or its entry for the source when it
    differs by source (``DEFAULT_BATCH_SIZE``)."""
    return default.get(source or "") if isinstance(default, dict) else default


def invocation_for_source(source: str | None) -> str:
    return "queue" if source in ("sqs", "mq") else "stream"


def source_from_arn(value: Any) -> str | None:
    """The event source kind an ARN names (``sqs`` for a queue's ARN), None when it names none."""
    return _ARN_SOURCE.get(arn.service(value) or "")


def qualifier_after(parts: list, index: int, location: Location) -> Qualifier | None:
    """Qualifier written right after a function ARN (``${Fn.Arn}:live/invocations``)."""
    rest = [p for p in parts[index + 1 :] if p != ""]
    if not rest:
        return None
    nxt = rest[0]
    if not isinstance(nxt, str):
        return Qualifier.unknown(location, "qualifier")
    if nxt.startswith("/"):
        return None
    qualifier = arn.leading_qualifier(nxt)
    if qualifier is not None:
        return arn.invoked_qualifier(qualifier, location)
    return Qualifier.unknown(location, "qualifier")
