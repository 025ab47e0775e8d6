"""Facts about JavaScript/TypeScript and Java handler code, shared by both languages.

The tree-sitter walkers (analysis/javascript.py, analysis/java.py) reduce each file to these
small picklable records in the worker processes; the rules then only walk call graphs. Python
keeps its own facts (analysis/facts.py): its analysis is older and much richer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# what a use is, as the rules ask for it
CLIENT, CONNECTION, CONFIG_FETCH, UNIQUE = "client", "connection", "config-fetch", "unique"


@dataclass(frozen=True)
class Use:
    """One interesting call: an SDK client built, a connection opened, a config fetch, a unique value."""

    kind: str  # CLIENT | CONNECTION | CONFIG_FETCH | UNIQUE
    name: str  # as shown in messages: "new S3Client()", "DriverManager.getConnection()"
    line: int
    column: int
    end_line: int
    end_column: int
    cached: bool = False  # behind a lazy-init guard (`if (!client)`, `client ??= ...`)
    stored_as: str | None = None  # the long-lived variable or field that keeps the result
    # built from the routine's parameters (`new S3Client({ region: event.region })`): one object
    # at init will not do, a cache keyed by those values will
    varying: bool = False
    # cached only by a guard on the instance (`if (!this.client)`): once per object, so once per
    # environment only when the object itself is (JavaScript/TypeScript)
    instance_guard: bool = False
    returned: bool = False  # what its function returns: the function is a factory (JavaScript/TypeScript)


@dataclass
class Routine:
    """A function or method: where it is, what it calls, what interesting calls it makes."""

    qualname: str  # "handler", "Repo.get", "com.example.App.handleRequest"
    line: int
    column: int
    params: tuple[str, ...] = ()
    calls: list[str] = field(default_factory=list)  # qualnames of routines it calls (resolved or not)
    uses: list[Use] = field(default_factory=list)
    assigns: set[str] = field(default_factory=set)  # long-lived names/fields it (re)binds


def reachable(routines: dict[str, Routine], roots: list[str]) -> dict[str, tuple[str, ...]]:
    """Every routine reachable from ``roots`` through ``calls``, with the call chain to it."""
    chains: dict[str, tuple[str, ...]] = {}
    queue: list[str] = []
    for root in roots:
        if root in routines and root not in chains:
            chains[root] = (root,)
            queue.append(root)
    while queue:
        name = queue.pop(0)
        for callee in routines[name].calls:
            if callee in routines and callee not in chains:
                chains[callee] = chains[name] + (callee,)
                queue.append(callee)
    return chains


def point(node, source: bytes) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of a tree-sitter node, 1-based, columns counted in
    characters as editors and SARIF count them (tree-sitter counts bytes)."""
    return node.start_point[0] + 1, _column(source, node.start_byte), node.end_point[0] + 1, _column(source, node.end_byte)


def _column(source: bytes, offset: int) -> int:
    start = source.rfind(b"\n", 0, offset) + 1
    chunk = source[start:offset]
    return (len(chunk) if chunk.isascii() else len(chunk.decode("utf-8", "replace"))) + 1
