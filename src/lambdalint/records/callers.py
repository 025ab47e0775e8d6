"""Neutral records of who invokes a function and where its failed events go.

The readers (``formats/cloudformation/callers.py``, ``formats/cloudformation/api.py``,
``formats/terraform/callers.py``, ``formats/terraform/api.py``) build them, in document order;
``link/callers.py`` ties them to functions and fills the model. Each record names its function with
a :class:`FunctionRef` whose ``qualifier`` is the alias / version the record invokes (a caller's
``qualifier`` is that same value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..findings import Location
from ..project.model import Caller, EventSourceCaller, Phrases, Qualifier, Setting, UrlCaller
from . import FunctionRef


@dataclass(frozen=True)
class CallerRecord:
    """Something that invokes the function: an event, a notification, a permission for a service
    principal, an API Gateway integration. Kept only when its function is in the project."""

    target: FunctionRef
    caller: Caller


@dataclass(frozen=True)
class EventSourceRecord:
    """An event source mapping (a resource, a SAM queue / stream event, a module input): a caller
    of its function, and listed in ``Project.event_sources`` whether or not the function resolves."""

    target: FunctionRef
    mapping: EventSourceCaller
    written: str  # the function as written, for messages when it is not in the project
    may_not_exist: bool = False  # behind a count / for_each nothing resolves
    phrases: Phrases | None = None  # the declaring format's wording; None: the function's own


@dataclass(frozen=True)
class UrlRecord:
    """A function URL: a caller of its function, and listed in ``Project.function_urls`` whether or
    not the function resolves (a public URL is public whoever deploys the function)."""

    target: FunctionRef
    caller: UrlCaller
    written: str
    may_not_exist: bool = False
    phrases: Phrases | None = None


@dataclass(frozen=True)
class DeadLetterRecord:
    """The function's own dead-letter queue or topic setting; absent when it has none."""

    target: FunctionRef
    dead_letter: Setting


@dataclass
class FailureDestination:
    """An on-failure destination for asynchronous invocations (EventInvokeConfig / module input),
    as kept in ``Function.failure_destinations``."""

    destination: Setting  # ARN or expression; unknown when unresolvable
    qualifier: Qualifier | None  # None = unqualified / all
    location: Location
    address: str


@dataclass(frozen=True)
class FailureDestinationRecord:
    """An on-failure destination of the ``target`` function; ``target`` None: a configuration whose
    function nothing resolves, so it may be any function of ``document``."""

    target: FunctionRef | None
    document: str
    destination: FailureDestination


@dataclass(frozen=True)
class UnresolvedCaller:
    """A caller whose function reference resolves to nothing we can name: it may invoke any
    function of its document (``Project.unresolved_callers``)."""

    document: str
    location: Location


CallerRecords = Union[CallerRecord, EventSourceRecord, UrlRecord, DeadLetterRecord, FailureDestinationRecord, UnresolvedCaller]
