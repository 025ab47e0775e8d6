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
