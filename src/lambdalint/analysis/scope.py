"""Per-invocation uses: the calls a handler makes on every invocation, shared by LL1xx rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from ..findings import Location, Related
from .facts import Call, FunctionFacts


@dataclass(frozen=True)
class PerInvocation:
    target: object  # project.link.CodeTarget
    function: FunctionFacts  # where the call is
    chain: tuple[str, ...]  # handler -> ... -> function
    use: Call

    @property
    def location(self) -> Location:
        u = self.use
        return Location(self.target.module.path, u.line, u.column, u.end_line, u.end_column)

    @property
    def via(self) -> str:
        return " → ".join(self.chain)

    def handler_related(self) -> Related:
        fn = self.target.module.facts.functions[self.target.handler]
        return Related(Location(self.target.module.path, fn.line, fn.column), f"handler `{self.target.handler}` is defined here")

    @property
    def subject(self) -> str:
        return f"{self.target.module.path}:{self.function.qualname}"


def per_invocation(targets, wanted: Callable[[Call], bool]) -> Iterator[PerInvocation]:
    """Uncached calls matching ``wanted`` in handler scope, each reported once even when several
    handlers of a module reach it (the first handler in name order wins)."""
    seen: set[tuple[str, int, int]] = set()
    for target in targets:
        facts = target.module.facts
        chains = facts.handler_scope(target.handler)
        for qualname in sorted(chains, key=lambda q: (facts.functions[q].line, q)):
            fn = facts.functions[qualname]
            for use in fn.uses:
                if use.cached or not wanted(use):
                    continue
                key = (target.module.path, use.line, use.column)
                if key in seen:
                    continue
                seen.add(key)
                yield PerInvocation(target, fn, chains[qualname], use)


def display_call(use: Call) -> str:
    """``boto3.client("s3")`` / ``boto3.Session().client("sqs")`` for messages."""
    arg = f'"{use.first_arg}"' if use.first_arg else ""
    return f"{use.qualname}({arg})"


def snapstart_modules(targets, declared=lambda path: False):
    """(module, targets, known) for every handler module under SnapStart. ``known`` is True when
    a linked template or Terraform config turns SnapStart on, or config ``snapstart-files``
    declares it for the file (``declared``); False when it is only inferred from the module
    importing ``snapshot_restore_py``."""
    by_module: dict[str, list] = {}
    for target in targets:
        by_module.setdefault(target.module.path, []).append(target)
    for path in sorted(by_module):
        group = by_module[path]
        module = group[0].module
        known = any(t.snapstart for t in group) or declared(path)
        if known or "snapshot_restore_py" in module.facts.imported_modules:
            yield module, group, known


def cpu_evidence(target) -> list[tuple[Location, str]]:
    """Calls in handler scope that show CPU-bound work (LL301's evidence), in source order."""
    from . import catalog

    out = []
    for hit in per_invocation([target], lambda u: u.qualname in catalog.CPU_CALLS or u.qualname.split(".")[0] in catalog.CPU_MODULES):
        out.append((hit.location, f"`{hit.use.qualname}` runs on every invocation (via {hit.via})"))
    return out
