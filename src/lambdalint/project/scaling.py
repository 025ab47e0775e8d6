"""Application Auto Scaling on Lambda provisioned concurrency (LL202, LL203).

Reads scalable targets on ``lambda:function:ProvisionedConcurrency``, their target-tracking
policies and scheduled actions:

- CloudFormation/SAM: ``AWS::ApplicationAutoScaling::ScalableTarget`` (``ScheduledActions``
  inline) and ``AWS::ApplicationAutoScaling::ScalingPolicy`` (``ScalingTargetId`` or its own
  ``ResourceId``);
- Terraform: ``aws_appautoscaling_target``, ``aws_appautoscaling_policy`` and
  ``aws_appautoscaling_scheduled_action``.

A ``ResourceId`` (``function:NAME:QUALIFIER``) is resolved symbolically: ``!Sub
"function:${Fn}:live"``, ``!Join [":", ["function", !Ref Fn, "live"]]``, a literal, or in
Terraform ``"function:${aws_lambda_function.x.function_name}:${aws_lambda_alias.live.name}"``.
The function part is either a function of the same template/root, a literal physical name
(matched project-wide, so a target in another stack or root counts) or unknown; the qualifier is
an alias name, a version, or unknown. Anything unknown *may* cover a provisioned-concurrency
configuration, and rules never flag what may be covered.

:func:`link_autoscaling` runs once per project (from ``engine.build_project``): it fills
``Project.autoscaling`` and, for every ``ProvisionedConcurrency``, ``autoscaling`` with the
targets that (may) scale it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..documents.nodes import Expr, HclTemplateString, Node
from ..findings import Location
from ..formats.cloudformation.resolve import Literal, SymbolicParts, prop
from ..formats.values import UNKNOWN_PART
from ..formats import arn
from .model import Function, Project, Qualifier, Setting, absent, present, unknown

DIMENSION = "lambda:function:ProvisionedConcurrency"
UTILIZATION_METRIC = "LambdaProvisionedConcurrencyUtilization"
_INTERP = re.compile(r"\$\{([^}]*)\}")


@dataclass
class ScalingPolicy:
    """A scaling policy on a provisioned-concurrency target."""

    address: str
    location: Location  # the policy resource/block
    policy_type: Setting  # "TargetTrackingScaling" | "StepScaling"
    metric: Setting  # PredefinedMetricType; absent for customized metrics / step scaling
    target_value: Setting  # TargetValue (a utilization fraction for the Lambda metric)


@dataclass
class ScheduledAction:
    address: str
    location: Location
    schedule: Setting


@dataclass
class ScalableTarget:
    """One ``function:NAME:QUALIFIER`` that Application Auto Scaling manages (or may manage).

    ``kind`` is "target" for a scalable target; a policy or scheduled action that names its own
    ResourceId (no target in the project) becomes a "policy"/"schedule" record, since it only works
    when a target is registered somewhere.
    """

    address: str
    location: Location
    root: str  # template path / Terraform root directory
    kind: str  # "target" | "policy" | "schedule"
    function: Function | None  # the function when the ResourceId refers to one in the same document
    function_name: Setting  # literal physical name, or unknown (when ``function`` is None)
    qualifier: Qualifier  # unknown = may be any
    resource_id: Setting  # the ResourceId as written (value = resolved text when known)
    min_capacity: Setting | None = None
    max_capacity: Setting | None = None
    policies: list[ScalingPolicy] = field(default_factory=list)
    schedules: list[ScheduledAction] = field(default_factory=list)
    # functions this target (may) scale, filled by link_autoscaling
    functions: list[Function] = field(default_factory=list)

    def describe(self) -> str:
        q = self.qualifier
        if not q.known:
            return "an unresolved qualifier"
        if q.kind == "version":
            return f"version {q.name}" if q.name else "the published version"
        return q.describe()  # "alias live", "$LATEST"


# ---------------------------------------------------------------- symbolic ResourceIds


def _split_resource_id(parts: list) -> tuple[Any, Any] | None:
    """``parts``: literal strings and tokens. Returns (function part, qualifier part) where each is a
    literal str, a token tuple or UNKNOWN_PART; None when this is not a Lambda ResourceId."""
    segments: list[list] = [[]]
    for part in parts:
        if isinstance(part, str):
            pieces = part.split(":")
            segments[-1].append(pieces[0])
            for piece in pieces[1:]:
                segments.append([piece])
        else:
            segments[-1].append(part)

    def one(segment: list) -> Any:
        segment = [p for p in segment if p != ""]
        if not segment:
            return ""
        if any(p == UNKNOWN_PART for p in segment):
            return UNKNOWN_PART
        if all(isinstance(p, str) for p in segment):
            return "".join(segment)
        if len(segment) == 1:
            return segment[0]
        return UNKNOWN_PART  # a token glued to text, e.g. ${Fn}-blue

    values = [one(s) for s in segments]
    has_unknown = any(v == UNKNOWN_PART for v in values)
    if len(values) == 3 and values[0] == "function":
        return values[1], values[2]
    if has_unknown and values[0] in ("function", UNKNOWN_PART):
        return UNKNOWN_PART, UNKNOWN_PART  # shape unclear: may be any function and qualifier
    return None


# ---------------------------------------------------------------- CloudFormation
def _cfn_resource_id(t, node: Node | None, where: Location) -> tuple[Setting, str | None, Setting, Qualifier] | None:
    """(resource id, function logical id, function name, qualifier) or None when not a Lambda target."""
    if node is None:
        return None
    location = t.loc(node)
    split = _split_resource_id(SymbolicParts(t).parts(node))
    if split is None:
        return None
    text = t.value(node)
    rid = present(text.value, location) if isinstance(text, Literal) else unknown(location, text.source)
    fpart, qpart = split
    function_key = fpart[1] if isinstance(fpart, tuple) and fpart[0] == "fn" else None
    if isinstance(fpart, str) and fpart:
        fname = present(fpart, location)
    else:
        fname = unknown(location, "function name")
    if isinstance(qpart, str) and qpart:
        qual = arn.qualifier(qpart, location)
    elif isinstance(qpart, tuple) and qpart[0] == "version":
        qual = Qualifier.version(location, resource=f"{t.path}#Resources/{qpart[1]}", label=qpart[1])
    else:
        qual = Qualifier.unknown(location, "qualifier")
    return rid, function_key, fname, qual


def _cfn_not_lambda(t, props: Node | None) -> bool:
    """True when the target/policy is known to be about something other than Lambda PC."""
    for key, expected in (("ScalableDimension", DIMENSION), ("ServiceNamespace", "lambda")):
        node = prop(props, key)
        if node is None:
            continue
        value = t.value(node)
        if isinstance(value, Literal) and value.value != expected:
            return True
    return False


def cfn_targets(t, functions: list[Function]) -> list[ScalableTarget]:
    """Targets, policies and scheduled actions of one template."""
    by_id = {f.name: f for f in functions}
    targets: dict[str, ScalableTarget] = {}
    out: list[ScalableTarget] = []
    for logical_id in sorted(t.resources):
        if t.resource_type(logical_id) != "AWS::ApplicationAutoScaling::ScalableTarget":
            continue
        node = t.resources[logical_id]
        where = t.loc(node)
        props = t.properties(logical_id)
        if _cfn_not_lambda(t, props):
            continue
        rid_node = prop(props, "ResourceId")
        parsed = _cfn_resource_id(t, rid_node, where)
        if parsed is None:
            continue
        rid, fkey, fname, qual = parsed
        target = ScalableTarget(
            address=f"{t.path}#Resources/{logical_id}",
            location=where,
            root=t.path,
            kind="target",
            function=by_id.get(fkey or ""),
            function_name=fname,
            qualifier=qual,
            resource_id=rid,
            min_capacity=t.setting(prop(props, "MinCapacity"), None, where, as_int=True),
            max_capacity=t.setting(prop(props, "MaxCapacity"), None, where, as_int=True),
        )
        actions = prop(props, "ScheduledActions")
        if actions is not None and isinstance(actions.value, list):
            for i, action in enumerate(actions.value):
                loc = t.loc(action, as_property=False)
                target.schedules.append(ScheduledAction(f"{target.address}/ScheduledActions/{i}", loc, t.setting(prop(action, "Schedule"), None, loc)))
        targets[logical_id] = target
        out.append(target)
    for logical_id in sorted(t.resources):
        if t.resource_type(logical_id) != "AWS::ApplicationAutoScaling::ScalingPolicy":
            continue
        node = t.resources[logical_id]
        where = t.loc(node)
        props = t.properties(logical_id)
        config = prop(props, "TargetTrackingScalingPolicyConfiguration")
        predefined = prop(prop(config, "PredefinedMetricSpecification"), "PredefinedMetricType")
        policy = ScalingPolicy(
            address=f"{t.path}#Resources/{logical_id}",
            location=where,
            policy_type=t.setting(prop(props, "PolicyType"), None, where),
            metric=t.setting(predefined, None, t.loc(config) if config is not None else where),
            target_value=t.setting(prop(config, "TargetValue"), None, t.loc(config) if config is not None else where),
        )
        ref = t.reference(prop(props, "ScalingTargetId"))
        target_ref = ref.target if ref is not None else None
        if target_ref in targets:
            targets[target_ref].policies.append(policy)
            continue
        if prop(props, "ScalingTargetId") is not None:
            if t.resource_type(target_ref or "") is not None:
                continue  # a target of this template that is not on Lambda provisioned concurrency
            parsed = (unknown(where, "ScalingTargetId"), None, unknown(where, "ScalingTargetId"), Qualifier.unknown(where, "ScalingTargetId"))
        else:
            if _cfn_not_lambda(t, props):
                continue
            parsed = _cfn_resource_id(t, prop(props, "ResourceId"), where)
            if parsed is None:
                continue
        rid, fkey, fname, qual = parsed
        record = ScalableTarget(policy.address, where, t.path, "policy", by_id.get(fkey or ""), fname, qual, rid)
        record.policies.append(policy)
        out.append(record)
    return out


# ---------------------------------------------------------------- Terraform
class _Tf:
    def __init__(self, root):
        self.root = root

    def parts(self, value: Any, depth: int = 0) -> list:
        if depth > 8:
            return [UNKNOWN_PART]  # e.g. aliases whose function_name refer to each other
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, HclTemplateString):
            out: list = []
            pos = 0
            for m in _INTERP.finditer(value.text):
                out.append(value.text[pos:m.start()])
                pos = m.end()
                out.append(self.expr(m.group(1).strip(), depth))
            out.append(value.text[pos:])
            if "%{" in value.text:
                return [UNKNOWN_PART]
            return out
        if isinstance(value, Expr):
            return [self.expr(value.text.strip(), depth)]
        return [UNKNOWN_PART]

    def expr(self, text: str, depth: int = 0) -> Any:
        root = self.root
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1].strip()
        ref = root.reference(Expr(text))
        if ref is not None:
            rtype, name, attr = ref
            if rtype == "aws_lambda_function" and attr in ("function_name", "id"):
                return ("fn", f"aws_lambda_function.{name}")
            if rtype == "aws_lambda_function" and attr == "version":
                return ("version", f"aws_lambda_function.{name}")
            if rtype == "module" and attr == "lambda_function_name":
                return ("fn", f"module.{name}")
            if rtype == "module" and attr == "lambda_function_version":
                return ("version", f"module.{name}")
            if rtype == "aws_lambda_alias" and ("aws_lambda_alias", name) in root.resources:
                _, alias = root.resources[("aws_lambda_alias", name)]
                if attr == "name":
                    attr_node = alias.attr("name")
                    value = root.resolve(attr_node.value) if attr_node is not None else None
                    return value if isinstance(value, str) else UNKNOWN_PART
                if attr == "function_name":
                    attr_node = alias.attr("function_name")
                    if attr_node is None:
                        return UNKNOWN_PART
                    parts = self.parts(attr_node.value, depth + 1)
                    return parts[0] if len(parts) == 1 else UNKNOWN_PART
            return UNKNOWN_PART
        value = root.resolve_expr(text, 0)
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else UNKNOWN_PART

    def resource_id(self, path: str, attr, functions: dict[str, Function]):
        root = self.root
        if attr is None:
            return None
        location = Location(path, attr.line, attr.column, attr.end_line, attr.end_column)
        split = _split_resource_id(self.parts(attr.value))
        if split is None:
            return None
        text = root.resolve(attr.value)
        rid = present(text, location) if isinstance(text, str) else unknown(location, getattr(attr.value, "text", repr(attr.value)))
        fpart, qpart = split
        function = functions.get(fpart[1]) if isinstance(fpart, tuple) and fpart[0] == "fn" else None
        fname = present(fpart, location) if isinstance(fpart, str) and fpart else unknown(location, "function name")
        if isinstance(qpart, str) and qpart:
            qual = arn.qualifier(qpart, location)
        elif isinstance(qpart, tuple) and qpart[0] == "version" and qpart[1] in functions:
            qual = Qualifier.version(location, resource=functions[qpart[1]].address, published=True)
        else:
            qual = Qualifier.unknown(location, "qualifier")
        return rid, function, fname, qual


def _tf_not_lambda(root, block) -> bool:
    for key, expected in (("scalable_dimension", DIMENSION), ("service_namespace", "lambda")):
        attr = block.attr(key)
        if attr is None:
            continue
        ref = root.reference(attr.value)
        if ref is not None:
            continue
        value = root.resolve(attr.value)
        if isinstance(value, str) and value != expected:
            return True
    return False


def tf_targets(root, functions: list[Function]) -> list[ScalableTarget]:
    tf = _Tf(root)
    by_key = {f.address.split("#", 1)[1]: f for f in functions}
    targets: dict[str, ScalableTarget] = {}
    out: list[ScalableTarget] = []
    for path, block in root.blocks:
        if not (block.type == "resource" and block.labels[:1] == ["aws_appautoscaling_target"] and len(block.labels) == 2):
            continue
        if _tf_not_lambda(root, block):
            continue
        where = Location(path, block.line, block.column)
        parsed = tf.resource_id(path, block.attr("resource_id"), by_key)
        if parsed is None:
            continue
        rid, function, fname, qual = parsed
        target = ScalableTarget(
            address=f"{path}#aws_appautoscaling_target.{block.labels[1]}",
            location=where,
            root=root.dir,
            kind="target",
            function=function,
            function_name=fname,
            qualifier=qual,
            resource_id=rid,
            min_capacity=root.setting(path, block.attr("min_capacity"), None, where, as_int=True),
            max_capacity=root.setting(path, block.attr("max_capacity"), None, where, as_int=True),
        )
        targets[block.labels[1]] = target
        out.append(target)
    for path, block in root.blocks:
        if not (block.type == "resource" and len(block.labels) == 2):
            continue
        rtype, name = block.labels
        if rtype not in ("aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action"):
            continue
        where = Location(path, block.line, block.column)
        address = f"{path}#{rtype}.{name}"
        if rtype == "aws_appautoscaling_policy":
            config = next(iter(block.children("target_tracking_scaling_policy_configuration")), None)
            spec = next(iter(config.children("predefined_metric_specification")), None) if config is not None else None
            config_loc = Location(path, config.line, config.column) if config is not None else where
            item: Any = ScalingPolicy(
                address=address,
                location=where,
                policy_type=root.setting(path, block.attr("policy_type"), "StepScaling", where),
                metric=root.setting(path, spec.attr("predefined_metric_type"), None, Location(path, spec.line, spec.column)) if spec is not None else absent(None, config_loc),
                target_value=root.setting(path, config.attr("target_value"), None, config_loc) if config is not None else absent(None, where),
            )
        else:
            item = ScheduledAction(address, where, root.setting(path, block.attr("schedule"), None, where))
        rid_attr = block.attr("resource_id")
        ref = root.reference(rid_attr.value) if rid_attr is not None else None
        if ref is not None and ref[0] == "aws_appautoscaling_target":
            target = targets.get(ref[1])
            if target is not None:
                (target.policies if isinstance(item, ScalingPolicy) else target.schedules).append(item)
            continue  # or a target that is not on Lambda provisioned concurrency
        if _tf_not_lambda(root, block):
            continue
        parsed = tf.resource_id(path, rid_attr, by_key)
        if parsed is None:
            continue
        rid, function, fname, qual = parsed
        record = ScalableTarget(address, where, root.dir, "policy" if isinstance(item, ScalingPolicy) else "schedule", function, fname, qual, rid)
        (record.policies if isinstance(item, ScalingPolicy) else record.schedules).append(item)
        out.append(record)
    return out


# ---------------------------------------------------------------- project-wide linking
def _may_be_named(function: Function, name: str, physical: Setting) -> bool:
    if not physical.known:
        return True
    if physical.is_set:
        return physical.value == name
    # generated: CloudFormation names it STACK-LOGICALID-SUFFIX
    return function.kind in ("sam", "cloudformation") and f"-{function.name}-" in name


def link_autoscaling(project: Project, template_list: list, root_list: list) -> None:
    """Read every document's targets, then tie each provisioned-concurrency config to the targets
    that (may) scale it, across files, stacks and roots. ``template_list``: cloudformation.Template
    per template; ``root_list``: terraform.Root per root."""
    templates = {t.path: t for t in template_list}
    roots = {r.dir: r for r in root_list}
    targets: list[ScalableTarget] = []
    for path, t in sorted(templates.items()):
        functions = [f for f in project.functions if f.kind in ("sam", "cloudformation") and f.root == path]
        targets.extend(cfn_targets(t, functions))
    for directory, root in sorted(roots.items()):
        functions = [f for f in project.functions if f.kind.startswith("terraform") and f.root == directory]
        targets.extend(tf_targets(root, functions))
    # a function's FunctionName / function_name (absent = generated), filled by its loader
    names = {id(f): f.physical_name or unknown(f.location) for f in project.functions}
    for target in targets:
        if target.function is not None:
            target.functions = [target.function]
        elif target.function_name.is_set:
            target.functions = [f for f in project.functions if _may_be_named(f, target.function_name.value, names[id(f)])]
        else:
            target.functions = list(project.functions)
    project.autoscaling = targets
    for function in project.functions:
        for pc in function.provisioned:
            if pc.qualifier.is_latest:
                continue  # LL201's case: nothing can scale provisioned concurrency on $LATEST
            pc.autoscaling = [t for t in targets if any(f is function for f in t.functions) and t.qualifier.may_be(pc.qualifier)]
