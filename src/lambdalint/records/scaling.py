"""Application Auto Scaling on Lambda provisioned concurrency, in no format's terms.

A scalable target, a scaling policy and a scheduled action each become one record. A policy or
scheduled action either belongs to a target of its own document (``target``: that target's
key) or names a ResourceId itself; the linker (``link/scaling.py``) groups them and decides
which functions each ResourceId may scale.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Location
from ..project.model import Qualifier, Setting
from . import FunctionRef

DIMENSION = "lambda:function:ProvisionedConcurrency"
NAMESPACE = "lambda"
UTILIZATION_METRIC = "LambdaProvisionedConcurrencyUtilization"


@dataclass(frozen=True)
class LambdaResourceId:
    """A ``function:NAME:QUALIFIER`` ResourceId: the text as written (its value when it
    resolves) and the function it names. ``function.qualifier`` is never None here: an
    unresolvable qualifier is an unknown :class:`Qualifier`, which may be any alias or version."""

    text: Setting
    function: FunctionRef

    @property
    def qualifier(self) -> Qualifier:
        return self.function.qualifier or Qualifier.unknown(self.text.location, "qualifier")


@dataclass(frozen=True)
class ScalableTarget:
    """``AWS::ApplicationAutoScaling::ScalableTarget`` / ``aws_appautoscaling_target`` on
    ``lambda:function:ProvisionedConcurrency`` (CloudFormation's inline ``ScheduledActions``
    included)."""

    address: str
    location: Location
    document: str  # template path / Terraform root directory
    key: str  # how the document's policies name it: a logical ID, "aws_appautoscaling_target.x"
    resource_id: LambdaResourceId
    min_capacity: Setting
    max_capacity: Setting
    schedules: tuple["ScheduledAction", ...] = ()


@dataclass(frozen=True)
class ScalingPolicy:
    """A scaling policy: ``target`` is the key of the document's scalable target it belongs to
    (the linker drops it when that target is not on Lambda provisioned concurrency), else
    ``resource_id`` is its own ResourceId."""

    address: str
    location: Location  # the policy resource / block
    document: str
    policy_type: Setting  # "TargetTrackingScaling" | "StepScaling"
    metric: Setting  # PredefinedMetricType; absent for customized metrics / step scaling
    target_value: Setting  # TargetValue (a utilization fraction for the Lambda metric)
    target: str | None = None
    resource_id: LambdaResourceId | None = None


@dataclass(frozen=True)
class ScheduledAction:
    """A scheduled action: inline in a CloudFormation target, or a Terraform
    ``aws_appautoscaling_scheduled_action`` (``target`` / ``resource_id`` as for a policy)."""

    address: str
    location: Location
    document: str
    schedule: Setting
    target: str | None = None
    resource_id: LambdaResourceId | None = None
