"""Terraform Application Auto Scaling blocks as records (records/scaling.py).

A ``resource_id`` is read symbolically: ``"function:${aws_lambda_function.x.function_name}:${aws_lambda_alias.live.name}"``
names the function ``aws_lambda_function.x`` of this root and the alias the alias block
declares; a literal names a function by its physical name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...documents.nodes import Attribute, Block
from ...findings import Location
from ...project.model import Qualifier, absent, present, unknown
from ...records import FunctionRef
from ...records.scaling import DIMENSION, NAMESPACE, LambdaResourceId, ScalableTarget, ScalingPolicy, ScheduledAction
from ..values import UNKNOWN_PART
from .. import arn
from ..scaling import split_resource_id
from .resolve import Literal, Reference, Root, SymbolicParts, source_text

TARGET = "aws_appautoscaling_target"


def read(root: Root) -> list[ScalableTarget | ScalingPolicy | ScheduledAction]:
    """The root's scalable targets, scaling policies and scheduled actions on Lambda provisioned
    concurrency."""
    out = []
    for path, block in root.blocks:
        if block.type != "resource" or len(block.labels) != 2:
            continue
        reader = TABLE.get(block.labels[0])
        record = reader(root, path, block) if reader is not None else None
        if record is not None:
            out.append(record)
    return out


def _scalable_target(root: Root, path: str, block: Block) -> ScalableTarget | None:
    if _not_lambda(root, path, block):
        return None
    resource_id = _resource_id(root, path, block.attr("resource_id"))
    if resource_id is None:
        return None
    where = Location(path, block.line, block.column)
    key = f"{TARGET}.{block.labels[1]}"
    return ScalableTarget(
        address=root.address(path, key),
        location=where,
        document=root.document,
        key=key,
        resource_id=resource_id,
        min_capacity=root.setting(path, block.attr("min_capacity"), None, where, as_int=True),
        max_capacity=root.setting(path, block.attr("max_capacity"), None, where, as_int=True),
    )


def _scaling_policy(root: Root, path: str, block: Block) -> ScalingPolicy | None:
    where = Location(path, block.line, block.column)
    config = next(iter(block.children("target_tracking_scaling_policy_configuration")), None)
    spec = next(iter(config.children("predefined_metric_specification")), None) if config is not None else None
    config_loc = Location(path, config.line, config.column) if config is not None else where
    policy = ScalingPolicy(
        address=root.address(path, '.'.join(block.labels)),
        location=where,
        document=root.document,
        policy_type=root.setting(path, block.attr("policy_type"), "StepScaling", where),
        metric=root.setting(path, spec.attr("predefined_metric_type"), None, Location(path, spec.line, spec.column)) if spec is not None else absent(None, config_loc),
        target_value=replace(root.setting(path, config.attr("target_value"), None, config_loc) if config is not None else absent(None, where), prop="target_value"),
    )
    return _of_target(root, path, block, policy)


def _scheduled_action(root: Root, path: str, block: Block) -> ScheduledAction | None:
    where = Location(path, block.line, block.column)
    action = ScheduledAction(root.address(path, '.'.join(block.labels)), where, root.document, root.setting(path, block.attr("schedule"), None, where))
    return _of_target(root, path, block, action)


TABLE = {
    TARGET: _scalable_target,
    "aws_appautoscaling_policy": _scaling_policy,
    "aws_appautoscaling_scheduled_action": _scheduled_action,
}


def _of_target(root: Root, path: str, block: Block, record):
    """A policy / scheduled action with what it scales: the target its ``resource_id`` comes
    from (``aws_appautoscaling_target.x.resource_id``), else its own ResourceId."""
    attr = block.attr("resource_id")
    ref = root.reference(attr.value) if attr is not None else None
    if ref is not None and ref[0] == TARGET:
        return replace(record, target=f"{TARGET}.{ref[1]}")
    if _not_lambda(root, path, block):
        return None
    resource_id = _resource_id(root, path, attr)
    return replace(record, resource_id=resource_id) if resource_id is not None else None


def _not_lambda(root: Root, path: str, block: Block) -> bool:
    """True when the block is known to scale something other than Lambda provisioned concurrency."""
    for key, expected in (("scalable_dimension", DIMENSION), ("service_namespace", NAMESPACE)):
        attr = block.attr(key)
        value = root.value(attr.value, Location(path, attr.line, attr.column)) if attr is not None else None
        if isinstance(value, Literal) and isinstance(value.value, str) and value.value != expected:
            return True
    return False


def _resource_id(root: Root, path: str, attr: Attribute | None) -> LambdaResourceId | None:
    """The function and qualifier a ``function:NAME:QUALIFIER`` resource_id names; None when
    the value is no Lambda ResourceId."""
    if attr is None:
        return None
    location = Location(path, attr.line, attr.column, attr.end_line, attr.end_column)
    split = split_resource_id(_ResourceIdParts(root).parts(attr.value))
    if split is None:
        return None
    text = root.value(attr.value, location)
    written = present(text.value, location) if isinstance(text, Literal) and isinstance(text.value, str) else unknown(location, source_text(attr.value))
    function_part, qualifier_part = split
    key = function_part[1] if isinstance(function_part, tuple) and function_part[0] == "fn" else None
    name = function_part if isinstance(function_part, str) and function_part else None
    return LambdaResourceId(written, FunctionRef(root.document, key, name, _qualifier(root, qualifier_part, location), location))


def _qualifier(root: Root, part: Any, location: Location) -> Qualifier:
    if isinstance(part, str) and part:
        return arn.qualifier(part, location)
    if isinstance(part, tuple) and part[0] == "version":
        # the version a function publishes (``.version``); the linker makes it unknown when
        # the block is no function of the project (a module that is not the Lambda module)
        path = _declared_in(root, part[1])
        if path is not None:
            return Qualifier.version(location, resource=root.address(path, part[1]), published=True)
    return Qualifier.unknown(location, "qualifier")


def _declared_in(root: Root, address: str) -> str | None:
    """The file that declares ``aws_lambda_function.x`` / ``module.x`` in this root."""
    kind, name = address.split(".", 1)
    if kind == "module":
        return next((path for path, b in root.blocks if b.type == "module" and b.labels == [name]), None)
    found = root.resources.get((kind, name))
    return found[0] if found is not None else None


class _ResourceIdParts(SymbolicParts):
    """Tokens for what a Lambda ResourceId refers to: ``("fn", address)`` for a function's name,
    ``("version", address)`` for the version it publishes, an alias block's literal name."""

    def token(self, ref: Reference, depth: int) -> Any:
        if (ref.type, ref.attribute) in (("aws_lambda_function", "function_name"), ("aws_lambda_function", "id"), ("module", "lambda_function_name")):
            return ("fn", ref.address)
        if (ref.type, ref.attribute) in (("aws_lambda_function", "version"), ("module", "lambda_function_version")):
            return ("version", ref.address)
        found = self.root.resources.get((ref.type, ref.name)) if ref.type == "aws_lambda_alias" else None
        if found is None:
            return UNKNOWN_PART
        alias = found[1]
        if ref.attribute == "name":
            attr = alias.attr("name")
            name = self.root.literal(attr.value) if attr is not None else None
            return name if isinstance(name, str) else UNKNOWN_PART
        if ref.attribute == "function_name":
            attr = alias.attr("function_name")
            parts = self.parts(attr.value, depth + 1) if attr is not None else []
            return parts[0] if len(parts) == 1 else UNKNOWN_PART
        return UNKNOWN_PART
