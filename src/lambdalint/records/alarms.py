"""CloudWatch alarms, in no format's terms: which metrics an alarm watches, and for which
function (link/alarms.py decides which functions of the project that is)."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Location
from . import FunctionRef

LAMBDA_NAMESPACE = "AWS/Lambda"
FUNCTION_DIMENSIONS = ("FunctionName", "Resource")  # the first one an alarm sets names its function


@dataclass(frozen=True)
class AlarmMetric:
    """One metric an alarm watches (a metric-math alarm has several).

    ``function``: the ``FunctionName`` (else ``Resource``) dimension's value: a function of the
    alarm's document (``key``), a literal name or ARN (``name``), or neither when it cannot be
    resolved; None when the metric has no such dimension."""

    metric: str | None  # None: unknown metric name
    namespace: str | None  # None: unknown namespace
    function: FunctionRef | None


@dataclass(frozen=True)
class Alarm:
    """``AWS::CloudWatch::Alarm``, ``aws_cloudwatch_metric_alarm`` or the terraform-aws-modules
    metric-alarm module."""

    address: str
    location: Location
    document: str  # template path / Terraform root directory
    metrics: tuple[AlarmMetric, ...]
