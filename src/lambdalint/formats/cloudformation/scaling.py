"""SAM / CloudFormation Application Auto Scaling resources as records (records/scaling.py).

A ``ResourceId`` is read symbolically, so ``!Sub "function:${Fn}:live"``, ``!Join [":",
["function", !Ref Fn, !GetAtt Version.Version]]`` and literals all name their function (a
function of this template by logical ID, or a literal physical name) and qualifier.
"""

from __future__ import annotations

from dataclasses import replace

from ...documents.nodes import Node
from ...findings import Location
from ...project.model import Qualifier, present, unknown
from ...records import FunctionRef
from ...records.scaling import DIMENSION, NAMESPACE, LambdaResourceId, ScalableTarget, ScalingPolicy, ScheduledAction
from .. import arn
from ..scaling import split_resource_id
from .resolve import Literal, SymbolicParts, Template, prop


def read(t: Template) -> list[ScalableTarget | ScalingPolicy]:
    """The template's scalable targets and scaling policies on Lambda provisioned concurrency."""
    out = []
    for logical_id in sorted(t.resources):
        reader = TABLE.get(t.resource_type(logical_id) or "")
        record = reader(t, logical_id) if reader is not None else None
        if record is not None:
            out.append(record)
    return out


def _scalable_target(t: Template, logical_id: str) -> ScalableTarget | None:
    where = t.loc(t.resources[logical_id])
    props = t.properties(logical_id)
    if _not_lambda(t, props):
        return None
    resource_id = _resource_id(t, prop(props, "ResourceId"))
    if resource_id is None:
        return None
    address = f"{t.path}#Resources/{logical_id}"
    schedules = []
    actions = prop(props, "ScheduledActions")
    if actions is not None and isinstance(actions.value, list):
        for i, action in enumerate(actions.value):
            loc = t.loc(action, as_property=False)
            schedules.append(ScheduledAction(f"{address}/ScheduledActions/{i}", loc, t.path, t.setting(prop(action, "Schedule"), None, loc)))
    return ScalableTarget(
        address=address,
        location=where,
        document=t.path,
        key=logical_id,
        resource_id=resource_id,
        min_capacity=t.setting(prop(props, "MinCapacity"), None, where, as_int=True),
        max_capacity=t.setting(prop(props, "MaxCapacity"), None, where, as_int=True),
        schedules=tuple(schedules),
    )


def _scaling_policy(t: Template, logical_id: str) -> ScalingPolicy | None:
    where = t.loc(t.resources[logical_id])
    props = t.properties(logical_id)
    config = prop(props, "TargetTrackingScalingPolicyConfiguration")
    config_loc = t.loc(config) if config is not None else where
    predefined = prop(prop(config, "PredefinedMetricSpecification"), "PredefinedMetricType")
    policy = ScalingPolicy(
        address=f"{t.path}#Resources/{logical_id}",
        location=where,
        document=t.path,
        policy_type=t.setting(prop(props, "PolicyType"), None, where),
        metric=t.setting(predefined, None, config_loc),
        target_value=replace(t.setting(prop(config, "TargetValue"), None, config_loc), prop="TargetValue"),
    )
    target_id = prop(props, "ScalingTargetId")
    if target_id is not None:
        ref = t.reference(target_id)
        if ref is not None and t.resource_type(ref.target) is not None:
            return replace(policy, target=ref.target)
        # a target we cannot see (an import, a parameter): it may scale anything
        return replace(policy, resource_id=LambdaResourceId(unknown(where, "ScalingTargetId"), FunctionRef(t.path, None, None, Qualifier.unknown(where, "ScalingTargetId"), where)))
    if _not_lambda(t, props):
        return None
    resource_id = _resource_id(t, prop(props, "ResourceId"))
    return replace(policy, resource_id=resource_id) if resource_id is not None else None


TABLE = {
    "AWS::ApplicationAutoScaling::ScalableTarget": _scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": _scaling_policy,
}


def _not_lambda(t: Template, props: Node | None) -> bool:
    """True when the resource is known to scale something other than Lambda provisioned concurrency."""
    for key, expected in (("ScalableDimension", DIMENSION), ("ServiceNamespace", NAMESPACE)):
        value = t.value(prop(props, key))
        if isinstance(value, Literal) and value.value != expected:
            return True
    return False


def _resource_id(t: Template, node: Node | None) -> LambdaResourceId | None:
    """The function and qualifier a ``function:NAME:QUALIFIER`` ResourceId names; None when the
    value is no Lambda ResourceId."""
    if node is None:
        return None
    location = t.loc(node)
    split = split_resource_id(SymbolicParts(t).parts(node))
    if split is None:
        return None
    text = t.value(node)
    written = present(text.value, location) if isinstance(text, Literal) else unknown(location, text.source)
    function_part, qualifier_part = split
    key = function_part[1] if isinstance(function_part, tuple) and function_part[0] == "fn" else None
    name = function_part if isinstance(function_part, str) and function_part else None
    return LambdaResourceId(written, FunctionRef(t.path, key, name, _qualifier(t, qualifier_part, location), location))


def _qualifier(t: Template, part, location: Location) -> Qualifier:
    if isinstance(part, str) and part:
        return arn.qualifier(part, location)
    if isinstance(part, tuple) and part[0] == "version":  # !GetAtt Version.Version
        return Qualifier.version(location, resource=f"{t.path}#Resources/{part[1]}", label=part[1])
    return Qualifier.unknown(location, "qualifier")
