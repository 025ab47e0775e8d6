"""CloudWatch alarms (``AWS::CloudWatch::Alarm``, ``aws_cloudwatch_metric_alarm`` and the
terraform-aws-modules metric-alarm module), including metric-math alarms, and which function
metrics they watch.

An alarm metric names its function through a ``FunctionName`` (or ``Resource``) dimension: a
reference resolved in the alarm's own template / root (``!Ref Fn``,
``aws_lambda_function.x.function_name``, ``module.m.lambda_function_name``), or a literal name
matched against every function of the scanned project (so alarms may live in another stack or
root). Anything we cannot resolve is unknown, and an unknown never leaves a function unwatched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..documents.nodes import Block, Expr, HclTemplateString, Node
from ..findings import Location
from ..formats import arn
from .model import Function

LAMBDA_NAMESPACE = "AWS/Lambda"
UNKNOWN = object()  # a dimension value we could not resolve
ALL = "*"  # every metric
_DIMENSIONS = ("FunctionName", "Resource")


@dataclass
class AlarmMetric:
    metric: str | None  # None: unknown metric name
    namespace: str | None  # None: unknown namespace
    function: Any  # Function | str (literal name) | UNKNOWN | None (no function dimension)


@dataclass
class Alarm:
    address: str
    location: Location
    metrics: list[AlarmMetric] = field(default_factory=list)


# ====================================================================== CloudFormation
def template_alarms(t, functions: list[Function]) -> list[Alarm]:
    by_id = {f.name: f for f in functions}
    out = []
    for logical_id in sorted(t.resources):
        if t.resource_type(logical_id) != "AWS::CloudWatch::Alarm":
            continue
        node = t.resources[logical_id]
        props = node.get("Properties")
        if props is None or not props.is_map:
            continue
        alarm = Alarm(f"{t.path}#Resources/{logical_id}", t.loc(node))
        if props.get("MetricName") is not None or props.get("Metrics") is None:
            alarm.metrics.append(_cfn_metric(t, by_id, props))
        metrics = props.get("Metrics")
        if metrics is not None:
            if not isinstance(metrics.value, list):
                alarm.metrics.append(AlarmMetric(None, None, UNKNOWN))
            for item in metrics.value if isinstance(metrics.value, list) else []:
                stat = item.get("MetricStat") if item.is_map else None
                metric = stat.get("Metric") if stat is not None and stat.is_map else None
                if metric is not None and metric.is_map:
                    alarm.metrics.append(_cfn_metric(t, by_id, metric))
        out.append(alarm)
    return out


def _cfn_str(t, node: Node | None) -> str | None:
    if node is None:
        return None
    value = t.literal(node)
    return value if isinstance(value, str) else None


def _cfn_metric(t, by_id: dict[str, Function], node: Node) -> AlarmMetric:
    metric = _cfn_str(t, node.get("MetricName"))
    namespace = _cfn_str(t, node.get("Namespace"))
    dims = node.get("Dimensions")
    if dims is None:
        return AlarmMetric(metric, namespace, None)
    if not isinstance(dims.value, list):
        return AlarmMetric(metric, namespace, UNKNOWN)
    function: Any = None
    for dim in dims.value:
        if not dim.is_map:
            return AlarmMetric(metric, namespace, UNKNOWN)
        name = _cfn_str(t, dim.get("Name"))
        if name is None and dim.get("Name") is not None:
            return AlarmMetric(metric, namespace, UNKNOWN)
        if name not in _DIMENSIONS:
            continue
        value = dim.get("Value")
        ref = t.reference(value)
        if ref is not None and ref.target in by_id and ref.attribute is None:
            function = by_id[ref.target]
        else:
            literal = _cfn_str(t, value)
            function = arn.function_part(literal) if literal is not None else UNKNOWN
        if name == "FunctionName":
            break
    return AlarmMetric(metric, namespace, function)


# ====================================================================== Terraform
def root_alarms(root, functions: list[Function]) -> list[Alarm]:
    by_key = {f.address.split("#", 1)[1]: f for f in functions}
    out = []
    for path, block in root.blocks:
        is_resource = block.type == "resource" and block.labels[:1] == ["aws_cloudwatch_metric_alarm"] and len(block.labels) == 2
        is_module = False
        if block.type == "module" and len(block.labels) == 1:
            source = block.attr("source")
            value = root.resolve(source.value) if source is not None else None
            is_module = isinstance(value, str) and "cloudwatch" in value and "metric-alarm" in value
        if not (is_resource or is_module):
            continue
        address = f"{path}#{'.'.join(block.labels) if is_resource else 'module.' + block.labels[0]}"
        alarm = Alarm(address, Location(path, block.line, block.column))
        each = _for_each_values(root, block)
        if block.attr("metric_name") is not None or not (block.children("metric_query") or block.attr("metric_query")):
            alarm.metrics.extend(_tf_metrics(root, by_key, block.attributes, each))
        for query in block.children("metric_query"):
            for metric in query.children("metric"):
                alarm.metrics.extend(_tf_metrics(root, by_key, metric.attributes, each))
        queries = block.attr("metric_query")  # module input: a list of objects
        if queries is not None:
            value = queries.value
            if not isinstance(value, list):
                alarm.metrics.append(AlarmMetric(None, None, UNKNOWN))
            for query in value if isinstance(value, list) else []:
                metric = query.get("metric") if isinstance(query, dict) else None
                if isinstance(metric, list) and metric:
                    metric = metric[0]
                if isinstance(metric, dict):
                    attrs = {k: _Plain(v) for k, v in metric.items()}
                    alarm.metrics.extend(_tf_metrics(root, by_key, attrs, each))
        out.append(alarm)
    return out


@dataclass
class _Plain:
    value: Any


def _for_each_values(root, block: Block) -> dict[str, list[str]] | None:
    """Literal ``for_each`` values: {"each.value": [...], "each.key": [...]}, or None."""
    attr = block.attr("for_each") or block.attr("count")
    if attr is None or block.attr("for_each") is None:
        return None
    value = attr.value
    if isinstance(value, Expr):
        m = re.fullmatch(r"toset\(\s*\[(.*)\]\s*\)", value.text.strip(), re.S)
        if m:
            items = re.findall(r'"([^"]*)"', m.group(1))
            rest = re.sub(r'"[^"]*"|[\s,]', "", m.group(1))
            if not rest:
                return {"each.value": items, "each.key": items}
        value = root.resolve(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {"each.value": value, "each.key": value}
    if isinstance(value, dict):
        resolved = {k: root.resolve(v) for k, v in value.items()}
        if all(isinstance(v, str) for v in resolved.values()):
            return {"each.key": list(resolved), "each.value": list(resolved.values())}
    return {}


def _tf_str(root, value: Any, each: dict | None) -> list[str] | None:
    """Possible literal values, or None when unknown."""
    if isinstance(value, (Expr, HclTemplateString)):
        text = value.text.strip()
        if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
            text = text[2:-1].strip()
        if text in ("each.value", "each.key"):
            return list(each[text]) if each and text in each else None
    literal = root.resolve(value)
    return [literal] if isinstance(literal, str) else None


def _tf_metrics(root, by_key: dict[str, Function], attrs: dict, each) -> list[AlarmMetric]:
    def get(name):
        return attrs[name].value if name in attrs else None

    metric_attr = attrs.get("metric_name")
    metrics = _tf_str(root, metric_attr.value, each) if metric_attr is not None else None
    ns_attr = attrs.get("namespace")
    namespaces = _tf_str(root, ns_attr.value, each) if ns_attr is not None else None
    namespace = namespaces[0] if namespaces and len(namespaces) == 1 else None
    dims = get("dimensions")
    if "dimensions" not in attrs:
        function: Any = None
    elif not isinstance(dims, dict):
        resolved = root.resolve(dims)
        dims = resolved if isinstance(resolved, dict) else None
        function = UNKNOWN if dims is None else None
    else:
        function = None
    if isinstance(dims, dict):
        for key in _DIMENSIONS:
            if key in dims:
                function = _tf_function(root, by_key, dims[key], each)
                break
    return [AlarmMetric(m, namespace, function) for m in (metrics if metrics else [None])]


def _tf_function(root, by_key: dict[str, Function], value: Any, each) -> Any:
    ref = root.reference(value)
    if ref is not None:
        rtype, name, attr = ref
        key = f"module.{name}" if rtype == "module" else f"{rtype}.{name}"
        if key in by_key:
            return by_key[key]
        return UNKNOWN
    values = _tf_str(root, value, each)
    if values is None or len(values) != 1:
        return UNKNOWN
    return arn.function_part(values[0])


# ====================================================================== linking
def _pattern(function: Function) -> re.Pattern | None:
    name = function.physical_name
    if name is None:
        return re.compile(".*")
    if name.is_set:
        return None
    if name.is_absent:
        if function.kind in ("sam", "cloudformation"):  # generated: <stack>-<LogicalId>-<suffix>
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
            if m.function is None:
                continue
            if m.function is UNKNOWN:
                targets = list(project.functions)
            elif isinstance(m.function, Function):
                targets = [m.function]
            else:
                targets = exact.get(m.function) or [fn for p, fn in patterns if p.fullmatch(m.function)]
            for fn in targets:
                out.setdefault(id(fn), set()).add(m.metric if m.metric is not None else ALL)
    return out
