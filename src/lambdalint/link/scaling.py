"""Which provisioned-concurrency configurations Application Auto Scaling (may) scale, across
files, stacks and roots (LL202, LL203).

Reads only records (records/scaling.py): each scalable target gathers the policies and
scheduled actions of its document that name it; a policy or scheduled action that names its
own ResourceId stands alone (it works only when a target is registered somewhere). The
function a ResourceId names is a function of its own document, a literal physical name
(matched project-wide, so a target in another stack or root counts) or unknown; anything
unknown *may* scale a configuration, and rules never flag what may be covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Location
from ..project.model import Function, Project, Qualifier, Setting, unknown
from ..records.scaling import LambdaResourceId, ScalableTarget, ScalingPolicy, ScheduledAction
from .functions import FunctionIndex


@dataclass
class Autoscaler:
    """One ResourceId that Application Auto Scaling manages or may manage, with the functions it
    may scale. ``kind`` is "target" for a scalable target; a policy or scheduled action that
    names its own ResourceId is a "policy" / "schedule"."""

    address: str
    location: Location
    kind: str  # "target" | "policy" | "schedule"
    resource_id: LambdaResourceId
    qualifier: Qualifier  # unknown = may be any
    names_function: bool  # the ResourceId names its function (in its document, or by literal name)
    functions: list[Function]  # the functions it scales or may scale
    target: ScalableTarget | None = None  # the record, for a "target"
    policies: list[ScalingPolicy] = field(default_factory=list)
    schedules: list[ScheduledAction] = field(default_factory=list)

    def describe(self) -> str:
        q = self.qualifier
        if not q.known:
            return "an unresolved qualifier"
        if q.kind == "version":
            return f"version {q.name}" if q.name else "the published version"
        return q.describe()  # "alias live", "$LATEST"


def link_autoscaling(project: Project, records: list) -> None:
    """Fill ``Project.autoscaling`` from every document's scaling records, and each
    ``ProvisionedConcurrency.autoscaling`` with the autoscalers that (may) scale it."""
    index = FunctionIndex(project.functions)
    addresses = {f.address for f in project.functions}
    # a function's FunctionName / function_name (absent = generated), filled by its loader
    names = {id(f): f.physical_name or unknown(f.location) for f in project.functions}

    def autoscaler(record, kind: str, resource_id: LambdaResourceId) -> Autoscaler:
        ref = resource_id.function
        found = index.find(ref) if ref.key is not None else None
        if found is not None:
            functions = [found]
        elif ref.name is not None:
            functions = [f for f in project.functions if _may_be_named(f, ref.name, names[id(f)])]
        else:
            functions = list(project.functions)
        qualifier = resource_id.qualifier
        if qualifier.published and qualifier.resource not in addresses:
            qualifier = Qualifier.unknown(qualifier.location, "version")  # of a block that is no function
        return Autoscaler(record.address, record.location, kind, resource_id, qualifier, found is not None or ref.name is not None, functions)

    targets: list[Autoscaler] = []
    by_key: dict[tuple[str, str], Autoscaler] = {}  # (document, key): how its policies name it
    for record in records:
        if isinstance(record, ScalableTarget):
            target = autoscaler(record, "target", record.resource_id)
            target.target = record
            target.schedules.extend(record.schedules)
            targets.append(target)
            by_key[(record.document, record.key)] = target
    standalone: list[Autoscaler] = []
    for record in records:
        if isinstance(record, ScalableTarget):
            continue
        is_policy = isinstance(record, ScalingPolicy)
        if record.target is not None:
            owner = by_key.get((record.document, record.target))
            if owner is None:
                continue  # its target is not on Lambda provisioned concurrency
        elif record.resource_id is not None:
            owner = autoscaler(record, "policy" if is_policy else "schedule", record.resource_id)
            standalone.append(owner)
        else:
            continue
        (owner.policies if is_policy else owner.schedules).append(record)
    project.autoscaling = targets + standalone
    for function in project.functions:
        for pc in function.provisioned:
            if pc.qualifier.is_latest:
                continue  # LL201's case: nothing can scale provisioned concurrency on $LATEST
            pc.autoscaling = [a for a in project.autoscaling if any(f is function for f in a.functions) and a.qualifier.may_be(pc.qualifier)]


def _may_be_named(function: Function, name: str, physical: Setting) -> bool:
    if not physical.known:
        return True
    if physical.is_set:
        return physical.value == name
    # generated: CloudFormation names it STACK-LOGICALID-SUFFIX
    return function.kind in ("sam", "cloudformation", "cdk") and f"-{function.name}-" in name
