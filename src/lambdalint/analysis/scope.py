"""Per-invocation uses: the calls a handler makes on every invocation, shared by LL1xx rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from ..findings import Location, Related
from .facts import Call, FunctionFacts


@dataclass(frozen=True)
class PerInvocation:
    target: object  # link.code.CodeTarget
    function: FunctionFacts  # where the call is
    chain: tuple[str, ...]  # handler -> ... -> function
    use: Call
    path: str = ""  # module of the call (the handler's module when empty)
    exit: Location | None = None  # the call in the handler's module that leads to it, when elsewhere
    entered: tuple | None = None  # (Location, text): the call that enters ``function``, when elsewhere

    @property
    def construction(self) -> Location:
        u = self.use
        return Location(self.path or self.target.module.path, u.line, u.column, u.end_line, u.end_column)

    @property
    def location(self) -> Location:
        """Where the finding goes: the call itself when it is in the handler's module, else the
        call in the handler's module that leads to it (so an inline suppression there works)."""
        return self.exit or self.construction

    @property
    def via(self) -> str:
        return " → ".join(self.chain)

    @property
    def elsewhere(self) -> str:
        """Where the call is when it is in another module: `` in `create_client`
        (lib/aws.py:12), called as `create_client("s3")` at app/orders.py:40``."""
        if not self.exit:
            return ""
        where = self.construction
        out = f" in `{self.function.qualname}` ({where.path}:{where.line})"
        if self.entered and self.entered[0] != self.exit:
            out += f", called as `{self.entered[1]}` at {self.entered[0].path}:{self.entered[0].line}"
        return out + ("," if self.entered and self.entered[0] != self.exit else "")

    def handler_related(self) -> Related:
        return self.related()[0]

    def related(self) -> list[Related]:
        """The handler's definition, and the construction itself when the finding is elsewhere."""
        out = []
        fn = self.target.module.facts.functions.get(self.target.handler)
        if fn is not None:
            out.append(Related(Location(self.target.module.path, fn.line, fn.column), f"handler `{self.target.handler}` is defined here"))
        else:
            out.append(Related(Location(self.target.module.path, 1, 1), f"`{self.target.handler}` is the entry point of this module"))
        if self.exit:
            if self.entered and self.entered[0] != self.exit:
                out.append(Related(self.entered[0], f"`{self.entered[1]}` is called here"))
            out.append(Related(self.construction, f"`{display_call(self.use)}` is called here, in `{self.function.qualname}`"))
        return out

    @property
    def subject(self) -> str:
        subject = f"{self.path or self.target.module.path}:{self.function.qualname}"
        if self.entered and self.path:
            subject += f"<-{self.entered[0].path}:{self.entered[1]}"
        return subject


def per_invocation(targets, wanted: Callable[[Call], bool]) -> Iterator[PerInvocation]:
    """Uncached calls matching ``wanted`` in handler scope, across the modules of the code
    package, each reported once even when several handlers reach it (the first handler in
    name order wins). In another module, a factory (a function that returns what it builds, or
    an ``__init__``) builds one per call: each call site that leads to it is reported, at the
    call in the handler's module that leads there."""
    seen: set[tuple] = set()
    # calls in the handler's own module first, whichever handler reaches them: a construction
    # reported where it is covers every call site that leads to it
    for local_pass in (True, False):
        for target in targets:
            path = target.module.path
            for reached in reached_functions(target):
                elsewhere = reached.path != path
                if elsewhere == local_pass:
                    continue
                uses = [u for u in reached.function.uses + list(reached.extra_uses) if not u.cached and wanted(u)]
                for use in uses:
                    if elsewhere and reached.entries and _is_factory(reached.function, use):
                        ways = [(e.chain, e.exit, e.call) for e in reached.entries]
                    else:
                        ways = [(reached.chain, reached.exit, None)]
                    for chain, exit_, entered in ways:
                        # a factory call is one construction, whichever branch of the factory builds it
                        key = (reached.path, reached.function.qualname, (entered[0].path, entered[0].line)) if entered else (reached.path, use.line, use.column, None)
                        if key in seen or (entered and (reached.path, use.line, use.column, None) in seen):
                            continue
                        seen.add(key)
                        yield PerInvocation(target, reached.function, chain, use, reached.path if elsewhere else "", exit_, entered)


def _is_factory(fn: FunctionFacts, use: Call) -> bool:
    return fn.qualname.endswith(".__init__") or (fn.returns is not None and fn.returns[0] == use.qualname + "()")


def reached_functions(target):
    """Functions in handler scope in report order: the handler's module by line, then others."""
    package = getattr(target, "package", None)
    if package is None:
        from .package import Reached

        facts = target.module.facts
        chains = facts.handler_scope(target.handler)
        return [Reached(target.module.path, facts.functions[q], chains[q], None) for q in sorted(chains, key=lambda q: (facts.functions[q].line, q))]
    return package.reach_sorted(target.module.path, target.handler)


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


def snapstart_init_modules(targets, declared=lambda path: False):
    """(module, targets, known, imported_by) for every module whose import-time code is in a
    SnapStart snapshot: each handler module under SnapStart (``imported_by`` None) and the
    package modules it imports at module level, transitively (``imported_by`` = the handler's
    module). Each module once, for the first handler module in path order."""
    seen: set[str] = set()
    for module, group, known in snapstart_modules(targets, declared):
        if module.path not in seen:
            seen.add(module.path)
            yield module, group, known, None
        package = getattr(group[0], "package", None)
        if package is None:
            continue
        for path, _name in package.init_modules(module.path):
            helper = package.modules.get(path)
            if helper is not None and path not in seen:
                seen.add(path)
                yield helper, group, known, module.path


def cpu_evidence(target) -> list[tuple[Location, str]]:
    """Calls in handler scope that show CPU-bound work (LL301's evidence), in source order."""
    from . import catalog

    out = []
    for hit in per_invocation([target], lambda u: u.qualname in catalog.CPU_CALLS or u.qualname.split(".")[0] in catalog.CPU_MODULES):
        out.append((hit.location, f"`{hit.use.qualname}` runs on every invocation (via {hit.via})"))
    return out
