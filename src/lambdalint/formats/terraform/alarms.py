"""Terraform CloudWatch alarms as records (records/alarms.py): ``aws_cloudwatch_metric_alarm``
(``metric_query`` blocks included) and the terraform-aws-modules metric-alarm module
(``metric_query`` as a list of objects).

An alarm with ``for_each`` over known names (``toset(["Errors", "Throttles"])``, a map of
literals) watches every metric ``each.value`` / ``each.key`` takes; a function dimension that
takes several values cannot name one function, so it is unresolved.
"""

from __future__ import annotations

import re
from typing import Any

from ...documents.nodes import Block
from ...findings import Location
from ...records import FunctionRef
from ...records.alarms import FUNCTION_DIMENSIONS, Alarm, AlarmMetric
from .resolve import Literal, Reference, Root, Unknown

_TOSET = re.compile(r"toset\(\s*\[(.*)\]\s*\)", re.S)
_EACH = ("each.value", "each.key")


def read(root: Root) -> list[Alarm]:
    """The root's CloudWatch alarms."""
    out = []
    for path, block in root.blocks:
        if block.type == "resource" and len(block.labels) == 2 and block.labels[0] in TABLE:
            out.append(TABLE[block.labels[0]](root, path, block, ".".join(block.labels)))
        elif block.type == "module" and len(block.labels) == 1 and _is_alarm_module(root, block):
            out.append(_alarm(root, path, block, f"module.{block.labels[0]}"))
    return out


def _alarm(root: Root, path: str, block: Block, key: str) -> Alarm:
    where = Location(path, block.line, block.column)
    each = _for_each_values(root, block, where)
    metrics: list[AlarmMetric] = []
    queries = block.attr("metric_query")  # the module's input: a list of objects
    if block.attr("metric_name") is not None or not (block.children("metric_query") or queries):
        metrics.extend(_metrics(root, {k: a.value for k, a in block.attributes.items()}, each, where))
    for query in block.children("metric_query"):
        for metric in query.children("metric"):
            metrics.extend(_metrics(root, {k: a.value for k, a in metric.attributes.items()}, each, where))
    if queries is not None and not isinstance(queries.value, list):
        metrics.append(AlarmMetric(None, None, FunctionRef(root.document, None, None, None, where)))
    for query in queries.value if queries is not None and isinstance(queries.value, list) else []:
        metric = query.get("metric") if isinstance(query, dict) else None
        if isinstance(metric, list) and metric:
            metric = metric[0]
        if isinstance(metric, dict):
            metrics.extend(_metrics(root, metric, each, where))
    return Alarm(root.address(path, key), where, root.document, tuple(metrics))


TABLE = {"aws_cloudwatch_metric_alarm": _alarm}


def _is_alarm_module(root: Root, block: Block) -> bool:
    """terraform-aws-modules/cloudwatch/aws//modules/metric-alarm (or a copy of it)."""
    source = block.attr("source")
    value = root.literal(source.value) if source is not None else None
    return isinstance(value, str) and "cloudwatch" in value and "metric-alarm" in value


def _metrics(root: Root, raw: dict[str, Any], each: dict[str, list[str]] | None, where: Location) -> list[AlarmMetric]:
    """The metrics one set of arguments (``metric_name``, ``namespace``, ``dimensions``)
    describes: one per metric name ``for_each`` gives it."""
    names = _texts(root, raw["metric_name"], each, where) if "metric_name" in raw else None
    namespaces = _texts(root, raw["namespace"], each, where) if "namespace" in raw else None
    namespace = namespaces[0] if namespaces and len(namespaces) == 1 else None
    function = _function(root, raw["dimensions"], each, where) if "dimensions" in raw else None
    return [AlarmMetric(name, namespace, function) for name in (names or [None])]


def _function(root: Root, raw: Any, each, where: Location) -> FunctionRef | None:
    """The function the ``FunctionName`` (else ``Resource``) dimension names; None without one."""
    dimensions = root.value(raw, where)
    if not (isinstance(dimensions, Literal) and isinstance(dimensions.value, dict)):
        return FunctionRef(root.document, None, None, None, where)
    for key in FUNCTION_DIMENSIONS:
        if key not in dimensions.value:
            continue
        value = dimensions.value[key]
        if isinstance(value, Reference):
            named = value.type in ("aws_lambda_function", "module")
            return FunctionRef(root.document, value.address if named else None, None, None, where)
        names = _texts(root, value, each, where, resolved=True)
        return FunctionRef(root.document, None, names[0] if names and len(names) == 1 else None, None, where)
    return None


def _texts(root: Root, raw: Any, each, where: Location, resolved: bool = False) -> list[str] | None:
    """The text values an argument may take (several through ``each``), or None when unknown.
    ``resolved``: ``raw`` is already a piece of a typed value."""
    value = raw if resolved else root.value(raw, where)
    if isinstance(value, Literal):
        value = value.value
    if isinstance(value, str):
        return [value]
    if isinstance(value, Unknown):
        source = value.source.strip()
        if source.startswith("${") and source.endswith("}") and source.count("${") == 1:
            source = source[2:-1].strip()
        if source in _EACH and each and source in each:
            return list(each[source])
    return None


def _for_each_values(root: Root, block: Block, where: Location) -> dict[str, list[str]] | None:
    """What ``each.value`` and ``each.key`` may be when ``for_each`` is known text; None without
    ``for_each``, {} when it is not known."""
    attr = block.attr("for_each")
    if attr is None:
        return None
    m = _TOSET.fullmatch(getattr(attr.value, "text", "").strip())
    if m:  # toset(["Errors", "Throttles"]): the resolver keeps function calls unknown
        items = re.findall(r'"([^"]*)"', m.group(1))
        if not re.sub(r'"[^"]*"|[\s,]', "", m.group(1)):
            return {"each.value": items, "each.key": items}
    value = root.value(attr.value, where)
    if isinstance(value, Literal) and isinstance(value.value, list) and all(isinstance(v, str) for v in value.value):
        return {"each.value": value.value, "each.key": value.value}
    if isinstance(value, Literal) and isinstance(value.value, dict) and all(isinstance(v, str) for v in value.value.values()):
        return {"each.key": list(value.value), "each.value": list(value.value.values())}
    return {}
