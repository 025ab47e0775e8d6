"""Which Lambda metrics the project's CloudWatch alarms watch, and for which functions (LL402).

Reads only records (records/alarms.py). A metric's function dimension names a function of the
alarm's own document, or a literal name matched against every function of the project (so
alarms may live in another stack or root). Anything unresolved may be any function's metric,
so an unknown never leaves a function unwatched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..findings import Location
from ..formats import arn
from ..project.model import Function
from ..records.alarms import LAMBDA_NAMESPACE, Alarm, AlarmMetric
from .functions import FunctionIndex

ALL = "*"  # every metric


@dataclass(frozen=True)
class WatchedMetric:
    """A metric an alarm watches, with the function it is about: ``function`` (of the alarm's
    own document), else ``name`` (a literal physical name), else ``any_function`` when the
    dimension cannot be resolved; all empty when the metric has no function dimension."""

    metric: str | None  # None: unknown metric name
    namespace: str | None  # None: unknown namespace
    function: Function | None = None
    name: str | None = None
    any_function: bool = False


@dataclass
class LinkedAlarm:
    """An alarm with its metrics tied to the project's functions (``Project.alarms``)."""

    address: str
    location: Location
    metrics: list[WatchedMetric] = field(default_factory=list)


def link_alarms(alarms: list[Alarm], functions: list[Function]) -> list[LinkedAlarm]:
    """``alarms`` of one document, tied to ``functions`` (at least that document's)."""
    index = FunctionIndex(functions)
    return [LinkedAlarm(a.address, a.location, [_watched(m, index) for m in a.metrics]) for a in alarms]


def _watched(metric: AlarmMetric, index: FunctionIndex) -> WatchedMetric:
    ref = metric.function
    if ref is None:
        return WatchedMetric(metric.metric, metric.namespace)
    if ref.key is not None:
        found = index.find(ref)
        return WatchedMetric(metric.metric, metric.namespace, function=found, any_function=found is None)
    if ref.name is not None:
        return WatchedMetric(metric.metric, metric.namespace, name=arn.function_part(ref.name))
    return WatchedMetric(metric.metric, metric.namespace, any_function=True)


def _pattern(function: Function) -> re.Pattern | None:
    """The physical names ``function`` may have when its name is not a literal: CloudFormation's
    generated ``<stack>-<LogicalId>-<suffix>``, or an expression's literal pieces."""
    name = function.physical_name
    if name is None:
        return re.compile(".*")
    if name.is_set:
        return None
    if name.is_absent:
        if function.kind in ("sam", "cloudformation", "cdk"):  # generated: <stack>-<LogicalId>-<suffix>
            return re.compile(rf".*{re.escape(function.name[:20])}.*")
        return None
    source = name.source or ""
    if "${" in source:
        parts = re.split(r"\$\{[^}]*\}", source)
        return re.compile(".*".join(re.escape(p) for p in parts), re.S)
    return re.compile(".*")


def watched_metrics(project) -> dict[int, set[str]]:
    """id(function) -> the Lambda metrics some alarm in the project watches for it (``ALL`` = any)."""
    exact: dict[str, list[Function]] = {}
    patterns: list[tuple[re.Pattern, Function]] = []
    for fn in project.functions:
        if fn.physical_name is not None and fn.physical_name.is_set and isinstance(fn.physical_name.value, str):
            exact.setdefault(fn.physical_name.value, []).append(fn)
        pattern = _pattern(fn)
        if pattern is not None:
            patterns.append((pattern, fn))
    out: dict[int, set[str]] = {id(fn): set() for fn in project.functions}
    for alarm in project.alarms:
        for m in alarm.metrics:
            if m.namespace is not None and m.namespace != LAMBDA_NAMESPACE:
                continue
            if m.any_function:
                targets = list(project.functions)
            elif m.function is not None:
                targets = [m.function]
            elif m.name is not None:
                targets = exact.get(m.name) or [fn for p, fn in patterns if p.fullmatch(m.name)]
            else:
                continue  # no function dimension
            for fn in targets:
                out.setdefault(id(fn), set()).add(m.metric if m.metric is not None else ALL)
    return out
