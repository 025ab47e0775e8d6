"""SAM / CloudFormation ``AWS::CloudWatch::Alarm`` resources as records (records/alarms.py),
metric-math alarms (``Metrics``) included."""

from __future__ import annotations

from ...documents.nodes import Node
from ...records import FunctionRef
from ...records.alarms import FUNCTION_DIMENSIONS, Alarm, AlarmMetric
from .resolve import CFN_FUNCTION, SAM_FUNCTION, Template


def read(t: Template) -> list[Alarm]:
    """The template's CloudWatch alarms."""
    out = []
    for logical_id in sorted(t.resources):
        reader = TABLE.get(t.resource_type(logical_id) or "")
        record = reader(t, logical_id) if reader is not None else None
        if record is not None:
            out.append(record)
    return out


def _alarm(t: Template, logical_id: str) -> Alarm | None:
    node = t.resources[logical_id]
    props = t.properties(logical_id)
    if props is None or not props.is_map:
        return None
    metrics = []
    queries = props.get("Metrics")
    if props.get("MetricName") is not None or queries is None:
        metrics.append(_metric(t, props))
    if queries is not None and not isinstance(queries.value, list):
        metrics.append(AlarmMetric(None, None, _unresolved(t, queries)))
    for query in queries.value if queries is not None and isinstance(queries.value, list) else []:
        stat = query.get("MetricStat")
        metric = stat.get("Metric") if stat is not None else None
        if metric is not None and metric.is_map:
            metrics.append(_metric(t, metric))
    return Alarm(f"{t.path}#Resources/{logical_id}", t.loc(node), t.path, tuple(metrics))


TABLE = {"AWS::CloudWatch::Alarm": _alarm}


def _metric(t: Template, node: Node) -> AlarmMetric:
    """A metric (the alarm's own properties, or a ``MetricStat.Metric``) and the function its
    ``FunctionName`` (else ``Resource``) dimension names."""
    metric = _text(t, node.get("MetricName"))
    namespace = _text(t, node.get("Namespace"))
    dimensions = node.get("Dimensions")
    if dimensions is None:
        return AlarmMetric(metric, namespace, None)
    if not isinstance(dimensions.value, list):
        return AlarmMetric(metric, namespace, _unresolved(t, dimensions))
    function = None
    for dimension in dimensions.value:
        name_node = dimension.get("Name")
        name = _text(t, name_node)
        if not dimension.is_map or (name is None and name_node is not None):
            return AlarmMetric(metric, namespace, _unresolved(t, dimension))
        if name not in FUNCTION_DIMENSIONS:
            continue
        function = _function(t, dimension.get("Value"), dimension)
        if name == FUNCTION_DIMENSIONS[0]:
            break
    return AlarmMetric(metric, namespace, function)


def _function(t: Template, value: Node | None, dimension: Node) -> FunctionRef:
    """``!Ref Fn`` names a function of this template; a literal names one by its name or ARN."""
    where = t.loc(value if value is not None else dimension)
    ref = t.reference(value)
    if ref is not None and ref.attribute is None and t.resource_type(ref.target) in (SAM_FUNCTION, CFN_FUNCTION):
        return FunctionRef(t.path, ref.target, None, None, where)
    return FunctionRef(t.path, None, _text(t, value), None, where)


def _unresolved(t: Template, node: Node) -> FunctionRef:
    """A dimension list we cannot read: the metric may be any function's."""
    return FunctionRef(t.path, None, None, None, t.loc(node))


def _text(t: Template, node: Node | None) -> str | None:
    value = t.literal(node)
    return value if isinstance(value, str) else None
