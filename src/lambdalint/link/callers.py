"""Callers and failure handling from records to the model: ``Function.callers``,
``Function.dead_letter``, ``Function.failure_destinations``, ``Project.function_urls``,
``Project.event_sources`` and ``Project.unresolved_callers``.

Records are linked in the order their reader made them, so each function's lists keep document
order. A caller already recorded under the same address (a SAM ``Api`` event the API reader saw
first) is not added twice.
"""

from __future__ import annotations

from typing import Iterable

from ..project.model import GENERIC_PHRASES, Caller, EventSource, Function, FunctionUrl, Project
from ..records.callers import (
    CallerRecord,
    CallerRecords,
    DeadLetterRecord,
    EventSourceRecord,
    FailureDestinationRecord,
    UnresolvedCaller,
    UrlRecord,
)
from .functions import FunctionIndex


def link(records: Iterable[CallerRecords], functions: list[Function], project: Project | None = None) -> None:
    """Tie ``records`` (one document's) to ``functions`` (that document's). ``project`` receives the
    project-wide lists; it may be None only when no record needs them (API integrations)."""
    index = FunctionIndex(functions)
    for record in records:
        if isinstance(record, CallerRecord):
            fn = index.find(record.target)
            if fn is not None:
                add_caller(fn, record.caller)
        elif isinstance(record, EventSourceRecord):
            fn = index.find(record.target)
            if fn is not None:
                add_caller(fn, record.mapping)
            phrases = record.phrases or (fn.phrases if fn is not None else GENERIC_PHRASES)
            project.event_sources.append(EventSource(record.mapping, fn, record.written, record.may_not_exist, phrases))
        elif isinstance(record, UrlRecord):
            fn = index.find(record.target)
            if fn is not None:
                add_caller(fn, record.caller)
            phrases = record.phrases or (fn.phrases if fn is not None else GENERIC_PHRASES)
            c = record.caller
            project.function_urls.append(FunctionUrl(c.auth_type, c.location, c.address, fn, record.written, record.may_not_exist, phrases))
        elif isinstance(record, DeadLetterRecord):
            fn = index.find(record.target)
            if fn is not None:
                fn.dead_letter = record.dead_letter
        elif isinstance(record, FailureDestinationRecord):
            if record.target is None:  # may configure any function of its document
                for fn in functions:
                    fn.failure_destinations.append(record.destination)
            else:
                fn = index.find(record.target)
                if fn is not None:
                    fn.failure_destinations.append(record.destination)
        elif isinstance(record, UnresolvedCaller):
            project.unresolved_callers.append((record.document, record.location))


def add_caller(fn: Function, caller: Caller) -> None:
    if not any(c.address == caller.address for c in fn.callers):
        fn.callers.append(caller)
